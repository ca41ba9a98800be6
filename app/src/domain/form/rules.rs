//! The validator rules of single fields, and what a form says when a
//! required field is left empty.

use validator::ValidationError;

use crate::domain::Language;
use crate::domain::email::{Email, EmailError};
use crate::text::problems;

/// What to say when a required field is left empty.
pub fn required_message(field: &str, lang: Language) -> &'static str {
    match field {
        "full_name" => problems::full_name_missing(lang),
        "postal_address" => problems::postal_address_missing(lang),
        "current_information" => problems::current_information_missing(lang),
        "corrected_information" => problems::corrected_information_missing(lang),
        "reason" => problems::reason_missing(lang),
        "description" => problems::description_missing(lang),
        "email" => problems::email_missing(lang),
        _ => problems::answer_question(lang),
    }
}

/// Validator rule: a field that must hold more than white space.
pub fn required(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() { Err(ValidationError::new("required")) } else { Ok(()) }
}

/// Validator rule: an optional phone number, made of what phone numbers are
/// written with.
pub fn phone(value: &str) -> Result<(), ValidationError> {
    let trimmed = value.trim();
    let allowed = trimmed.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c) || c == 'x');
    let digits = trimmed.chars().filter(char::is_ascii_digit).count();
    if trimmed.is_empty() || (allowed && (7..=20).contains(&digits)) {
        Ok(())
    } else {
        Err(ValidationError::new("phone"))
    }
}

/// Validator rule: an email address mail can go to, trimmed first so a
/// stray space from a paste is not an error. The form's language words the
/// error, from its code.
pub fn email(value: &str) -> Result<(), ValidationError> {
    Email::parse(value).map(|_| ()).map_err(|error| match error {
        EmailError::Missing => ValidationError::new("required"),
        EmailError::Malformed => ValidationError::new("email"),
        EmailError::Unfinished(suggestion) => {
            let mut error = ValidationError::new("email_unfinished");
            error.add_param("suggestion".into(), &suggestion);
            error
        }
    })
}
