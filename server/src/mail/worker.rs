//! The background workers that empty the outbox, one for letters and one
//! for webhook deliveries: each wakes when a row is written (or every few
//! seconds), claims due rows of its channel, sends them, and on a failure
//! waits longer each time before trying again.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use rand::Rng;
use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

use super::Transport;
use super::outbox::{self, Channel, Claimed};
use crate::vault::Vault;
use crate::webhooks::Sender;

/// What carries a worker's rows out of the portal.
#[derive(Clone)]
pub enum Courier {
    Mail(Arc<Transport>),
    Webhooks(Arc<Sender>),
}

impl Courier {
    fn channel(&self) -> Channel {
        match self {
            Self::Mail(_) => Channel::Mail,
            Self::Webhooks(_) => Channel::Webhook,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// Attempts before a letter is marked failed for staff to look at.
    pub max_attempts: u32,
    /// The wait after the first failure; it doubles with each failure.
    pub base_delay: StdDuration,
    pub max_delay: StdDuration,
    /// How long a claim holds a row; a worker that dies mid-send gives it
    /// up when this runs out.
    pub lease: StdDuration,
    /// How often to look for due rows when nobody rings.
    pub poll: StdDuration,
}

impl RetryPolicy {
    /// The wait before attempt `failures + 1`: exponential, capped, with
    /// jitter so that many letters failing together do not retry together.
    pub fn delay_after(&self, failures: u32) -> StdDuration {
        let exponential = self.base_delay.saturating_mul(2u32.saturating_pow(failures.saturating_sub(1)));
        let capped = exponential.min(self.max_delay);
        capped.mul_f64(rand::rng().random_range(0.75..=1.25))
    }
}

pub struct OutboxWorker {
    db: DatabaseConnection,
    /// Where the bodies of claimed rows are read: on SQLite a reader beside
    /// the single writer, which then only moves the leases.
    read: DatabaseConnection,
    vault: Vault,
    courier: Courier,
    policy: RetryPolicy,
    wake: Arc<Notify>,
    name: String,
}

const BATCH: u64 = 20;

impl OutboxWorker {
    pub fn new(db: DatabaseConnection, vault: Vault, courier: Courier, policy: RetryPolicy, wake: Arc<Notify>) -> Self {
        let mut suffix = [0u8; 6];
        rand::rng().fill(&mut suffix);
        let name =
            format!("worker-{}-{}", std::process::id(), suffix.iter().map(|b| format!("{b:02x}")).collect::<String>());
        Self { read: db.clone(), db, vault, courier, policy, wake, name }
    }

    pub fn reading_from(mut self, reader: DatabaseConnection) -> Self {
        self.read = reader;
        self
    }

    /// Runs until the task is dropped.
    pub async fn run(self) {
        loop {
            match self.run_once().await {
                Ok(0) => {
                    tokio::select! {
                        () = self.wake.notified() => {}
                        () = tokio::time::sleep(self.policy.poll) => {}
                    }
                }
                Ok(_) => {}
                Err(error) => {
                    let channel = self.courier.channel().as_str();
                    tracing::error!(%error, channel, "outbox worker cannot reach the database; retrying");
                    tokio::time::sleep(self.policy.poll).await;
                }
            }
        }
    }

    /// Claims and sends one batch; returns how many rows it tried.
    pub async fn run_once(&self) -> Result<usize, sea_orm::DbErr> {
        let lease = Duration::from_std(self.policy.lease).unwrap_or(Duration::minutes(5));
        let batch =
            outbox::claim(&self.db, &self.read, self.courier.channel(), &self.name, Utc::now(), lease, BATCH).await?;
        match &self.courier {
            Courier::Mail(transport) => self.send_letters(transport, batch).await,
            Courier::Webhooks(sender) => self.deliver(sender, batch).await,
        }
    }

    /// Each delivery is recorded as soon as its endpoint answers: receivers
    /// tell a repeat by its `webhook-id`, so there is nothing to batch.
    async fn deliver(&self, sender: &Sender, batch: Vec<Claimed>) -> Result<usize, sea_orm::DbErr> {
        for delivery in &batch {
            let answered = match delivery.open(&self.vault) {
                Ok(outgoing) => sender.deliver(&self.db, &outgoing).await,
                Err(error) => Err(crate::webhooks::Refused::Unreadable(error.to_string())),
            };
            match answered {
                Ok(status) => {
                    tracing::info!(id = delivery.id, webhook_id = %delivery.message_id, status, "webhook delivered");
                    outbox::mark_delivered(&self.db, delivery.id, &self.name, status).await?;
                }
                Err(refused) => self.record_failure(delivery, &refused.to_string(), refused.status()).await?,
            }
        }
        Ok(batch.len())
    }

    async fn send_letters(&self, transport: &Transport, batch: Vec<Claimed>) -> Result<usize, sea_orm::DbErr> {
        // Each letter is recorded as sent while the next ones go out, as
        // many in one statement as piled up meanwhile: a worker killed
        // mid-batch leaves unrecorded (and so sends again, under the same
        // Message-ID) only the letters accepted since the last record,
        // rather than its whole batch.
        let (accepted, mut to_record) = tokio::sync::mpsc::unbounded_channel();
        let send = async move {
            for letter in &batch {
                let sent = match letter.open(&self.vault) {
                    Ok(outgoing) => transport.send(&outgoing).await.map_err(|error| error.to_string()),
                    Err(error) => Err(error.to_string()),
                };
                match sent {
                    Ok(()) => {
                        tracing::info!(id = letter.id, message_id = %letter.message_id, "letter sent");
                        // Refused only once recording failed, which ends the batch anyway.
                        let _ = accepted.send(letter.id);
                    }
                    Err(error) => self.record_failure(letter, &error, None).await?,
                }
            }
            Ok::<_, sea_orm::DbErr>(batch.len())
        };
        let record = async {
            let mut sent = Vec::new();
            while to_record.recv_many(&mut sent, BATCH as usize).await > 0 {
                outbox::mark_sent(&self.db, &sent, &self.name, Utc::now()).await?;
                sent.clear();
            }
            Ok(())
        };
        let (tried, ()) = tokio::try_join!(send, record)?;
        Ok(tried)
    }

    async fn record_failure(&self, letter: &Claimed, error: &str, response: Option<u16>) -> Result<(), sea_orm::DbErr> {
        let failures = letter.attempts.max(0) as u32 + 1;
        let retry_at = (failures < self.policy.max_attempts)
            .then(|| Utc::now() + Duration::from_std(self.policy.delay_after(failures)).unwrap_or(Duration::hours(1)));
        match retry_at {
            Some(at) => tracing::warn!(id = letter.id, failures, %error, retry_at = %at, "letter not sent; will retry"),
            None => {
                tracing::error!(id = letter.id, failures, %error, "letter not sent; giving up until staff retry it")
            }
        }
        outbox::mark_attempt_failed(&self.db, letter.id, &self.name, error, retry_at, response).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_within_jitter_and_stop_at_the_cap() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay: StdDuration::from_secs(30),
            max_delay: StdDuration::from_secs(3600),
            lease: StdDuration::from_secs(300),
            poll: StdDuration::from_secs(5),
        };
        for (failures, nominal) in [(1, 30.0), (2, 60.0), (3, 120.0), (10, 3600.0), (40, 3600.0)] {
            let delay = policy.delay_after(failures).as_secs_f64();
            assert!((nominal * 0.75..=nominal * 1.25).contains(&delay), "{failures}: {delay}");
        }
    }
}
