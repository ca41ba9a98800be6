//! The JSON API for other systems, under `/api/v1`, authenticated by a
//! per-user bearer token. It asks the same authorisation function as the
//! pages and writes through the same request store.

use app::domain::access::{Action, require};
use app::domain::form::{AmendmentForm, ComplaintForm, OptOutForm};
use app::domain::{Channel, FieldErrors, ParseContext, ReferenceCode, RequestForm, RequestKind, Viewer};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use super::AppState;
use super::error::Incident;
use super::routes::Routes;
use crate::cases::CaseError;
use crate::clocks::Received;
use crate::requests::{Intake, StoreError};
use crate::staff::actor;

mod register;

pub fn routes() -> Routes {
    Routes::new()
        .post("/api/v1/requests", create)
        .get("/api/v1/requests/{reference}", show)
        .get("/api/v1/openapi.json", openapi)
        .merge(register::routes())
}

/// The OpenAPI description, kept beside the code it describes.
const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

#[derive(Debug, thiserror::Error)]
enum ApiError {
    #[error("a valid bearer token is required")]
    Unauthenticated,
    #[error("this token's owner may not do this")]
    Forbidden,
    #[error("no request with this reference")]
    NotFound,
    #[error("the request is not valid")]
    Invalid { fields: FieldErrors, message: String },
    #[error(transparent)]
    Internal(#[from] InternalError),
}

#[derive(Debug, thiserror::Error)]
enum InternalError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Register(#[from] crate::register::RegisterError),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match &self {
            Self::Unauthenticated => (StatusCode::UNAUTHORIZED, json!({ "error": self.to_string() })),
            Self::Forbidden => (StatusCode::FORBIDDEN, json!({ "error": self.to_string() })),
            Self::NotFound => (StatusCode::NOT_FOUND, json!({ "error": self.to_string() })),
            Self::Invalid { fields, message } => {
                let fields: serde_json::Map<String, Value> =
                    fields.iter().map(|(field, problem)| (field.to_owned(), Value::from(problem))).collect();
                (StatusCode::UNPROCESSABLE_ENTITY, json!({ "error": message, "fields": fields }))
            }
            Self::Internal(error) => return Incident::record("an API request", error).json(),
        };
        let mut response = (status, Json(body)).into_response();
        if matches!(self, Self::Unauthenticated) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
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

/// A request as the API returns it.
#[derive(Serialize)]
struct RequestBody {
    reference: String,
    kind: RequestKind,
    status: app::domain::RequestStatus,
    channel: Channel,
    received_at: DateTime<Utc>,
    acknowledge_by: Option<NaiveDate>,
    respond_by: Option<NaiveDate>,
    extended: bool,
    paused_days: u32,
    /// Which rule set the response deadline, and from which date.
    deadline_rule: Option<String>,
    deadline_explanation: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(reference): Path<String>,
) -> Result<Json<RequestBody>, ApiError> {
    let viewer = caller(&state, &headers, Action::OpenCase).await?;
    let reference = ReferenceCode::parse(&reference).map_err(|_| ApiError::NotFound)?;
    let case = state.desk.open(&viewer, &reference).await.map_err(InternalError::from)?.ok_or(ApiError::NotFound)?;
    Ok(Json(RequestBody {
        reference: case.reference.to_string(),
        kind: case.kind,
        status: case.status,
        channel: case.channel,
        received_at: case.received_at,
        acknowledge_by: case.clock.as_ref().and_then(|c| c.acknowledge_by.as_ref()).map(|d| d.due),
        respond_by: case.clock.as_ref().map(|c| c.due()),
        extended: case.clock.as_ref().is_some_and(|c| c.extended.is_some()),
        paused_days: case.clock.as_ref().map_or(0, |c| c.paused_days),
        deadline_rule: case.clock.as_ref().map(|c| c.respond_by.rule_id.clone()),
        deadline_explanation: case.clock.as_ref().map(|c| c.respond_by.explanation.clone()),
    }))
}

/// Reads the received date: a day (counted from the start of business in
/// the organisation's time zone) or an exact RFC 3339 time.
fn received(text: &str) -> Option<Received> {
    match DateTime::parse_from_rfc3339(text) {
        Ok(at) => Some(Received::At(at.with_timezone(&Utc))),
        Err(_) => text.parse().ok().map(Received::Day),
    }
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let viewer = caller(&state, &headers, Action::EnterRequest).await?;
    let object: serde_json::Map<String, Value> =
        serde_json::from_slice(&body).map_err(|_| invalid("body", "The body must be a JSON object."))?;
    let text = |name: &str| object.get(name).and_then(Value::as_str).unwrap_or_default().trim().to_owned();
    let kind =
        RequestKind::parse(&text("kind")).ok_or_else(|| invalid("kind", "Use opt_out, amendment or complaint."))?;
    let channel = Channel::parse(&text("channel")).ok_or_else(|| invalid("channel", "Use web, phone or mail."))?;
    let received = received(&text("received_at"))
        .ok_or_else(|| invalid("received_at", "Give the date received as YYYY-MM-DD or an RFC 3339 time."))?;
    let received_at =
        state.clocks.received(received).map_err(|problem| invalid("received_at", &problem.to_string()))?;
    // Each kind's own fields are read and checked by the same form types as
    // the web pages, so the API accepts exactly what a form would.
    let fields = Value::Object(object.clone());
    let context = ParseContext { today: state.clocks.today(), gpc: false };
    let parsed = match kind {
        RequestKind::OptOut => parse::<OptOutForm>(fields, &context),
        RequestKind::Amendment => parse::<AmendmentForm>(fields, &context),
        RequestKind::Complaint => parse::<ComplaintForm>(fields, &context),
    };
    let request = parsed
        .map_err(|fields| ApiError::Invalid { fields, message: "Some fields are missing or not valid.".into() })?;
    let intake = Intake { channel, received_at, entered_by: Some(actor(&viewer)) };
    let receipt = state.store.submit(&request, &intake).await.map_err(InternalError::from)?;
    let shown = show(State(state), headers, Path(receipt.reference.to_string())).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/requests/{}", receipt.reference))], shown)
        .into_response())
}

/// A request refused for one field's sake.
fn invalid(field: &str, problem: &str) -> ApiError {
    let mut fields = FieldErrors::default();
    fields.insert(field, problem);
    ApiError::Invalid { fields, message: problem.to_owned() }
}

fn parse<F: RequestForm>(fields: Value, context: &ParseContext) -> Result<app::domain::NewRequest, FieldErrors> {
    // Non-string values become empty strings, which the form then reports.
    let strings: serde_json::Map<String, Value> = match fields {
        Value::Object(map) => map.into_iter().filter(|(_, v)| v.is_string()).collect(),
        _ => serde_json::Map::new(),
    };
    let form: F = serde_json::from_value(Value::Object(strings)).unwrap_or_default();
    form.parse(context)
}
