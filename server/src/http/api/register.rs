//! The opt-out register for downstream systems: its change feed, paged by
//! an opaque cursor, and the one-call check "is this person opted out of
//! this sharing today".

use app::domain::access::Action;
use app::domain::register::{OptOutChange, OptOutSource};
use app::domain::request::{JointAccount, OptOutScope};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiError, InternalError, Problem, caller, invalid, query};
use crate::http::AppState;
use crate::http::routes::Routes;
use crate::register::{Cursor, Entry, Lookup};

/// Entries per page unless asked otherwise, and at most.
const DEFAULT_LIMIT: u64 = 100;
const MAX_LIMIT: u64 = 1_000;

pub fn routes() -> Routes {
    Routes::new().get("/api/v1/opt-outs", changes).get("/api/v1/opt-outs/check", check)
}

/// One entry of the feed: what a downstream system needs to find the
/// person in its own records and stop (or resume) sharing.
#[derive(Serialize, ToSchema)]
pub struct EntryBody {
    /// Ask `changed_since` this to read on after this entry.
    cursor: String,
    /// The opt-out the entry is about: the same for its later changes.
    opt_out: String,
    change: OptOutChange,
    scope: OptOutScope,
    joint_account: JointAccount,
    source: OptOutSource,
    effective_on: NaiveDate,
    recorded_at: DateTime<Utc>,
    name: String,
    email: String,
    postal_address: Option<String>,
    account_number: Option<String>,
    /// The holders the entry covers, by name.
    holders: Vec<String>,
}

impl EntryBody {
    fn of(entry: Entry) -> Self {
        Self {
            cursor: Cursor::after(entry.facts.id).encode(),
            opt_out: entry.facts.opt_out,
            change: entry.facts.change,
            scope: entry.facts.scope,
            joint_account: entry.facts.joint_account,
            source: entry.facts.source,
            effective_on: entry.facts.effective_on,
            recorded_at: entry.recorded_at,
            name: entry.person.full_name,
            email: entry.person.email,
            postal_address: entry.person.postal_address,
            account_number: entry.person.account_number,
            holders: entry.person.holders,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// A `cursor` or `next` this feed returned; none to read from the start.
    changed_since: Option<String>,
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct FeedBody {
    entries: Vec<EntryBody>,
    /// Where to read on from; the same cursor when nothing was new.
    next: String,
}

#[utoipa::path(
    get,
    path = "/opt-outs",
    operation_id = "opt_out_changes",
    tag = "opt-outs",
    summary = "Page through the register's changes, oldest first",
    description = "Each entry once, in the order written, even while new opt-outs are being written.",
    params(FeedQuery),
    responses(
        (status = 200, description = "The entries after the cursor.", body = FeedBody),
        (status = 401, description = "No valid bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's owner may not read the register.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The cursor is not one this feed returned.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A limit that does not fit.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn changes(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Json<FeedBody>, ApiError> {
    caller(&state, &headers, Action::ViewOptOutRegister).await?;
    let query: FeedQuery = query(raw)?;
    let since = match query.changed_since.as_deref().filter(|text| !text.trim().is_empty()) {
        None => Cursor::start(),
        Some(text) => Cursor::parse(text).ok_or(ApiError::UnknownCursor)?,
    };
    let limit = match query.limit {
        None => DEFAULT_LIMIT,
        Some(limit) => Some(limit)
            .filter(|limit| (1..=MAX_LIMIT).contains(limit))
            .ok_or_else(|| invalid("limit", "Give a limit from 1 to 1000."))?,
    };
    let (entries, next) = state.register.changes(since, limit).await.map_err(InternalError::from)?;
    Ok(Json(FeedBody { entries: entries.into_iter().map(EntryBody::of).collect(), next: next.encode() }))
}

/// Give exactly one of `email`, `account` and `name`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    email: Option<String>,
    account: Option<String>,
    name: Option<String>,
    #[param(required = true)]
    scope: Option<OptOutScope>,
}

/// One opt-out standing for the person or account.
#[derive(Serialize, ToSchema)]
pub struct StandingBody {
    opt_out: String,
    scope: OptOutScope,
    joint_account: JointAccount,
    effective_on: NaiveDate,
    holders: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CheckBody {
    scope: OptOutScope,
    on: NaiveDate,
    /// For an email address, whether its owner is opted out; for a name,
    /// whether a person of that name is (the one who asked, or a holder an
    /// opt-out for all holders named); for an account, whether the account
    /// as a whole is (a single holder's account, or a joint one opted out
    /// for all holders).
    opted_out: bool,
    /// The opt-outs standing today that cover the scope, including those of
    /// one joint holder alone, who is named in `holders`.
    opt_outs: Vec<StandingBody>,
}

#[utoipa::path(
    get,
    path = "/opt-outs/check",
    operation_id = "opt_out_check",
    tag = "opt-outs",
    summary = "Is this person, email address or account opted out of this sharing today?",
    description = "A name is matched by its whole words in any order, case aside, against each person an opt-out \
        covers: `name=lovelace ada` finds Ada Lovelace, and a joint holder is found only when the opt-out was made \
        for all holders.",
    params(CheckQuery),
    responses(
        (status = 200, description = "Whether it is, and the opt-outs that stand.", body = CheckBody),
        (status = 401, description = "No valid bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's owner may not read the register.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not exactly one of email, account and name, or no scope.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Json<CheckBody>, ApiError> {
    caller(&state, &headers, Action::ViewOptOutRegister).await?;
    let query: CheckQuery = query(raw)?;
    let given = |value: Option<String>| value.map(|text| text.trim().to_owned()).filter(|text| !text.is_empty());
    let lookup = match (given(query.email), given(query.account), given(query.name)) {
        (Some(email), None, None) => Lookup::Email(email),
        (None, Some(account), None) => Lookup::Account(account),
        (None, None, Some(name)) => Lookup::Name(name),
        _ => return Err(invalid("email", "Give one of email, account and name, and only one.")),
    };
    let scope = query.scope.ok_or_else(|| invalid("scope", "Use all_sharing or marketing_only."))?;
    let on = state.register.today();
    let found = state.register.check(&lookup, scope, on).await.map_err(InternalError::from)?;
    Ok(Json(CheckBody {
        scope,
        on,
        opted_out: found.opted_out,
        opt_outs: found
            .standing
            .into_iter()
            .map(|entry| StandingBody {
                opt_out: entry.facts.opt_out,
                scope: entry.facts.scope,
                joint_account: entry.facts.joint_account,
                effective_on: entry.facts.effective_on,
                holders: entry.person.holders,
            })
            .collect(),
    }))
}
