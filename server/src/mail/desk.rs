//! The mail desk: letters that have not gone out, and sending a failed one
//! again by hand.

use std::collections::HashMap;
use std::sync::Arc;

use app::domain::ReferenceCode;
use app::domain::case::{LetterState, LetterStatus, PrintLetter};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, TransactionTrait,
};

use super::outbox::Channel;
use super::{Mailer, outbox as outbox_rows};
use crate::audit::{self, Actor};
use crate::clocks::Clocks;
use crate::db::entities::{outbox, request};

#[derive(Clone)]
pub struct MailDesk {
    db: DatabaseConnection,
    /// Where pages read; see [`crate::db::reader`]. The writer until
    /// [`Self::reading_from`] says otherwise.
    read: DatabaseConnection,
    mailer: Mailer,
    clocks: Arc<Clocks>,
}

impl MailDesk {
    pub fn new(db: DatabaseConnection, mailer: Mailer, clocks: Arc<Clocks>) -> Self {
        Self { read: db.clone(), db, mailer, clocks }
    }

    /// Lists letters through `reader` (see [`crate::db::reader`]).
    pub fn reading_from(mut self, reader: DatabaseConnection) -> Self {
        self.read = reader;
        self
    }

    /// Letters that have not gone out, failed ones first.
    pub async fn undelivered(&self) -> Result<Vec<LetterState>, DbErr> {
        let rows = undelivered_letters().all(&self.read).await?;
        let ids: Vec<i64> = rows.iter().filter_map(|row| row.request_id).collect();
        let references: HashMap<i64, ReferenceCode> = request::Entity::find()
            .select_only()
            .column(request::Column::Id)
            .column(request::Column::Reference)
            .filter(request::Column::Id.is_in(ids))
            .into_tuple::<(i64, String)>()
            .all(&self.read)
            .await?
            .into_iter()
            .filter_map(|(id, reference)| Some((id, ReferenceCode::parse(&reference).ok()?)))
            .collect();
        let mut letters: Vec<LetterState> = rows
            .into_iter()
            .filter_map(|row| {
                let reference = row.request_id.and_then(|id| references.get(&id));
                self.letter_state(row, reference)
            })
            .collect();
        letters.sort_by_key(|letter| letter.status != LetterStatus::Failed);
        Ok(letters)
    }

    /// Letters to customers answered by post that wait to be printed,
    /// oldest first, opened for printing.
    pub async fn to_print(&self) -> Result<Vec<PrintLetter>, DbErr> {
        let rows = outbox::Entity::find()
            .filter(outbox::Column::Channel.eq(Channel::Print.as_str()))
            .filter(outbox::Column::Status.eq(LetterStatus::Pending.as_str()))
            .order_by_asc(outbox::Column::Id)
            .limit(500)
            .all(&self.read)
            .await?;
        let references = self.references(&rows).await?;
        let mut bodies = outbox_rows::bodies(&self.read, rows.iter().map(|row| row.id)).await?;
        let vault = self.mailer.outbox().vault();
        let mut letters = Vec::with_capacity(rows.len());
        for row in rows {
            // Purged since the list was read: no longer there to print.
            let Some(row_bodies) = bodies.remove(&row.id) else { continue };
            let (address, subject, text) = outbox_rows::open_printable(vault, &row, &row_bodies)?;
            letters.push(PrintLetter {
                id: row.id,
                reference: row.request_id.and_then(|id| references.get(&id).cloned()),
                address,
                subject,
                text,
                created_on: self.clocks.local_date(row.created_at),
            });
        }
        Ok(letters)
    }

    /// Records that staff printed a letter for the post. `Ok(false)` when it
    /// is not waiting to be printed (printed already, or no such letter).
    pub async fn mark_printed(&self, by: &Actor, id: i64) -> Result<bool, DbErr> {
        let txn = self.db.begin().await?;
        if !outbox_rows::mark_printed(&txn, id).await? {
            return Ok(false);
        }
        audit::append(&txn, by, "mail.printed", None, serde_json::json!({ "outbox_id": id })).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// The references of the requests `rows` belong to.
    async fn references(&self, rows: &[outbox::Model]) -> Result<HashMap<i64, ReferenceCode>, DbErr> {
        let ids: Vec<i64> = rows.iter().filter_map(|row| row.request_id).collect();
        Ok(request::Entity::find()
            .select_only()
            .column(request::Column::Id)
            .column(request::Column::Reference)
            .filter(request::Column::Id.is_in(ids))
            .into_tuple::<(i64, String)>()
            .all(&self.read)
            .await?
            .into_iter()
            .filter_map(|(id, reference)| Some((id, ReferenceCode::parse(&reference).ok()?)))
            .collect())
    }

    /// Every letter written for one request, oldest first, printed ones
    /// included.
    pub async fn letters_of(&self, request_id: i64, reference: &ReferenceCode) -> Result<Vec<LetterState>, DbErr> {
        let rows = outbox::Entity::find()
            .filter(outbox::Column::Channel.is_in([Channel::Mail.as_str(), Channel::Print.as_str()]))
            .filter(outbox::Column::RequestId.eq(request_id))
            .order_by_asc(outbox::Column::Id)
            .all(&self.read)
            .await?;
        Ok(rows.into_iter().filter_map(|row| self.letter_state(row, Some(reference))).collect())
    }

    /// Queues a failed letter again. `Ok(false)` when it is not failed.
    pub async fn retry(&self, by: &Actor, id: i64) -> Result<bool, DbErr> {
        let txn = self.db.begin().await?;
        if !outbox_rows::retry(&txn, id).await? {
            return Ok(false);
        }
        audit::append(&txn, by, "mail.retried", None, serde_json::json!({ "outbox_id": id })).await?;
        txn.commit().await?;
        self.mailer.wake();
        Ok(true)
    }

    fn letter_state(&self, row: outbox::Model, reference: Option<&ReferenceCode>) -> Option<LetterState> {
        let vault = self.mailer.outbox().vault();
        Some(LetterState {
            id: row.id,
            reference: reference.cloned(),
            subject: vault.open_subject(&row).ok()?,
            recipient: vault.open_recipient(&row).ok()?,
            status: LetterStatus::parse(&row.status)?,
            attempts: row.attempts,
            last_error: row.last_error,
            created_on: self.clocks.local_date(row.created_at),
            created_at: row.created_at,
            notice: row.template == super::NOTICE_TEMPLATE,
            by_post: row.channel == Channel::Print.as_str(),
        })
    }
}

/// The statuses named rather than "not sent", so that the claim index finds
/// them: every letter ever sent stays in the outbox, and "not sent" read
/// them all.
fn undelivered_letters() -> Select<outbox::Entity> {
    outbox::Entity::find()
        .filter(outbox::Column::Channel.eq(Channel::Mail.as_str()))
        .filter(outbox::Column::Status.is_in([LetterStatus::Failed.as_str(), LetterStatus::Pending.as_str()]))
        .order_by_asc(outbox::Column::Status)
        .order_by_asc(outbox::Column::Id)
        .limit(500)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn the_undelivered_letters_are_found_through_an_index() {
        let plan = crate::db::plan_of(super::undelivered_letters()).await;
        assert!(
            plan.iter().any(|step| step.contains("USING INDEX idx_outbox_claim (status=? AND channel=?)")),
            "{plan:#?}"
        );
        assert!(!plan.iter().any(|step| step.starts_with("SCAN")), "{plan:#?}");
    }
}
