//! The machinery every request form shares: how a form is parsed into a
//! request, and how its errors are phrased. Browser and server both call
//! [`RequestForm::parse`], so the rules cannot drift apart.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use validator::{Validate, ValidationError, ValidationErrors};

use super::{NewRequest, RequestKind};

/// The first problem found with each field, keyed by the field's name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn insert(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_owned()).or_insert_with(|| message.into());
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    fn from_validation(errors: &ValidationErrors) -> Self {
        let mut out = Self::default();
        for (field, list) in errors.field_errors() {
            if let Some(first) = list.first() {
                out.insert(&field, message_for(&field, first));
            }
        }
        out
    }
}

/// Turns a validator error into a sentence. Rules that carry their own
/// message keep it; a missing answer is asked for by name, so that the error
/// summary reads well on its own; other rules get a generic sentence.
fn message_for(field: &str, error: &ValidationError) -> String {
    if let Some(message) = &error.message {
        return message.to_string();
    }
    match error.code.as_ref() {
        "required" => required_message(field).into(),
        "length" => match error.params.get("max") {
            Some(max) => format!("Please keep this to {max} characters or fewer."),
            None => "This is not the right length.".into(),
        },
        "email" => "Please enter an email address like name@example.com.".into(),
        _ => "Please check this field.".into(),
    }
}

/// What a form needs to know besides what was typed.
#[derive(Clone, Copy, Debug)]
pub struct ParseContext {
    /// Today's date where the person is, to refuse dates in the future.
    pub today: NaiveDate,
    /// Whether the browser sent a Global Privacy Control signal.
    pub gpc: bool,
}

/// A customer-facing request form: raw text as typed, with the rules that
/// turn it into a [`NewRequest`].
pub trait RequestForm:
    Validate + Clone + Default + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static
{
    const KIND: RequestKind;

    /// Checks the typed values and, when they pass, builds the request.
    fn parse(&self, ctx: &ParseContext) -> Result<NewRequest, FieldErrors> {
        let mut errors = match self.validate() {
            Ok(()) => FieldErrors::default(),
            Err(e) => FieldErrors::from_validation(&e),
        };
        match self.build(ctx) {
            Ok(request) if errors.is_empty() => Ok(request),
            Ok(_) => Err(errors),
            Err(more) => {
                for (field, message) in more.iter() {
                    errors.insert(field, message);
                }
                Err(errors)
            }
        }
    }

    /// Converts the typed values into their domain types. Rules that need
    /// more than one field or the context live here.
    fn build(&self, ctx: &ParseContext) -> Result<NewRequest, FieldErrors>;
}

/// What a form page shows: the values as typed and any errors against them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormState<F> {
    pub values: F,
    pub errors: FieldErrors,
}

/// Trims and turns an empty field into `None`.
pub fn optional(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Reads a date typed as YYYY-MM-DD (what `<input type="date">` sends).
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok()
}

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

/// Validator rule: an email address, trimmed first so a stray space from a
/// paste is not an error.
pub fn email(value: &str) -> Result<(), ValidationError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(
            ValidationError::new("required").with_message("Please enter your email address so we can reply.".into())
        );
    }
    if validator::ValidateEmail::validate_email(&trimmed) {
        Ok(())
    } else {
        Err(ValidationError::new("email").with_message("Please enter an email address like name@example.com.".into()))
    }
}
