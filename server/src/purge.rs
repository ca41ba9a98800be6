//! Retention: once a day, the personal data of requests past their
//! retention period is removed, leaving a tombstone (reference, kind,
//! channel, dates, status, outcome, deadlines) so that the metrics and the
//! yearly disclosure stay as they were; and the portal's operational rows
//! are forgotten after their own short periods. Run by whichever instance
//! claims the day first, like the digest, or by hand with `server purge`.

use std::collections::HashMap;
use std::sync::Arc;

use app::domain::clock::{PurgeDay, RequestClock, RetentionFacts};
use app::domain::workflow::Outcome;
use app::domain::{RequestDetails, RequestKind, RequestStatus};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    SqlErr, TransactionTrait,
};

use crate::audit::{self, Actor};
use crate::clocks::{ClockState, Clocks};
use crate::db::entities::{digest_run, outbox, purge_run, request, request_document, request_event, sign_in_failure};
use crate::register::{self, RegisterError};
use crate::requests::to_json;
use crate::vault::rows::{ClockColumn, request_place};
use crate::vault::{Sealed, Vault, VaultError};

/// How many requests are looked at, and purged, per round trip.
const PAGE: u64 = 500;

/// How long the portal's operational rows are kept.
#[derive(Clone, Copy, Debug)]
pub struct Housekeeping {
    /// Failed sign-in attempts; the limits look back minutes, an
    /// investigation of an attack weeks.
    pub sign_in_days: u32,
    /// The record of which days' digest and purge ran.
    pub run_days: u32,
    /// Verification links, counted from when they expired: until then an
    /// old link is answered "expired, ask for a new one" rather than
    /// "unknown".
    pub verification_days: u32,
}

/// A request whose retention has ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    pub id: i64,
    pub reference: String,
    pub kind: RequestKind,
    pub purge: PurgeDay,
    /// The version it was judged at: a request changed since is left for
    /// the next run to judge again.
    version: i64,
}

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub purged: Vec<String>,
    pub sign_in_failures: u64,
    pub run_records: u64,
    pub verifications: u64,
    /// Documents sent through an old link and never confirmed.
    pub unconfirmed_documents: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("cannot write a tombstone: {0}")]
    Tombstone(String),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Register(#[from] RegisterError),
}

#[derive(Clone)]
pub struct Purge {
    db: DatabaseConnection,
    vault: Vault,
    clocks: Arc<Clocks>,
    housekeeping: Housekeeping,
    at: NaiveTime,
}

impl Purge {
    pub fn new(
        db: DatabaseConnection,
        vault: Vault,
        clocks: Arc<Clocks>,
        housekeeping: Housekeeping,
        at: NaiveTime,
    ) -> Self {
        Self { db, vault, clocks, housekeeping, at }
    }

    /// Runs today's purge if its time has come and no instance has run it
    /// yet. `Ok(None)` when this call did not run it. A run that stops
    /// half-way leaves the rest to the next day's, which finds everything
    /// due by then.
    pub async fn run_if_due(&self, now: DateTime<Utc>) -> Result<Option<Report>, PurgeError> {
        let local = now.with_timezone(&self.clocks.time_zone());
        if local.time() < self.at {
            return Ok(None);
        }
        let day = local.date_naive();
        if purge_run::Entity::find_by_id(day).one(&self.db).await?.is_some() {
            return Ok(None);
        }
        let claimed = purge_run::ActiveModel { day: Set(day), ran_at: Set(now) }.insert(&self.db).await;
        match claimed {
            Ok(_) => self.run(now).await.map(Some),
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Purges every request due by `now` and forgets old operational rows.
    pub async fn run(&self, now: DateTime<Utc>) -> Result<Report, PurgeError> {
        let mut report = Report::default();
        for due in self.due(now).await? {
            if self.purge(&due, now).await? {
                report.purged.push(due.reference);
            }
        }
        self.sweep(now, &mut report).await?;
        Ok(report)
    }

    /// The requests whose retention has ended by `now`, oldest first;
    /// nothing is changed.
    pub async fn due(&self, now: DateTime<Utc>) -> Result<Vec<Due>, PurgeError> {
        let today = self.clocks.local_date(now);
        let mut due = Vec::new();
        let mut after = 0_i64;
        loop {
            // Walked by id alone: a status filter would lead the planner to
            // the status index and a sort of every finished row per page.
            // Open requests are few, and retention keeps them.
            let page = request::Entity::find()
                .filter(request::Column::Id.gt(after))
                .filter(request::Column::PurgedAt.is_null())
                .filter(request::Column::HeldAt.is_null())
                .order_by_asc(request::Column::Id)
                .limit(PAGE)
                .all(&self.db)
                .await?;
            let Some(last) = page.last() else { return Ok(due) };
            after = last.id;
            let ids: Vec<i64> = page.iter().map(|row| row.id).collect();
            let last_events: HashMap<i64, DateTime<Utc>> = request_event::Entity::find()
                .select_only()
                .column(request_event::Column::RequestId)
                .column_as(request_event::Column::At.max(), "last")
                .filter(request_event::Column::RequestId.is_in(ids))
                .group_by(request_event::Column::RequestId)
                .into_tuple::<(i64, DateTime<Utc>)>()
                .all(&self.db)
                .await?
                .into_iter()
                .collect();
            let opt_outs: Vec<i64> =
                page.iter().filter(|row| row.kind == RequestKind::OptOut.as_str()).map(|row| row.id).collect();
            let revoked: HashMap<i64, NaiveDate> =
                register::revoked_on(&self.db, &opt_outs).await?.into_iter().collect();
            for row in page {
                let (Some(kind), Some(status)) = (RequestKind::parse(&row.kind), RequestStatus::parse(&row.status))
                else {
                    tracing::error!(id = row.id, "unreadable request left alone by the purge");
                    continue;
                };
                let outcome = match self.vault.open_outcome(&row) {
                    Ok(json) => json.as_deref().and_then(|json| serde_json::from_str::<Outcome>(json).ok()),
                    Err(error) => {
                        tracing::error!(id = row.id, %error, "a request whose outcome does not open is left alone");
                        continue;
                    }
                };
                let last_action = [Some(row.received_at), row.resolved_at, last_events.get(&row.id).copied()]
                    .into_iter()
                    .flatten()
                    .max()
                    .unwrap_or(row.received_at);
                let facts = RetentionFacts {
                    kind,
                    status,
                    outcome: outcome.as_ref(),
                    held: row.held_at.is_some(),
                    last_action: self.clocks.local_date(last_action),
                    revoked_on: revoked.get(&row.id).copied(),
                };
                if let Some(purge) = self.clocks.retention(&facts).due(today) {
                    due.push(Due { id: row.id, reference: row.reference, kind, purge, version: row.version });
                }
            }
        }
    }

    /// Removes one request's personal data, unless it changed or was put on
    /// hold since it was judged. `Ok(true)` when it was purged.
    async fn purge(&self, due: &Due, now: DateTime<Utc>) -> Result<bool, PurgeError> {
        let Some(row) = request::Entity::find_by_id(due.id).one(&self.db).await? else { return Ok(false) };
        let at = |column| request_place(column, &row.reference);
        let details = match serde_json::from_str::<RequestDetails>(&self.vault.open(&row.details, at("details"))?) {
            Ok(details) => to_json(&details.tombstone()),
            Err(error) => {
                tracing::error!(id = row.id, %error, "a request whose answers cannot be read is left for staff");
                return Ok(false);
            }
        }
        .map_err(|e| PurgeError::Tombstone(e.to_string()))?;
        let details = self.vault.seal(&details, at("details"))?;
        let unreadable = |e: serde_json::Error| PurgeError::Tombstone(e.to_string());
        let outcome = match self.vault.open_outcome(&row)? {
            Some(json) => Some(serde_json::from_str::<Outcome>(&json).map_err(unreadable)?.tombstone()),
            None => None,
        };
        // The plain tag and category stay as they are: they are the outcome's kind.
        let outcome = self.vault.seal_outcome(&row.reference, outcome.as_ref())?.outcome;
        let clock = match self.vault.open_clock(&row, ClockColumn::Clock)? {
            Some(json) => Some(self.seal_clock(
                &row,
                ClockColumn::Clock,
                &serde_json::from_str::<RequestClock>(&json).map_err(unreadable)?.tombstone(),
            )?),
            None => None,
        };
        let clock_state = match self.vault.open_clock(&row, ClockColumn::State)? {
            Some(json) => Some(self.seal_clock(
                &row,
                ClockColumn::State,
                &serde_json::from_str::<ClockState>(&json).map_err(unreadable)?.tombstone(),
            )?),
            None => None,
        };
        let txn = self.db.begin().await?;
        let tombstone = request::ActiveModel {
            full_name: Set(Sealed::empty()),
            email: Set(Sealed::empty()),
            phone: Set(None),
            postal_address: Set(None),
            account_number: Set(None),
            agent: Set(None),
            details: Set(details),
            email_index: Set(None),
            account_index: Set(None),
            name_index: Set(None),
            outcome: Set(outcome),
            clock: Set(clock),
            clock_state: Set(clock_state),
            verification_hash: Set(None),
            verification_expires_at: Set(None),
            version: Set(due.version + 1),
            updated_at: Set(now),
            purged_at: Set(Some(now)),
            purged_under: Set(Some(due.purge.citation.clone())),
            ..Default::default()
        };
        let updated = request::Entity::update_many()
            .set(tombstone)
            .filter(request::Column::Id.eq(row.id))
            .filter(request::Column::Version.eq(due.version))
            .filter(request::Column::HeldAt.is_null())
            .filter(request::Column::PurgedAt.is_null())
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Ok(false);
        }
        request_event::Entity::update_many()
            .col_expr(request_event::Column::Body, Expr::value(Option::<String>::None))
            .filter(request_event::Column::RequestId.eq(row.id))
            .exec(&txn)
            .await?;
        outbox::Entity::delete_many().filter(outbox::Column::RequestId.eq(row.id)).exec(&txn).await?;
        request_document::Entity::delete_many()
            .filter(request_document::Column::RequestId.eq(row.id))
            .exec(&txn)
            .await?;
        register::forget_person(&txn, row.id).await?;
        let detail =
            serde_json::json!({ "rule": due.purge.rule, "citation": due.purge.citation, "day": due.purge.day });
        audit::append(&txn, &Actor::System("retention"), "request.purged", Some(row.id), detail).await?;
        txn.commit().await?;
        Ok(true)
    }

    fn seal_clock(
        &self,
        row: &request::Model,
        column: ClockColumn,
        value: &impl serde::Serialize,
    ) -> Result<Sealed, PurgeError> {
        let json = to_json(value).map_err(|e| PurgeError::Tombstone(e.to_string()))?;
        Ok(self.vault.seal_clock(&row.reference, column, &json)?)
    }

    /// Forgets operational rows older than their periods.
    async fn sweep(&self, now: DateTime<Utc>, report: &mut Report) -> Result<(), PurgeError> {
        let days = |count: u32| chrono::Duration::days(i64::from(count));
        let Housekeeping { sign_in_days, run_days, verification_days } = self.housekeeping;
        report.sign_in_failures = sign_in_failure::Entity::delete_many()
            .filter(sign_in_failure::Column::At.lt(now - days(sign_in_days)))
            .exec(&self.db)
            .await?
            .rows_affected;
        let oldest_run: NaiveDate = self.clocks.local_date(now - days(run_days));
        report.run_records = digest_run::Entity::delete_many()
            .filter(digest_run::Column::Day.lt(oldest_run))
            .exec(&self.db)
            .await?
            .rows_affected
            + purge_run::Entity::delete_many()
                .filter(purge_run::Column::Day.lt(oldest_run))
                .exec(&self.db)
                .await?
                .rows_affected;
        report.verifications = request::Entity::update_many()
            .col_expr(request::Column::VerificationHash, Expr::value(Option::<String>::None))
            .col_expr(request::Column::VerificationExpiresAt, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(request::Column::VerificationExpiresAt.lt(now - days(verification_days)))
            .exec(&self.db)
            .await?
            .rows_affected;
        report.unconfirmed_documents = request_document::Entity::delete_many()
            .filter(request_document::Column::HeldUntil.lt(now))
            .exec(&self.db)
            .await?
            .rows_affected;
        Ok(())
    }
}
