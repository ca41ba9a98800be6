//! The complaint form: tell the privacy team what went wrong.

use serde::{Deserialize, Serialize};
use validator::Validate;

use super::limits;
use super::rules::{email, phone, required};
use super::typed::{choice, contact, parse_date};
use super::{AgentFields, FieldErrors, ParseContext, RequestForm};
use crate::domain::request::ComplaintCategory;
use crate::domain::{NewRequest, RequestDetails, RequestKind};
use crate::text::problems;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(default)]
pub struct ComplaintForm {
    #[validate(custom(function = required), length(max = limits::NAME))]
    pub full_name: String,
    #[validate(custom(function = email), length(max = limits::EMAIL))]
    pub email: String,
    #[validate(custom(function = phone), length(max = limits::PHONE))]
    pub phone: String,
    /// Asked for only by staff entering a request answered by post.
    #[validate(length(max = limits::ADDRESS))]
    pub postal_address: String,
    #[validate(length(max = limits::CHOICE))]
    pub category: String,
    #[validate(length(max = limits::DATE))]
    pub occurred_on: String,
    #[validate(custom(function = required), length(max = limits::LONG_TEXT))]
    pub description: String,
    /// Who asks for the customer, when it is not the customer: see
    /// [`AgentFields`].
    pub agent_name: String,
    pub agent_email: String,
    pub agent_relationship: String,
}

impl RequestForm for ComplaintForm {
    const KIND: RequestKind = RequestKind::Complaint;

    fn reply_fields(&self) -> (&str, &str) {
        (&self.email, &self.postal_address)
    }

    fn build(&self, ctx: &ParseContext) -> Result<NewRequest, FieldErrors> {
        let mut errors = FieldErrors::default();
        let lang = ctx.lang;
        let category = choice::<ComplaintCategory>(
            &mut errors,
            "category",
            &self.category,
            problems::choose_complaint_category(lang),
        );
        let occurred_on = match parse_date(&self.occurred_on) {
            Some(date) if date <= ctx.today => Some(date),
            Some(_) => {
                errors.insert("occurred_on", problems::occurred_in_future(lang));
                None
            }
            None if self.occurred_on.trim().is_empty() => {
                errors.insert("occurred_on", problems::occurred_missing(lang));
                None
            }
            None => {
                errors.insert("occurred_on", problems::occurred_format(lang));
                None
            }
        };
        let agent =
            AgentFields { name: &self.agent_name, email: &self.agent_email, relationship: &self.agent_relationship }
                .parse(&mut errors, lang);
        match (category, occurred_on) {
            (Some(category), Some(occurred_on)) if errors.is_empty() => Ok(NewRequest {
                contact: contact(&self.full_name, &self.email, &self.phone, &self.postal_address, ""),
                details: RequestDetails::Complaint {
                    category,
                    occurred_on,
                    description: self.description.trim().to_owned(),
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
    fn a_complaint_answered_by_post_needs_its_address_and_no_email() {
        use crate::domain::form::ReplyBy;
        let mut form = ComplaintForm {
            full_name: "Grace Hopper".into(),
            category: "unwanted_marketing".into(),
            occurred_on: "2026-11-01".into(),
            description: "They called me.".into(),
            ..Default::default()
        };
        assert!(form.parse(&ctx()).expect_err("email asked for").get("email").is_some());
        let by_post = form.parse_replying(&ctx(), ReplyBy::Post).expect_err("no address");
        assert_eq!(
            by_post.get("postal_address"),
            Some("Give the postal address: the answers to this request go by post.")
        );
        assert_eq!(by_post.get("email"), None, "no email needed by post");
        form.postal_address = "1 Navy Yard\nArlington".into();
        let request = form.parse_replying(&ctx(), ReplyBy::Post).expect("by post");
        assert_eq!(request.contact.email, "");
        assert_eq!(request.contact.postal_address.as_deref(), Some("1 Navy Yard\nArlington"));
        form.email = "grace@example".into();
        assert!(form.parse_replying(&ctx(), ReplyBy::Post).expect_err("typed, so checked").get("email").is_some());
    }
}
