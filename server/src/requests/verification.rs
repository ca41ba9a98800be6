//! Confirming a requester's email address: the single-use link, a new one
//! on request, and closing requests whose address was never confirmed. The
//! status changes are the workflow's own steps, taken by the portal.

use app::domain::workflow::SystemStep;
use app::domain::{Agent, EventKind, Language, ReferenceCode, RequestKind};
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};

use super::{RequestStore, StoreError, link};
use crate::db::entities::{request, request_event};
use crate::history;
use crate::mail::{Composed, Letter, allowance};
use crate::secret::{self, Secret};

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
    /// The request has had all the new letters it may ask for, or its
    /// requester all the letters the public may cause today.
    AllowanceUsed,
}

/// The least time between two verification emails for one request.
const RESEND_INTERVAL: Duration = Duration::minutes(2);

impl RequestStore {
    /// The letter with the link that confirms the requester's address.
    pub(super) fn verification_letter(
        &self,
        name: &str,
        reference: &ReferenceCode,
        secret: &Secret,
        lang: Language,
    ) -> Result<Composed, StoreError> {
        Ok(self.mailer.compose(
            &Letter::Verification {
                name,
                reference,
                verify_url: &link(&self.mailer, "verify", secret),
                valid_hours: self.verification_hours(),
            },
            lang,
        )?)
    }

    /// How long a confirmation link works, in whole hours, as letters say.
    pub(super) fn verification_hours(&self) -> u32 {
        self.verification_ttl.num_hours().clamp(1, i64::from(u32::MAX)) as u32
    }

    /// Confirms the requester's email address with a single-use link.
    pub async fn verify(&self, presented: &str) -> Result<Verification, StoreError> {
        let Some(hash) = secret::lookup_hash(presented) else {
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
        let confirm = SystemStep::ConfirmEmail;
        let updated = request::Entity::update_many()
            .col_expr(request::Column::Status, Expr::value(confirm.leads_to().as_str()))
            .col_expr(request::Column::VerifiedAt, Expr::value(now))
            .col_expr(request::Column::VerificationHash, Expr::value(Option::<String>::None))
            .col_expr(request::Column::UpdatedAt, Expr::value(now))
            .filter(request::Column::Id.eq(found.id))
            .filter(request::Column::VerificationHash.eq(hash))
            .filter(request::Column::Status.eq(confirm.taken_from().as_str()))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Ok(Verification::Unknown);
        }
        history::record_system(&txn, self.mailer.outbox(), found.id, confirm.event(), now).await?;
        txn.commit().await?;
        self.mailer.wake();
        Ok(Verification::Confirmed)
    }

    /// Sends a new verification link, replacing the old one, at most once
    /// every few minutes and a few times in all.
    pub async fn resend_verification(&self, presented_tracking_token: &str) -> Result<Resend, StoreError> {
        let Some(hash) = secret::lookup_hash(presented_tracking_token) else {
            return Ok(Resend::NotApplicable);
        };
        let Some(found) = self.by_tracking_hash(&self.db, &hash).await? else {
            return Ok(Resend::NotApplicable);
        };
        // A new link is worth sending while the address can still be confirmed.
        let awaiting = SystemStep::ConfirmEmail.taken_from();
        if found.status != awaiting.as_str() {
            return Ok(Resend::NotApplicable);
        }
        let now = Utc::now();
        if found.verification_sent_at.is_some_and(|sent| sent > now - RESEND_INTERVAL) {
            return Ok(Resend::TooSoon);
        }
        let resent = request_event::Entity::find()
            .filter(request_event::Column::RequestId.eq(found.id))
            .filter(request_event::Column::Kind.eq(EventKind::VerificationSent.as_str()))
            .count(&self.db)
            .await?;
        if resent >= u64::from(self.limits.resends_per_request) {
            return Ok(Resend::AllowanceUsed);
        }
        let reference = ReferenceCode::parse(&found.reference)
            .map_err(|e| StoreError::Corrupt { id: found.id, reason: e.to_string() })?;
        let secret = Secret::generate();
        let vault = self.vault();
        // A power of attorney confirms their own address: the link goes to
        // whoever was sent the first.
        let attorney = vault
            .open_agent(&found)?
            .map(|json| serde_json::from_str::<Agent>(&json))
            .transpose()
            .map_err(|e| StoreError::Corrupt { id: found.id, reason: e.to_string() })?
            .filter(|agent| !agent.relationship.customer_confirms());
        let (name, email) = match attorney {
            Some(agent) => (agent.name, agent.email),
            None => (vault.open_name(&found)?, vault.open_email(&found)?),
        };
        let letter = self.verification_letter(&name, &reference, &secret, found.lang())?;

        let txn = self.db.begin().await?;
        // Conditional on the previous send time, so two clicks at once send
        // one letter.
        let updated = request::Entity::update_many()
            .col_expr(request::Column::VerificationHash, Expr::value(secret.hash()))
            .col_expr(request::Column::VerificationExpiresAt, Expr::value(now + self.verification_ttl))
            .col_expr(request::Column::VerificationSentAt, Expr::value(now))
            .filter(request::Column::Id.eq(found.id))
            .filter(request::Column::Status.eq(awaiting.as_str()))
            .filter(match found.verification_sent_at {
                Some(sent) => request::Column::VerificationSentAt.eq(sent),
                None => request::Column::VerificationSentAt.is_null(),
            })
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Ok(Resend::TooSoon);
        }
        let recipient = allowance::recipient_key(vault, &email);
        if !self.limits.allowance.take(&txn, &recipient, self.clocks.local_date(now), 1).await? {
            return Ok(Resend::AllowanceUsed);
        }
        history::record_system(&txn, self.mailer.outbox(), found.id, EventKind::VerificationSent, now).await?;
        self.mailer.enqueue(&txn, Some(found.id), &email, letter).await?;
        txn.commit().await?;
        self.mailer.wake();
        Ok(Resend::Sent)
    }

    /// Closes requests whose email address was not confirmed within
    /// `after`, telling each requester. Safe to run on several instances at
    /// once: each request is closed, and written to, by one of them.
    pub async fn close_unverified(&self, after: Duration) -> Result<usize, StoreError> {
        let now = Utc::now();
        let close = SystemStep::CloseUnverified;
        let stale = request::Entity::find()
            .filter(request::Column::Status.eq(close.taken_from().as_str()))
            .filter(request::Column::ReceivedAt.lt(now - after))
            .order_by_asc(request::Column::Id)
            .limit(200)
            .all(&self.db)
            .await?;
        let days = after.num_days().clamp(0, i64::from(u32::MAX)) as u32;
        let mut closed = 0;
        for found in stale {
            let vault = self.vault();
            let (Some(kind), Ok(reference), Ok(name), Ok(email)) = (
                RequestKind::parse(&found.kind),
                ReferenceCode::parse(&found.reference),
                vault.open_name(&found),
                vault.open_email(&found),
            ) else {
                tracing::error!(id = found.id, "unreadable request skipped by the unverified sweep");
                continue;
            };
            let letter = self.mailer.compose(
                &Letter::ClosedUnverified { name: &name, reference: &reference, kind, close_days: days },
                found.lang(),
            )?;
            let txn = self.db.begin().await?;
            let updated = request::Entity::update_many()
                .col_expr(request::Column::Status, Expr::value(close.leads_to().as_str()))
                .col_expr(request::Column::VerificationHash, Expr::value(Option::<String>::None))
                .col_expr(request::Column::UpdatedAt, Expr::value(now))
                .filter(request::Column::Id.eq(found.id))
                .filter(request::Column::Status.eq(close.taken_from().as_str()))
                .exec(&txn)
                .await?;
            if updated.rows_affected == 1 {
                history::record_system(&txn, self.mailer.outbox(), found.id, close.event(), now).await?;
                self.mailer.enqueue(&txn, Some(found.id), &email, letter).await?;
                txn.commit().await?;
                closed += 1;
            }
        }
        if closed > 0 {
            self.mailer.wake();
        }
        Ok(closed)
    }
}
