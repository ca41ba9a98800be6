//! What every part of the portal that writes to someone holds: the
//! composer, the outbox, the worker's doorbell, and the address its links
//! point to.

use std::sync::Arc;

use app::domain::Language;
use sea_orm::{ConnectionTrait, DbErr};
use tokio::sync::Notify;

use super::{Composed, Letter, Letters, Outbox};

#[derive(Clone)]
pub struct Mailer {
    letters: Arc<Letters>,
    outbox: Outbox,
    /// Rung after a commit that wrote letters, so the worker sends at once.
    wake: Arc<Notify>,
    /// Rung after a commit that recorded history: the webhook deliveries it
    /// announced are sent at once rather than at the worker's next poll.
    deliveries: Arc<Notify>,
    /// The portal's public address, which links in letters start with.
    public_url: String,
}

impl Mailer {
    pub fn new(
        letters: Letters,
        outbox: Outbox,
        wake: Arc<Notify>,
        deliveries: Arc<Notify>,
        public_url: String,
    ) -> Self {
        Self { letters: Arc::new(letters), outbox, wake, deliveries, public_url }
    }

    /// The composer, for the letter editor's previews and checks.
    pub fn letters(&self) -> &Letters {
        &self.letters
    }

    /// Composes `letter` about a request made in `lang` (staff letters:
    /// English whatever it is).
    pub fn compose(&self, letter: &Letter<'_>, lang: Language) -> Result<Composed, minijinja::Error> {
        self.letters.compose(letter, lang)
    }

    /// As [`Self::compose`], for a customer answered by post or by email.
    pub fn compose_for(
        &self,
        letter: &Letter<'_>,
        by_post: bool,
        lang: Language,
    ) -> Result<Composed, minijinja::Error> {
        self.letters.compose_for(letter, by_post, lang)
    }

    /// Adds a letter inside the caller's transaction: it is sent if and only
    /// if that transaction commits, once [`Mailer::wake`] is rung.
    pub async fn enqueue(
        &self,
        txn: &impl ConnectionTrait,
        request_id: Option<i64>,
        recipient: &str,
        letter: Composed,
    ) -> Result<(), DbErr> {
        self.outbox.enqueue(txn, request_id, recipient, letter).await
    }

    /// As [`Self::enqueue`], to a customer who may be answered by post.
    pub async fn enqueue_to(
        &self,
        txn: &impl ConnectionTrait,
        request_id: Option<i64>,
        to: super::outbox::Recipient<'_>,
        letter: Composed,
    ) -> Result<(), DbErr> {
        self.outbox.enqueue_to(txn, request_id, to, letter).await
    }

    /// Tells the outbox's workers that letters or webhook deliveries were
    /// committed. A ring nobody needed costs one empty claim.
    pub fn wake(&self) {
        self.wake.notify_one();
        if self.outbox.endpoints_seen() {
            self.deliveries.notify_one();
        }
    }

    /// An absolute link to `path` on the portal, as a letter carries it.
    pub fn link(&self, path: &str) -> String {
        format!("{}/{path}", self.public_url)
    }

    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }
}
