//! The JSON API for other systems, under `/api/v1`, authenticated by a
//! per-user bearer token. It asks the same authorisation function as the
//! pages, writes through the same request store and case desk, and answers
//! every refusal as an RFC 9457 problem. Its OpenAPI description is
//! generated from the types below (see [`doc`]).

use std::collections::BTreeMap;

use app::domain::access::{Action, require};
use app::domain::{FieldErrors, ReferenceCode, Viewer};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::error::Incident;
use super::routes::Routes;
use crate::cases::CaseError;
use crate::requests::StoreError;

mod cases;
pub mod doc;
mod new_request;
mod register;
mod requests;

pub fn routes() -> Routes {
    Routes::new()
        .post("/api/v1/requests", requests::create)
        .get("/api/v1/requests", requests::list)
        .get("/api/v1/requests/{reference}", requests::show)
        .post("/api/v1/requests/{reference}/steps", requests::step)
        .post("/api/v1/requests/{reference}/notes", requests::note)
        .get("/api/v1/requests/{reference}/timeline", requests::timeline)
        .post("/api/v1/requests/{reference}/duplicate", cases::duplicate)
        .post("/api/v1/requests/{reference}/rebuttal", cases::rebuttal)
        .post("/api/v1/requests/{reference}/agent-verification", cases::verify_agent)
        .get("/api/v1/openapi.json", doc::serve)
        .merge(register::routes())
}

#[derive(Debug, thiserror::Error)]
enum ApiError {
    #[error("{0}")]
    Unreadable(String),
    #[error("the body is larger than this portal accepts")]
    TooLarge,
    #[error("a valid bearer token is required")]
    Unauthenticated,
    #[error("this token's owner may not do this")]
    Forbidden,
    #[error("no request with this reference")]
    NotFound,
    /// A cursor names a place in a list; one this API did not hand out
    /// names none.
    #[error("this cursor names no page: give one this API returned, for the same order")]
    UnknownCursor,
    #[error("{0}")]
    Conflict(String),
    #[error("{message}")]
    Invalid { fields: FieldErrors, message: String },
    #[error(transparent)]
    Internal(#[from] InternalError),
}

#[derive(Debug, thiserror::Error)]
enum InternalError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Case(CaseError),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Register(#[from] crate::register::RegisterError),
}

/// The case desk's refusals, as the case page words them.
impl From<CaseError> for ApiError {
    fn from(error: CaseError) -> Self {
        use app::domain::workflow::StepError;
        match error {
            CaseError::NotFound => Self::NotFound,
            CaseError::Forbidden => Self::Forbidden,
            CaseError::Conflict => Self::Conflict(
                "Someone else changed this request since that version was read, so the change was not saved. \
                 Read the request again and retry with its current version."
                    .into(),
            ),
            // The request's state or kind refuses the change: reading it again shows why.
            CaseError::Step(
                refused @ (StepError::NotFromHere { .. }
                | StepError::WrongKind
                | StepError::NotMergeable
                | StepError::OwnRefusal
                | StepError::AgentUnverified),
            ) => Self::Conflict(refused.to_string()),
            CaseError::NotNow(refused) => Self::Conflict(refused.to_owned()),
            refused @ CaseError::NotARecipient(_) => invalid("notify", &refused.to_string()),
            refused @ (CaseError::Step(_) | CaseError::Extension(_) | CaseError::Invalid(_)) => {
                let message = refused.to_string();
                Self::Invalid { fields: FieldErrors::default(), message }
            }
            other => Self::Internal(InternalError::Case(other)),
        }
    }
}

/// An RFC 9457 problem: what every refusal and failure of the API answers,
/// as `application/problem+json`.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status and title say what kind of problem it is.
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    kind: &'static str,
    /// The status's reason phrase.
    title: String,
    status: u16,
    /// What went wrong, in a sentence a person can act on.
    detail: String,
    /// The first problem with each field, by field name (422 only).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    fields: BTreeMap<String, String>,
    /// Quote it when reporting a failure on the portal's side (503 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    incident: Option<String>,
}

impl Problem {
    pub fn answer(status: StatusCode, detail: String, fields: BTreeMap<String, String>) -> Self {
        let title = status.canonical_reason().unwrap_or("Error").to_owned();
        Self { kind: "about:blank", title, status: status.as_u16(), detail, fields, incident: None }
    }

    pub fn incident(reference: String) -> Self {
        let status = StatusCode::SERVICE_UNAVAILABLE;
        Self { incident: Some(reference), ..Self::answer(status, "Temporarily unavailable.".into(), BTreeMap::new()) }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self)).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            Self::Unreadable(_) => StatusCode::BAD_REQUEST,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound | Self::UnknownCursor => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Internal(error) => return Incident::record("an API request", error).json(),
        };
        let detail = self.to_string();
        let fields = match self {
            Self::Invalid { fields, .. } => fields.0,
            _ => BTreeMap::new(),
        };
        let mut response = Problem::answer(status, detail, fields).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The token's owner, allowed to take `action`.
async fn caller(state: &AppState, headers: &HeaderMap, action: Action) -> Result<Viewer, ApiError> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthenticated)?;
    let viewer = state
        .api_tokens
        .authenticate(presented.trim())
        .await
        .map_err(InternalError::from)?
        .ok_or(ApiError::Unauthenticated)?;
    require(Some(&viewer), action).map_err(|_| ApiError::Forbidden)?;
    Ok(viewer)
}

/// A change to one case: the caller, allowed to work cases; the case's
/// reference; and the JSON body. Checked in that order, so that a caller
/// without a token learns nothing of which references exist.
struct CaseChange<T> {
    viewer: Viewer,
    reference: ReferenceCode,
    body: T,
}

impl<T: DeserializeOwned> FromRequest<AppState> for CaseChange<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let (mut parts, payload) = request.into_parts();
        let viewer = caller(state, &parts.headers, Action::WorkCase).await?;
        let Path(reference) =
            Path::<String>::from_request_parts(&mut parts, state).await.map_err(|_| ApiError::NotFound)?;
        let reference = ReferenceCode::parse(&reference).map_err(|_| ApiError::NotFound)?;
        let bytes = Bytes::from_request(Request::from_parts(parts, payload), state).await;
        Ok(Self { viewer, reference, body: body(bytes)? })
    }
}

/// A typed text within the limit every case text has, refused as `field`'s
/// otherwise (the desk would refuse it too, but without naming the field).
fn within_text_limit(field: &str, text: &str) -> Result<(), ApiError> {
    if text.trim().chars().count() > crate::cases::TEXT_LIMIT {
        return Err(invalid(field, crate::cases::TOO_LONG));
    }
    Ok(())
}

/// A request refused for one field's sake.
fn invalid(field: &str, problem: &str) -> ApiError {
    let mut fields = FieldErrors::default();
    fields.insert(field, problem);
    ApiError::Invalid { fields, message: problem.to_owned() }
}

/// A JSON body read into `T`: 400 when it is not JSON at all, 413 when it
/// is too large, 422 naming the field whose value does not fit.
fn body<T: DeserializeOwned>(bytes: Result<axum::body::Bytes, BytesRejection>) -> Result<T, ApiError> {
    let bytes = bytes.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
        _ => ApiError::Unreadable("The body could not be read.".into()),
    })?;
    let mut json = serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(&mut json).map_err(|error| {
        let field = error.path().to_string();
        let inner = error.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let field = if field == "." { "body" } else { field.as_str() };
                invalid(field, &data_problem(&inner))
            }
            _ => ApiError::Unreadable("The body must be JSON.".into()),
        }
    })
}

/// A query string read into `T`, refusing values that do not fit.
fn query<T: DeserializeOwned>(raw: Option<String>) -> Result<T, ApiError> {
    let raw = raw.unwrap_or_default();
    let query = serde_urlencoded::Deserializer::new(form_urlencoded::parse(raw.as_bytes()));
    serde_path_to_error::deserialize(query).map_err(|error| {
        let field = error.path().to_string();
        let message = error.into_inner().to_string();
        invalid(if field == "." { "query" } else { &field }, &format!("This value does not fit: {message}."))
    })
}

/// serde's words without the line and column, which mean nothing to a
/// program that sent one line.
fn data_problem(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let text = text.split(" at line ").next().unwrap_or(&text);
    format!("This value does not fit: {text}.")
}

/// A whole number, however JSON spells it: `3` and `3.0` are the same
/// integer to a JSON Schema, so both are read.
fn whole_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let number = serde_json::Number::deserialize(deserializer)?;
    number
        .as_i64()
        .or_else(|| {
            number.as_f64().filter(|value| value.fract() == 0.0 && value.abs() < 9.0e15).map(|value| value as i64)
        })
        .ok_or_else(|| serde::de::Error::custom("expected a whole number"))
}
