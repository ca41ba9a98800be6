//! The amendment form: correct the personal information the retailer holds.

use serde::{Deserialize, Serialize};
use validator::Validate;

use super::limits;
use super::rules::{email, phone, required};
use super::typed::{choice, contact, optional, parse_date};
use super::{AgentFields, FieldErrors, ParseContext, RequestForm};
use crate::domain::email::{Email, EmailError};
use crate::domain::request::{AmendmentCategory, NamedPerson};
use crate::domain::{Language, NewRequest, RequestDetails, RequestKind};
use crate::text::problems;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(default)]
pub struct AmendmentForm {
    #[validate(custom(function = required), length(max = limits::NAME))]
    pub full_name: String,
    #[validate(custom(function = email), length(max = limits::EMAIL))]
    pub email: String,
    #[validate(custom(function = phone), length(max = limits::PHONE))]
    pub phone: String,
    /// Asked for only by staff entering a request answered by post.
    #[validate(length(max = limits::ADDRESS))]
    pub postal_address: String,
    #[validate(length(max = limits::ACCOUNT))]
    pub account_number: String,
    #[validate(length(max = limits::DATE))]
    pub date_of_birth: String,
    #[validate(length(max = limits::CHOICE))]
    pub category: String,
    #[validate(custom(function = required), length(max = limits::TEXT))]
    pub current_information: String,
    #[validate(custom(function = required), length(max = limits::TEXT))]
    pub corrected_information: String,
    #[validate(custom(function = required), length(max = limits::TEXT))]
    pub reason: String,
    #[validate(length(max = limits::LONG_TEXT))]
    pub supporting_details: String,
    // Fixed rows rather than a growing list, so the form works without
    // JavaScript; `NOTIFY_ROWS` is how many the page shows.
    #[validate(length(max = limits::NAME))]
    pub notify_1_name: String,
    #[validate(length(max = limits::EMAIL))]
    pub notify_1_email: String,
    #[validate(length(max = limits::NAME))]
    pub notify_2_name: String,
    #[validate(length(max = limits::EMAIL))]
    pub notify_2_email: String,
    #[validate(length(max = limits::NAME))]
    pub notify_3_name: String,
    #[validate(length(max = limits::EMAIL))]
    pub notify_3_email: String,
    /// Who asks for the customer, when it is not the customer: see
    /// [`AgentFields`].
    pub agent_name: String,
    pub agent_email: String,
    pub agent_relationship: String,
}

/// The name and email fields of each row of persons to tell.
pub const NOTIFY_ROWS: [(&str, &str); 3] =
    [("notify_1_name", "notify_1_email"), ("notify_2_name", "notify_2_email"), ("notify_3_name", "notify_3_email")];

impl AmendmentForm {
    fn notify_rows(&self) -> [(&str, &str); 3] {
        [
            (&self.notify_1_name, &self.notify_1_email),
            (&self.notify_2_name, &self.notify_2_email),
            (&self.notify_3_name, &self.notify_3_email),
        ]
    }

    /// The persons named to be told, rows left empty skipped; a row with
    /// one half missing, or an address mail cannot go to, is noted against
    /// its own field.
    fn named_persons(&self, errors: &mut FieldErrors, lang: Language) -> Vec<NamedPerson> {
        let mut named = Vec::new();
        for ((name_field, email_field), (name, email)) in NOTIFY_ROWS.iter().zip(self.notify_rows()) {
            let (name, email) = (name.trim(), email.trim());
            if name.is_empty() && email.is_empty() {
                continue;
            }
            if name.is_empty() {
                errors.insert(name_field, problems::notify_name_missing(lang));
            }
            match Email::parse(email) {
                Ok(_) if !name.is_empty() => named.push(NamedPerson { name: name.to_owned(), email: email.to_owned() }),
                Ok(_) => {}
                Err(EmailError::Missing) => errors.insert(email_field, problems::notify_email_missing(lang)),
                Err(error) => errors.insert(email_field, error.message(lang)),
            }
        }
        named
    }
}

impl RequestForm for AmendmentForm {
    const KIND: RequestKind = RequestKind::Amendment;

    fn reply_fields(&self) -> (&str, &str) {
        (&self.email, &self.postal_address)
    }

    fn build(&self, ctx: &ParseContext) -> Result<NewRequest, FieldErrors> {
        let mut errors = FieldErrors::default();
        let lang = ctx.lang;
        let category = choice::<AmendmentCategory>(
            &mut errors,
            "category",
            &self.category,
            problems::choose_amendment_category(lang),
        );
        let date_of_birth = match optional(&self.date_of_birth) {
            None => None,
            Some(typed) => match parse_date(&typed) {
                Some(date) if date <= ctx.today => Some(date),
                Some(_) => {
                    errors.insert("date_of_birth", problems::birth_in_future(lang));
                    None
                }
                None => {
                    errors.insert("date_of_birth", problems::birth_format(lang));
                    None
                }
            },
        };
        let notify = self.named_persons(&mut errors, lang);
        let agent =
            AgentFields { name: &self.agent_name, email: &self.agent_email, relationship: &self.agent_relationship }
                .parse(&mut errors, lang);
        match category {
            Some(category) if errors.is_empty() => Ok(NewRequest {
                contact: contact(&self.full_name, &self.email, &self.phone, &self.postal_address, &self.account_number),
                details: RequestDetails::Amendment {
                    category,
                    date_of_birth,
                    current_information: self.current_information.trim().to_owned(),
                    corrected_information: self.corrected_information.trim().to_owned(),
                    reason: self.reason.trim().to_owned(),
                    supporting_details: optional(&self.supporting_details),
                    notify,
                },
                agent,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::test_context as ctx;

    #[test]
    fn amendment_requires_what_it_is_and_what_it_should_be() {
        let form = AmendmentForm {
            full_name: "Alan Turing".into(),
            email: "alan@example.com".into(),
            category: "insurance".into(),
            ..Default::default()
        };
        let errors = form.parse(&ctx()).expect_err("invalid");
        for field in ["current_information", "corrected_information", "reason"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert_eq!(errors.get("supporting_details"), None);
    }

    fn complete() -> AmendmentForm {
        AmendmentForm {
            full_name: "Alan Turing".into(),
            email: "alan@example.com".into(),
            category: "insurance".into(),
            current_information: "Plan A".into(),
            corrected_information: "Plan B".into(),
            reason: "Changed insurer".into(),
            ..Default::default()
        }
    }

    #[test]
    fn persons_to_tell_are_kept_in_order_and_empty_rows_skipped() {
        let form = AmendmentForm {
            notify_1_name: " Dr Joan Clarke ".into(),
            notify_1_email: "joan@clinic.example.com".into(),
            notify_3_name: "Max Newman".into(),
            notify_3_email: "max@insurer.example.com".into(),
            ..complete()
        };
        let RequestDetails::Amendment { notify, .. } = form.parse(&ctx()).expect("valid").details else {
            panic!("an amendment")
        };
        let names: Vec<&str> = notify.iter().map(|person| person.name.as_str()).collect();
        assert_eq!(names, ["Dr Joan Clarke", "Max Newman"]);
    }

    #[test]
    fn a_bad_row_is_explained_beside_its_own_field() {
        let form = AmendmentForm {
            notify_1_name: "Joan Clarke".into(),
            notify_1_email: "joan@clinic".into(),
            notify_2_email: "max@insurer.example.com".into(),
            ..complete()
        };
        let errors = form.parse(&ctx()).expect_err("invalid");
        assert!(errors.get("notify_1_email").is_some_and(|m| m.contains("email address")), "{errors:?}");
        assert!(errors.get("notify_2_name").is_some(), "{errors:?}");
        assert_eq!(errors.get("notify_2_email"), None);
        assert_eq!(errors.get("notify_3_name"), None);
    }
}
