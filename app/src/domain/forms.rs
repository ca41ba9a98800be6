//! The three customer forms, field by field, as typed. Every field is text
//! with a length limit; choices are checked against their fixed options.

use serde::{Deserialize, Serialize};
use validator::Validate;

use super::form::{FieldErrors, ParseContext, RequestForm, email, optional, parse_date, phone, required};
use super::request::{AmendmentCategory, Choice, ComplaintCategory, JointAccount, OptOutScope};
use super::{Contact, NewRequest, RequestDetails, RequestKind};

/// Upper bounds, in characters, shared by the forms and their pages.
pub mod limits {
    pub const NAME: u64 = 200;
    pub const EMAIL: u64 = 254;
    pub const PHONE: u64 = 40;
    pub const ADDRESS: u64 = 500;
    pub const ACCOUNT: u64 = 64;
    pub const CHOICE: u64 = 40;
    pub const DATE: u64 = 10;
    pub const TEXT: u64 = 2000;
    pub const LONG_TEXT: u64 = 4000;
}

fn choice<C: Choice>(errors: &mut FieldErrors, field: &str, value: &str, prompt: &str) -> Option<C> {
    let parsed = C::from_key(value.trim());
    if parsed.is_none() {
        errors.insert(field, prompt);
    }
    parsed
}

fn contact(full_name: &str, email: &str, phone: &str, address: &str, account: &str) -> Contact {
    Contact {
        full_name: full_name.trim().to_owned(),
        email: email.trim().to_owned(),
        phone: optional(phone),
        postal_address: optional(address),
        account_number: optional(account),
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(default)]
pub struct OptOutForm {
    #[validate(custom(function = required), length(max = limits::NAME))]
    pub full_name: String,
    #[validate(custom(function = email), length(max = limits::EMAIL))]
    pub email: String,
    #[validate(custom(function = phone), length(max = limits::PHONE))]
    pub phone: String,
    #[validate(custom(function = required), length(max = limits::ADDRESS))]
    pub postal_address: String,
    #[validate(length(max = limits::ACCOUNT))]
    pub account_number: String,
    #[validate(length(max = limits::CHOICE))]
    pub scope: String,
    #[validate(length(max = limits::CHOICE))]
    pub joint_account: String,
}

impl RequestForm for OptOutForm {
    const KIND: RequestKind = RequestKind::OptOut;

    fn build(&self, ctx: &ParseContext) -> Result<NewRequest, FieldErrors> {
        let mut errors = FieldErrors::default();
        let scope = choice::<OptOutScope>(&mut errors, "scope", &self.scope, "Please choose what the opt-out covers.");
        let joint = choice::<JointAccount>(
            &mut errors,
            "joint_account",
            &self.joint_account,
            "Please say whether this is a joint account.",
        );
        match (scope, joint) {
            (Some(scope), Some(joint_account)) => Ok(NewRequest {
                contact: contact(&self.full_name, &self.email, &self.phone, &self.postal_address, &self.account_number),
                details: RequestDetails::OptOut { scope, joint_account, gpc: ctx.gpc },
            }),
            _ => Err(errors),
        }
    }
}

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

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(default)]
pub struct ComplaintForm {
    #[validate(custom(function = required), length(max = limits::NAME))]
    pub full_name: String,
    #[validate(custom(function = email), length(max = limits::EMAIL))]
    pub email: String,
    #[validate(custom(function = phone), length(max = limits::PHONE))]
    pub phone: String,
    #[validate(length(max = limits::CHOICE))]
    pub category: String,
    #[validate(length(max = limits::DATE))]
    pub occurred_on: String,
    #[validate(custom(function = required), length(max = limits::LONG_TEXT))]
    pub description: String,
}

impl RequestForm for ComplaintForm {
    const KIND: RequestKind = RequestKind::Complaint;

    fn build(&self, ctx: &ParseContext) -> Result<NewRequest, FieldErrors> {
        let mut errors = FieldErrors::default();
        let category = choice::<ComplaintCategory>(
            &mut errors,
            "category",
            &self.category,
            "Please choose what the complaint is about.",
        );
        let occurred_on = match parse_date(&self.occurred_on) {
            Some(date) if date <= ctx.today => Some(date),
            Some(_) => {
                errors.insert("occurred_on", "This date is in the future. Please enter when it happened.");
                None
            }
            None if self.occurred_on.trim().is_empty() => {
                errors.insert("occurred_on", "Please tell us when it happened. An approximate date is fine.");
                None
            }
            None => {
                errors.insert("occurred_on", "Please enter the date as YYYY-MM-DD, for example 2026-03-14.");
                None
            }
        };
        match (category, occurred_on) {
            (Some(category), Some(occurred_on)) => Ok(NewRequest {
                contact: contact(&self.full_name, &self.email, &self.phone, "", ""),
                details: RequestDetails::Complaint {
                    category,
                    occurred_on,
                    description: self.description.trim().to_owned(),
                },
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn ctx() -> ParseContext {
        ParseContext { today: NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"), gpc: false }
    }

    fn opt_out() -> OptOutForm {
        OptOutForm {
            full_name: " Ada Lovelace ".into(),
            email: "ada@example.com ".into(),
            postal_address: "1 Analytical Way".into(),
            scope: "all_sharing".into(),
            joint_account: "not_joint".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_opt_out_parses_trimmed() {
        let request = opt_out().parse(&ctx()).expect("valid");
        assert_eq!(request.contact.full_name, "Ada Lovelace");
        assert_eq!(request.contact.email, "ada@example.com");
        assert_eq!(request.contact.phone, None);
        assert_eq!(request.kind(), RequestKind::OptOut);
    }

    #[test]
    fn an_empty_opt_out_names_every_missing_field() {
        let errors = OptOutForm::default().parse(&ctx()).expect_err("invalid");
        for field in ["full_name", "email", "postal_address", "scope", "joint_account"] {
            assert!(errors.get(field).is_some(), "{field} should have an error: {errors:?}");
        }
        assert_eq!(errors.get("phone"), None);
        assert_eq!(errors.get("email"), Some("Please enter your email address so we can reply."));
    }

    #[test]
    fn blank_is_not_a_name_and_limits_are_counted_in_characters() {
        let mut form = opt_out();
        form.full_name = "   ".into();
        assert_eq!(form.parse(&ctx()).expect_err("blank").get("full_name"), Some("Please enter your full name."));
        form.full_name = "é".repeat(limits::NAME as usize);
        assert!(form.parse(&ctx()).is_ok());
        form.full_name.push('é');
        assert_eq!(
            form.parse(&ctx()).expect_err("too long").get("full_name"),
            Some("Please keep this to 200 characters or fewer.")
        );
    }

    #[test]
    fn a_bad_email_or_phone_is_explained() {
        let mut form = opt_out();
        form.email = "ada@".into();
        form.phone = "call me".into();
        let errors = form.parse(&ctx()).expect_err("invalid");
        assert_eq!(errors.get("email"), Some("Please enter an email address like name@example.com."));
        assert!(errors.get("phone").is_some_and(|m| m.contains("phone number")));
    }

    #[test]
    fn unknown_choices_are_refused() {
        let mut form = opt_out();
        form.scope = "everything".into();
        assert!(form.parse(&ctx()).expect_err("invalid").get("scope").is_some());
    }

    #[test]
    fn gpc_from_the_context_is_recorded_on_the_opt_out() {
        let request = opt_out().parse(&ParseContext { gpc: true, ..ctx() }).expect("valid");
        assert!(matches!(request.details, RequestDetails::OptOut { gpc: true, .. }));
    }

    #[test]
    fn complaint_dates_must_be_real_and_not_in_the_future() {
        let mut form = ComplaintForm {
            full_name: "Grace Hopper".into(),
            email: "grace@example.com".into(),
            category: "unwanted_marketing".into(),
            occurred_on: "2026-11-26".into(),
            description: "They called me.".into(),
            ..Default::default()
        };
        assert!(form.parse(&ctx()).expect_err("future").get("occurred_on").is_some());
        form.occurred_on = "2026-02-30".into();
        assert!(form.parse(&ctx()).expect_err("no such day").get("occurred_on").is_some());
        form.occurred_on = "2026-11-25".into();
        assert!(form.parse(&ctx()).is_ok());
    }

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
