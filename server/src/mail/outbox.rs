//! The outbox table: letters and webhook deliveries waiting to go out. Rows
//! are written in the caller's transaction and claimed by workers with a
//! lease, so that several server instances never hold the same row at once,
//! and a row whose worker died mid-send is picked up again when its lease
//! runs out. Each channel has its own worker, so a slow webhook receiver
//! never holds up a letter.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use app::domain::case::LetterStatus;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, Set, Statement,
};

use super::Composed;
use crate::db::entities::{outbox, outbox_body};
use crate::vault::rows::letter_place;
use crate::vault::{Sealed, Vault, VaultError};

/// What the stored bodies hold where the private link goes: the letter is
/// sent with the link put in, and once sent, its stored copy reads right
/// without being written again.
const LINK_PLACEHOLDER: &str = "[private link, removed after sending]";

/// A letter may carry more than one private link (a receipt that also asks
/// to confirm the address): they are sealed together, one a line, since a
/// link is a URL and holds no line break. Rows written before there could
/// be two hold one link and no break, which reads the same.
const LINK_SEPARATOR: char = '\n';

/// The placeholder of the `index`th link: the first keeps the old wording,
/// so stored letters from before read as they did.
fn placeholder(index: usize) -> String {
    match index {
        0 => LINK_PLACEHOLDER.to_owned(),
        n => format!("[private link {}, removed after sending]", n + 1),
    }
}

/// How an outbox row leaves the portal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Mail,
    Webhook,
    /// A letter to a customer answered by post: no worker claims it; it
    /// waits in the print queue until staff print it and say so.
    Print,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mail => "mail",
            Self::Webhook => "webhook",
            Self::Print => "print",
        }
    }
}

/// Whom a customer's letter goes to: their email address, or, for one
/// answered by post, their name and postal address, which the print queue
/// shows for the envelope.
#[derive(Clone, Copy, Debug)]
pub enum Recipient<'a> {
    Email(&'a str),
    Post { name: &'a str, address: &'a str },
}

impl<'a> Recipient<'a> {
    /// By post when the customer gave no email address.
    pub fn of(name: &'a str, email: &'a str, postal_address: Option<&'a str>) -> Self {
        match postal_address {
            Some(address) if email.trim().is_empty() => Self::Post { name, address },
            _ => Self::Email(email),
        }
    }

    fn sealed_as(self) -> (String, Channel) {
        match self {
            Self::Email(email) => (email.to_owned(), Channel::Mail),
            Self::Post { name, address } => (format!("{}\n{}", name.trim(), address.trim()), Channel::Print),
        }
    }
}

/// A claimed row as the claim returns it, without its bodies.
#[derive(FromQueryResult)]
struct Lease {
    id: i64,
    template: String,
    endpoint_id: Option<i64>,
    recipient: Sealed,
    subject: Sealed,
    secret: Option<Sealed>,
    message_id: String,
    attempts: i32,
}

impl Lease {
    fn with(self, bodies: outbox_body::Model) -> Claimed {
        Claimed {
            id: self.id,
            template: self.template,
            endpoint_id: self.endpoint_id,
            recipient: self.recipient,
            subject: self.subject,
            text_body: bodies.text_body,
            html_body: bodies.html_body,
            secret: self.secret,
            message_id: self.message_id,
            attempts: self.attempts,
        }
    }
}

/// A claimed row, still sealed.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub id: i64,
    /// The letter's template, or the webhook event's name.
    pub template: String,
    pub endpoint_id: Option<i64>,
    pub recipient: Sealed,
    pub subject: Sealed,
    pub text_body: Sealed,
    pub html_body: Sealed,
    pub secret: Option<Sealed>,
    pub message_id: String,
    pub attempts: i32,
}

/// A claimed letter opened: everything needed to send it.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub id: i64,
    pub template: String,
    pub endpoint_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub message_id: String,
}

/// A stored body with its private links put back where the placeholders are.
fn with_links(secret: Option<&str>, body: String) -> String {
    let links = secret.unwrap_or_default().split(LINK_SEPARATOR).filter(|link| !link.is_empty());
    links.enumerate().fold(body, |body, (index, link)| body.replace(&placeholder(index), link))
}

/// A letter of the print queue opened for printing: its recipient (name and
/// postal address), subject and text, with its private links put in.
pub fn open_printable(
    vault: &Vault,
    row: &outbox::Model,
    bodies: &outbox_body::Model,
) -> Result<(String, String, String), VaultError> {
    let at = |column| letter_place(column, &row.message_id);
    let secret = vault.open_optional(row.secret.as_ref(), at("secret"))?;
    Ok((
        vault.open(&row.recipient, at("recipient"))?,
        vault.open(&row.subject, at("subject"))?,
        with_links(secret.as_deref(), vault.open(&bodies.text_body, at("text_body"))?),
    ))
}

/// The bodies of the outbox rows `ids`, by row id.
pub async fn bodies(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, outbox_body::Model>, DbErr> {
    let rows = outbox_body::Entity::find().filter(outbox_body::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(|bodies| (bodies.id, bodies)).collect())
}

/// Marks a letter of the print queue printed, dropping its private links as
/// sending does. `Ok(false)` when it is not waiting to be printed.
pub async fn mark_printed(txn: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    let done = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(LetterStatus::Sent.as_str()))
        .col_expr(outbox::Column::SentAt, Expr::value(Some(Utc::now())))
        .col_expr(outbox::Column::Secret, Expr::value(Option::<String>::None))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Channel.eq(Channel::Print.as_str()))
        .filter(outbox::Column::Status.eq(LetterStatus::Pending.as_str()))
        .exec(txn)
        .await?;
    Ok(done.rows_affected == 1)
}

impl Claimed {
    pub fn open(&self, vault: &Vault) -> Result<Outgoing, VaultError> {
        let at = |column| letter_place(column, &self.message_id);
        let secret = vault.open_optional(self.secret.as_ref(), at("secret"))?;
        let with_link = |body: String| with_links(secret.as_deref(), body);
        Ok(Outgoing {
            id: self.id,
            template: self.template.clone(),
            endpoint_id: self.endpoint_id,
            recipient: vault.open(&self.recipient, at("recipient"))?,
            subject: vault.open(&self.subject, at("subject"))?,
            text_body: with_link(vault.open(&self.text_body, at("text_body"))?),
            html_body: with_link(vault.open(&self.html_body, at("html_body"))?),
            message_id: self.message_id.clone(),
        })
    }
}

/// A letter sealed for the outbox, with the Message-ID its fields are bound
/// to; sealed before the transaction that writes it, so the single SQLite
/// writer does none of the work.
#[derive(Clone)]
pub struct SealedLetter {
    template: &'static str,
    recipient: Sealed,
    subject: Sealed,
    text_body: Sealed,
    html_body: Sealed,
    secret: Option<Sealed>,
    message_id: String,
    channel: Channel,
}

#[derive(Clone)]
pub struct Outbox {
    /// The domain of Message-IDs, taken from the sender's address.
    id_domain: String,
    vault: Vault,
    /// Whether the latest event recorded found webhook endpoints to announce
    /// to. The webhook worker is rung after a commit only then, so that
    /// intake with no endpoint registered does not send it to claim in vain
    /// on the one SQLite writer after every request.
    endpoints_seen: Arc<AtomicBool>,
}

impl Outbox {
    pub fn new(sender_domain: &str, vault: Vault) -> Self {
        Self { id_domain: sender_domain.to_owned(), vault, endpoints_seen: Arc::new(AtomicBool::new(false)) }
    }

    pub fn note_endpoints(&self, any: bool) {
        self.endpoints_seen.store(any, Ordering::Relaxed);
    }

    pub fn endpoints_seen(&self) -> bool {
        self.endpoints_seen.load(Ordering::Relaxed)
    }

    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    pub fn seal(&self, recipient: &str, letter: Composed) -> Result<SealedLetter, VaultError> {
        self.seal_to(Recipient::Email(recipient), letter)
    }

    /// Seals a letter for its recipient: emailed, or printed for a customer
    /// answered by post.
    pub fn seal_to(&self, to: Recipient<'_>, letter: Composed) -> Result<SealedLetter, VaultError> {
        let (recipient, channel) = to.sealed_as();
        let recipient = recipient.as_str();
        let message_id = self.new_message_id();
        let at = |column| letter_place(column, &message_id);
        let links: Vec<&str> = letter.secrets.iter().map(String::as_str).filter(|link| !link.is_empty()).collect();
        let without_link = |body: String| {
            links.iter().enumerate().fold(body, |body, (index, link)| body.replace(link, &placeholder(index)))
        };
        let secret = (!links.is_empty()).then(|| links.join(&LINK_SEPARATOR.to_string()));
        Ok(SealedLetter {
            template: letter.template,
            recipient: self.vault.seal(recipient, at("recipient"))?,
            subject: self.vault.seal(&letter.subject, at("subject"))?,
            text_body: self.vault.seal(&without_link(letter.text), at("text_body"))?,
            html_body: self.vault.seal(&without_link(letter.html), at("html_body"))?,
            secret: self.vault.seal_optional(secret.as_deref(), at("secret"))?,
            message_id,
            channel,
        })
    }

    /// Seals a letter and adds it to the outbox inside the caller's
    /// transaction: it is sent if and only if that transaction commits.
    pub async fn enqueue(
        &self,
        txn: &impl ConnectionTrait,
        request_id: Option<i64>,
        recipient: &str,
        letter: Composed,
    ) -> Result<(), DbErr> {
        self.enqueue_to(txn, request_id, Recipient::Email(recipient), letter).await
    }

    /// As [`Self::enqueue`], to a customer who may be answered by post.
    pub async fn enqueue_to(
        &self,
        txn: &impl ConnectionTrait,
        request_id: Option<i64>,
        to: Recipient<'_>,
        letter: Composed,
    ) -> Result<(), DbErr> {
        let sealed = self.seal_to(to, letter)?;
        self.enqueue_sealed(txn, request_id, sealed).await
    }

    pub async fn enqueue_sealed(
        &self,
        txn: &impl ConnectionTrait,
        request_id: Option<i64>,
        letter: SealedLetter,
    ) -> Result<(), DbErr> {
        let channel = letter.channel;
        insert(txn, request_id, letter, channel, None).await
    }

    /// Adds a webhook delivery of `body` (JSON) for `event` to the endpoint
    /// at `url`, inside the caller's transaction. Its `webhook-id` is fixed
    /// here and kept on every attempt, so receivers can tell a retry from a
    /// new event.
    pub async fn enqueue_delivery(
        &self,
        txn: &impl ConnectionTrait,
        request_id: Option<i64>,
        endpoint: (i64, &str),
        event: &'static str,
        body: &str,
    ) -> Result<(), DbErr> {
        let message_id = format!("msg_{}", crate::secret::random_hex());
        let at = |column| letter_place(column, &message_id);
        let delivery = SealedLetter {
            template: event,
            recipient: self.vault.seal(endpoint.1, at("recipient"))?,
            subject: self.vault.seal(event, at("subject"))?,
            text_body: self.vault.seal(body, at("text_body"))?,
            html_body: Sealed::empty(),
            secret: None,
            message_id,
            channel: Channel::Webhook,
        };
        insert(txn, request_id, delivery, Channel::Webhook, Some(endpoint.0)).await
    }

    /// A Message-ID fixed when the row is written, so a letter resent after
    /// a crash is recognisably the same letter.
    fn new_message_id(&self) -> String {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let unique: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!("<{unique}@{}>", self.id_domain)
    }
}

/// Writes one row, due at once, and its bodies, in the caller's transaction.
async fn insert(
    txn: &impl ConnectionTrait,
    request_id: Option<i64>,
    row: SealedLetter,
    channel: Channel,
    endpoint_id: Option<i64>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let id = outbox::Entity::insert(outbox::ActiveModel {
        request_id: Set(request_id),
        template: Set(row.template.to_owned()),
        recipient: Set(row.recipient),
        subject: Set(row.subject),
        secret: Set(row.secret),
        message_id: Set(row.message_id),
        channel: Set(channel.as_str().to_owned()),
        endpoint_id: Set(endpoint_id),
        status: Set(LetterStatus::Pending.as_str().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(txn)
    .await?
    .last_insert_id;
    outbox_body::Entity::insert(outbox_body::ActiveModel {
        id: Set(id),
        text_body: Set(row.text_body),
        html_body: Set(row.html_body),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Claims up to `limit` due rows of `channel` for `worker` until
/// `now + lease`, those due longest first, on `db`; their bodies, which the
/// claim does not touch, are read from `read`.
pub async fn claim(
    db: &DatabaseConnection,
    read: &DatabaseConnection,
    channel: Channel,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> Result<Vec<Claimed>, DbErr> {
    let statement = claim_statement(db.get_database_backend(), channel, worker, now, lease, limit);
    let leases = Lease::find_by_statement(statement).all(db).await?;
    if leases.is_empty() {
        return Ok(Vec::new());
    }
    let mut bodies = bodies(read, leases.iter().map(|lease| lease.id)).await?;
    // A letter purged between its claim and this read is gone, bodies and
    // all: there is nothing left to send.
    Ok(leases.into_iter().filter_map(|lease| bodies.remove(&lease.id).map(|found| lease.with(found))).collect())
}

/// The claim as one statement, which reads its batch and stops however
/// many rows wait: a channel's rows in the order they fell due, from the
/// claim index, then the rows of the batch updated by their ids.
fn claim_statement(
    backend: DatabaseBackend,
    channel: Channel,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> Statement {
    // The batch is chosen once, as a table of its own: PostgreSQL ran a
    // locking `id IN (… LIMIT 20)` again for each waiting row, and one claim
    // of 20 took 10,000 (2026-12-08). On PostgreSQL concurrent claimers
    // skip each other's rows instead of queueing behind them, and the lock
    // checks the conditions again on the row as it is then; SQLite has one
    // writer, which runs the whole statement. Either way a row is never
    // held by two workers.
    let skip_locked = if backend == DatabaseBackend::Postgres { "FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "WITH batch AS MATERIALIZED (SELECT id FROM outbox \
                WHERE status = $5 AND channel = $6 AND next_attempt_at <= $3 \
                  AND (locked_until IS NULL OR locked_until <= $3) \
                ORDER BY next_attempt_at, id LIMIT $4 {skip_locked}) \
         UPDATE outbox SET locked_by = $1, locked_until = $2 FROM batch WHERE outbox.id = batch.id \
         RETURNING outbox.id, outbox.template, outbox.endpoint_id, outbox.recipient, outbox.subject, \
                   outbox.secret, outbox.message_id, outbox.attempts"
    );
    Statement::from_sql_and_values(
        backend,
        sql,
        [
            worker.into(),
            (now + lease).into(),
            now.into(),
            (limit as i64).into(),
            LetterStatus::Pending.as_str().into(),
            channel.as_str().into(),
        ],
    )
}

/// Records deliveries, in one statement for a whole batch, and forgets their
/// private links: once a letter is sent, the database holds its links only
/// as hashes again. Only the worker holding the lease may record them.
pub async fn mark_sent(db: &DatabaseConnection, ids: &[i64], worker: &str, at: DateTime<Utc>) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 4)).collect();
    let mut values: Vec<sea_orm::Value> = vec![at.into(), worker.into(), LetterStatus::Sent.as_str().into()];
    values.extend(ids.iter().map(|&id| id.into()));
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        format!(
            "UPDATE outbox SET status = $3, sent_at = $1, attempts = attempts + 1, locked_by = NULL, \
             locked_until = NULL, last_error = NULL, secret = NULL \
             WHERE locked_by = $2 AND id IN ({})",
            placeholders.join(", ")
        ),
        values,
    ))
    .await?;
    Ok(())
}

/// Records one webhook delivery that its endpoint accepted with `status`.
pub async fn mark_delivered(db: &DatabaseConnection, id: i64, worker: &str, status: u16) -> Result<(), DbErr> {
    let now = Utc::now();
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        "UPDATE outbox SET status = $1, sent_at = $2, last_attempt_at = $2, attempts = attempts + 1, \
         response_status = $3, locked_by = NULL, locked_until = NULL, last_error = NULL \
         WHERE id = $4 AND locked_by = $5",
        [LetterStatus::Sent.as_str().into(), now.into(), i32::from(status).into(), id.into(), worker.into()],
    ))
    .await?;
    Ok(())
}

/// Records a failed attempt: the row waits until `retry_at`, or is marked
/// failed for staff to see when `retry_at` is `None`. A letter that finally
/// failed loses its private link as a sent one does: nobody will receive
/// it, and a resend by staff goes out without it. `response` is the HTTP
/// status a webhook endpoint answered with, if it answered.
pub async fn mark_attempt_failed(
    db: &DatabaseConnection,
    id: i64,
    worker: &str,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    response: Option<u16>,
) -> Result<(), DbErr> {
    let (status, next) = match retry_at {
        Some(at) => (LetterStatus::Pending, at),
        None => (LetterStatus::Failed, Utc::now()),
    };
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        "UPDATE outbox SET status = $1, next_attempt_at = $2, attempts = attempts + 1, last_error = $3, \
         locked_by = NULL, locked_until = NULL, last_attempt_at = $7, response_status = $8, \
         secret = CASE WHEN $1 = $6 THEN NULL ELSE secret END \
         WHERE id = $4 AND locked_by = $5",
        [
            status.as_str().into(),
            next.into(),
            error.into(),
            id.into(),
            worker.into(),
            LetterStatus::Failed.as_str().into(),
            Utc::now().into(),
            response.map(i32::from).into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Sends a failed letter again, with a fresh set of attempts and the same
/// Message-ID. `false` when there is no such failed letter.
pub async fn retry(txn: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    let condition = format!(" AND channel = '{}'", Channel::Mail.as_str());
    send_again(txn, id, &[LetterStatus::Failed], &condition).await
}

/// Sends a webhook delivery of endpoint `endpoint_id` again, whether it
/// failed or was delivered, under the same `webhook-id`. `false` when there
/// is no such delivery or it is still waiting to go out.
pub async fn resend_delivery(txn: &impl ConnectionTrait, endpoint_id: i64, id: i64) -> Result<bool, DbErr> {
    let condition = format!(" AND channel = '{}' AND endpoint_id = {endpoint_id}", Channel::Webhook.as_str());
    send_again(txn, id, &[LetterStatus::Failed, LetterStatus::Sent], &condition).await
}

async fn send_again(
    txn: &impl ConnectionTrait,
    id: i64,
    from: &[LetterStatus],
    condition: &str,
) -> Result<bool, DbErr> {
    let from: Vec<String> = from.iter().map(|status| format!("'{}'", status.as_str())).collect();
    let done = txn
        .execute_raw(Statement::from_sql_and_values(
            txn.get_database_backend(),
            format!(
                "UPDATE outbox SET status = $3, attempts = 0, next_attempt_at = $1, locked_by = NULL, \
                 locked_until = NULL WHERE id = $2 AND status IN ({}){condition}",
                from.join(", ")
            ),
            [Utc::now().into(), id.into(), LetterStatus::Pending.as_str().into()],
        ))
        .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
#[path = "outbox_claim_tests.rs"]
mod claim_tests;
