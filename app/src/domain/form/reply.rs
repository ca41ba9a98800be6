//! The customer's reply from the tracking page: text only, checked here so
//! that the page, the server and any later caller read it alike.

use serde::{Deserialize, Serialize};

use super::FieldErrors;
use super::limits::LONG_TEXT;
use crate::domain::Language;
use crate::text::tracking;

/// The field the reply is typed into; errors are told beside it.
pub const REPLY_FIELD: &str = "message";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplyForm {
    pub message: String,
}

impl ReplyForm {
    /// The reply as it is kept: trimmed, never empty, never longer than
    /// the longest text a customer form takes. Errors are told in `lang`.
    pub fn parse(&self, lang: Language) -> Result<String, FieldErrors> {
        let message = self.message.trim();
        let mut errors = FieldErrors::default();
        if message.is_empty() {
            errors.insert(REPLY_FIELD, tracking::reply_missing(lang));
        } else if message.chars().count() as u64 > LONG_TEXT {
            errors.insert(REPLY_FIELD, tracking::reply_too_long(lang, &LONG_TEXT.to_string()));
        }
        if errors.0.is_empty() { Ok(message.to_owned()) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_is_kept_trimmed_and_must_say_something_short_enough() {
        let typed = |text: &str| ReplyForm { message: text.into() }.parse(Language::En);
        assert_eq!(typed("  Here is my new card number.\n"), Ok("Here is my new card number.".to_owned()));
        assert_eq!(typed("   ").unwrap_err().get(REPLY_FIELD), Some("Please write your reply."));
        assert!(typed(&"x".repeat(LONG_TEXT as usize + 1)).unwrap_err().get(REPLY_FIELD).is_some());
        let spanish = ReplyForm { message: "x".repeat(LONG_TEXT as usize + 1) }.parse(Language::Es).unwrap_err();
        assert_eq!(spanish.get(REPLY_FIELD), Some("Su respuesta debe tener menos de 4000 caracteres."));
    }
}
