//! Email: letters composed from template files, written to the outbox in
//! the same transaction as the event that causes them, and delivered by a
//! background worker that survives mail-server outages and crashes.

pub mod letters;
pub mod outbox;
pub mod transport;
pub mod worker;

pub use letters::{Composed, Letter, Letters};
pub use outbox::Outbox;
pub use transport::Transport;
pub use worker::{OutboxWorker, RetryPolicy};
