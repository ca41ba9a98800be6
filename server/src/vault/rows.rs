//! Which fields of which tables are sealed, and where each belongs: one
//! place, read by the writers, the readers and the rotation alike.

use app::domain::Contact;
use app::domain::request::Choice;
use app::domain::workflow::Outcome;

use super::{Blind, Place, Sealed, Vault, VaultError, normal};
use crate::db::entities::{opt_out_entry, outbox, request, request_document, request_event};
use crate::register::Person;

pub const REQUESTS: &str = "requests";
pub const EVENTS: &str = "request_events";
pub const OUTBOX: &str = "outbox";
pub const OUTBOX_BODIES: &str = "outbox_bodies";
pub const WEBHOOK_ENDPOINTS: &str = "webhook_endpoints";
pub const OPT_OUTS: &str = "opt_out_entries";
pub const CONFIRMATION_LINKS: &str = "opt_out_revocation_links";
pub const DOCUMENTS: &str = "request_documents";

/// A confirmation link's waiting action is bound to the link's hash, which
/// is fixed before the row is written and never changes.
fn pending_place(hash: &str) -> Place<'_> {
    Place { table: CONFIRMATION_LINKS, column: "pending", row: hash }
}

/// A request's sealed columns are bound to its reference, which is fixed
/// before the row is written and never changes.
pub fn request_place<'a>(column: &'static str, reference: &'a str) -> Place<'a> {
    Place { table: REQUESTS, column, row: reference }
}

/// An event's body is bound to its request: events are written before
/// their own id is known.
pub fn event_place(request_id: &str) -> Place<'_> {
    Place { table: EVENTS, column: "body", row: request_id }
}

/// A letter's sealed columns are bound to its Message-ID, fixed when it is
/// composed for the outbox.
pub fn letter_place<'a>(column: &'static str, message_id: &'a str) -> Place<'a> {
    Place { table: OUTBOX, column, row: message_id }
}

/// A webhook endpoint's secrets are bound to its address, which never
/// changes (a new address is a new endpoint).
pub fn endpoint_place<'a>(column: &'static str, url: &'a str) -> Place<'a> {
    Place { table: WEBHOOK_ENDPOINTS, column, row: url }
}

/// A register entry's sealed columns are bound to its own uid, drawn
/// before it is written.
pub fn entry_place<'a>(column: &'static str, uid: &'a str) -> Place<'a> {
    Place { table: OPT_OUTS, column, row: uid }
}

/// A document's sealed columns are bound to its own uid, drawn before it
/// is written.
pub fn document_place<'a>(column: &'static str, uid: &'a str) -> Place<'a> {
    Place { table: DOCUMENTS, column, row: uid }
}

/// The sealed columns of a register entry, and its blind indexes.
pub struct SealedEntry {
    pub full_name: Sealed,
    pub email: Sealed,
    pub postal_address: Option<Sealed>,
    pub account_number: Option<Sealed>,
    pub holders: Sealed,
    pub reason: Option<Sealed>,
    pub email_index: Option<String>,
    pub account_index: Option<String>,
    pub name_index: Option<String>,
}

/// The sealed columns of a new request, and its blind indexes.
pub struct SealedRequest {
    pub full_name: Sealed,
    pub email: Sealed,
    pub phone: Option<Sealed>,
    pub postal_address: Option<Sealed>,
    pub account_number: Option<Sealed>,
    pub details: Sealed,
    pub email_index: Option<String>,
    pub account_index: Option<String>,
    pub name_index: Option<String>,
}

/// A request's outcome as stored: the JSON sealed, and beside it in plain
/// text what the metrics count, so that SQL never needs the JSON.
#[derive(Debug, Default)]
pub struct SealedOutcome {
    pub outcome: Option<Sealed>,
    pub tag: Option<String>,
    pub category: Option<String>,
}

impl Vault {
    pub fn seal_request(&self, reference: &str, contact: &Contact, details: &str) -> Result<SealedRequest, VaultError> {
        let at = |column| request_place(column, reference);
        Ok(SealedRequest {
            full_name: self.seal(&contact.full_name, at("full_name"))?,
            email: self.seal(&contact.email, at("email"))?,
            phone: self.seal_optional(contact.phone.as_deref(), at("phone"))?,
            postal_address: self.seal_optional(contact.postal_address.as_deref(), at("postal_address"))?,
            account_number: self.seal_optional(contact.account_number.as_deref(), at("account_number"))?,
            details: self.seal(details, at("details"))?,
            email_index: self.email_index(&contact.email),
            account_index: contact.account_number.as_deref().and_then(|number| self.account_index(number)),
            name_index: self.name_index(&contact.full_name),
        })
    }

    pub fn email_index(&self, email: &str) -> Option<String> {
        let email = normal::email(email);
        (!email.is_empty()).then(|| self.blind(Blind::Email, &email))
    }

    pub fn account_index(&self, number: &str) -> Option<String> {
        let number = normal::account(number);
        (!number.is_empty()).then(|| self.blind(Blind::Account, &number))
    }

    /// One short index a word of the name, each between spaces, so that a
    /// search for whole words matches `% word %`. Sixty-four bits a word
    /// keep the column small; a false match among a million names is a
    /// one-in-ten-million chance, and the page shows the real name anyway.
    pub fn name_index(&self, name: &str) -> Option<String> {
        let words: Vec<String> = normal::name_words(name).map(|word| self.name_word(&word)).collect();
        (!words.is_empty()).then(|| format!(" {} ", words.join(" ")))
    }

    pub fn name_word(&self, word: &str) -> String {
        let mut index = self.blind(Blind::NameWord, word);
        index.truncate(16);
        index
    }

    pub fn open_contact(&self, row: &request::Model) -> Result<Contact, VaultError> {
        let at = |column| request_place(column, &row.reference);
        Ok(Contact {
            full_name: self.open(&row.full_name, at("full_name"))?,
            email: self.open(&row.email, at("email"))?,
            phone: self.open_optional(row.phone.as_ref(), at("phone"))?,
            postal_address: self.open_optional(row.postal_address.as_ref(), at("postal_address"))?,
            account_number: self.open_optional(row.account_number.as_ref(), at("account_number"))?,
        })
    }

    pub fn open_name(&self, row: &request::Model) -> Result<String, VaultError> {
        self.open(&row.full_name, request_place("full_name", &row.reference))
    }

    pub fn open_email(&self, row: &request::Model) -> Result<String, VaultError> {
        self.open(&row.email, request_place("email", &row.reference))
    }

    /// The JSON of the request's details.
    pub fn open_details(&self, row: &request::Model) -> Result<String, VaultError> {
        self.open(&row.details, request_place("details", &row.reference))
    }

    pub fn seal_event_body(&self, request_id: i64, body: Option<&str>) -> Result<Option<Sealed>, VaultError> {
        self.seal_optional(body, event_place(&request_id.to_string()))
    }

    pub fn open_event_body(&self, event: &request_event::Model) -> Result<Option<String>, VaultError> {
        self.open_optional(event.body.as_ref(), event_place(&event.request_id.to_string()))
    }

    pub fn open_subject(&self, row: &outbox::Model) -> Result<String, VaultError> {
        self.open(&row.subject, letter_place("subject", &row.message_id))
    }

    pub fn open_recipient(&self, row: &outbox::Model) -> Result<String, VaultError> {
        self.open(&row.recipient, letter_place("recipient", &row.message_id))
    }

    /// The outcome columns for `outcome`; all empty for a request closed
    /// without one.
    pub fn seal_outcome(&self, reference: &str, outcome: Option<&Outcome>) -> Result<SealedOutcome, VaultError> {
        let Some(outcome) = outcome else { return Ok(SealedOutcome::default()) };
        let json = serde_json::to_string(outcome).map_err(|_| VaultError::Seal)?;
        Ok(SealedOutcome {
            outcome: Some(self.seal(&json, request_place("outcome", reference))?),
            tag: Some(outcome.class().as_str().to_owned()),
            category: outcome.category().map(|category| category.key().to_owned()),
        })
    }

    /// The JSON of the outcome, once there is one.
    pub fn open_outcome(&self, row: &request::Model) -> Result<Option<String>, VaultError> {
        self.open_optional(row.outcome.as_ref(), request_place("outcome", &row.reference))
    }

    /// The clock's JSON, or its state's (`column` "clock" or "clock_state"):
    /// both name an extension's reason.
    pub fn seal_clock(&self, reference: &str, column: ClockColumn, json: &str) -> Result<Sealed, VaultError> {
        self.seal(json, request_place(column.name(), reference))
    }

    pub fn open_clock(&self, row: &request::Model, column: ClockColumn) -> Result<Option<String>, VaultError> {
        let stored = match column {
            ClockColumn::Clock => row.clock.as_ref(),
            ClockColumn::State => row.clock_state.as_ref(),
        };
        self.open_optional(stored, request_place(column.name(), &row.reference))
    }

    /// The customer's action waiting on a confirmation link, as JSON.
    pub fn seal_pending(&self, link_hash: &str, json: &str) -> Result<Sealed, VaultError> {
        self.seal(json, pending_place(link_hash))
    }

    pub fn open_pending(
        &self,
        link: &crate::db::entities::revocation_link::Model,
    ) -> Result<Option<String>, VaultError> {
        self.open_optional(link.pending.as_ref(), pending_place(&link.hash))
    }

    /// A document's original name and its bytes (base64, since a sealed
    /// value is text), sealed for the document `uid`.
    pub fn seal_document(&self, uid: &str, name: &str, bytes: &[u8]) -> Result<(Sealed, Sealed), VaultError> {
        let content = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bytes);
        Ok((self.seal(name, document_place("name", uid))?, self.seal(&content, document_place("content", uid))?))
    }

    pub fn open_document_name(&self, row: &request_document::Model) -> Result<String, VaultError> {
        self.open(&row.name, document_place("name", &row.uid))
    }

    pub fn open_document_bytes(&self, row: &request_document::Model) -> Result<Vec<u8>, VaultError> {
        let content = self.open(&row.content, document_place("content", &row.uid))?;
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, content).map_err(|_| VaultError::Rejected)
    }

    pub fn seal_agent(&self, reference: &str, json: &str) -> Result<Sealed, VaultError> {
        self.seal(json, request_place("agent", reference))
    }

    pub fn open_agent(&self, row: &request::Model) -> Result<Option<String>, VaultError> {
        self.open_optional(row.agent.as_ref(), request_place("agent", &row.reference))
    }

    pub fn seal_hold_reason(&self, reference: &str, reason: &str) -> Result<Sealed, VaultError> {
        self.seal(reason, request_place("hold_reason", reference))
    }

    pub fn open_hold_reason(&self, row: &request::Model) -> Result<Option<String>, VaultError> {
        self.open_optional(row.hold_reason.as_ref(), request_place("hold_reason", &row.reference))
    }
}

/// The two sealed clock columns of a request.
#[derive(Clone, Copy, Debug)]
pub enum ClockColumn {
    /// The computed `RequestClock`.
    Clock,
    /// The `ClockState` it is computed from.
    State,
}

impl ClockColumn {
    fn name(self) -> &'static str {
        match self {
            Self::Clock => "clock",
            Self::State => "clock_state",
        }
    }
}

impl Vault {
    /// Seals a register entry; its name index holds the words of every
    /// holder it covers, so a search for any of them finds it.
    pub fn seal_entry(&self, uid: &str, person: &Person, reason: Option<&str>) -> Result<SealedEntry, VaultError> {
        let at = |column| entry_place(column, uid);
        let holders = serde_json::to_string(&person.holders).map_err(|_| VaultError::Seal)?;
        let names = std::iter::once(person.full_name.as_str())
            .chain(person.holders.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        Ok(SealedEntry {
            full_name: self.seal(&person.full_name, at("full_name"))?,
            email: self.seal(&person.email, at("email"))?,
            postal_address: self.seal_optional(person.postal_address.as_deref(), at("postal_address"))?,
            account_number: self.seal_optional(person.account_number.as_deref(), at("account_number"))?,
            holders: self.seal(&holders, at("holders"))?,
            reason: self.seal_optional(reason, at("reason"))?,
            email_index: self.email_index(&person.email),
            account_index: person.account_number.as_deref().and_then(|number| self.account_index(number)),
            name_index: self.name_index(&names),
        })
    }

    pub fn open_entry(&self, row: &opt_out_entry::Model) -> Result<(Person, Option<String>), VaultError> {
        let at = |column| entry_place(column, &row.uid);
        let holders = self.open(&row.holders, at("holders"))?;
        let person = Person {
            full_name: self.open(&row.full_name, at("full_name"))?,
            email: self.open(&row.email, at("email"))?,
            postal_address: self.open_optional(row.postal_address.as_ref(), at("postal_address"))?,
            account_number: self.open_optional(row.account_number.as_ref(), at("account_number"))?,
            holders: if holders.is_empty() {
                Vec::new()
            } else {
                serde_json::from_str(&holders).map_err(|_| VaultError::Rejected)?
            },
        };
        Ok((person, self.open_optional(row.reason.as_ref(), at("reason"))?))
    }
}
