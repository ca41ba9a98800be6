//! The opt-out form: stop sharing with unaffiliated third parties.

use serde::{Deserialize, Serialize};
use validator::Validate;

use super::limits;
use super::rules::{email, phone, required};
use super::typed::{choice, contact, optional};
use super::{AgentFields, FieldErrors, ParseContext, RequestForm};
use crate::domain::request::{JointAccount, OptOutScope};
use crate::domain::{NewRequest, RequestDetails, RequestKind};
use crate::text::problems;

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
    /// The other holders of a joint account, one name a line.
    #[validate(length(max = limits::TEXT))]
    pub other_holders: String,
    /// Who asks for the customer, when it is not the customer: see
    /// [`AgentFields`].
    pub agent_name: String,
    pub agent_email: String,
    pub agent_relationship: String,
}

impl RequestForm for OptOutForm {
    const KIND: RequestKind = RequestKind::OptOut;

    fn reply_fields(&self) -> (&str, &str) {
        (&self.email, &self.postal_address)
    }

    fn build(&self, ctx: &ParseContext) -> Result<NewRequest, FieldErrors> {
        let mut errors = FieldErrors::default();
        let lang = ctx.lang;
        let scope = choice::<OptOutScope>(&mut errors, "scope", &self.scope, problems::choose_scope(lang));
        let joint = choice::<JointAccount>(
            &mut errors,
            "joint_account",
            &self.joint_account,
            problems::choose_joint_account(lang),
        );
        let other_holders: Vec<String> = self.other_holders.lines().filter_map(optional).collect();
        if joint == Some(JointAccount::NotJoint) && !other_holders.is_empty() {
            errors.insert("other_holders", problems::holders_not_joint(lang));
        } else if other_holders.len() > limits::OTHER_HOLDERS {
            errors.insert("other_holders", problems::too_many_holders(lang, &limits::OTHER_HOLDERS.to_string()));
        } else if other_holders.iter().any(|name| name.chars().count() as u64 > limits::NAME) {
            // Each holder is a person the register answers for, held to
            // the length of the asker's own name.
            errors.insert("other_holders", problems::holder_name_too_long(lang, &limits::NAME.to_string()));
        }
        let agent =
            AgentFields { name: &self.agent_name, email: &self.agent_email, relationship: &self.agent_relationship }
                .parse(&mut errors, lang);
        match (scope, joint) {
            (Some(scope), Some(joint_account)) if errors.is_empty() => Ok(NewRequest {
                contact: contact(&self.full_name, &self.email, &self.phone, &self.postal_address, &self.account_number),
                details: RequestDetails::OptOut { scope, joint_account, gpc: ctx.gpc, other_holders },
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
    fn every_error_is_told_in_the_form_s_language() {
        let spanish = ParseContext { lang: crate::domain::Language::Es, ..ctx() };
        let form = OptOutForm { email: "ada@gmail".into(), phone: "call me".into(), ..Default::default() };
        let errors = form.parse(&spanish).expect_err("invalid");
        assert_eq!(errors.get("full_name"), Some("Escriba su nombre completo."));
        assert_eq!(errors.get("email"), Some("Revise la dirección: ¿quiso decir ada@gmail.com?"));
        assert_eq!(
            errors.get("phone"),
            Some("Escriba un número de teléfono como 555-123-4567, o deje el campo vacío.")
        );
        assert_eq!(errors.get("scope"), Some("Elija qué abarca la exclusión voluntaria."));
        let long = OptOutForm { full_name: "x".repeat(1000), ..opt_out() };
        assert!(
            long.parse(&spanish)
                .expect_err("too long")
                .get("full_name")
                .is_some_and(|m| m.starts_with("Use como máximo"))
        );
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
    fn other_holders_are_named_one_a_line_and_only_on_a_joint_account() {
        let mut form = opt_out();
        form.joint_account = "all_holders".into();
        form.other_holders = " Byron Lovelace \n\n  Annabella Milbanke".into();
        let RequestDetails::OptOut { other_holders, .. } = form.parse(&ctx()).expect("valid").details else {
            panic!("an opt-out")
        };
        assert_eq!(other_holders, ["Byron Lovelace", "Annabella Milbanke"]);
        form.joint_account = "not_joint".into();
        assert!(form.parse(&ctx()).expect_err("not joint").get("other_holders").is_some());
    }

    #[test]
    fn other_holders_are_as_many_and_as_long_as_the_api_describes() {
        let mut form = opt_out();
        form.joint_account = "all_holders".into();
        form.other_holders = vec!["é".repeat(limits::NAME as usize); limits::OTHER_HOLDERS].join("\n");
        assert!(form.parse(&ctx()).is_ok(), "nine names of the longest length fit the form's text");
        form.other_holders.push_str("\nOne More");
        assert_eq!(
            form.parse(&ctx()).expect_err("ten").get("other_holders"),
            Some("Please name at most 9 other holders.")
        );
        form.other_holders = format!("Byron Lovelace\n{}", "a".repeat(limits::NAME as usize + 1));
        assert_eq!(
            form.parse(&ctx()).expect_err("too long").get("other_holders"),
            Some("Please keep each name to 200 characters or fewer.")
        );
    }

    #[test]
    fn gpc_from_the_context_is_recorded_on_the_opt_out() {
        let request = opt_out().parse(&ParseContext { gpc: true, ..ctx() }).expect("valid");
        assert!(matches!(request.details, RequestDetails::OptOut { gpc: true, .. }));
    }
}
