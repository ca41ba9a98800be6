//! What a form handler needs before it acts, taken from the request once:
//! the form as sent (kept, so a refusal can show it again), its typed body,
//! and for staff forms the signed-in viewer, allowed by the rule book to
//! take the form's action, who sent it from a page of ours.

use app::domain::access::require;
use app::domain::staff_forms::{FormName, INTENT, PREVIEW_TOKEN, StaffAction, StaffFeedback};
use app::domain::{ReferenceCode, Viewer};
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::{AppState, HttpError, form_fields, pages};

/// The form field that carries the session's anti-forgery token.
const FORM_TOKEN: &str = "csrf";

/// A submitted form: its fields in order, repeated names kept, and the
/// request it came with, to render its page again.
pub struct Sent {
    parts: Parts,
    fields: Vec<(String, String)>,
}

impl Sent {
    fn parse<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        form_fields::read(&self.fields).map_err(unreadable)
    }

    /// Whether the form came from a page drawn for `viewer`'s session.
    fn carries_token_of(&self, viewer: &Viewer) -> bool {
        self.fields.iter().find(|(name, _)| name == FORM_TOKEN).map(|(_, value)| value.as_str())
            == Some(viewer.csrf.as_str())
    }

    /// Refuses a form that did not come from `viewer`'s own page.
    pub fn check_token(&self, viewer: &Viewer) -> Result<(), HttpError> {
        if self.carries_token_of(viewer) { Ok(()) } else { Err(HttpError::Forged) }
    }

    /// What goes back to the page when the change is refused. Secrets and
    /// passwords never do.
    pub fn feedback(&self, form: FormName, message: impl Into<String>) -> StaffFeedback {
        // A field sent more than once (a group of checkboxes) comes back as
        // its values separated by spaces.
        let mut values = std::collections::BTreeMap::<String, String>::new();
        // The preview token is the page's to issue afresh, never to echo.
        for (name, value) in self
            .fields
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), FORM_TOKEN | "password" | "confirm" | PREVIEW_TOKEN | INTENT))
        {
            values
                .entry(name.clone())
                .and_modify(|values| {
                    values.push(' ');
                    values.push_str(value);
                })
                .or_insert_with(|| value.clone());
        }
        StaffFeedback { form: Some(form), message: message.into(), values, ..StaffFeedback::default() }
    }

    /// The page at `path` rendered again with why `form` was refused and
    /// what was typed, and a status saying why.
    pub async fn refuse(
        self,
        state: &AppState,
        path: &str,
        status: StatusCode,
        form: FormName,
        message: impl Into<String>,
    ) -> Response {
        let feedback = self.feedback(form, message);
        let mut page =
            pages::render_at(state, self.parts, path, move || leptos::prelude::provide_context(feedback.clone())).await;
        *page.status_mut() = status;
        page
    }

    /// The request the form came with, to render a page from.
    pub fn into_parts(self) -> Parts {
        self.parts
    }
}

fn unreadable(error: impl std::fmt::Display) -> HttpError {
    HttpError::UnreadableForm { status: StatusCode::BAD_REQUEST, detail: error.to_string() }
}

impl FromRequest<AppState> for Sent {
    type Rejection = Response;

    async fn from_request(request: Request<Body>, state: &AppState) -> Result<Self, Response> {
        let (parts, body) = request.into_parts();
        let body = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let fields = serde_urlencoded::from_bytes(&body).map_err(|e| unreadable(e).into_response())?;
        Ok(Self { parts, fields })
    }
}

/// A form anyone may send (signing in, accepting an invitation), read into
/// its typed body.
pub struct FormPost<T> {
    pub body: T,
    pub sent: Sent,
}

impl<T: DeserializeOwned> FromRequest<AppState> for FormPost<T> {
    type Rejection = Response;

    async fn from_request(request: Request<Body>, state: &AppState) -> Result<Self, Response> {
        let sent = Sent::from_request(request, state).await?;
        let body = sent.parse().map_err(IntoResponse::into_response)?;
        Ok(Self { body, sent })
    }
}

/// A staff form from the signed-in viewer, whom the rule book allows the
/// form's action, sent from a page of ours (its token matches their
/// session's).
pub struct StaffForm<T> {
    pub viewer: Viewer,
    pub body: T,
    pub sent: Sent,
}

impl<T: StaffAction + DeserializeOwned> FromRequest<AppState> for StaffForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request<Body>, state: &AppState) -> Result<Self, Response> {
        let FormPost { body, sent } = FormPost::<T>::from_request(request, state).await?;
        admit::<T>(&sent).map(|viewer| Self { viewer, body, sent }).map_err(IntoResponse::into_response)
    }
}

fn admit<T: StaffAction>(sent: &Sent) -> Result<Viewer, HttpError> {
    let viewer = sent.parts.extensions.get::<Viewer>().cloned().ok_or(HttpError::Forged)?;
    require(Some(&viewer), T::ACTION).map_err(|_| HttpError::Forbidden)?;
    sent.check_token(&viewer)?;
    Ok(viewer)
}

/// A staff form about the case named in the address. An address that
/// cannot name a case is refused as one the viewer may not open, but only
/// once the form itself is admitted: a forged form is told as forged
/// whatever address it was sent to.
pub struct CaseForm<T> {
    pub reference: ReferenceCode,
    pub viewer: Viewer,
    pub body: T,
    pub sent: Sent,
}

impl<T: StaffAction + DeserializeOwned> FromRequest<AppState> for CaseForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request<Body>, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let Path(raw) =
            Path::<String>::from_request_parts(&mut parts, state).await.map_err(IntoResponse::into_response)?;
        let StaffForm { viewer, body, sent } =
            StaffForm::<T>::from_request(Request::from_parts(parts, body), state).await?;
        let reference = ReferenceCode::parse(&raw).map_err(|_| HttpError::Forbidden.into_response())?;
        Ok(Self { reference, viewer, body, sent })
    }
}
