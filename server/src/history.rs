//! A request's history: the events written beside every change, which the
//! customer's tracking page and the staff's timeline both read, and what
//! each event says; one wording for the case desk and the seeded history
//! alike.

use app::domain::EventKind;
use app::domain::request::Choice;
use app::domain::workflow::{Outcome, Step};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};

use crate::db::entities::request_event;
use crate::mail::Outbox;
use crate::vault::Sealed;
use app::domain::format::long_date;

/// Writes one event inside the caller's transaction; whether the customer
/// sees it follows from its kind. Its text comes sealed
/// (`Vault::seal_event_body`). The webhook deliveries it causes are written
/// with it, so a system downstream hears of every change and of no change
/// that was rolled back.
pub async fn record(
    txn: &impl ConnectionTrait,
    outbox: &Outbox,
    request_id: i64,
    kind: EventKind,
    at: DateTime<Utc>,
    body: Option<Sealed>,
    actor_id: Option<i64>,
) -> Result<(), DbErr> {
    request_event::Entity::insert(request_event::ActiveModel {
        request_id: Set(request_id),
        at: Set(at),
        kind: Set(kind.as_str().to_owned()),
        customer_visible: Set(kind.customer_visible()),
        body: Set(body),
        actor_id: Set(actor_id),
        ..Default::default()
    })
    .exec_without_returning(txn)
    .await?;
    crate::webhooks::announce(txn, outbox, request_id, kind, at).await
}

/// An event the portal itself caused: no staff member, no text.
pub async fn record_system(
    txn: &impl ConnectionTrait,
    outbox: &Outbox,
    request_id: i64,
    kind: EventKind,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    record(txn, outbox, request_id, kind, at, None, None).await
}

/// What an assignment to nobody says.
pub const UNASSIGNED: &str = "Unassigned";

pub fn assigned_text(name: &str) -> String {
    format!("Assigned to {name}")
}

/// What a step along the workflow says, if anything.
pub fn step_text(step: &Step) -> Option<String> {
    match step {
        Step::MarkVerified | Step::StartWork | Step::Resume => None,
        Step::AskCustomer { what } => Some(what.trim().to_owned()),
        Step::Resolve(outcome) => Some(outcome_summary(outcome)),
        Step::Close { reason, note } => Some(format!("{}. {}", reason.label(), note.trim())),
    }
}

pub fn extension_text(new_due: NaiveDate, reason: &str) -> String {
    format!("New date: {}. Reason: {}", long_date(new_due), reason)
}

/// What the customer's timeline says of an outcome.
pub fn outcome_summary(outcome: &Outcome) -> String {
    match outcome {
        Outcome::OptOutApplied { effective_on } => {
            format!("Your opt-out took effect on {}.", long_date(*effective_on))
        }
        Outcome::AmendmentAccepted { records_changed } => {
            format!("{}. What we changed: {}", outcome.label(), records_changed.trim())
        }
        Outcome::AmendmentPartlyAccepted { records_changed, reason } => format!(
            "{}. What we changed: {} What we did not change, and why: {}",
            outcome.label(),
            records_changed.trim(),
            reason.trim()
        ),
        Outcome::AmendmentDenied { ground, explanation } => {
            format!("{}: {}. {}", outcome.label(), ground.label(), explanation.trim())
        }
        Outcome::ComplaintResolved { resolution, .. } => format!("{}: {}", outcome.label(), resolution.trim()),
        Outcome::AppealGranted { decision } => format!("{}. What we now do: {}", outcome.label(), decision.trim()),
        Outcome::AppealDenied { explanation } => format!("{}: {}", outcome.label(), explanation.trim()),
    }
}
