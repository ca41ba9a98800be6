//! Sending one delivery: to the endpoint's address as it stands, signed
//! with its secrets in force, within a time limit, and never following a
//! redirect (a receiver that answers with one has not taken the delivery,
//! and the new address was never checked).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};

use super::guard::{Destinations, GuardedResolver};
use super::sign;
use crate::db::entities::webhook_endpoint;
use crate::mail::outbox::Outgoing;
use crate::vault::Vault;

/// Why an endpoint did not take a delivery; the attempt is retried later.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("the endpoint answered {0}")]
    Status(u16),
    #[error("the endpoint answered with a redirect ({0}), which is not followed")]
    Redirect(u16),
    #[error("the endpoint could not be reached: {0}")]
    Unreachable(String),
    #[error("{0}")]
    Private(String),
    #[error("the endpoint was stopped or removed")]
    Stopped,
    #[error("the delivery cannot be read: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Database(#[from] DbErr),
}

impl Refused {
    /// The HTTP status the endpoint answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status(status) | Self::Redirect(status) => Some(*status),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("cannot set up the webhook client: {0}")]
pub struct SenderError(#[from] reqwest::Error);

pub struct Sender {
    client: reqwest::Client,
    destinations: Destinations,
    vault: Vault,
}

impl Sender {
    pub fn new(destinations: Destinations, vault: Vault, timeout: Duration) -> Result<Self, SenderError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout)
            .no_proxy()
            .user_agent(concat!("privacy-portal-webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver { destinations: destinations.clone() }))
            .build()?;
        Ok(Self { client, destinations, vault })
    }

    /// Posts `delivery` to its endpoint; the endpoint's answer when it was
    /// a success (2xx).
    pub async fn deliver(&self, db: &DatabaseConnection, delivery: &Outgoing) -> Result<u16, Refused> {
        let endpoint_id = delivery.endpoint_id.ok_or(Refused::Stopped)?;
        let endpoint = webhook_endpoint::Entity::find_by_id(endpoint_id).one(db).await?;
        let endpoint = endpoint.filter(|endpoint| endpoint.active).ok_or(Refused::Stopped)?;
        let url = reqwest::Url::parse(&endpoint.url).map_err(|e| Refused::Unreachable(e.to_string()))?;
        if let Some(refusal) = url.host_str().and_then(|host| self.destinations.refusal(host)) {
            return Err(Refused::Private(refusal));
        }
        let now = Utc::now();
        let secrets =
            super::secrets_in_force(&self.vault, &endpoint, now).map_err(|e| Refused::Unreadable(e.to_string()))?;
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let timestamp = now.timestamp();
        let body = delivery.text_body.clone();
        let signature = sign::signature(&secrets, &delivery.message_id, timestamp, &body);
        let answer = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("webhook-id", &delivery.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await
            .map_err(|error| Refused::Unreachable(describe(&error)))?;
        let status = answer.status();
        match status.as_u16() {
            code @ 200..=299 => Ok(code),
            code @ 300..=399 => Err(Refused::Redirect(code)),
            code => Err(Refused::Status(code)),
        }
    }
}

/// The error and its causes, which say what actually went wrong (a refused
/// address, a timeout) where the outer error says only "error sending".
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
