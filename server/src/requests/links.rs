//! The private tracking links: finding the request one opens, and sending a
//! fresh one to a requester who lost the first letter.
//!
//! A link sent again is added beside the first, never in its place: the
//! customer's earlier letters keep working, and somebody who knows a
//! reference and its address can make the portal write to that address,
//! but cannot take a working link away from its owner.

use app::domain::{ReferenceCode, RequestKind};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set, TransactionTrait,
};

use super::{RequestStore, StoreError, link};
use crate::db::entities::{request, tracking_link};
use crate::mail::{Letter, allowance};
use crate::secret::Secret;

impl RequestStore {
    /// The request a tracking link's hash opens: the link sent with the
    /// receipt, or one sent again since.
    pub(super) async fn by_tracking_hash(
        &self,
        on: &DatabaseConnection,
        hash: &str,
    ) -> Result<Option<request::Model>, DbErr> {
        let first = request::Entity::find().filter(request::Column::TrackingHash.eq(hash)).one(on).await?;
        if first.is_some() {
            return Ok(first);
        }
        let again = tracking_link::Entity::find().filter(tracking_link::Column::Hash.eq(hash)).one(on).await?;
        match again {
            Some(again) => request::Entity::find_by_id(again.request_id).one(on).await,
            None => Ok(None),
        }
    }

    /// The request a tracking link's hash opens, with when that link was
    /// issued: with the receipt, or when it was sent again.
    pub(super) async fn by_tracking_hash_issued(
        &self,
        on: &DatabaseConnection,
        hash: &str,
    ) -> Result<Option<(request::Model, DateTime<Utc>)>, DbErr> {
        let first = request::Entity::find().filter(request::Column::TrackingHash.eq(hash)).one(on).await?;
        if let Some(first) = first {
            // Issued when the row was written, whatever day staff say a
            // request by phone or mail was received.
            let issued = first.created_at;
            return Ok(Some((first, issued)));
        }
        let again = tracking_link::Entity::find().filter(tracking_link::Column::Hash.eq(hash)).one(on).await?;
        let Some(again) = again else { return Ok(None) };
        let found = request::Entity::find_by_id(again.request_id).one(on).await?;
        Ok(found.map(|found| (found, again.created_at)))
    }

    /// Sends a fresh tracking link to the address on file when `email` is
    /// that address. The caller answers alike whether or not it was, so the
    /// answer tells nobody whether a reference and an address belong
    /// together; a letter over the address's daily allowance is not sent.
    pub async fn send_link_again(&self, reference: &ReferenceCode, email: &str) -> Result<(), StoreError> {
        let found =
            request::Entity::find().filter(request::Column::Reference.eq(reference.as_str())).one(&self.db).await?;
        let Some(found) = found else { return Ok(()) };
        let contact = self.vault().open_contact(&found)?;
        if !same_mailbox(&contact.email, email) {
            return Ok(());
        }
        let kind = RequestKind::parse(&found.kind)
            .ok_or_else(|| StoreError::Corrupt { id: found.id, reason: format!("kind {:?}", found.kind) })?;
        let secret = Secret::generate();
        let letter = self.mailer.compose(
            &Letter::TrackingLink {
                name: &contact.full_name,
                reference,
                kind,
                tracking_url: &link(&self.mailer, "track", &secret),
            },
            found.lang(),
        )?;
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let recipient = allowance::recipient_key(self.vault(), &contact.email);
        if !self.limits.allowance.take(&txn, &recipient, self.clocks.local_date(now), 1).await? {
            tracing::warn!(%reference, "tracking link not sent again: the address's letters for today are used up");
            return Ok(());
        }
        tracking_link::ActiveModel {
            request_id: Set(found.id),
            hash: Set(secret.hash()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        self.mailer.enqueue(&txn, Some(found.id), &contact.email, letter).await?;
        txn.commit().await?;
        self.mailer.wake();
        Ok(())
    }
}

/// Whether a typed address is the one on file, as a person would read it.
fn same_mailbox(on_file: &str, typed: &str) -> bool {
    on_file.trim().eq_ignore_ascii_case(typed.trim())
}

#[cfg(test)]
mod tests {
    use super::same_mailbox;

    #[test]
    fn an_address_matches_whatever_its_case_and_spaces() {
        assert!(same_mailbox("ada@example.com", " Ada@Example.com "));
        assert!(!same_mailbox("ada@example.com", "ada@example.org"));
        assert!(!same_mailbox("ada@example.com", ""));
    }
}
