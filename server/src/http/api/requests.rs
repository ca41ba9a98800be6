//! Requests through the API: create one, read it, list and search them as
//! the staff queue does, move one along the state machine, add an internal
//! note and read its timeline. Each asks the case desk the pages use.

use app::domain::access::Action;
use app::domain::case::CaseEvent;
use app::domain::form::limits;
use app::domain::notices::NoticeChoice;
use app::domain::queue::{AssigneeFilter, DueFilter, QueueQuery, QueueRow, QueueSort, StatusFilter};
use app::domain::workflow::Step;
use app::domain::{AgentRelationship, Channel, Language, ParseContext, ReferenceCode, RequestKind, RequestStatus};
use axum::Json;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::new_request::NewRequestBody;
use super::{
    ApiError, CaseChange, InternalError, Problem, body, caller, invalid, query, whole_number, within_text_limit,
};
use crate::cases::{PAGE_SIZE, cursor_fits};
use crate::clocks::Received;
use crate::http::AppState;
use crate::requests::Intake;
use crate::staff::actor;

/// The most rows one page of the list may hold.
const MAX_LIMIT: u64 = 200;

/// A request as the API returns it.
#[derive(Serialize, ToSchema)]
pub struct RequestBody {
    reference: ReferenceCode,
    kind: RequestKind,
    status: RequestStatus,
    channel: Channel,
    received_at: DateTime<Utc>,
    acknowledge_by: Option<NaiveDate>,
    /// The response deadline in force, after any extension and pauses.
    respond_by: Option<NaiveDate>,
    extended: bool,
    paused_days: u32,
    /// Which rule set the response deadline (the earliest applicable wins).
    deadline_rule: Option<String>,
    deadline_explanation: Option<String>,
    /// Quote it when taking a step: a step against an older version is refused.
    version: i64,
    /// The earlier open request this one likely repeats, until it is merged
    /// or kept separate (`POST /requests/{reference}/duplicate`).
    duplicate_of: Option<ReferenceCode>,
    /// The earlier request this one was merged into.
    merged_into: Option<ReferenceCode>,
    /// After a denial: what the customer answered, and any rebuttal.
    disagreement: Option<DisagreementBody>,
    /// The language the request was made in (the one its requester's
    /// browser asked for; English for what staff enter): the one to answer in.
    language: Language,
    /// For an appeal: the refused request it appeals.
    appeal_of: Option<ReferenceCode>,
    /// For a refused request: its appeal, once filed.
    appealed_by: Option<ReferenceCode>,
    /// Who asked for the customer, if anyone did, and whether staff have
    /// verified their authority (`POST /requests/{reference}/agent-verification`).
    agent: Option<AgentView>,
}

/// An authorised agent acting for the customer.
#[derive(Serialize, ToSchema)]
pub struct AgentView {
    name: String,
    email: String,
    relationship: AgentRelationship,
    /// The day staff verified their authority; until then no work starts.
    verified_on: Option<NaiveDate>,
}

/// The customer's answer to a denial, as it goes with any disclosure.
#[derive(Serialize, ToSchema)]
pub struct DisagreementBody {
    /// Their statement of disagreement, as written.
    statement: Option<String>,
    /// Without a statement: they asked that the request and the denial go
    /// with any future disclosure of the information.
    with_disclosures: bool,
    /// Staff's rebuttal of the statement, sent to the customer.
    rebuttal: Option<String>,
}

pub(super) async fn read(state: &AppState, headers: &HeaderMap, reference: &str) -> Result<RequestBody, ApiError> {
    let viewer = caller(state, headers, Action::OpenCase).await?;
    let reference = ReferenceCode::parse(reference).map_err(|_| ApiError::NotFound)?;
    let case = state.desk.open(&viewer, &reference).await?.ok_or(ApiError::NotFound)?;
    let clock = case.clock.as_ref();
    Ok(RequestBody {
        reference: case.reference,
        kind: case.kind,
        status: case.status,
        channel: case.channel,
        received_at: case.received_at,
        acknowledge_by: clock.and_then(|c| c.acknowledge_by.as_ref()).map(|d| d.due),
        respond_by: clock.map(|c| c.due()),
        extended: clock.is_some_and(|c| c.extended.is_some()),
        paused_days: clock.map_or(0, |c| c.paused_days),
        deadline_rule: clock.map(|c| c.respond_by.rule_id.clone()),
        deadline_explanation: clock.map(|c| c.respond_by.explanation.clone()),
        version: case.version,
        duplicate_of: case.duplicates.repeats,
        merged_into: case.duplicates.merged_into,
        disagreement: case.disagreement.map(|answer| DisagreementBody {
            statement: answer.statement,
            with_disclosures: answer.with_disclosures,
            rebuttal: answer.rebuttal,
        }),
        language: case.language,
        appeal_of: case.appeal.appeals,
        appealed_by: case.appeal.appealed_by,
        agent: case.agent.map(|standing| AgentView {
            name: standing.agent.name,
            email: standing.agent.email,
            relationship: standing.agent.relationship,
            verified_on: standing.verified_on,
        }),
    })
}

#[utoipa::path(
    get,
    path = "/requests/{reference}",
    operation_id = "get_request",
    tag = "requests",
    summary = "Read a request, its status and its deadlines",
    params(("reference" = ReferenceCode, Path)),
    responses(
        (status = 200, description = "The request.", body = RequestBody),
        (status = 401, description = "No valid bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's owner may not open cases.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No request with this reference.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(reference): Path<String>,
) -> Result<Json<RequestBody>, ApiError> {
    Ok(Json(read(&state, &headers, &reference).await?))
}

#[utoipa::path(
    post,
    path = "/requests",
    operation_id = "create_request",
    tag = "requests",
    summary = "Create a request received by phone or mail",
    description = "Takes the same fields as the portal's web form for the kind, plus `kind`, `channel` and \
        `received_at`. The deadline clock starts on the day received. Requests created here need no email \
        verification; the customer is sent a receipt.",
    request_body = NewRequestBody,
    responses(
        (status = 201, description = "Created. `Location` names the new request.", body = RequestBody,
            headers(("Location" = String, description = "The new request's address"))),
        (status = 400, description = "The body is not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's owner may not enter requests.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the portal accepts.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or invalid fields, each with a message.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Result<axum::body::Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let viewer = caller(&state, &headers, Action::EnterRequest).await?;
    let request: NewRequestBody = body(bytes)?;
    let received_at = state
        .clocks
        .received(Received::from(&request.arrival().received_at))
        .map_err(|problem| invalid("received_at", &problem.to_string()))?;
    let intake = Intake {
        channel: request.arrival().channel,
        received_at,
        entered_by: Some(actor(&viewer)),
        language: Language::En,
    };
    let context = ParseContext { today: state.clocks.today(), gpc: false, lang: app::domain::Language::En };
    let request = request
        .parse(&context)
        .map_err(|fields| ApiError::Invalid { fields, message: "Some fields are missing or not valid.".into() })?;
    let receipt = state.store.submit(&request, &intake).await.map_err(InternalError::from)?;
    let shown = read(&state, &headers, receipt.reference.as_str()).await?;
    let location = format!("/api/v1/requests/{}", receipt.reference);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(shown)).into_response())
}

/// The queue's filters, as the staff queue takes them.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    kind: Option<RequestKind>,
    /// Open requests unless asked otherwise (every status with `held`).
    status: Option<StatusFilter>,
    /// `me` is the token's owner.
    assignee: Option<AssigneeFilter>,
    due: Option<DueFilter>,
    channel: Option<Channel>,
    /// Received on or after this day (organisation's calendar).
    from: Option<NaiveDate>,
    /// Received on or before this day.
    to: Option<NaiveDate>,
    /// A reference, an email address (whole), an account number, or whole
    /// words of a name.
    q: Option<String>,
    /// Due date first unless asked otherwise.
    sort: Option<QueueSort>,
    /// List unverified requests too.
    unverified: Option<bool>,
    /// Only requests on legal hold.
    held: Option<bool>,
    /// `next_cursor` of the page before, with the same filters and order.
    cursor: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u64>,
}

/// One page of the list.
#[derive(Serialize, ToSchema)]
pub struct ListBody {
    requests: Vec<QueueRow>,
    /// Give it as `cursor` for the next page; `null` on the last one.
    next_cursor: Option<String>,
}

#[utoipa::path(
    get,
    path = "/requests",
    operation_id = "list_requests",
    tag = "requests",
    summary = "List and search requests, a page at a time",
    description = "The staff queue's filters and orders. Pages are keyed, not counted: a request created or \
        changed while paging is never listed twice nor makes another skipped.",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of requests.", body = ListBody),
        (status = 401, description = "No valid bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's owner may not see the queue.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The cursor is not one this API returned for this order.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A filter or limit that does not fit.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Json<ListBody>, ApiError> {
    let viewer = caller(&state, &headers, Action::ViewQueue).await?;
    let asked: ListQuery = query(raw)?;
    let limit = asked.limit.unwrap_or(PAGE_SIZE);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(invalid("limit", "Give a limit from 1 to 200."));
    }
    let mut view = QueueQuery {
        kind: asked.kind,
        status: asked.status,
        assignee: asked.assignee,
        due: asked.due,
        channel: asked.channel,
        from: asked.from,
        to: asked.to,
        q: asked.q.unwrap_or_default(),
        sort: asked.sort,
        unverified: asked.unverified.unwrap_or(false),
        held: asked.held.unwrap_or(false),
        after: String::new(),
    };
    if let Some(cursor) = asked.cursor.filter(|cursor| !cursor.is_empty()) {
        view.after = URL_SAFE_NO_PAD
            .decode(cursor)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .filter(|after| cursor_fits(after, view.sort()))
            .ok_or(ApiError::UnknownCursor)?;
    }
    let page = state.desk.queue_page(&viewer, &view, limit).await?;
    let next_cursor =
        page.next.map(|next| URL_SAFE_NO_PAD.encode(QueueQuery::from_query_string(&next).after.as_bytes()));
    Ok(Json(ListBody { requests: page.rows, next_cursor }))
}

/// A step along the state machine, quoting the version it was decided on.
#[derive(Deserialize, ToSchema)]
pub struct StepBody {
    /// The request's `version` as last read.
    #[serde(deserialize_with = "whole_number")]
    version: i64,
    #[serde(flatten)]
    step: Step,
    #[schema(schema_with = notice_addresses)]
    #[serde(default, deserialize_with = "listed")]
    notify: Option<Vec<String>>,
}

fn notice_addresses() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
    let address = ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
        .max_length(Some(limits::EMAIL as usize));
    ArrayBuilder::new()
        .items(address)
        .description(Some(
            "Whom to send the amendment notice (45 CFR 164.526(c)(3)), by email address: each must be that of a \
             person the customer named to be told or of a business associate, or the step is refused. Leave it \
             out to tell every one of them, as the case page preselects; an empty list tells nobody. Read only \
             when the step accepts an amendment in whole or in part; no other step sends notices.",
        ))
        .build()
}

/// A list when given: `null` is refused, since leaving `notify` out is how
/// "tell everyone" is said and an empty list is "nobody".
fn listed<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    Vec::<String>::deserialize(deserializer).map(Some)
}

#[utoipa::path(
    post,
    path = "/requests/{reference}/steps",
    operation_id = "take_step",
    tag = "requests",
    summary = "Move a request one step along its workflow",
    description = "The same steps, rules and refusals as the case page. Which steps a request can take depends \
        on its kind and status; an opt-out never waits on the customer. Accepting an amendment, in whole or in \
        part, notifies everyone who may be told unless `notify` names whom.",
    params(("reference" = ReferenceCode, Path)),
    request_body = StepBody,
    responses(
        (status = 200, description = "The request after the step.", body = RequestBody),
        (status = 400, description = "The body is not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's owner may not work cases.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No request with this reference.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The request changed since that version, or its status does not allow the step.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the portal accepts.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The step lacks what it must record, does not fit the request, or `notify` names an address that may not be told.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn step(
    State(state): State<AppState>,
    headers: HeaderMap,
    change: CaseChange<StepBody>,
) -> Result<Json<RequestBody>, ApiError> {
    let CaseChange { viewer, reference, body: asked } = change;
    let choice = asked.notify.map_or(NoticeChoice::Everyone, NoticeChoice::Addresses);
    state.desk.step_telling(&viewer, &reference, asked.version, &asked.step, &choice).await?;
    Ok(Json(read(&state, &headers, reference.as_str()).await?))
}

/// An internal note: never shown to the customer.
#[derive(Deserialize, ToSchema)]
pub struct NoteBody {
    #[schema(
        min_length = 1,
        max_length = 10000,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    body: String,
}

#[utoipa::path(
    post,
    path = "/requests/{reference}/notes",
    operation_id = "add_note",
    tag = "requests",
    summary = "Add an internal note to a request",
    params(("reference" = ReferenceCode, Path)),
    request_body = NoteBody,
    responses(
        (status = 204, description = "Noted; the note is on the request's timeline."),
        (status = 400, description = "The body is not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's owner may not work cases.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No request with this reference.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the portal accepts.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The note is empty or too long, or the request's data was purged.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn note(State(state): State<AppState>, change: CaseChange<NoteBody>) -> Result<StatusCode, ApiError> {
    let CaseChange { viewer, reference, body: asked } = change;
    within_text_limit("body", &asked.body)?;
    state.desk.note(&viewer, &reference, &asked.body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A request's history, oldest first, notes included.
#[derive(Serialize, ToSchema)]
pub struct TimelineBody {
    reference: ReferenceCode,
    events: Vec<CaseEvent>,
}

#[utoipa::path(
    get,
    path = "/requests/{reference}/timeline",
    operation_id = "get_timeline",
    tag = "requests",
    summary = "Read a request's timeline, as the case page shows it",
    params(("reference" = ReferenceCode, Path)),
    responses(
        (status = 200, description = "Every event, oldest first.", body = TimelineBody),
        (status = 401, description = "No valid bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's owner may not open cases.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No request with this reference.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn timeline(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(reference): Path<String>,
) -> Result<Json<TimelineBody>, ApiError> {
    let viewer = caller(&state, &headers, Action::OpenCase).await?;
    let reference = ReferenceCode::parse(&reference).map_err(|_| ApiError::NotFound)?;
    let case = state.desk.open(&viewer, &reference).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(TimelineBody { reference: case.reference, events: case.timeline }))
}
