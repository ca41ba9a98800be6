//! Supporting documents sent from the tracking page, apart from the other
//! tracking forms because the files are read as they stream in.

use app::domain::access::{Action, Actor, permits};
use app::domain::documents::{DOCUMENTS_FIELD, DocumentsRefusal, Refused};
use app::domain::tracking;
use app::domain::workflow::CustomerAction;
use app::text::tracking as told;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::{echoable, in_language, until_tomorrow};
use crate::cases::CaseError;
use crate::documents::{self, Upload};
use crate::http::limits::SubmissionSlot;
use crate::http::{AppState, HttpError, language, pages};
use crate::register::RevocationLink;

/// Supporting documents from the tracking page: a plain multipart form. The
/// body is read file by file and counted against the limits as it comes, so
/// an oversized sending is refused without being held in memory. Refused,
/// it comes back on the tracking page with why beside the field.
pub(super) async fn send_documents(
    State(state): State<AppState>,
    _: SubmissionSlot,
    Path(token): Path<String>,
    request: Request<Body>,
) -> Result<Response, HttpError> {
    if !permits(Actor::Customer, Action::SendDocumentsToOwnRequest) {
        return Err(HttpError::Forbidden);
    }
    let token = echoable(&token).to_owned();
    let page = format!("/track/{token}");
    let (parts, body) = request.into_parts();
    let lang = language::chosen(&parts.headers);
    let Some((tracked, issued)) = state.store.tracked_link(&token).await? else {
        return Ok(Redirect::to(&page).into_response());
    };
    let refuse = |status, message: String| {
        let refusal = DocumentsRefusal { message };
        refuse_documents(&state, parts.clone(), &page, status, refusal)
    };
    let refused = |why: Refused| why.message(lang);
    let limits = state.documents;
    let held = state.desk.documents_held(&tracked).await.map_err(HttpError::Case)?;
    let unreadable = |status, detail| HttpError::UnreadableForm { status, detail };
    let mut multipart = Multipart::from_request(Request::from_parts(parts.clone(), body), &state)
        .await
        .map_err(|rejection| unreadable(rejection.status(), rejection.body_text()))?;
    let mut uploads = Vec::new();
    let mut read = 0_u64;
    while let Some(mut field) =
        multipart.next_field().await.map_err(|error| unreadable(error.status(), error.body_text()))?
    {
        if field.name() != Some(DOCUMENTS_FIELD) {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|error| unreadable(error.status(), error.body_text()))? {
            read += chunk.len() as u64;
            bytes.extend_from_slice(&chunk);
            if let Some(why) = limits.over(&name, bytes.len() as u64, held.bytes + read) {
                return Ok(refuse(StatusCode::PAYLOAD_TOO_LARGE, refused(why)).await);
            }
        }
        // A form sent with no file chosen still carries one empty part.
        if !(name.is_empty() && bytes.is_empty()) {
            uploads.push(Upload { name, bytes });
        }
    }
    let accepted = match documents::accept(uploads, held, &limits) {
        Ok(accepted) => accepted,
        Err(why) => return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, refused(why)).await),
    };
    // Through an old link the files are kept, sealed and unseen, until
    // the customer follows the confirmation link mailed to them.
    let taken = if tracking::needs_fresh_link(issued, Utc::now(), state.fresh_link_age) {
        let until = Utc::now() + state.register.link_ttl();
        match state.desk.hold_documents(&tracked, accepted, until).await {
            Ok(held) => match hold_documents(&state, &tracked, held).await? {
                Ok(answer) => return Ok(Redirect::to(&format!("{page}?confirm={answer}")).into_response()),
                Err(why) => return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, refused(why)).await),
            },
            Err(error) => Err(error),
        }
    } else {
        state.desk.customer_documents(&tracked, accepted).await
    };
    match taken {
        Ok(()) => Ok(Redirect::to(&format!("{page}?documents=sent#documents")).into_response()),
        Err(CaseError::Invalid(reason)) => {
            let reason = in_language(lang, reason, told::documents_not_open);
            Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, reason.to_owned()).await)
        }
        Err(error) => Err(HttpError::Case(error)),
    }
}

/// Documents held for confirmation: the link that releases them, and any
/// held before it, is mailed. When none can go (one went moments ago, or
/// the customer is answered by post), nothing new is kept and the page
/// says why; `Ok(Ok(answer))` is the page's confirmation notice.
async fn hold_documents(
    state: &AppState,
    tracked: &crate::db::entities::request::Model,
    held: Vec<String>,
) -> Result<Result<&'static str, Refused>, HttpError> {
    let waiting = state.desk.held_documents(tracked).await.map_err(HttpError::Case)?;
    let action = CustomerAction::SendDocuments { held: waiting };
    let sent = state.register.ask_to_confirm(tracked, &action).await;
    if !matches!(sent, Ok(RevocationLink::Sent)) {
        state.desk.drop_held_documents(tracked, &held).await.map_err(HttpError::Case)?;
    }
    Ok(match sent? {
        RevocationLink::Sent => Ok("sent"),
        RevocationLink::TooSoon => Err(Refused::HeldTooSoon),
        RevocationLink::NotApplicable => Err(Refused::HeldByPost),
        RevocationLink::AllowanceUsed => return Err(HttpError::limited(&state.site, until_tomorrow())),
    })
}

/// The tracking page again, with why the documents were refused.
async fn refuse_documents(
    state: &AppState,
    parts: axum::http::request::Parts,
    page: &str,
    status: StatusCode,
    refusal: DocumentsRefusal,
) -> Response {
    let mut answer =
        pages::render_at(state, parts, page, move || leptos::prelude::provide_context(refusal.clone())).await;
    *answer.status_mut() = status;
    answer
}
