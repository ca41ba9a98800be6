//! Email: letters composed from template files, written to the outbox in
//! the same transaction as the event that causes them, and delivered by a
//! background worker that survives mail-server outages and crashes; the
//! desk where staff see what did not go out and send it again.

pub mod allowance;
pub mod desk;
pub mod editor;
mod letter;
pub mod letters;
mod mailer;
pub mod outbox;
pub mod requirements;
pub mod samples;
mod templates;
pub mod transport;
mod values;
pub mod wording;
pub mod worker;

pub use allowance::RecipientAllowance;
pub use desk::MailDesk;
pub use letter::{CustomerNews, Letter, NOTICE_TEMPLATE};
pub use letters::{Composed, Letters};
pub use mailer::Mailer;
pub use outbox::Outbox;
pub use transport::Transport;
pub use worker::{Courier, OutboxWorker, RetryPolicy};
