//! Asking for a private tracking link again: a request's reference and the
//! email address it was sent with. Only the shape of what was typed is
//! checked here; whether the two belong together is never told.

use serde::{Deserialize, Serialize};

use super::FieldErrors;
use crate::domain::email::Email;
use crate::domain::{Language, ReferenceCode};
use crate::text::link_request;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkRequestForm {
    pub reference: String,
    pub email: String,
}

impl LinkRequestForm {
    /// The reference and the address, or what is wrong with them in `lang`.
    pub fn parse(&self, lang: Language) -> Result<(ReferenceCode, Email), FieldErrors> {
        let mut errors = FieldErrors::default();
        let reference = ReferenceCode::parse(&self.reference).map_err(|_| {
            errors.insert("reference", link_request::reference_invalid(lang));
        });
        let email = Email::parse(&self.email).map_err(|error| errors.insert("email", error.message(lang)));
        match (reference, email) {
            (Ok(reference), Ok(email)) => Ok((reference, email)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mistyped() -> LinkRequestForm {
        LinkRequestForm { reference: "12".into(), email: "ada@gmail".into() }
    }

    #[test]
    fn a_reference_and_an_address_are_read_as_people_type_them() {
        let typed = LinkRequestForm { reference: " pr-abcd efgh ".into(), email: " ada@example.com".into() };
        let (reference, email) = typed.parse(Language::En).expect("readable");
        assert_eq!((reference.as_str(), email.as_str()), ("PR-ABCD-EFGH", "ada@example.com"));
        let errors = mistyped().parse(Language::En).unwrap_err();
        assert!(errors.get("reference").is_some_and(|e| e.contains("PR-ABCD-EFGH")));
        assert_eq!(errors.get("email"), Some("Please check the address: did you mean ada@gmail.com?"));
    }

    #[test]
    fn what_is_wrong_is_said_in_the_customer_s_language() {
        let errors = mistyped().parse(Language::Es).unwrap_err();
        assert!(errors.get("reference").is_some_and(|e| e.starts_with("Escriba el número de referencia")));
        assert_eq!(errors.get("email"), Some("Revise la dirección: ¿quiso decir ada@gmail.com?"));
    }
}
