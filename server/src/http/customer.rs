//! Customer forms arrive here as plain HTML form posts, with or without
//! JavaScript. Valid ones are stored and answered with a redirect to the
//! request's private tracking page; invalid ones get their own page back
//! with every value kept and every error beside its field.

use app::domain::access::{Action, Actor, permits};
use app::domain::form::{
    AmendmentForm, AppealForm, ComplaintForm, DisagreementForm, GROUNDS_FIELD, LinkRequestForm, OptOutForm,
    REPLY_FIELD, ReplyForm, STATEMENT_FIELD, WITHDRAW_FIELD, WithdrawForm,
};
use app::domain::workflow::CustomerAction;
use app::domain::{FormState, Language, ParseContext, RequestForm, gpc, tracking};
use app::text::tracking as told;
use axum::body::Body;
use axum::extract::{Form, FromRequest, FromRequestParts, Path, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::limits::SubmissionSlot;
use super::routes::Routes;
use super::{AppState, HttpError, pages};
use crate::cases::CaseError;
use crate::register::{Confirmed, Revocation, RevocationLink};
use crate::requests::{Intake, Resend, StoreError, Verification};

mod uploads;

pub fn routes() -> Routes {
    Routes::new()
        .post("/opt-out", submit::<OptOutForm>)
        .post("/amendment", submit::<AmendmentForm>)
        .post("/complaint", submit::<ComplaintForm>)
        .post("/verify/{token}", verify)
        .post("/track/{token}/resend", resend_verification)
        .post("/track/{token}/revoke-opt-out", ask_to_revoke)
        .post("/track/{token}/reply", reply)
        .post("/track/{token}/withdraw", withdraw)
        .post("/track/{token}/disagree", disagree)
        .post("/track/{token}/appeal", appeal)
        .post("/track/{token}/denial-with-disclosures", denial_with_disclosures)
        .post_counted("/track/{token}/documents", uploads::send_documents)
        .post("/confirm/{token}", confirm_action)
        .post("/revoke/{token}", confirm_revocation)
        .post(app::pages::LINK_AGAIN, send_link_again)
}

/// A secret from the path, fit to be written back into a Location header;
/// anything that cannot be one of our tokens becomes a harmless stand-in.
pub(super) fn echoable(token: &str) -> &str {
    if !token.is_empty()
        && token.len() <= 64
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        token
    } else {
        "invalid"
    }
}

async fn verify(State(state): State<AppState>, Path(token): Path<String>) -> Result<Redirect, HttpError> {
    let token = echoable(&token);
    let result = match state.store.verify(token).await? {
        Verification::Confirmed => "ok",
        Verification::Expired => "expired",
        Verification::Unknown => "unknown",
    };
    Ok(Redirect::to(&format!("/verify/{token}?result={result}")))
}

/// Asked for from the tracking page, by whoever holds its link.
async fn resend_verification(
    State(state): State<AppState>,
    _: SubmissionSlot,
    Path(token): Path<String>,
) -> Result<Redirect, HttpError> {
    if !permits(Actor::Customer, Action::ResendVerification) {
        return Err(HttpError::Forbidden);
    }
    let token = echoable(&token);
    let page = format!("/track/{token}");
    Ok(Redirect::to(&match state.store.resend_verification(token).await? {
        Resend::Sent => format!("{page}?resend=sent"),
        Resend::TooSoon => format!("{page}?resend=wait"),
        Resend::NotApplicable => page,
        Resend::AllowanceUsed => return Err(HttpError::limited(&state.site, until_tomorrow())),
    }))
}

/// Asked for from the tracking page of an applied opt-out: a letter to the
/// address on file asks the customer to confirm.
async fn ask_to_revoke(
    State(state): State<AppState>,
    _: SubmissionSlot,
    Path(token): Path<String>,
) -> Result<Redirect, HttpError> {
    if !permits(Actor::Customer, Action::RevokeOwnOptOut) {
        return Err(HttpError::Forbidden);
    }
    let token = echoable(&token);
    let page = format!("/track/{token}");
    let Some(request) = state.store.tracked_row(token).await? else { return Ok(Redirect::to(&page)) };
    Ok(Redirect::to(&match state.register.ask_to_revoke(&request).await? {
        RevocationLink::Sent => format!("{page}?revoke=sent"),
        RevocationLink::TooSoon => format!("{page}?revoke=wait"),
        RevocationLink::NotApplicable => page,
        RevocationLink::AllowanceUsed => return Err(HttpError::limited(&state.site, until_tomorrow())),
    }))
}

/// The button on the page the emailed link opens: only this revokes.
async fn confirm_revocation(State(state): State<AppState>, Path(token): Path<String>) -> Result<Redirect, HttpError> {
    let token = echoable(&token);
    let result = match state.register.confirm_revocation(token).await? {
        Revocation::Revoked => "ok",
        Revocation::Expired => "expired",
        Revocation::Unknown => "unknown",
    };
    Ok(Redirect::to(&format!("/revoke/{token}?result={result}")))
}

/// A form posted from a tracking page: the request its link opens and when
/// that link was issued, the page to answer on, and the form as typed. A
/// link that opens nothing is sent back to its page, which says so.
struct TrackedForm<F> {
    page: String,
    /// The language the customer reads the page in, for its refusals.
    lang: Language,
    parts: axum::http::request::Parts,
    values: F,
    tracked: crate::db::entities::request::Model,
    issued: chrono::DateTime<Utc>,
}

impl<F: serde::de::DeserializeOwned + Send> FromRequest<AppState> for TrackedForm<F> {
    type Rejection = Response;

    async fn from_request(request: Request<Body>, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let Path(token) =
            Path::<String>::from_request_parts(&mut parts, state).await.map_err(IntoResponse::into_response)?;
        let page = format!("/track/{}", echoable(&token));
        let lang = super::language::chosen(&parts.headers);
        let values = read_form(state, &parts, body).await.map_err(IntoResponse::into_response)?;
        match state.store.tracked_link(echoable(&token)).await {
            Ok(Some((tracked, issued))) => Ok(Self { page, lang, parts, values, tracked, issued }),
            Ok(None) => Err(Redirect::to(&page).into_response()),
            Err(error) => Err(HttpError::from(error).into_response()),
        }
    }
}

impl<F> TrackedForm<F> {
    /// Whether the link is too old to act by itself (see `FRESH_LINK_AGE`).
    fn stale(&self, state: &AppState) -> bool {
        tracking::needs_fresh_link(self.issued, Utc::now(), state.fresh_link_age)
    }
}

/// The case desk gives its reasons in English. A customer reading another
/// language is told, in theirs, the reason a step is refused when the
/// request has moved on, which is what the desk refuses a customer's
/// step for.
fn in_language(lang: Language, reason: &'static str, moved_on: fn(Language) -> &'static str) -> &'static str {
    if lang == Language::En { reason } else { moved_on(lang) }
}

/// The customer's reply from the tracking page. A reply that cannot be
/// taken comes back on the tracking page with what was typed and the
/// reason beside the field, JavaScript or not.
async fn reply(
    State(state): State<AppState>,
    _: SubmissionSlot,
    form: TrackedForm<ReplyForm>,
) -> Result<Response, HttpError> {
    if !permits(Actor::Customer, Action::ReplyToOwnRequest) {
        return Err(HttpError::Forbidden);
    }
    let lang = form.lang;
    let refused = match form.values.parse(lang) {
        Ok(message) if form.stale(&state) => {
            return ask_to_confirm(&state, &form.tracked, &form.page, CustomerAction::Reply { message }).await;
        }
        Ok(message) => match state.desk.customer_reply(&form.tracked, &message).await {
            Ok(_) => return Ok(Redirect::to(&format!("{}?reply=sent#reply", form.page)).into_response()),
            Err(CaseError::Invalid(reason)) => in_language(lang, reason, told::reply_not_open),
            // A staff change landed between reading and writing: nothing
            // was written, and sending again is safe.
            Err(CaseError::Conflict) => told::reply_changed(lang),
            Err(error) => return Err(HttpError::Case(error)),
        },
        Err(errors) => return Ok(form.refused(&state, errors).await),
    };
    Ok(form.refused_at(&state, REPLY_FIELD, refused).await)
}

/// Withdrawing the request from the tracking page, with an optional
/// reason; refused, it comes back like a refused reply.
async fn withdraw(
    State(state): State<AppState>,
    _: SubmissionSlot,
    form: TrackedForm<WithdrawForm>,
) -> Result<Response, HttpError> {
    if !permits(Actor::Customer, Action::WithdrawOwnRequest) {
        return Err(HttpError::Forbidden);
    }
    let lang = form.lang;
    let refused = match form.values.parse(lang) {
        Ok(reason) if form.stale(&state) => {
            return ask_to_confirm(&state, &form.tracked, &form.page, CustomerAction::Withdraw { reason }).await;
        }
        Ok(reason) => match state.desk.customer_withdraw(&form.tracked, reason.as_deref()).await {
            Ok(_) => return Ok(Redirect::to(&format!("{}?withdrawn=1", form.page)).into_response()),
            Err(CaseError::Invalid(reason)) => in_language(lang, reason, told::withdraw_not_open),
            Err(CaseError::Conflict) => told::withdraw_changed(lang),
            Err(error) => return Err(HttpError::Case(error)),
        },
        Err(errors) => return Ok(form.refused(&state, errors).await),
    };
    Ok(form.refused_at(&state, WITHDRAW_FIELD, refused).await)
}

/// A statement of disagreement with a denial, within the word limit of the
/// rules in force; refused, it comes back like a refused reply, every word
/// kept.
async fn disagree(
    State(state): State<AppState>,
    _: SubmissionSlot,
    form: TrackedForm<DisagreementForm>,
) -> Result<Response, HttpError> {
    if !permits(Actor::Customer, Action::DisagreeWithOwnDenial) {
        return Err(HttpError::Forbidden);
    }
    let limit = state.clocks.rules().statement_limit();
    let lang = form.lang;
    let refused = match form.values.parse(limit.as_ref(), lang) {
        Ok(statement) if form.stale(&state) => {
            let action = CustomerAction::StateDisagreement { statement };
            return ask_to_confirm(&state, &form.tracked, &form.page, action).await;
        }
        Ok(statement) => match state.desk.customer_disagree(&form.tracked, &statement).await {
            Ok(()) => return Ok(Redirect::to(&format!("{}?statement=sent#disagreement", form.page)).into_response()),
            Err(CaseError::Invalid(reason)) => in_language(lang, reason, told::disagreement_not_open),
            Err(CaseError::Conflict) => told::disagreement_changed(lang),
            Err(error) => return Err(HttpError::Case(error)),
        },
        Err(errors) => return Ok(form.refused(&state, errors).await),
    };
    Ok(form.refused_at(&state, STATEMENT_FIELD, refused).await)
}

/// The appeal of a refusal: a request of its own, whose receipt page the
/// customer lands on, as after any form; refused, it comes back like a
/// refused reply, every word kept.
async fn appeal(
    State(state): State<AppState>,
    _: SubmissionSlot,
    form: TrackedForm<AppealForm>,
) -> Result<Response, HttpError> {
    if !permits(Actor::Customer, Action::AppealOwnRefusal) {
        return Err(HttpError::Forbidden);
    }
    let offered: Vec<_> = state.clocks.rules().attorneys_general().iter().map(|office| office.regime).collect();
    let lang = form.lang;
    let refused = match form.values.parse(&offered, lang) {
        Ok((law, grounds)) if form.stale(&state) => {
            let action = CustomerAction::Appeal { state: law, grounds };
            return ask_to_confirm(&state, &form.tracked, &form.page, action).await;
        }
        Ok((law, grounds)) => match state.store.appeal(&form.tracked, law, &grounds).await {
            Ok(receipt) => {
                tracing::info!(reference = %receipt.reference, "appeal received");
                return Ok(Redirect::to(&format!("/track/{}?new=1", receipt.token.expose())).into_response());
            }
            Err(StoreError::NotAppealable) => told::appeal_not_appealable(lang),
            Err(StoreError::OverAllowance) => return Err(HttpError::limited(&state.site, until_tomorrow())),
            Err(error) => return Err(error.into()),
        },
        Err(errors) => return Ok(form.refused(&state, errors).await),
    };
    Ok(form.refused_at(&state, GROUNDS_FIELD, refused).await)
}

/// Instead of a statement: the request and the denial are to go with any
/// future disclosure. A button with nothing typed, so a refusal (the
/// request moved on) is told on the page by its address.
async fn denial_with_disclosures(
    State(state): State<AppState>,
    _: SubmissionSlot,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    if !permits(Actor::Customer, Action::DisagreeWithOwnDenial) {
        return Err(HttpError::Forbidden);
    }
    let token = echoable(&token).to_owned();
    let page = format!("/track/{token}");
    let Some((tracked, issued)) = state.store.tracked_link(&token).await? else {
        return Ok(Redirect::to(&page).into_response());
    };
    if tracking::needs_fresh_link(issued, Utc::now(), state.fresh_link_age) {
        return ask_to_confirm(&state, &tracked, &page, CustomerAction::AskDenialWithDisclosures).await;
    }
    let answer = match state.desk.customer_wants_denial_disclosed(&tracked).await {
        Ok(()) => "recorded",
        Err(CaseError::Invalid(_) | CaseError::Conflict) => "refused",
        Err(error) => return Err(HttpError::Case(error)),
    };
    Ok(Redirect::to(&format!("{page}?disclosures={answer}#disagreement")).into_response())
}

/// An action through a tracking link too old to act by itself waits for
/// the customer to follow a fresh link mailed to the address on file.
async fn ask_to_confirm(
    state: &AppState,
    tracked: &crate::db::entities::request::Model,
    page: &str,
    action: CustomerAction,
) -> Result<Response, HttpError> {
    let answer = match state.register.ask_to_confirm(tracked, &action).await? {
        RevocationLink::Sent => "sent",
        RevocationLink::TooSoon => "wait",
        RevocationLink::NotApplicable => "",
        RevocationLink::AllowanceUsed => return Err(HttpError::limited(&state.site, until_tomorrow())),
    };
    Ok(Redirect::to(&format!("{page}?confirm={answer}")).into_response())
}

/// The button on the page a confirmation link opens: only this acts, and
/// only through the same customer steps as a fresh tracking link.
async fn confirm_action(State(state): State<AppState>, Path(token): Path<String>) -> Result<Redirect, HttpError> {
    let token = echoable(&token);
    let result = match state.register.confirm_action(token).await? {
        Confirmed::Take(tracked, action) => {
            let permitted = match &action {
                CustomerAction::Reply { .. } => Action::ReplyToOwnRequest,
                CustomerAction::Withdraw { .. } => Action::WithdrawOwnRequest,
                CustomerAction::StateDisagreement { .. } | CustomerAction::AskDenialWithDisclosures => {
                    Action::DisagreeWithOwnDenial
                }
                CustomerAction::Appeal { .. } => Action::AppealOwnRefusal,
                CustomerAction::SendDocuments { .. } => Action::SendDocumentsToOwnRequest,
            };
            if !permits(Actor::Customer, permitted) {
                return Err(HttpError::Forbidden);
            }
            let taken = match &action {
                CustomerAction::Reply { message } => state.desk.customer_reply(&tracked, message).await.map(|_| ()),
                CustomerAction::Withdraw { reason } => {
                    state.desk.customer_withdraw(&tracked, reason.as_deref()).await.map(|_| ())
                }
                CustomerAction::StateDisagreement { statement } => {
                    state.desk.customer_disagree(&tracked, statement).await
                }
                CustomerAction::AskDenialWithDisclosures => state.desk.customer_wants_denial_disclosed(&tracked).await,
                CustomerAction::SendDocuments { held } => state.desk.release_documents(&tracked, held).await,
                CustomerAction::Appeal { state: law, grounds } => {
                    match state.store.appeal(&tracked, *law, grounds).await {
                        Ok(_) => Ok(()),
                        // Refused like any step the request moved past: the page the
                        // link opens says so in the customer's language.
                        Err(StoreError::NotAppealable) => Err(CaseError::Conflict),
                        Err(StoreError::OverAllowance) => {
                            return Err(HttpError::limited(&state.site, until_tomorrow()));
                        }
                        Err(error) => return Err(error.into()),
                    }
                }
            };
            match taken {
                Ok(_) => "ok",
                // The request moved on meanwhile (finished, say): told so.
                Err(CaseError::Invalid(_) | CaseError::Conflict) => "refused",
                Err(error) => return Err(HttpError::Case(error)),
            }
        }
        Confirmed::Expired => "expired",
        Confirmed::Unknown => "unknown",
    };
    Ok(Redirect::to(&format!("/confirm/{token}?result={result}")))
}

impl<F: Clone + Send + Sync + 'static> TrackedForm<F> {
    /// The tracking page again, with the form as typed and why it was
    /// refused beside its fields.
    async fn refused(self, state: &AppState, errors: app::domain::FieldErrors) -> Response {
        let form = FormState { values: self.values, errors };
        let mut answer =
            pages::render_at(state, self.parts, &self.page, move || leptos::prelude::provide_context(form.clone()))
                .await;
        *answer.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        answer
    }

    /// [`Self::refused`] with one reason, told beside `field`.
    async fn refused_at(self, state: &AppState, field: &str, reason: &str) -> Response {
        let mut errors = app::domain::FieldErrors::default();
        errors.insert(field, reason);
        self.refused(state, errors).await
    }
}

/// How long a used-up daily allowance lasts, at most.
fn until_tomorrow() -> std::time::Duration {
    std::time::Duration::from_secs(24 * 3600)
}

async fn submit<F: RequestForm>(
    State(state): State<AppState>,
    _: SubmissionSlot,
    request: Request<Body>,
) -> Result<Response, HttpError> {
    let (parts, body) = request.into_parts();
    let gpc = gpc::is_signal(parts.headers.get(gpc::HEADER).map(|v| v.as_bytes()));
    let language = super::language::chosen(&parts.headers);
    let values: F = read_form(&state, &parts, body).await?;
    let context = ParseContext { today: state.clocks.today(), gpc, lang: language };
    match values.parse(&context) {
        Ok(request) => {
            let receipt = match state.store.submit(&request, &Intake::web_now(language)).await {
                Ok(receipt) => receipt,
                Err(StoreError::OverAllowance) => return Err(HttpError::limited(&state.site, until_tomorrow())),
                Err(error) => return Err(error.into()),
            };
            tracing::info!(reference = %receipt.reference, kind = %F::KIND, "request received");
            Ok(Redirect::to(&format!("/track/{}?new=1", receipt.token.expose())).into_response())
        }
        Err(errors) => {
            let form = FormState { values, errors };
            let mut page =
                pages::render_with(&state, parts, move || leptos::prelude::provide_context(form.clone())).await;
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
    }
}

/// "Send me my link again": the same answer whether or not the reference
/// and the address belong together, counted against the sender's address
/// like the other public forms and against the recipient's daily letters.
async fn send_link_again(
    State(state): State<AppState>,
    _: SubmissionSlot,
    request: Request<Body>,
) -> Result<Response, HttpError> {
    if !permits(Actor::Anonymous, Action::AskForTrackingLink) {
        return Err(HttpError::Forbidden);
    }
    let (parts, body) = request.into_parts();
    let values: LinkRequestForm = read_form(&state, &parts, body).await?;
    match values.parse(super::language::current()) {
        Ok((reference, email)) => {
            state.store.send_link_again(&reference, email.as_str()).await?;
            Ok(Redirect::to(&format!("{}?sent=1", app::pages::LINK_AGAIN)).into_response())
        }
        Err(errors) => {
            let form = FormState { values, errors };
            let mut page =
                pages::render_with(&state, parts, move || leptos::prelude::provide_context(form.clone())).await;
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
    }
}

/// A posted form, read as the page's own route reads it; a body over the
/// limit is a 413, anything else unreadable a 4xx that says why.
async fn read_form<T: serde::de::DeserializeOwned>(
    state: &AppState,
    parts: &axum::http::request::Parts,
    body: Body,
) -> Result<T, HttpError> {
    let Form(values) =
        Form::<T>::from_request(Request::from_parts(parts.clone(), body), state).await.map_err(|rejection| {
            match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => HttpError::TooLarge,
                status => HttpError::UnreadableForm { status, detail: rejection.body_text() },
            }
        })?;
    Ok(values)
}
