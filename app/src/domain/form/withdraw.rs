//! Withdrawing a request from the tracking page: an optional reason.

use serde::{Deserialize, Serialize};

use super::FieldErrors;
use super::limits::TEXT;
use crate::domain::Language;
use crate::text::tracking;

/// The field the reason is typed into; errors are told beside it.
pub const WITHDRAW_FIELD: &str = "reason";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WithdrawForm {
    pub reason: String,
}

impl WithdrawForm {
    /// The reason as it is kept, if one was given: trimmed, and no longer
    /// than a customer form's text. Errors are told in `lang`.
    pub fn parse(&self, lang: Language) -> Result<Option<String>, FieldErrors> {
        let reason = self.reason.trim();
        if reason.chars().count() as u64 > TEXT {
            let mut errors = FieldErrors::default();
            errors.insert(WITHDRAW_FIELD, tracking::withdraw_too_long(lang, &TEXT.to_string()));
            return Err(errors);
        }
        Ok((!reason.is_empty()).then(|| reason.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_optional_and_kept_trimmed() {
        let typed = |text: &str| WithdrawForm { reason: text.into() }.parse(Language::En);
        assert_eq!(typed("  "), Ok(None));
        assert_eq!(typed(" I sorted it out by phone. "), Ok(Some("I sorted it out by phone.".to_owned())));
        assert!(typed(&"x".repeat(TEXT as usize + 1)).unwrap_err().get(WITHDRAW_FIELD).is_some());
        let spanish = WithdrawForm { reason: "x".repeat(TEXT as usize + 1) }.parse(Language::Es).unwrap_err();
        assert_eq!(spanish.get(WITHDRAW_FIELD), Some("Su motivo debe tener menos de 2000 caracteres."));
    }
}
