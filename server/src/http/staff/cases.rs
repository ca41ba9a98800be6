//! The staff side's form handlers. Each asks the one authorisation function,
//! checks the form's anti-forgery token, makes its change and redirects back
//! with `?done=…`; a refused change re-renders the page with what was typed
//! and why, so nothing is lost.

use std::collections::BTreeMap;

use app::domain::access::{Action, require};
use app::domain::case::StaffFeedback;
use app::domain::forms::{AmendmentForm, ComplaintForm, OptOutForm};
use app::domain::workflow::step_from_form;
use app::domain::{Channel, FormState, ParseContext, ReferenceCode, RequestForm, Role, Viewer};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Extension, Router};
use chrono::{NaiveTime, TimeZone, Utc};
use tower_sessions::Session;

use super::{AppState, HttpError, pages};
use crate::cases::{Assignee, CaseError};
use crate::requests::Intake;
use crate::staff::{Invite, SESSION_KEY, SignIn, actor, passwords};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/sign-in", post(sign_in))
        .route("/staff/sign-out", post(sign_out))
        .route("/staff/sign-out-everywhere", post(sign_out_everywhere))
        .route("/staff/welcome/{token}", post(welcome))
        .route("/staff/bulk", post(bulk))
        .route("/staff/requests/{reference}/assign", post(assign))
        .route("/staff/requests/{reference}/note", post(note))
        .route("/staff/requests/{reference}/message", post(message))
        .route("/staff/requests/{reference}/step", post(step))
        .route("/staff/requests/{reference}/extend", post(extend))
        .route("/staff/new/opt-out", post(enter::<OptOutForm>))
        .route("/staff/new/amendment", post(enter::<AmendmentForm>))
        .route("/staff/new/complaint", post(enter::<ComplaintForm>))
        .route("/staff/people", post(invite))
        .route("/staff/people/{id}/role", post(set_role))
        .route("/staff/people/{id}/disable", post(disable))
        .route("/staff/people/{id}/enable", post(enable))
        .route("/staff/mail/{id}/retry", post(retry_letter))
        .route("/staff/tokens", post(issue_token))
        .route("/staff/tokens/{id}/revoke", post(revoke_token))
}

/// A submitted staff form: its fields in order, repeated names kept.
struct Fields(Vec<(String, String)>);

impl Fields {
    fn read(body: &Bytes) -> Result<Self, HttpError> {
        serde_urlencoded::from_bytes(body)
            .map(Self)
            .map_err(|e| HttpError::UnreadableForm { status: StatusCode::BAD_REQUEST, detail: e.to_string() })
    }

    fn get(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone())
    }

    fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.0.iter().filter(move |(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default()
    }

    /// What goes back to the page when the change is refused. Secrets and
    /// passwords never do.
    fn feedback(&self, form: &str, message: impl Into<String>) -> StaffFeedback {
        let values: BTreeMap<String, String> = self
            .0
            .iter()
            .filter(|(key, _)| !matches!(key.as_str(), "csrf" | "password" | "confirm"))
            .cloned()
            .collect();
        StaffFeedback { form: form.to_owned(), message: message.into(), values }
    }
}

/// The signed-in viewer, allowed to take `action`, who sent this form from
/// a page of ours (its token matches their session's).
fn admit(viewer: Option<Extension<Viewer>>, action: Action, fields: &Fields) -> Result<Viewer, HttpError> {
    let Some(Extension(viewer)) = viewer else {
        return Err(HttpError::Forged);
    };
    require(Some(&viewer), action).map_err(|_| HttpError::Forbidden)?;
    if fields.get("csrf").as_deref() != Some(viewer.csrf.as_str()) {
        return Err(HttpError::Forged);
    }
    Ok(viewer)
}

/// The page at `path` rendered again with feedback, and a status saying why.
async fn refused(
    state: &AppState,
    mut parts: Parts,
    path: &str,
    status: StatusCode,
    feedback: StaffFeedback,
) -> Response {
    parts.uri = path.parse().unwrap_or_else(|_| Uri::from_static("/staff"));
    let mut page = pages::render_with(state, parts, move || leptos::prelude::provide_context(feedback.clone())).await;
    *page.status_mut() = status;
    page
}

fn reference_of(raw: &str) -> Option<ReferenceCode> {
    ReferenceCode::parse(raw).ok()
}

/// Where to go after signing in: only somewhere on the staff side of this
/// site, never another site named in a crafted link.
fn safe_next(next: Option<String>) -> String {
    match next {
        Some(next)
            if (next == "/staff" || next.starts_with("/staff/") || next.starts_with("/staff?"))
                && !next.contains("//")
                && !next.contains('\\') =>
        {
            next
        }
        _ => "/staff".to_owned(),
    }
}

async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    address: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    parts: Parts,
    body: Bytes,
) -> Result<Response, HttpError> {
    let fields = Fields::read(&body)?;
    let address = address.map(|Extension(ConnectInfo(a))| a.ip().to_string()).unwrap_or_else(|| "unknown".into());
    let outcome = state.staff.sign_in(&fields.text("email"), fields.text("password"), &address).await?;
    let (status, message) = match outcome {
        SignIn::Welcome(staff) => {
            // A new session id at sign-in: an id planted before it is worthless.
            session.cycle_id().await?;
            session.insert(SESSION_KEY, staff).await?;
            return Ok(Redirect::to(&safe_next(fields.get("next"))).into_response());
        }
        SignIn::Refused => {
            (StatusCode::UNAUTHORIZED, "That email address and password do not match an active account.".to_owned())
        }
        SignIn::Paused { minutes } => (
            StatusCode::TOO_MANY_REQUESTS,
            format!("Too many unsuccessful attempts. For your security, please wait {minutes} minutes and try again."),
        ),
    };
    Ok(refused(&state, parts, "/staff/sign-in", status, fields.feedback("sign_in", message)).await)
}

async fn sign_out(viewer: Option<Extension<Viewer>>, session: Session, body: Bytes) -> Result<Redirect, HttpError> {
    let fields = Fields::read(&body)?;
    if let Some(Extension(viewer)) = &viewer
        && fields.get("csrf").as_deref() != Some(viewer.csrf.as_str())
    {
        return Err(HttpError::Forged);
    }
    session.flush().await?;
    Ok(Redirect::to("/staff/sign-in?signed_out=1"))
}

async fn sign_out_everywhere(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    session: Session,
    body: Bytes,
) -> Result<Redirect, HttpError> {
    let fields = Fields::read(&body)?;
    let Some(Extension(viewer)) = viewer else {
        return Ok(Redirect::to("/staff/sign-in?signed_out=1"));
    };
    if fields.get("csrf").as_deref() != Some(viewer.csrf.as_str()) {
        return Err(HttpError::Forged);
    }
    state.staff.sign_out_everywhere(&viewer).await?;
    session.flush().await?;
    Ok(Redirect::to("/staff/sign-in?signed_out=1"))
}

async fn welcome(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: Parts,
    body: Bytes,
) -> Result<Response, HttpError> {
    let fields = Fields::read(&body)?;
    let page = format!("/staff/welcome/{}", super::intake::echoable(&token));
    let password = fields.text("password");
    let problem = if password != fields.text("confirm") {
        Some("The two passwords are not the same.".to_owned())
    } else {
        passwords::weakness(&password)
    };
    if let Some(problem) = problem {
        return Ok(refused(
            &state,
            parts,
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            fields.feedback("welcome", problem),
        )
        .await);
    }
    if state.staff.accept_invite(&token, password).await? {
        Ok(Redirect::to("/staff/sign-in?welcome=1").into_response())
    } else {
        Ok(Redirect::to(&format!("{page}?result=invalid")).into_response())
    }
}

/// The case page's address, and a change's outcome as the page shows it.
async fn case_change(
    state: &AppState,
    parts: Parts,
    reference: &ReferenceCode,
    form: &str,
    fields: &Fields,
    done: &str,
    result: Result<(), CaseError>,
) -> Result<Response, HttpError> {
    let page = format!("/staff/requests/{reference}");
    let (status, message) = match result {
        Ok(()) => return Ok(Redirect::to(&format!("{page}?done={done}")).into_response()),
        Err(CaseError::NotFound) => return Err(HttpError::Forbidden),
        Err(CaseError::Conflict) => (
            StatusCode::CONFLICT,
            "Someone else changed this request while you were working on it, so your change was not saved. \
             The page now shows the request as it is; check it and try again."
                .to_owned(),
        ),
        Err(error @ (CaseError::Step(_) | CaseError::Extension(_) | CaseError::Invalid(_))) => {
            (StatusCode::UNPROCESSABLE_ENTITY, error.to_string())
        }
        Err(error) => return Err(HttpError::Case(error)),
    };
    Ok(refused(state, parts, &page, status, fields.feedback(form, message)).await)
}

fn version_of(fields: &Fields) -> Result<i64, CaseError> {
    fields.text("version").parse().map_err(|_| CaseError::Conflict)
}

async fn assign(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path(raw): Path<String>,
    parts: Parts,
    body: Bytes,
) -> Result<Response, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::WorkCase, &fields)?;
    let Some(reference) = reference_of(&raw) else { return Err(HttpError::Forbidden) };
    let to = match fields.text("assignee").as_str() {
        "me" => Assignee::Staff(viewer.id),
        "none" => Assignee::Nobody,
        other => match other.parse::<i64>() {
            Ok(id) if id == viewer.id => Assignee::Staff(id),
            Ok(id) => {
                require(Some(&viewer), Action::AssignToOthers).map_err(|_| HttpError::Forbidden)?;
                Assignee::Staff(id)
            }
            Err(_) => Assignee::Nobody,
        },
    };
    let result = match version_of(&fields) {
        Ok(version) => state.desk.assign(&viewer, &reference, version, to).await,
        Err(e) => Err(e),
    };
    case_change(&state, parts, &reference, "assign", &fields, "assigned", result).await
}

async fn note(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path(raw): Path<String>,
    parts: Parts,
    body: Bytes,
) -> Result<Response, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::WorkCase, &fields)?;
    let Some(reference) = reference_of(&raw) else { return Err(HttpError::Forbidden) };
    let result = state.desk.note(&viewer, &reference, &fields.text("body")).await;
    case_change(&state, parts, &reference, "note", &fields, "note", result).await
}

async fn message(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path(raw): Path<String>,
    parts: Parts,
    body: Bytes,
) -> Result<Response, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::WorkCase, &fields)?;
    let Some(reference) = reference_of(&raw) else { return Err(HttpError::Forbidden) };
    let result = state.desk.message(&viewer, &reference, &fields.text("body")).await;
    case_change(&state, parts, &reference, "message", &fields, "message", result).await
}

async fn step(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path(raw): Path<String>,
    parts: Parts,
    body: Bytes,
) -> Result<Response, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::WorkCase, &fields)?;
    let Some(reference) = reference_of(&raw) else { return Err(HttpError::Forbidden) };
    let result = async {
        let version = version_of(&fields)?;
        let kind = state.desk.kind_of(&reference).await?;
        let step = step_from_form(kind, |name| fields.get(name))?;
        state.desk.step(&viewer, &reference, version, &step).await.map(|_| ())
    }
    .await;
    case_change(&state, parts, &reference, "step", &fields, "status", result).await
}

async fn extend(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path(raw): Path<String>,
    parts: Parts,
    body: Bytes,
) -> Result<Response, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::WorkCase, &fields)?;
    let Some(reference) = reference_of(&raw) else { return Err(HttpError::Forbidden) };
    let result = match version_of(&fields) {
        Ok(version) => state.desk.extend(&viewer, &reference, version, &fields.text("reason")).await,
        Err(e) => Err(e),
    };
    case_change(&state, parts, &reference, "extend", &fields, "extended", result).await
}

/// Several queue rows at once. Each row carries the version it was shown
/// at; rows changed since are skipped and counted, never overwritten.
async fn bulk(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    body: Bytes,
) -> Result<Response, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::WorkCase, &fields)?;
    let action = fields.text("bulk_action");
    let mut done = 0;
    let mut skipped = 0;
    for selected in fields.all("selected") {
        let Some((reference, version)) = selected.rsplit_once(':') else { continue };
        let (Some(reference), Ok(version)) = (reference_of(reference), version.parse::<i64>()) else { continue };
        let result = match action.as_str() {
            "assign_me" => state.desk.assign(&viewer, &reference, version, Assignee::Staff(viewer.id)).await,
            "unassign" => state.desk.assign(&viewer, &reference, version, Assignee::Nobody).await,
            "start_work" => {
                state.desk.step(&viewer, &reference, version, &app::domain::workflow::Step::StartWork).await.map(|_| ())
            }
            "resume" => {
                state.desk.step(&viewer, &reference, version, &app::domain::workflow::Step::Resume).await.map(|_| ())
            }
            other => match other.strip_prefix("assign:").and_then(|id| id.parse::<i64>().ok()) {
                Some(id) => {
                    if id != viewer.id {
                        require(Some(&viewer), Action::AssignToOthers).map_err(|_| HttpError::Forbidden)?;
                    }
                    state.desk.assign(&viewer, &reference, version, Assignee::Staff(id)).await
                }
                None => Err(CaseError::Invalid("Choose an action.")),
            },
        };
        match result {
            Ok(()) => done += 1,
            Err(CaseError::Conflict | CaseError::Step(_) | CaseError::NotFound | CaseError::Invalid(_)) => skipped += 1,
            Err(error) => return Err(HttpError::Case(error)),
        }
    }
    let back = fields.text("return_to");
    let back = back.trim_start_matches('?');
    let query = app::domain::queue::QueueQuery::from_query_string(back).to_query_string();
    let separator = if query.is_empty() { "" } else { "&" };
    Ok(Redirect::to(&format!("/staff?{query}{separator}done=bulk&changed={done}&skipped={skipped}")).into_response())
}

/// A request received by phone or mail, entered by staff for the customer.
async fn enter<F: RequestForm>(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    parts: Parts,
    body: Bytes,
) -> Result<Response, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::EnterRequest, &fields)?;
    let values: F = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let clocks = &state.clocks;
    let today = clocks.today();
    let channel = Channel::parse(&fields.text("channel")).filter(|c| *c != Channel::Web);
    let received_on = fields.text("received_on").parse::<chrono::NaiveDate>().ok();
    let intake_problem = match (channel, received_on) {
        (None, _) => Some("Choose whether the request came by phone or by mail."),
        (_, None) => Some("Give the date the request was received."),
        (_, Some(day)) if day > today => Some("The date received cannot be in the future."),
        (_, Some(day)) if day < today - chrono::Days::new(366) => {
            Some("The date received must be within the last year.")
        }
        _ => None,
    };
    let parsed = values.parse(&ParseContext { today, gpc: false });
    let page = parts.uri.path().to_owned();
    match (parsed, intake_problem, channel, received_on) {
        (Ok(request), None, Some(channel), Some(day)) => {
            // The start of business that day: the clock counts from the day itself.
            let opening = day.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
            let received_at = clocks
                .time_zone()
                .from_local_datetime(&opening)
                .earliest()
                .map_or_else(|| Utc.from_utc_datetime(&opening), |local| local.with_timezone(&Utc));
            let intake = Intake { channel, received_at, entered_by: Some(actor(&viewer)) };
            let receipt = state.store.submit(&request, &intake).await?;
            Ok(Redirect::to(&format!("/staff/requests/{}?done=entered", receipt.reference)).into_response())
        }
        (parsed, problem, ..) => {
            let form = FormState { values, errors: parsed.err().unwrap_or_default() };
            let feedback = fields.feedback("intake", problem.unwrap_or("Please correct the answers marked below."));
            let mut page = {
                let mut parts = parts;
                parts.uri = page.parse().unwrap_or_else(|_| Uri::from_static("/staff/new"));
                pages::render_with(&state, parts, move || {
                    leptos::prelude::provide_context(form.clone());
                    leptos::prelude::provide_context(feedback.clone());
                })
                .await
            };
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
    }
}

async fn invite(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    parts: Parts,
    body: Bytes,
) -> Result<Response, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::ManageStaff, &fields)?;
    let (name, email) = (fields.text("name"), fields.text("email"));
    let role = Role::parse(&fields.text("role"));
    let problem = if name.trim().is_empty() {
        Some("Give the person's name.")
    } else if !validator::ValidateEmail::validate_email(&email.trim()) {
        Some("Give an email address like name@example.com.")
    } else if role.is_none() {
        Some("Choose a role.")
    } else {
        None
    };
    if let (None, Some(role)) = (problem, role) {
        return Ok(match state.staff.invite(&viewer, &name, &email, role).await? {
            Invite::Sent => Redirect::to("/staff/people?done=invited").into_response(),
            Invite::AlreadyExists => {
                let feedback = fields.feedback("invite", "That email address already has an account.");
                refused(&state, parts, "/staff/people", StatusCode::CONFLICT, feedback).await
            }
        });
    }
    let feedback = fields.feedback("invite", problem.unwrap_or_default());
    Ok(refused(&state, parts, "/staff/people", StatusCode::UNPROCESSABLE_ENTITY, feedback).await)
}

async fn set_role(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::ManageStaff, &fields)?;
    let Some(role) = Role::parse(&fields.text("role")) else {
        return Ok(Redirect::to("/staff/people"));
    };
    state.staff.set_role(&viewer, id, role).await?;
    Ok(Redirect::to("/staff/people?done=role"))
}

async fn disable(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::ManageStaff, &fields)?;
    // Locking oneself out would leave nobody to undo it.
    if id != viewer.id {
        state.staff.set_active(&viewer, id, false).await?;
    }
    Ok(Redirect::to("/staff/people?done=disabled"))
}

async fn enable(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::ManageStaff, &fields)?;
    state.staff.set_active(&viewer, id, true).await?;
    Ok(Redirect::to("/staff/people?done=enabled"))
}

async fn retry_letter(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::ManageMail, &fields)?;
    state.desk.retry_letter(&viewer, id).await.map_err(HttpError::Case)?;
    let back = fields.text("return_to");
    let back = if back.starts_with("/staff/") && !back.contains("//") { back } else { "/staff/mail".to_owned() };
    Ok(Redirect::to(&format!("{back}?done=retried")))
}

/// Issues an API token. The page comes back with the token on it, once:
/// it never goes into an address, a log or the database.
async fn issue_token(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    parts: Parts,
    body: Bytes,
) -> Result<Response, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::ManageApiTokens, &fields)?;
    let name = fields.text("name");
    if name.trim().is_empty() {
        let feedback = fields.feedback("token", "Say what the token is for, such as the system that will use it.");
        return Ok(refused(&state, parts, "/staff/tokens", StatusCode::UNPROCESSABLE_ENTITY, feedback).await);
    }
    let issued = state
        .api_tokens
        .issue(&actor(&viewer), &fields.text("email"), &name)
        .await
        .map_err(crate::requests::StoreError::from)?;
    let Some(token) = issued else {
        let feedback = fields.feedback("token", "Choose an active staff member.");
        return Ok(refused(&state, parts, "/staff/tokens", StatusCode::UNPROCESSABLE_ENTITY, feedback).await);
    };
    let shown = app::domain::case::IssuedToken(token);
    let mut parts = parts;
    parts.uri = Uri::from_static("/staff/tokens");
    let mut page = pages::render_with(&state, parts, move || leptos::prelude::provide_context(shown.clone())).await;
    page.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(page)
}

async fn revoke_token(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Redirect, HttpError> {
    let fields = Fields::read(&body)?;
    let viewer = admit(viewer, Action::ManageApiTokens, &fields)?;
    state.api_tokens.revoke(&actor(&viewer), id).await.map_err(crate::requests::StoreError::from)?;
    Ok(Redirect::to("/staff/tokens?done=revoked"))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn sign_in_never_sends_anyone_off_site() {
        assert_eq!(safe_next(Some("/staff/requests/PR-7K4M-9QXR".into())), "/staff/requests/PR-7K4M-9QXR");
        assert_eq!(safe_next(Some("/staff?status=all".into())), "/staff?status=all");
        for hostile in ["https://evil.example", "//evil.example", "/staff//evil", "/\\evil", "/track/x"] {
            assert_eq!(safe_next(Some(hostile.into())), "/staff", "{hostile}");
        }
    }
}
