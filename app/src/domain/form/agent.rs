//! The part of every request form where someone asking for another person
//! says who they are: left blank by a customer asking for themselves.

use super::typed::choice;
use super::{FieldErrors, limits};
use crate::domain::email::Email;
use crate::domain::{Agent, AgentRelationship, Language};
use crate::text::problems;

/// The agent's fields as typed. Each form carries them as fields of its own
/// (`agent_name`, `agent_email`, `agent_relationship`) rather than as one
/// nested struct: serde reads a flattened struct through a buffer of every
/// field, which made each form's decoder in the browser large (13 KB of the
/// customer's download, compressed, for the three forms).
#[derive(Clone, Copy, Debug, Default)]
pub struct AgentFields<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub relationship: &'a str,
}

impl AgentFields<'_> {
    /// The agent, when any of their fields is filled in (then each is
    /// needed); `None` for a customer asking for themselves. What is wrong
    /// is noted in `errors`.
    pub fn parse(&self, errors: &mut FieldErrors, lang: Language) -> Option<Agent> {
        let (name, email) = (self.name.trim(), self.email.trim());
        if name.is_empty() && email.is_empty() && self.relationship.trim().is_empty() {
            return None;
        }
        if name.is_empty() {
            errors.insert("agent_name", problems::agent_name_missing(lang));
        } else if name.chars().count() as u64 > limits::NAME {
            errors.insert("agent_name", problems::too_long(lang, &limits::NAME.to_string()));
        }
        let email = match Email::parse(email) {
            Ok(email) => Some(email),
            Err(error) => {
                errors.insert("agent_email", error.message(lang));
                None
            }
        };
        let relationship = choice::<AgentRelationship>(
            errors,
            "agent_relationship",
            self.relationship,
            problems::choose_agent_relationship(lang),
        );
        match (email, relationship) {
            (Some(email), Some(relationship)) if !name.is_empty() => {
                Some(Agent { name: name.to_owned(), email: email.as_str().to_owned(), relationship })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(name: &str, email: &str, relationship: &str) -> (Option<Agent>, FieldErrors) {
        let mut errors = FieldErrors::default();
        (AgentFields { name, email, relationship }.parse(&mut errors, Language::En), errors)
    }

    #[test]
    fn an_agent_is_optional_but_once_begun_needs_every_field() {
        assert_eq!(typed(" ", "", ""), (None, FieldErrors::default()), "asking for oneself");
        let (agent, errors) = typed("Mary Hopper", " mary@example.com ", "parent");
        assert!(errors.is_empty(), "{errors:?}");
        let agent = agent.expect("an agent");
        assert_eq!((agent.name.as_str(), agent.email.as_str()), ("Mary Hopper", "mary@example.com"));
        assert_eq!(agent.relationship, AgentRelationship::Parent);
        let (agent, errors) = typed("", "mary@example", "cousin");
        assert!(agent.is_none());
        for field in ["agent_name", "agent_email", "agent_relationship"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn only_a_power_of_attorney_acts_without_the_customer_confirming() {
        assert!(!AgentRelationship::PowerOfAttorney.customer_confirms());
        for other in [AgentRelationship::Parent, AgentRelationship::LegalGuardian, AgentRelationship::Other] {
            assert!(other.customer_confirms(), "{other:?}");
        }
    }
}
