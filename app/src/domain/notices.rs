//! Amendment notices (45 CFR 164.526(c)(3)): when an amendment is accepted
//! in whole or in part, the persons the customer named and the business
//! associates that rely on the information are told. Which of them may be
//! told, how the case page's choice reads, and who the chosen ones are.

use serde::{Deserialize, Serialize};

use super::request::NamedPerson;
use super::workflow::Outcome;

/// A business associate known to hold the information and rely on it, as
/// administrators keep the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessAssociate {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// Which records it holds and relies on, in the administrators' words.
    pub relies_on: String,
}

/// One of those who may be told of an accepted amendment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoticeTo {
    /// The customer's named person, by place in their list.
    Person(usize),
    Associate(i64),
}

/// The hidden field that says the form offered the choice, so that
/// nothing ticked means nobody rather than "not asked".
pub const CHOICE_OFFERED: &str = "notices_offered";

impl NoticeTo {
    /// The checkbox that chooses this recipient on the case page.
    pub fn field(self) -> String {
        match self {
            Self::Person(index) => format!("notify_person_{index}"),
            Self::Associate(id) => format!("notify_associate_{id}"),
        }
    }

    fn of_field(field: &str) -> Option<Self> {
        if let Some(index) = field.strip_prefix("notify_person_") {
            index.parse().ok().map(Self::Person)
        } else {
            field.strip_prefix("notify_associate_")?.parse().ok().map(Self::Associate)
        }
    }
}

/// Whom staff chose to tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoticeChoice {
    /// Everyone who may be told: what the page preselects, and what a
    /// step taken without the page's choice gets.
    Everyone,
    Only(Vec<NoticeTo>),
    /// Those with these email addresses, as the API names them: a system
    /// knows the addresses it sent, not the places of a list it never saw.
    Addresses(Vec<String>),
}

impl NoticeChoice {
    /// Reads the case page's ticks from a submitted form's fields.
    pub fn from_form<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut offered = false;
        let mut chosen = Vec::new();
        for (field, _) in fields {
            offered |= field == CHOICE_OFFERED;
            chosen.extend(NoticeTo::of_field(field));
        }
        if offered { Self::Only(chosen) } else { Self::Everyone }
    }

    fn includes(&self, to: NoticeTo, email: &str) -> bool {
        match self {
            Self::Everyone => true,
            Self::Only(chosen) => chosen.contains(&to),
            Self::Addresses(addresses) => addresses.iter().any(|address| same_address(address, email)),
        }
    }

    /// The first address chosen that belongs to none of those who may be
    /// told: a notice to it would go to someone the rule does not name.
    pub fn stranger<'a>(&'a self, named: &[NamedPerson], associates: &[BusinessAssociate]) -> Option<&'a str> {
        let Self::Addresses(addresses) = self else { return None };
        let known = named.iter().map(|person| person.email.as_str()).chain(associates.iter().map(|a| a.email.as_str()));
        let known: Vec<&str> = known.collect();
        addresses.iter().map(String::as_str).find(|address| !known.iter().any(|email| same_address(address, email)))
    }
}

/// Addresses are compared as people write them: case and surrounding
/// space do not make another mailbox.
fn same_address(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Whether an outcome is one that others must be told of.
pub fn tells_others(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::AmendmentAccepted { .. } | Outcome::AmendmentPartlyAccepted { .. })
}

/// Someone a notice goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    pub email: String,
}

/// Of the persons named and the associates, the ones chosen, in that
/// order: each once, however often the form named them.
pub fn recipients(named: &[NamedPerson], associates: &[BusinessAssociate], choice: &NoticeChoice) -> Vec<Recipient> {
    let people = named
        .iter()
        .enumerate()
        .filter(|(index, person)| choice.includes(NoticeTo::Person(*index), &person.email))
        .map(|(_, person)| Recipient { name: person.name.clone(), email: person.email.clone() });
    let associates = associates
        .iter()
        .filter(|associate| choice.includes(NoticeTo::Associate(associate.id), &associate.email))
        .map(|associate| Recipient { name: associate.name.clone(), email: associate.email.clone() });
    people.chain(associates).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str) -> NamedPerson {
        NamedPerson { name: name.into(), email: format!("{}@example.com", name.to_lowercase()) }
    }

    fn associate(id: i64, name: &str) -> BusinessAssociate {
        BusinessAssociate { id, name: name.into(), email: "ba@example.com".into(), relies_on: "Claims".into() }
    }

    fn names(list: Vec<Recipient>) -> Vec<String> {
        list.into_iter().map(|recipient| recipient.name).collect()
    }

    #[test]
    fn without_the_pages_choice_everyone_is_told() {
        let named = [person("Joan"), person("Max")];
        let associates = [associate(7, "Claims Co")];
        let choice = NoticeChoice::from_form([("step", "resolve"), ("outcome", "accepted")]);
        assert_eq!(choice, NoticeChoice::Everyone);
        assert_eq!(names(recipients(&named, &associates, &choice)), ["Joan", "Max", "Claims Co"]);
    }

    #[test]
    fn the_page_tells_only_those_ticked_and_nothing_ticked_is_nobody() {
        let named = [person("Joan"), person("Max")];
        let associates = [associate(7, "Claims Co"), associate(9, "Labs Inc")];
        let ticked = NoticeChoice::from_form([
            (CHOICE_OFFERED, "1"),
            ("notify_person_1", "on"),
            ("notify_associate_9", "on"),
            ("notify_associate_99", "on"),
            ("notify_person_x", "on"),
        ]);
        assert_eq!(names(recipients(&named, &associates, &ticked)), ["Max", "Labs Inc"]);
        let none = NoticeChoice::from_form([(CHOICE_OFFERED, "1")]);
        assert!(recipients(&named, &associates, &none).is_empty());
    }

    #[test]
    fn an_api_chooses_by_address_and_a_stranger_is_named() {
        let named = [person("Joan"), person("Max")];
        let associates = [associate(7, "Claims Co")];
        let chosen = NoticeChoice::Addresses(vec![" MAX@example.com".into(), "ba@example.com".into()]);
        assert_eq!(names(recipients(&named, &associates, &chosen)), ["Max", "Claims Co"]);
        assert_eq!(chosen.stranger(&named, &associates), None);
        let stranger = NoticeChoice::Addresses(vec!["joan@example.com".into(), "eve@example.com".into()]);
        assert_eq!(stranger.stranger(&named, &associates), Some("eve@example.com"));
        assert!(recipients(&named, &associates, &NoticeChoice::Addresses(Vec::new())).is_empty());
    }
}
