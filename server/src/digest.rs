//! The daily digest: each assignee hears of their requests that are due soon
//! or overdue, and managers of every overdue one. Sent once a day, at a set
//! local time, by whichever server instance claims the day first.

use std::collections::BTreeMap;
use std::sync::Arc;

use app::domain::case::StaffMember;
use app::domain::{Language, RequestKind, RequestStatus, Role};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Set, SqlErr,
    TransactionTrait,
};
use serde::Serialize;

use crate::clocks::Clocks;
use crate::db::entities::{digest_run, request};
use crate::mail::{Composed, Letter, Mailer};
use crate::requests::StoreError;
use crate::staff::StaffAccounts;
use app::domain::format::long_date;

/// One request as a digest lists it: no customer details, just enough to
/// find and prioritise it.
#[derive(Clone, Debug, Serialize)]
pub struct DigestLine {
    pub reference: String,
    pub kind: &'static str,
    pub due: String,
    pub days: i64,
    pub url: String,
}

#[derive(Clone)]
pub struct Digest {
    db: DatabaseConnection,
    mailer: Mailer,
    clocks: Arc<Clocks>,
    staff: StaffAccounts,
    at: NaiveTime,
}

impl Digest {
    pub fn new(
        db: DatabaseConnection,
        mailer: Mailer,
        clocks: Arc<Clocks>,
        staff: StaffAccounts,
        at: NaiveTime,
    ) -> Self {
        Self { db, mailer, clocks, staff, at }
    }

    /// Sends today's digest if its time has come and no instance has sent
    /// it yet. `Ok(true)` when this call sent it.
    pub async fn send_if_due(&self, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let clocks = &self.clocks;
        let local = now.with_timezone(&clocks.time_zone());
        if local.time() < self.at {
            return Ok(false);
        }
        let day = local.date_naive();
        // Every instance asks each minute all day long; once the day is
        // claimed there is nothing to load or write. The claim below
        // still decides between instances that ask at the same moment.
        if digest_run::Entity::find_by_id(day).one(&self.db).await?.is_some() {
            return Ok(false);
        }
        let open: Vec<&str> = RequestStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
        let pressing = request::Entity::find()
            .filter(request::Column::Status.is_in(open))
            .filter(request::Column::Status.ne(RequestStatus::Unverified.as_str()))
            .filter(request::Column::DueOn.lte(clocks.due_soon_until()))
            .order_by_asc(request::Column::DueOn)
            .all(&self.db)
            .await?;
        let staff = self.staff.list().await.map_err(|e| StoreError::Db(DbErr::Custom(e.to_string())))?;
        let letters = self.compose(day, &pressing, &staff)?;

        let txn = self.db.begin().await?;
        let claimed = digest_run::ActiveModel { day: Set(day), sent_at: Set(now) }.insert(&txn).await;
        match claimed {
            Ok(_) => {}
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => return Ok(false),
            Err(e) => return Err(e.into()),
        }
        for (recipient, letter) in letters {
            self.mailer.enqueue(&txn, None, &recipient, letter).await?;
        }
        txn.commit().await?;
        self.mailer.wake();
        Ok(true)
    }

    fn compose(
        &self,
        day: NaiveDate,
        pressing: &[request::Model],
        staff: &[StaffMember],
    ) -> Result<Vec<(String, Composed)>, StoreError> {
        let line = |row: &request::Model| {
            let due = row.due_on?;
            Some(DigestLine {
                reference: row.reference.clone(),
                kind: RequestKind::parse(&row.kind)?.label(),
                due: long_date(due),
                days: self.clocks.standing(due).0,
                url: self.mailer.link(&format!("staff/requests/{}", row.reference)),
            })
        };
        let mut mine: BTreeMap<i64, (Vec<DigestLine>, Vec<DigestLine>)> = BTreeMap::new();
        let mut overdue_everywhere = Vec::new();
        for row in pressing {
            let Some(line) = line(row) else { continue };
            let overdue = line.days < 0;
            if overdue {
                overdue_everywhere.push(line.clone());
            }
            if let Some(assignee) = row.assignee_id {
                let (soon, late) = mine.entry(assignee).or_default();
                if overdue { late.push(line) } else { soon.push(line) }
            }
        }
        let mut letters = Vec::new();
        for member in staff.iter().filter(|m| m.active) {
            let (due_soon, overdue) = mine.remove(&member.id).unwrap_or_default();
            let all_overdue = if matches!(member.role, Role::Manager | Role::Admin) {
                overdue_everywhere.clone()
            } else {
                Vec::new()
            };
            if due_soon.is_empty() && overdue.is_empty() && all_overdue.is_empty() {
                continue;
            }
            let letter = self.mailer.compose(
                &Letter::Digest {
                    name: &member.name,
                    day: long_date(day),
                    due_soon: &due_soon,
                    overdue: &overdue,
                    all_overdue: &all_overdue,
                    queue_url: &self.mailer.link("staff"),
                },
                Language::En,
            )?;
            letters.push((member.email.clone(), letter));
        }
        Ok(letters)
    }
}
