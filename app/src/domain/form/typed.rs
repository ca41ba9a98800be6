//! Turning text as typed into the values a request holds.

use chrono::NaiveDate;

use super::FieldErrors;
use crate::domain::Contact;
use crate::domain::request::Choice;

/// Trims and turns an empty field into `None`.
pub fn optional(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Reads a date typed as YYYY-MM-DD (what `<input type="date">` sends).
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

/// Reads one of a fixed set of choices; anything else notes `prompt`
/// against `field`.
pub fn choice<C: Choice>(errors: &mut FieldErrors, field: &str, value: &str, prompt: &str) -> Option<C> {
    let parsed = C::from_key(value.trim());
    if parsed.is_none() {
        errors.insert(field, prompt);
    }
    parsed
}

/// The requester's contact details, trimmed, with empty ones left out.
pub fn contact(full_name: &str, email: &str, phone: &str, address: &str, account: &str) -> Contact {
    Contact {
        full_name: full_name.trim().to_owned(),
        email: email.trim().to_owned(),
        phone: optional(phone),
        postal_address: optional(address),
        account_number: optional(account),
    }
}
