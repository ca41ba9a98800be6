//! The HTTP layer's errors, mapped to responses in one place. Problems with
//! what the browser sent are explained; problems on our side are logged with
//! an incident reference and shown as a calm page, or a JSON error, quoting
//! it.

use std::fmt::Display;
use std::time::Duration;

use app::domain::{Language, SiteInfo};
use app::services::ServiceError;
use app::text::errors;
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
        let lang = super::language::current();
        match self {
            Self::TooLarge => {
                page(lang, StatusCode::PAYLOAD_TOO_LARGE, errors::too_large_title(lang), errors::too_large_body(lang))
            }
            Self::UnreadableForm { status, detail } => {
                tracing::info!(%status, %detail, "unreadable form submission");
                page(lang, status, errors::unreadable_title(lang), errors::unreadable_body(lang))
            }
            Self::Forbidden => {
                page(lang, StatusCode::FORBIDDEN, errors::forbidden_title(lang), errors::forbidden_body(lang))
            }
            Self::Forged => page(lang, StatusCode::FORBIDDEN, errors::forged_title(lang), errors::forged_body(lang)),
            // Only staff choose a period, and staff pages are English.
            Self::Period(refused) => {
                page(Language::En, StatusCode::BAD_REQUEST, "That period is too long", &refused.to_string())
            }
            Self::Limited { retry_after, privacy_phone, opt_out_phone } => {
                let mut page = page(
                    lang,
                    StatusCode::TOO_MANY_REQUESTS,
                    errors::limited_title(lang),
                    &errors::limited_body(lang, &privacy_phone, &opt_out_phone),
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
        let lang = super::language::current();
        page(
            lang,
            StatusCode::SERVICE_UNAVAILABLE,
            errors::incident_title(lang),
            &errors::incident_body(lang, &self.reference),
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

/// A plain page for the rare answers that are not rendered by the app, in
/// the language of the page it stands in for. The texts are ours alone:
/// nothing the person sent is echoed back; they are escaped all the same,
/// so that a translation or a configured phone number cannot break the page.
fn page(lang: Language, status: StatusCode, title: &str, message: &str) -> Response {
    let (code, title, message, back) = (lang.as_str(), escape(title), escape(message), escape(errors::back_home(lang)));
    let html = format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/portal.css\"></head>\
         <body><main id=\"content\" class=\"wrap narrow\"><h1>{title}</h1><p>{message}</p>\
         <p><a href=\"/\">{back}</a></p></main></body></html>"
    );
    (status, Html(html)).into_response()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
