//! Webhooks: endpoints that administrators register, and a delivery to each
//! for every event it wants, written into the outbox in the transaction of
//! the event and sent by the webhook worker with the letters' lease, retries
//! and final failed state.

mod announce;
mod guard;
mod sender;
mod sign;

pub use announce::announce;
pub use guard::{Destinations, is_public};
pub use sender::{Refused, Sender, SenderError};
pub use sign::signature;

use app::domain::case::LetterStatus;
use app::domain::webhooks::{DeliveryInfo, EndpointInfo, WebhookEvent};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::db::entities::{outbox, webhook_endpoint};
use crate::mail::outbox::{Channel, resend_delivery};
use crate::vault::rows::endpoint_place;
use crate::vault::{Vault, VaultError};

/// How long the secret a rotation replaced still signs, so a receiver can
/// switch to the new one without missing a delivery.
const OVERLAP: Duration = Duration::hours(24);

/// Deliveries shown with each endpoint.
const RECENT: u64 = 20;

const URL_LIMIT: usize = 2048;
const DESCRIPTION_LIMIT: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The form's answers cannot be used, and why, for the person.
    #[error("{0}")]
    Invalid(String),
}

/// The endpoints, as administrators manage them.
#[derive(Clone)]
pub struct Webhooks {
    db: DatabaseConnection,
    vault: Vault,
    destinations: Destinations,
}

impl Webhooks {
    pub fn new(db: DatabaseConnection, vault: Vault, destinations: Destinations) -> Self {
        Self { db, vault, destinations }
    }

    /// Registers an endpoint; its id, or why the answers cannot be used.
    pub async fn register(
        &self,
        by: &Actor,
        url: &str,
        description: &str,
        events: &[String],
    ) -> Result<i64, WebhookError> {
        let url = self.usable_url(url)?;
        let description = description.trim();
        if description.chars().count() > DESCRIPTION_LIMIT {
            return Err(WebhookError::Invalid(format!("Keep the description under {DESCRIPTION_LIMIT} characters.")));
        }
        let events: Vec<WebhookEvent> = events.iter().filter_map(|event| WebhookEvent::parse(event)).collect();
        if events.is_empty() {
            return Err(WebhookError::Invalid("Choose at least one event to send.".to_owned()));
        }
        let names: Vec<&str> = events.iter().map(|event| event.as_str()).collect();
        let secret = self.vault.seal(&sign::new_secret(), endpoint_place("secret", &url))?;
        let by_id = match by {
            Actor::Staff { id, .. } => Some(*id),
            _ => None,
        };
        let txn = self.db.begin().await?;
        let endpoint = webhook_endpoint::ActiveModel {
            url: Set(url.clone()),
            description: Set(description.to_owned()),
            events: Set(names.join(" ")),
            secret: Set(secret),
            previous_secret: Set(None),
            previous_until: Set(None),
            active: Set(true),
            created_at: Set(Utc::now()),
            created_by: Set(by_id),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let detail = serde_json::json!({ "endpoint_id": endpoint.id, "url": url, "events": names });
        audit::append(&txn, by, "webhook.registered", None, detail).await?;
        txn.commit().await?;
        Ok(endpoint.id)
    }

    /// `text` as an address deliveries can go to: http or https, with a
    /// host, no password in it, and not a private address unless allowed.
    fn usable_url(&self, text: &str) -> Result<String, WebhookError> {
        let invalid = |problem: &str| WebhookError::Invalid(problem.to_owned());
        let text = text.trim();
        if text.is_empty() {
            return Err(invalid("Give the address the portal should send events to."));
        }
        if text.len() > URL_LIMIT {
            return Err(invalid("That address is too long."));
        }
        let url = reqwest::Url::parse(text)
            .map_err(|_| invalid("Give a whole web address, such as https://hooks.example.com/privacy."))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid("The address must start with https:// (or http://)."));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("Leave the user name and password out of the address; deliveries are signed."));
        }
        let host = url.host_str().ok_or_else(|| invalid("The address needs a host name."))?;
        if let Some(refusal) = self.destinations.refusal(host) {
            return Err(WebhookError::Invalid(format!("The portal will not send there: {refusal}.")));
        }
        Ok(url.to_string())
    }

    /// Every endpoint, newest first, with its latest deliveries.
    pub async fn list(&self) -> Result<Vec<EndpointInfo>, WebhookError> {
        let endpoints =
            webhook_endpoint::Entity::find().order_by_desc(webhook_endpoint::Column::Id).all(&self.db).await?;
        let mut listed = Vec::with_capacity(endpoints.len());
        for endpoint in endpoints {
            let rows = outbox::Entity::find()
                .filter(outbox::Column::Channel.eq(Channel::Webhook.as_str()))
                .filter(outbox::Column::EndpointId.eq(endpoint.id))
                .order_by_desc(outbox::Column::Id)
                .limit(RECENT)
                .all(&self.db)
                .await?;
            let recent = rows
                .into_iter()
                .filter_map(|row| {
                    Some(DeliveryInfo {
                        id: row.id,
                        event: row.template,
                        message_id: row.message_id,
                        status: LetterStatus::parse(&row.status)?,
                        attempts: row.attempts,
                        response_status: row.response_status,
                        last_error: row.last_error,
                        created_at: row.created_at,
                        last_attempt_at: row.last_attempt_at,
                    })
                })
                .collect();
            listed.push(EndpointInfo {
                id: endpoint.id,
                secret: self.vault.open(&endpoint.secret, endpoint_place("secret", &endpoint.url))?,
                url: endpoint.url,
                description: endpoint.description,
                events: WebhookEvent::parse_list(&endpoint.events),
                active: endpoint.active,
                created_at: endpoint.created_at,
                recent,
            });
        }
        Ok(listed)
    }

    /// A new signing secret for the endpoint; the old one still signs for
    /// [`OVERLAP`]. `false` when there is no such endpoint.
    pub async fn rotate(&self, by: &Actor, id: i64) -> Result<bool, WebhookError> {
        let txn = self.db.begin().await?;
        let Some(endpoint) = webhook_endpoint::Entity::find_by_id(id).one(&txn).await? else { return Ok(false) };
        let fresh = self.vault.seal(&sign::new_secret(), endpoint_place("secret", &endpoint.url))?;
        let old = self.vault.open(&endpoint.secret, endpoint_place("secret", &endpoint.url))?;
        let previous = self.vault.seal(&old, endpoint_place("previous_secret", &endpoint.url))?;
        webhook_endpoint::Entity::update_many()
            .col_expr(webhook_endpoint::Column::Secret, Expr::value(fresh))
            .col_expr(webhook_endpoint::Column::PreviousSecret, Expr::value(previous))
            .col_expr(webhook_endpoint::Column::PreviousUntil, Expr::value(Utc::now() + OVERLAP))
            .filter(webhook_endpoint::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        audit::append(&txn, by, "webhook.secret_rotated", None, serde_json::json!({ "endpoint_id": id })).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Stops sending to the endpoint; what is waiting for it is not sent.
    pub async fn stop(&self, by: &Actor, id: i64) -> Result<bool, WebhookError> {
        let txn = self.db.begin().await?;
        let stopped = webhook_endpoint::Entity::update_many()
            .col_expr(webhook_endpoint::Column::Active, Expr::value(false))
            .filter(webhook_endpoint::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        if stopped.rows_affected != 1 {
            return Ok(false);
        }
        audit::append(&txn, by, "webhook.stopped", None, serde_json::json!({ "endpoint_id": id })).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Sends one delivery to its endpoint again, under the same id.
    pub async fn resend(&self, by: &Actor, endpoint_id: i64, delivery: i64) -> Result<bool, WebhookError> {
        let txn = self.db.begin().await?;
        if !resend_delivery(&txn, endpoint_id, delivery).await? {
            return Ok(false);
        }
        let detail = serde_json::json!({ "endpoint_id": endpoint_id, "delivery_id": delivery });
        audit::append(&txn, by, "webhook.resent", None, detail).await?;
        txn.commit().await?;
        Ok(true)
    }
}

/// The endpoint's secrets that sign a delivery at `now`: its own, and the
/// one it replaced while the overlap lasts.
fn secrets_in_force(
    vault: &Vault,
    endpoint: &webhook_endpoint::Model,
    now: DateTime<Utc>,
) -> Result<Vec<String>, VaultError> {
    let mut secrets = vec![vault.open(&endpoint.secret, endpoint_place("secret", &endpoint.url))?];
    if let (Some(previous), Some(until)) = (&endpoint.previous_secret, endpoint.previous_until)
        && until > now
    {
        secrets.push(vault.open(previous, endpoint_place("previous_secret", &endpoint.url))?);
    }
    Ok(secrets)
}
