//! The validator rules of single fields, and what a form says when a
//! required field is left empty.

use validator::ValidationError;

use crate::domain::email::{Email, EmailError};

/// What to say when a required field is left empty.
pub fn required_message(field: &str) -> &'static str {
    match field {
        "full_name" => "Please enter your full name.",
        "postal_address" => "Please enter your postal address.",
        "current_information" => "Please tell us what the information says now.",
        "corrected_information" => "Please tell us what it should say.",
        "reason" => "Please tell us why it should change.",
        "description" => "Please tell us what happened.",
        _ => "Please answer this question.",
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
        Err(ValidationError::new("phone")
            .with_message("Please enter a phone number like 555-123-4567, or leave it empty.".into()))
    }
}

/// Validator rule: an email address mail can go to, trimmed first so a
/// stray space from a paste is not an error.
pub fn email(value: &str) -> Result<(), ValidationError> {
    Email::parse(value).map(|_| ()).map_err(|error| {
        let code = if error == EmailError::Missing { "required" } else { "email" };
        ValidationError::new(code).with_message(error.to_string().into())
    })
}
