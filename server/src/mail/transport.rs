//! Where letters go: an SMTP server through lettre, or, with no SMTP
//! configured, `.eml` files in a folder for a person to open.

use std::path::PathBuf;

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::outbox::Outgoing;

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("invalid SMTP_URL: {0}")]
    Url(String),
    #[error("invalid sender address {0:?}")]
    Sender(String),
    #[error("the letter cannot be built: {0}")]
    Build(String),
    #[error("delivery failed: {0}")]
    Delivery(String),
}

pub enum Transport {
    Smtp { mailer: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox },
    Files { dir: PathBuf, from: Mailbox },
}

impl Transport {
    pub fn smtp(url: &str, from: &str) -> Result<Self, TransportError> {
        let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| TransportError::Url(e.to_string()))?
            .build();
        Ok(Self::Smtp { mailer, from: parse_sender(from)? })
    }

    pub fn files(dir: PathBuf, from: &str) -> Result<Self, TransportError> {
        Ok(Self::Files { dir, from: parse_sender(from)? })
    }

    pub async fn send(&self, letter: &Outgoing) -> Result<(), TransportError> {
        match self {
            Self::Smtp { mailer, from } => {
                let message = build(letter, from)?;
                mailer.send(message).await.map_err(|e| TransportError::Delivery(e.to_string()))?;
            }
            Self::Files { dir, from } => {
                let mut message = build(letter, from)?;
                message.headers_mut().set(DevelopmentCopy);
                tokio::fs::create_dir_all(dir).await.map_err(|e| TransportError::Delivery(e.to_string()))?;
                // Written under a temporary name and renamed, so a reader
                // never sees half a letter.
                let name = format!("{:08}.eml", letter.id);
                let partial = dir.join(format!(".{name}.partial"));
                tokio::fs::write(&partial, message.formatted())
                    .await
                    .map_err(|e| TransportError::Delivery(e.to_string()))?;
                tokio::fs::rename(&partial, dir.join(name))
                    .await
                    .map_err(|e| TransportError::Delivery(e.to_string()))?;
            }
        }
        Ok(())
    }
}

/// Marks an `.eml` file as what it is: a plain copy on a development disk,
/// outside the encryption that guards the database.
#[derive(Clone)]
struct DevelopmentCopy;

const DEVELOPMENT_WARNING: &str = "development copy, not encrypted; do not use with real customers";

impl Header for DevelopmentCopy {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-Portal-Warning")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), DEVELOPMENT_WARNING.to_owned())
    }
}

fn parse_sender(from: &str) -> Result<Mailbox, TransportError> {
    from.parse().map_err(|_| TransportError::Sender(from.to_owned()))
}

fn build(letter: &Outgoing, from: &Mailbox) -> Result<Message, TransportError> {
    let to: Mailbox =
        letter.recipient.parse().map_err(|_| TransportError::Build(format!("recipient {:?}", letter.recipient)))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(letter.subject.clone())
        .message_id(Some(letter.message_id.clone()))
        .multipart(MultiPart::alternative_plain_html(letter.text_body.clone(), letter.html_body.clone()))
        .map_err(|e| TransportError::Build(e.to_string()))
}
