//! Changes to cases: assigning, notes, messages to the customer, workflow
//! steps, the extension, legal holds, and several queue rows at once.

use app::domain::ReferenceCode;
use app::domain::notices::NoticeChoice;
use app::domain::queue::QueueQuery;
use app::domain::staff_forms::{
    AssignForm, BulkForm, DoneCode, DuplicateForm, ExtendForm, FormName, HoldForm, MessageForm, NoteForm, RebuttalForm,
    ReleaseForm, StepForm, VerifyAgentForm,
};
use app::domain::workflow::{DuplicateDecision, Step, step_from_form};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::letter_preview;
use crate::cases::{Assignee, CaseError};
use crate::http::extract::{CaseForm, StaffForm};
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError};

pub fn routes() -> Routes {
    Routes::new()
        .post("/staff/bulk", bulk)
        .post("/staff/requests/{reference}/assign", assign)
        .post("/staff/requests/{reference}/note", note)
        .post("/staff/requests/{reference}/message", message)
        .post("/staff/requests/{reference}/step", step)
        .post("/staff/requests/{reference}/extend", extend)
        .post("/staff/requests/{reference}/duplicate", duplicate)
        .post("/staff/requests/{reference}/rebut", rebut)
        .post("/staff/requests/{reference}/verify-agent", verify_agent)
        .post("/staff/requests/{reference}/hold", hold)
        .post("/staff/requests/{reference}/release", release)
}

/// A change's outcome as the case page shows it: confirmed with `done`, or
/// the page again with `form` as typed and why it was refused.
async fn answer<T>(
    state: &AppState,
    case: CaseForm<T>,
    form: FormName,
    done: DoneCode,
    result: Result<(), CaseError>,
) -> Result<Response, HttpError> {
    let page = format!("/staff/requests/{}", case.reference);
    let (status, message) = match result {
        // Back to the card the change was made from, where its
        // confirmation is shown, rather than to the top of a long page.
        Ok(()) => {
            let card = done.case_card().map(|card| format!("#{}", card.anchor())).unwrap_or_default();
            return Ok(Redirect::to(&format!("{page}?done={done}{card}")).into_response());
        }
        Err(CaseError::NotFound | CaseError::Forbidden) => return Err(HttpError::Forbidden),
        Err(CaseError::Conflict) => (
            StatusCode::CONFLICT,
            "Someone else changed this request while you were working on it, so your change was not saved. \
             The page now shows the request as it is; check it and try again."
                .to_owned(),
        ),
        Err(
            error @ (CaseError::Step(_)
            | CaseError::Extension(_)
            | CaseError::Invalid(_)
            | CaseError::NotNow(_)
            | CaseError::NotARecipient(_)),
        ) => (StatusCode::UNPROCESSABLE_ENTITY, error.to_string()),
        Err(error) => return Err(HttpError::Case(error)),
    };
    Ok(case.sent.refuse(state, &page, status, form, message).await)
}

/// The case version a form was drawn from; without one, the change cannot
/// be told apart from a stale one.
fn version_of(version: &str) -> Result<i64, CaseError> {
    version.parse().map_err(|_| CaseError::Conflict)
}

async fn assign(State(state): State<AppState>, case: CaseForm<AssignForm>) -> Result<Response, HttpError> {
    let to = match case.body.assignee.as_str() {
        "me" => Assignee::Staff(case.viewer.id),
        "none" => Assignee::Nobody,
        other => other.parse::<i64>().map_or(Assignee::Nobody, Assignee::Staff),
    };
    let result = match version_of(&case.body.version) {
        Ok(version) => state.desk.assign(&case.viewer, &case.reference, version, to).await,
        Err(e) => Err(e),
    };
    answer(&state, case, FormName::Assign, DoneCode::Assigned, result).await
}

async fn note(State(state): State<AppState>, case: CaseForm<NoteForm>) -> Result<Response, HttpError> {
    let result = state.desk.note(&case.viewer, &case.reference, &case.body.body).await;
    answer(&state, case, FormName::Note, DoneCode::Note, result).await
}

async fn message(State(state): State<AppState>, case: CaseForm<MessageForm>) -> Result<Response, HttpError> {
    let result = state.desk.message(&case.viewer, &case.reference, &case.body.body).await;
    answer(&state, case, FormName::Message, DoneCode::Message, result).await
}

async fn step(State(state): State<AppState>, case: CaseForm<StepForm>) -> Result<Response, HttpError> {
    let result = async {
        let version = version_of(&case.body.version)?;
        let kind = state.desk.kind_of(&case.reference).await?;
        let step = step_from_form(kind, |name| case.body.answers.get(name).cloned())?;
        let choice = NoticeChoice::from_form(case.body.answers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        // A final letter goes only once staff have seen it; the API's
        // steps are machines' and are not held.
        if step.kind().sends_final_letter()
            && let Some(preview) = letter_preview::hold(&state.desk, &case, version, &step, &choice).await?
        {
            return Ok(Some(preview));
        }
        state.desk.step_telling(&case.viewer, &case.reference, version, &step, &choice).await.map(|_| None)
    }
    .await;
    match result {
        Ok(Some(preview)) => Ok(letter_preview::show(&state, case, preview).await),
        result => answer(&state, case, FormName::Step, DoneCode::Status, result.map(|_| ())).await,
    }
}

async fn extend(State(state): State<AppState>, case: CaseForm<ExtendForm>) -> Result<Response, HttpError> {
    let result = match version_of(&case.body.version) {
        Ok(version) => state.desk.extend(&case.viewer, &case.reference, version, &case.body.reason).await,
        Err(e) => Err(e),
    };
    answer(&state, case, FormName::Extend, DoneCode::Extended, result).await
}

/// Merging a likely duplicate into the earlier request, or keeping it apart.
async fn duplicate(State(state): State<AppState>, case: CaseForm<DuplicateForm>) -> Result<Response, HttpError> {
    let decision = DuplicateDecision::parse(&case.body.decision);
    let result = match (version_of(&case.body.version), decision) {
        (Ok(version), Some(decision)) => {
            state.desk.decide_duplicate(&case.viewer, &case.reference, version, decision).await
        }
        (Err(e), _) => Err(e),
        (_, None) => Err(CaseError::Invalid("Choose whether to merge the request or keep it separate.")),
    };
    let done = match decision {
        Some(DuplicateDecision::Merge) => DoneCode::Merged,
        _ => DoneCode::KeptSeparate,
    };
    answer(&state, case, FormName::Duplicate, done, result).await
}

/// A rebuttal of the customer's statement of disagreement, mailed to them.
async fn rebut(State(state): State<AppState>, case: CaseForm<RebuttalForm>) -> Result<Response, HttpError> {
    let result = match version_of(&case.body.version) {
        Ok(version) => state.desk.rebut(&case.viewer, &case.reference, version, &case.body.rebuttal).await,
        Err(e) => Err(e),
    };
    answer(&state, case, FormName::Rebuttal, DoneCode::Rebutted, result).await
}

async fn verify_agent(State(state): State<AppState>, case: CaseForm<VerifyAgentForm>) -> Result<Response, HttpError> {
    let result = match version_of(&case.body.version) {
        Ok(version) => state.desk.verify_agent(&case.viewer, &case.reference, version).await,
        Err(e) => Err(e),
    };
    answer(&state, case, FormName::VerifyAgent, DoneCode::AgentVerified, result).await
}

async fn hold(State(state): State<AppState>, case: CaseForm<HoldForm>) -> Result<Response, HttpError> {
    let result = match version_of(&case.body.version) {
        Ok(version) => state.desk.hold(&case.viewer, &case.reference, version, &case.body.reason).await,
        Err(e) => Err(e),
    };
    answer(&state, case, FormName::Hold, DoneCode::Held, result).await
}

async fn release(State(state): State<AppState>, case: CaseForm<ReleaseForm>) -> Result<Response, HttpError> {
    let result = match version_of(&case.body.version) {
        Ok(version) => state.desk.release(&case.viewer, &case.reference, version).await,
        Err(e) => Err(e),
    };
    answer(&state, case, FormName::Release, DoneCode::Released, result).await
}

/// Several queue rows at once. Each row carries the version it was shown
/// at; rows changed since are skipped and counted, never overwritten.
async fn bulk(State(state): State<AppState>, form: StaffForm<BulkForm>) -> Result<Response, HttpError> {
    let StaffForm { viewer, body, .. } = form;
    let mut changed = 0;
    let mut skipped = 0;
    for selected in &body.selected {
        let Some((reference, version)) = selected.rsplit_once(':') else { continue };
        let (Ok(reference), Ok(version)) = (ReferenceCode::parse(reference), version.parse::<i64>()) else {
            continue;
        };
        let result = match body.bulk_action.as_str() {
            "assign_me" => state.desk.assign(&viewer, &reference, version, Assignee::Staff(viewer.id)).await,
            "unassign" => state.desk.assign(&viewer, &reference, version, Assignee::Nobody).await,
            "start_work" => state.desk.step(&viewer, &reference, version, &Step::StartWork).await.map(|_| ()),
            "resume" => state.desk.step(&viewer, &reference, version, &Step::Resume).await.map(|_| ()),
            other => match other.strip_prefix("assign:").and_then(|id| id.parse::<i64>().ok()) {
                Some(id) => state.desk.assign(&viewer, &reference, version, Assignee::Staff(id)).await,
                None => Err(CaseError::Invalid("Choose an action.")),
            },
        };
        match result {
            Ok(()) => changed += 1,
            Err(
                CaseError::Conflict
                | CaseError::Step(_)
                | CaseError::NotFound
                | CaseError::Forbidden
                | CaseError::Invalid(_)
                | CaseError::NotNow(_),
            ) => skipped += 1,
            Err(error) => return Err(HttpError::Case(error)),
        }
    }
    let query = QueueQuery::from_query_string(body.return_to.as_str().trim_start_matches('?')).to_query_string();
    let separator = if query.is_empty() { "" } else { "&" };
    let done = DoneCode::Bulk;
    Ok(Redirect::to(&format!("/staff?{query}{separator}done={done}&changed={changed}&skipped={skipped}"))
        .into_response())
}
