//! Writing the deliveries a history event causes, inside its transaction:
//! committed together, or not at all.

use app::domain::webhooks::WebhookEvent;
use app::domain::workflow::Outcome;
use app::domain::{EventKind, RequestDetails, RequestKind, RequestStatus};
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::db::entities::{request, webhook_endpoint};
use crate::mail::Outbox;

/// Adds a delivery to every active endpoint that wants what `event` on
/// request `request_id` announces. Cheap when nobody listens: one look at
/// the (small) endpoints table.
pub async fn announce(
    txn: &impl ConnectionTrait,
    outbox: &Outbox,
    request_id: i64,
    event: EventKind,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let endpoints = webhook_endpoint::Entity::find().filter(webhook_endpoint::Column::Active.eq(true)).all(txn).await?;
    outbox.note_endpoints(!endpoints.is_empty());
    if endpoints.is_empty() {
        return Ok(());
    }
    let Some(row) = request::Entity::find_by_id(request_id).one(txn).await? else { return Ok(()) };
    let (Some(kind), Some(status)) = (RequestKind::parse(&row.kind), RequestStatus::parse(&row.status)) else {
        return Ok(());
    };
    for announced in WebhookEvent::announced_by(event, kind, status) {
        deliver(txn, outbox, &endpoints, &row, announced, at).await?;
    }
    Ok(())
}

async fn deliver(
    txn: &impl ConnectionTrait,
    outbox: &Outbox,
    endpoints: &[webhook_endpoint::Model],
    row: &request::Model,
    event: WebhookEvent,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let wanting: Vec<&webhook_endpoint::Model> =
        endpoints.iter().filter(|endpoint| WebhookEvent::parse_list(&endpoint.events).contains(&event)).collect();
    if wanting.is_empty() {
        return Ok(());
    }
    let body = body(outbox, row, event, at)?;
    for endpoint in wanting {
        outbox.enqueue_delivery(txn, Some(row.id), (endpoint.id, &endpoint.url), event.as_str(), &body).await?;
    }
    Ok(())
}

/// What a receiving system needs to act on the event: the request's
/// reference, kind, status and dates; and who it is about only for the
/// events that cannot be acted on without that (an opt-out).
fn body(outbox: &Outbox, row: &request::Model, event: WebhookEvent, at: DateTime<Utc>) -> Result<String, DbErr> {
    let mut data = serde_json::json!({
        "reference": row.reference,
        "kind": row.kind,
        "status": row.status,
        "channel": row.channel,
        "received_at": row.received_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "due_on": row.due_on.map(|day| day.to_string()),
    });
    if event.names_the_person() {
        let vault = outbox.vault();
        let unreadable = |e: crate::vault::VaultError| DbErr::Custom(format!("request {}: {e}", row.id));
        let contact = vault.open_contact(row).map_err(unreadable)?;
        let details: Option<RequestDetails> = serde_json::from_str(&vault.open_details(row).map_err(unreadable)?).ok();
        data["person"] = serde_json::json!({
            "name": contact.full_name,
            "email": contact.email,
            "account_number": contact.account_number,
        });
        if let Some(RequestDetails::OptOut { scope, joint_account, gpc, .. }) = details {
            data["opt_out"] = serde_json::json!({ "scope": scope, "joint_account": joint_account, "gpc": gpc });
        }
    }
    if event == WebhookEvent::AmendmentAccepted {
        data["amendment"] = amendment(outbox, row)?;
    }
    let body = serde_json::json!({
        "type": event.as_str(),
        "timestamp": at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "data": data,
    });
    Ok(body.to_string())
}

/// What a record system needs to act on an accepted amendment: whether all
/// of it was accepted, and which records staff changed. Not the
/// customer's wording, nor who was told.
fn amendment(outbox: &Outbox, row: &request::Model) -> Result<serde_json::Value, DbErr> {
    let unreadable = |e: String| DbErr::Custom(format!("request {}: {e}", row.id));
    let outcome = outbox.vault().open_outcome(row).map_err(|e| unreadable(e.to_string()))?;
    let outcome: Option<Outcome> =
        outcome.map(|json| serde_json::from_str(&json)).transpose().map_err(|e| unreadable(e.to_string()))?;
    Ok(match outcome {
        Some(Outcome::AmendmentAccepted { records_changed }) => {
            serde_json::json!({ "accepted": "whole", "records_changed": records_changed })
        }
        Some(Outcome::AmendmentPartlyAccepted { records_changed, .. }) => {
            serde_json::json!({ "accepted": "part", "records_changed": records_changed })
        }
        _ => serde_json::Value::Null,
    })
}
