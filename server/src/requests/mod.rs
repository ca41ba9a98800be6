//! Requests: storing what customers submit, and reading it back for them.

pub mod clocks;
mod group_commit;
pub mod token;

use app::domain::{
    Channel, EventKind, NewRequest, RecordedEvent, ReferenceCode, RequestDetails, RequestKind, RequestStatus,
    TrackedRequest, TrackingView,
};
use std::sync::Arc;

use app::domain::clock::RequestClock;
use app::domain::format::long_date;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, SqlErr, TransactionTrait,
};
use tokio::sync::Notify;

use crate::audit::Actor;
use crate::db::entities::{request, request_event};
use crate::mail::{Letter, Letters, Outbox};
use clocks::{ClockState, Clocks};
use group_commit::{GroupCommit, Prepared};
pub use token::TrackingToken;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("stored request {id} cannot be read: {reason}")]
    Corrupt { id: i64, reason: String },
    #[error("a letter cannot be composed: {0}")]
    Letter(#[from] minijinja::Error),
}

/// What the customer is given once their request is safely stored.
#[derive(Debug)]
pub struct Receipt {
    pub reference: ReferenceCode,
    pub token: TrackingToken,
}

/// How a request arrived, and when the clock started.
#[derive(Clone, Debug)]
pub struct Intake {
    pub channel: Channel,
    pub received_at: DateTime<Utc>,
    /// The staff member who entered a request received by phone or mail.
    /// They spoke with or wrote to the requester, so no email verification
    /// is asked for.
    pub entered_by: Option<Actor>,
}

impl Intake {
    pub fn web_now() -> Self {
        Self { channel: Channel::Web, received_at: Utc::now(), entered_by: None }
    }
}

/// Everything the store needs to write letters alongside its events.
#[derive(Clone)]
pub struct Mailing {
    pub letters: Arc<Letters>,
    pub outbox: Outbox,
    /// Rung after a commit that wrote letters, so the worker sends at once.
    pub wake: Arc<Notify>,
    pub public_url: String,
    /// How long a verification link works.
    pub verification_ttl: Duration,
    pub clocks: Arc<Clocks>,
}

#[derive(Clone)]
pub struct RequestStore {
    db: DatabaseConnection,
    mail: Mailing,
    intake: GroupCommit,
}

/// What became of a click on a verification link.
#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    Confirmed,
    Expired,
    Unknown,
}

/// What became of a request for a new verification email.
#[derive(Debug, PartialEq, Eq)]
pub enum Resend {
    Sent,
    /// One was sent moments ago; the customer should look for it first.
    TooSoon,
    /// The request is not waiting for verification, or the token is unknown.
    NotApplicable,
}

/// The least time between two verification emails for one request.
const RESEND_INTERVAL: Duration = Duration::minutes(2);

/// Collisions of random reference codes are rare (about 2^39 of them); a
/// few fresh draws settle any.
const REFERENCE_ATTEMPTS: usize = 5;

impl RequestStore {
    /// Must be called inside a Tokio runtime: it starts the intake writer.
    pub fn new(db: DatabaseConnection, mail: Mailing) -> Self {
        let intake = GroupCommit::start(db.clone(), mail.outbox.clone());
        Self { db, mail, intake }
    }

    /// Stores a request, its first history event and its letters in one
    /// transaction. When this returns, all are committed; when it fails,
    /// none is.
    pub async fn submit(&self, request: &NewRequest, intake: &Intake) -> Result<Receipt, StoreError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let reference = ReferenceCode::from_random(rand::rng().next_u64());
            match self.insert(request, intake, &reference).await {
                Ok(token) => {
                    self.mail.wake.notify_one();
                    return Ok(Receipt { reference, token });
                }
                Err(StoreError::Db(e))
                    if attempt < REFERENCE_ATTEMPTS
                        && matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
                {
                    tracing::warn!(%reference, "reference code collided; drawing another");
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn insert(
        &self,
        request: &NewRequest,
        intake: &Intake,
        reference: &ReferenceCode,
    ) -> Result<TrackingToken, StoreError> {
        let token = TrackingToken::generate();
        let now = Utc::now();
        let kind = request.kind();
        let details = serde_json::to_string(&request.details)
            .map_err(|e| DbErr::Custom(format!("request details do not serialise: {e}")))?;
        let gpc = matches!(request.details, RequestDetails::OptOut { gpc: true, .. });
        let contact = &request.contact;
        let by_staff = intake.entered_by.is_some();
        let verification = (kind.needs_verification() && !by_staff).then(TrackingToken::generate);
        let status = if verification.is_some() { RequestStatus::Unverified } else { RequestStatus::Received };
        let clock = self.mail.clocks.compute(kind, intake.received_at, &ClockState::default());

        let receipt = self.mail.letters.compose(&Letter::Receipt {
            name: &contact.full_name,
            reference,
            kind,
            summary: &request.details.summary(),
            received_on: long_day(self.mail.clocks.local_date(intake.received_at)),
            tracking_url: &self.link("track", &token),
            needs_verification: verification.is_some(),
            answer_by: clock.as_ref().map(|c| long_day(c.due())),
        })?;
        let verification_letter = match &verification {
            Some(secret) => Some(self.verification_letter(&contact.full_name, reference, secret)?),
            None => None,
        };

        let row = request::ActiveModel {
            reference: Set(reference.to_string()),
            kind: Set(kind.as_str().to_owned()),
            status: Set(status.as_str().to_owned()),
            channel: Set(intake.channel.as_str().to_owned()),
            tracking_hash: Set(token.hash()),
            full_name: Set(contact.full_name.clone()),
            email: Set(contact.email.clone()),
            phone: Set(contact.phone.clone()),
            postal_address: Set(contact.postal_address.clone()),
            account_number: Set(contact.account_number.clone()),
            details: Set(details),
            gpc: Set(gpc),
            received_at: Set(intake.received_at),
            created_at: Set(now),
            updated_at: Set(now),
            verified_at: Set(None),
            verification_hash: Set(verification.as_ref().map(TrackingToken::hash)),
            verification_expires_at: Set(verification.as_ref().map(|_| now + self.mail.verification_ttl)),
            verification_sent_at: Set(verification.as_ref().map(|_| now)),
            due_on: Set(clock.as_ref().map(RequestClock::due)),
            clock: Set(clock.as_ref().map(to_json).transpose()?),
            clock_state: Set(Some(to_json(&ClockState::default())?)),
            version: Set(0),
            ..Default::default()
        };
        let letters = std::iter::once(receipt).chain(verification_letter).collect();
        let event = if by_staff { EventKind::EnteredByStaff } else { EventKind::Submitted };
        let entered_by = intake.entered_by.clone();
        self.intake.write(Prepared { row, email: contact.email.clone(), letters, at: now, event, entered_by }).await?;
        Ok(token)
    }

    fn link(&self, path: &str, secret: &TrackingToken) -> String {
        format!("{}/{path}/{}", self.mail.public_url, secret.expose())
    }

    fn verification_letter(
        &self,
        name: &str,
        reference: &ReferenceCode,
        secret: &TrackingToken,
    ) -> Result<crate::mail::Composed, StoreError> {
        let hours = self.mail.verification_ttl.num_hours().clamp(1, i64::from(u32::MAX)) as u32;
        Ok(self.mail.letters.compose(&Letter::Verification {
            name,
            reference,
            verify_url: &self.link("verify", secret),
            valid_hours: hours,
        })?)
    }

    /// Confirms the requester's email address with a single-use link.
    pub async fn verify(&self, presented: &str) -> Result<Verification, StoreError> {
        let Some(hash) = token::lookup_hash(presented) else {
            return Ok(Verification::Unknown);
        };
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let Some(found) =
            request::Entity::find().filter(request::Column::VerificationHash.eq(hash.clone())).one(&txn).await?
        else {
            return Ok(Verification::Unknown);
        };
        if found.verification_expires_at.is_none_or(|expires| expires <= now) {
            return Ok(Verification::Expired);
        }
        // Conditional on the hash still being there: of two clicks at once,
        // one confirms and the other finds the link used.
        let updated = request::Entity::update_many()
            .col_expr(request::Column::Status, Expr::value(RequestStatus::Received.as_str()))
            .col_expr(request::Column::VerifiedAt, Expr::value(now))
            .col_expr(request::Column::VerificationHash, Expr::value(Option::<String>::None))
            .col_expr(request::Column::UpdatedAt, Expr::value(now))
            .filter(request::Column::Id.eq(found.id))
            .filter(request::Column::VerificationHash.eq(hash))
            .filter(request::Column::Status.eq(RequestStatus::Unverified.as_str()))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Ok(Verification::Unknown);
        }
        record_event(&txn, found.id, EventKind::Verified, now).await?;
        txn.commit().await?;
        Ok(Verification::Confirmed)
    }

    /// Sends a new verification link, replacing the old one, at most once
    /// every few minutes.
    pub async fn resend_verification(&self, presented_tracking_token: &str) -> Result<Resend, StoreError> {
        let Some(hash) = token::lookup_hash(presented_tracking_token) else {
            return Ok(Resend::NotApplicable);
        };
        let Some(found) = request::Entity::find().filter(request::Column::TrackingHash.eq(hash)).one(&self.db).await?
        else {
            return Ok(Resend::NotApplicable);
        };
        if found.status != RequestStatus::Unverified.as_str() {
            return Ok(Resend::NotApplicable);
        }
        let now = Utc::now();
        if found.verification_sent_at.is_some_and(|sent| sent > now - RESEND_INTERVAL) {
            return Ok(Resend::TooSoon);
        }
        let reference = ReferenceCode::parse(&found.reference)
            .map_err(|e| StoreError::Corrupt { id: found.id, reason: e.to_string() })?;
        let secret = TrackingToken::generate();
        let letter = self.verification_letter(&found.full_name, &reference, &secret)?;

        let txn = self.db.begin().await?;
        // Conditional on the previous send time, so two clicks at once send
        // one letter.
        let updated = request::Entity::update_many()
            .col_expr(request::Column::VerificationHash, Expr::value(secret.hash()))
            .col_expr(request::Column::VerificationExpiresAt, Expr::value(now + self.mail.verification_ttl))
            .col_expr(request::Column::VerificationSentAt, Expr::value(now))
            .filter(request::Column::Id.eq(found.id))
            .filter(request::Column::Status.eq(RequestStatus::Unverified.as_str()))
            .filter(match found.verification_sent_at {
                Some(sent) => request::Column::VerificationSentAt.eq(sent),
                None => request::Column::VerificationSentAt.is_null(),
            })
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Ok(Resend::TooSoon);
        }
        record_event(&txn, found.id, EventKind::VerificationSent, now).await?;
        self.mail.outbox.enqueue(&txn, Some(found.id), &found.email, letter).await?;
        txn.commit().await?;
        self.mail.wake.notify_one();
        Ok(Resend::Sent)
    }

    /// Closes requests whose email address was not confirmed within
    /// `after`, telling each requester. Safe to run on several instances at
    /// once: each request is closed, and written to, by one of them.
    pub async fn close_unverified(&self, after: Duration) -> Result<usize, StoreError> {
        let now = Utc::now();
        let stale = request::Entity::find()
            .filter(request::Column::Status.eq(RequestStatus::Unverified.as_str()))
            .filter(request::Column::ReceivedAt.lt(now - after))
            .order_by_asc(request::Column::Id)
            .limit(200)
            .all(&self.db)
            .await?;
        let days = after.num_days().clamp(0, i64::from(u32::MAX)) as u32;
        let mut closed = 0;
        for found in stale {
            let (Some(kind), Ok(reference)) = (RequestKind::parse(&found.kind), ReferenceCode::parse(&found.reference))
            else {
                tracing::error!(id = found.id, "unreadable request skipped by the unverified sweep");
                continue;
            };
            let letter = self.mail.letters.compose(&Letter::ClosedUnverified {
                name: &found.full_name,
                reference: &reference,
                kind,
                close_days: days,
            })?;
            let txn = self.db.begin().await?;
            let updated = request::Entity::update_many()
                .col_expr(request::Column::Status, Expr::value(RequestStatus::Closed.as_str()))
                .col_expr(request::Column::VerificationHash, Expr::value(Option::<String>::None))
                .col_expr(request::Column::UpdatedAt, Expr::value(now))
                .filter(request::Column::Id.eq(found.id))
                .filter(request::Column::Status.eq(RequestStatus::Unverified.as_str()))
                .exec(&txn)
                .await?;
            if updated.rows_affected == 1 {
                record_event(&txn, found.id, EventKind::ClosedUnverified, now).await?;
                self.mail.outbox.enqueue(&txn, Some(found.id), &found.email, letter).await?;
                txn.commit().await?;
                closed += 1;
            }
        }
        if closed > 0 {
            self.mail.wake.notify_one();
        }
        Ok(closed)
    }

    /// The customer's view of the request behind a tracking token.
    pub async fn track(&self, presented_token: &str) -> Result<Option<TrackingView>, StoreError> {
        let Some(hash) = token::lookup_hash(presented_token) else {
            return Ok(None);
        };
        let Some(found) = request::Entity::find().filter(request::Column::TrackingHash.eq(hash)).one(&self.db).await?
        else {
            return Ok(None);
        };
        let events = request_event::Entity::find()
            .filter(request_event::Column::RequestId.eq(found.id))
            .filter(request_event::Column::CustomerVisible.eq(true))
            .order_by_asc(request_event::Column::Id)
            .all(&self.db)
            .await?;
        tracking_view(found, events, &self.mail.clocks).map(Some)
    }
}

async fn record_event(
    txn: &impl ConnectionTrait,
    request_id: i64,
    kind: EventKind,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    record_event_by(txn, request_id, kind, at, None, None).await
}

/// Writes one history event; whether the customer sees it follows from its
/// kind.
pub(crate) async fn record_event_by(
    txn: &impl ConnectionTrait,
    request_id: i64,
    kind: EventKind,
    at: DateTime<Utc>,
    body: Option<&str>,
    actor_id: Option<i64>,
) -> Result<(), DbErr> {
    request_event::ActiveModel {
        request_id: Set(request_id),
        at: Set(at),
        kind: Set(kind.as_str().to_owned()),
        customer_visible: Set(kind.customer_visible()),
        body: Set(body.map(str::to_owned)),
        actor_id: Set(actor_id),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

pub(crate) fn long_day(day: NaiveDate) -> String {
    long_date(day)
}

pub(crate) fn to_json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Db(DbErr::Custom(format!("cannot serialise: {e}"))))
}

fn tracking_view(
    found: request::Model,
    events: Vec<request_event::Model>,
    clocks: &Clocks,
) -> Result<TrackingView, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { id: found.id, reason };
    let kind = RequestKind::parse(&found.kind).ok_or_else(|| corrupt(format!("kind {:?}", found.kind)))?;
    let status = RequestStatus::parse(&found.status).ok_or_else(|| corrupt(format!("status {:?}", found.status)))?;
    let reference = ReferenceCode::parse(&found.reference).map_err(|e| corrupt(e.to_string()))?;
    let details: RequestDetails = serde_json::from_str(&found.details).map_err(|e| corrupt(e.to_string()))?;
    let history = events.into_iter().filter_map(|event| {
        Some(RecordedEvent { kind: EventKind::parse(&event.kind)?, at: event.at, body: event.body })
    });
    let clock: Option<RequestClock> = found.clock.as_deref().and_then(|json| serde_json::from_str(json).ok());
    let request = TrackedRequest {
        reference,
        kind,
        status,
        details,
        received_at: found.received_at,
        updated_at: found.updated_at,
        clock,
    };
    Ok(TrackingView::of(request, history, |at| clocks.local_date(at)))
}
