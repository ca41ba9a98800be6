//! The decisions on a case that the API takes as the case page does: a
//! likely duplicate merged into the earlier request or kept separate, a
//! rebuttal of the customer's statement of disagreement, mailed to them,
//! and an agent's authority verified.

use app::domain::ReferenceCode;
use app::domain::workflow::DuplicateDecision;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::Deserialize;
use utoipa::ToSchema;

use super::requests::{RequestBody, read};
use super::{ApiError, CaseChange, Problem, whole_number, within_text_limit};
use crate::http::AppState;

/// What to do with a request marked as the likely duplicate of an earlier one.
#[derive(Deserialize, ToSchema)]
pub struct DuplicateBody {
    /// The request's `version` as last read.
    #[serde(deserialize_with = "whole_number")]
    version: i64,
    /// `merge` ends this request as merged, joins its history to the
    /// earlier request's and leaves the earlier deadline in force; the
    /// customer is told which reference to follow. `keep_separate` removes
    /// the mark and changes nothing else.
    decision: DuplicateDecision,
}

#[utoipa::path(
    post,
    path = "/requests/{reference}/duplicate",
    operation_id = "decide_duplicate",
    tag = "requests",
    summary = "Merge a likely duplicate into the earlier request, or keep it separate",
    params(("reference" = ReferenceCode, Path)),
    request_body = DuplicateBody,
    responses(
        (status = 200, description = "The request after the decision.", body = RequestBody),
        (status = 400, description = "The body is not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's owner may not work cases.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No request with this reference.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The request changed since that version was read, is not marked as a likely duplicate, or is not open to a merge (both requests must still be open).", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the portal accepts.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body does not say what to decide.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn duplicate(
    State(state): State<AppState>,
    headers: HeaderMap,
    change: CaseChange<DuplicateBody>,
) -> Result<Json<RequestBody>, ApiError> {
    let CaseChange { viewer, reference, body } = change;
    state.desk.decide_duplicate(&viewer, &reference, body.version, body.decision).await?;
    Ok(Json(read(&state, &headers, reference.as_str()).await?))
}

/// Staff's answer to the customer's statement of disagreement.
#[derive(Deserialize, ToSchema)]
pub struct RebuttalBody {
    /// The request's `version` as last read.
    #[serde(deserialize_with = "whole_number")]
    version: i64,
    /// Sent to the customer as written, and kept with the statement and the
    /// denial for any future disclosure.
    #[schema(
        min_length = 1,
        max_length = 10000,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    rebuttal: String,
}

#[utoipa::path(
    post,
    path = "/requests/{reference}/rebuttal",
    operation_id = "rebut_statement",
    tag = "requests",
    summary = "Rebut the customer's statement of disagreement with a denial",
    description = "45 CFR 164.526(d)(3): the rebuttal is mailed to the customer (or printed, for a request \
        answered by post) and goes with the statement and the denial in any future disclosure. One per statement.",
    params(("reference" = ReferenceCode, Path)),
    request_body = RebuttalBody,
    responses(
        (status = 200, description = "The request with its rebuttal.", body = RequestBody),
        (status = 400, description = "The body is not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's owner may not work cases.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No request with this reference.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The request changed since that version was read, or has no statement without a rebuttal to answer.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the portal accepts.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The rebuttal is empty or too long.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn rebuttal(
    State(state): State<AppState>,
    headers: HeaderMap,
    change: CaseChange<RebuttalBody>,
) -> Result<Json<RequestBody>, ApiError> {
    let CaseChange { viewer, reference, body } = change;
    within_text_limit("rebuttal", &body.rebuttal)?;
    state.desk.rebut(&viewer, &reference, body.version, &body.rebuttal).await?;
    Ok(Json(read(&state, &headers, reference.as_str()).await?))
}

/// Staff saw the agent's signed permission or power of attorney.
#[derive(Deserialize, ToSchema)]
pub struct AgentVerificationBody {
    /// The request's `version` as last read.
    #[serde(deserialize_with = "whole_number")]
    version: i64,
}

#[utoipa::path(
    post,
    path = "/requests/{reference}/agent-verification",
    operation_id = "verify_agent",
    tag = "requests",
    summary = "Record that the agent's authority to act for the customer is verified",
    description = "11 CCR 7063: a request made by an authorised agent takes no work and no outcome until staff \
        have checked the agent's signed permission or power of attorney (sent as a document). Once per request.",
    params(("reference" = ReferenceCode, Path)),
    request_body = AgentVerificationBody,
    responses(
        (status = 200, description = "The request with its agent verified.", body = RequestBody),
        (status = 400, description = "The body is not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's owner may not work cases.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No request with this reference.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The request changed since that version was read, was made by the customer, is finished, or its agent is verified already.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the portal accepts.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body does not carry a version.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn verify_agent(
    State(state): State<AppState>,
    headers: HeaderMap,
    change: CaseChange<AgentVerificationBody>,
) -> Result<Json<RequestBody>, ApiError> {
    let CaseChange { viewer, reference, body } = change;
    state.desk.verify_agent(&viewer, &reference, body.version).await?;
    Ok(Json(read(&state, &headers, reference.as_str()).await?))
}
