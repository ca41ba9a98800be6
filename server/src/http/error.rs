//! The HTTP layer's errors, mapped to responses in one place. Problems with
//! what the browser sent are explained; problems on our side are logged with
//! an incident reference and shown as a calm page, or a JSON error, quoting
//! it.

use std::fmt::Display;
use std::time::Duration;

use app::domain::SiteInfo;
use app::services::ServiceError;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::requests::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("the request body is larger than allowed")]
    TooLarge,
    #[error("the form could not be read: {detail}")]
    UnreadableForm { status: StatusCode, detail: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the viewer's role does not allow this")]
    Forbidden,
    /// A form posted from another site, or with a stale anti-forgery token.
    #[error("cross-site or stale form")]
    Forged,
    #[error("staff accounts: {0}")]
    Staff(#[from] crate::staff::StaffError),
    #[error("case handling: {0}")]
    Case(crate::cases::CaseError),
    #[error("session store: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error("webhooks: {0}")]
    Webhooks(#[from] crate::webhooks::WebhookError),
    #[error(transparent)]
    Period(#[from] app::domain::metrics::PeriodError),
    #[error("opt-out register: {0}")]
    Register(#[from] crate::register::RegisterError),
    #[error("business associates: {0}")]
    Associates(sea_orm::DbErr),
    #[error("saved views: {0}")]
    SavedViews(sea_orm::DbErr),
    #[error("letter wording: {0}")]
    Letters(#[from] crate::mail::editor::EditorError),
    /// Over a limit on what the public may ask of the portal: the person is
    /// offered the phone instead.
    #[error("over a limit on public requests")]
    Limited { retry_after: Duration, privacy_phone: String, opt_out_phone: String },
}

impl HttpError {
    pub fn limited(site: &SiteInfo, retry_after: Duration) -> Self {
        Self::Limited {
            retry_after,
            privacy_phone: site.privacy_phone.clone(),
            opt_out_phone: site.opt_out_phone.clone(),
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        match self {
            Self::TooLarge => page(
                StatusCode::PAYLOAD_TOO_LARGE,
                "That was too much to send",
                "What you sent is larger than this form accepts. Please shorten your answers and try again.",
            ),
            Self::UnreadableForm { status, detail } => {
                tracing::info!(%status, %detail, "unreadable form submission");
                page(
                    status,
                    "We could not read the form",
                    "Your browser sent something we could not understand. Please go back and send the form again.",
                )
            }
            Self::Forbidden => page(
                StatusCode::FORBIDDEN,
                "You do not have access to this",
                "Your role does not allow this. If you need it, ask an administrator.",
            ),
            Self::Forged => page(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "For your security we could not accept this form. Go back, reload the page and try again.",
            ),
            Self::Period(refused) => page(StatusCode::BAD_REQUEST, "That period is too long", &refused.to_string()),
            Self::Limited { retry_after, privacy_phone, opt_out_phone } => {
                let mut page = page(
                    StatusCode::TOO_MANY_REQUESTS,
                    "We cannot take more online just now",
                    &format!(
                        "We have had many requests from your connection or for this email address \
                         recently, so nothing more was sent or saved. Please try again later, or call us: \
                         the privacy office at {privacy_phone}, or {opt_out_phone} (toll-free) to opt out \
                         by phone."
                    ),
                );
                page.headers_mut().insert(header::RETRY_AFTER, retry_after.as_secs().max(1).into());
                page
            }
            error @ (Self::Store(_)
            | Self::Staff(_)
            | Self::Case(_)
            | Self::Session(_)
            | Self::Webhooks(_)
            | Self::Register(_)
            | Self::Associates(_)
            | Self::SavedViews(_)
            | Self::Letters(_)) => Incident::record("a request", &error).page(),
        }
    }
}

/// A failure on our side, logged under a fresh reference with what failed.
/// The reference is all the person is shown, however they asked.
pub struct Incident {
    reference: String,
}

impl Incident {
    pub fn record(what: &str, error: &dyn Display) -> Self {
        let reference = crate::incident::new_reference();
        tracing::error!(%reference, %error, "{what} failed on our side");
        Self { reference }
    }

    /// The calm page quoting the reference.
    pub fn page(self) -> Response {
        let reference = self.reference;
        page(
            StatusCode::SERVICE_UNAVAILABLE,
            "Sorry, something went wrong on our side",
            &format!(
                "Nothing was changed. Please try again in a few minutes. \
                 If it keeps happening, call us and quote incident {reference}."
            ),
        )
    }

    /// The API's answer: JSON for a program, with the reference to report.
    pub fn json(self) -> Response {
        super::api::Problem::incident(self.reference).into_response()
    }
}

/// For the pages' server functions, which show the reference themselves.
impl From<Incident> for ServiceError {
    fn from(incident: Incident) -> Self {
        ServiceError { reference: incident.reference }
    }
}

/// A plain page for the rare answers that are not rendered by the app. The
/// texts are ours alone: nothing the person sent is echoed back.
fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/portal.css\"></head>\
         <body><main id=\"content\" class=\"wrap narrow\"><h1>{title}</h1><p>{message}</p>\
         <p><a href=\"/\">Back to your privacy choices</a></p></main></body></html>"
    );
    (status, Html(html)).into_response()
}
