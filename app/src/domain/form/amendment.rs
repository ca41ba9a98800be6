//! The amendment form: correct the personal information the retailer holds.

use serde::{Deserialize, Serialize};
use validator::Validate;

use super::limits;
use super::rules::{email, phone, required};
use super::typed::{choice, contact, optional, parse_date};
use super::{FieldErrors, ParseContext, RequestForm};
use crate::domain::request::AmendmentCategory;
use crate::domain::{NewRequest, RequestDetails, RequestKind};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(default)]
pub struct AmendmentForm {
    #[validate(custom(function = required), length(max = limits::NAME))]
    pub full_name: String,
    #[validate(custom(function = email), length(max = limits::EMAIL))]
    pub email: String,
    #[validate(custom(function = phone), length(max = limits::PHONE))]
    pub phone: String,
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
}

impl RequestForm for AmendmentForm {
    const KIND: RequestKind = RequestKind::Amendment;

    fn build(&self, ctx: &ParseContext) -> Result<NewRequest, FieldErrors> {
        let mut errors = FieldErrors::default();
        let category = choice::<AmendmentCategory>(
            &mut errors,
            "category",
            &self.category,
            "Please choose which information should be amended.",
        );
        let date_of_birth = match optional(&self.date_of_birth) {
            None => None,
            Some(typed) => match parse_date(&typed) {
                Some(date) if date <= ctx.today => Some(date),
                Some(_) => {
                    errors.insert("date_of_birth", "A date of birth cannot be in the future.");
                    None
                }
                None => {
                    errors.insert("date_of_birth", "Please enter the date as YYYY-MM-DD, for example 1980-04-23.");
                    None
                }
            },
        };
        match category {
            Some(category) if errors.is_empty() => Ok(NewRequest {
                contact: contact(&self.full_name, &self.email, &self.phone, "", &self.account_number),
                details: RequestDetails::Amendment {
                    category,
                    date_of_birth,
                    current_information: self.current_information.trim().to_owned(),
                    corrected_information: self.corrected_information.trim().to_owned(),
                    reason: self.reason.trim().to_owned(),
                    supporting_details: optional(&self.supporting_details),
                },
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
}
