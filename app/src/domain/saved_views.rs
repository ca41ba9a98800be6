//! Views of the queue that a staff member saves for themselves, beside the
//! fixed ones: a name and the query it opens. The rules a name must meet
//! are here, so the page and the server read them alike.

use serde::{Deserialize, Serialize};

use super::queue::QueueQuery;

/// The longest name, in characters: it has to fit in the views' row.
pub const NAME_LIMIT: usize = 60;

/// How many views one person may keep: past that the row is no help.
pub const PER_PERSON: usize = 20;

/// Where the "Save this view" form is posted.
pub const SAVE_PATH: &str = "/staff/views";

/// Where a view's "Remove" form is posted.
pub fn remove_path(id: i64) -> String {
    format!("{SAVE_PATH}/{id}/remove")
}

/// A saved view as its owner's queue lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: i64,
    pub name: String,
    pub query: QueueQuery,
}

impl SavedView {
    /// What a view keeps of the queue it was saved from: the filters, the
    /// search and the order, which together say what the view is for ("my
    /// complaints, newest first"). Not the page it was on: a cursor only
    /// means something until the rows change, and a view opens at the top.
    pub fn keeps(query: &QueueQuery) -> QueueQuery {
        query.first_page()
    }

    pub fn href(&self) -> String {
        match self.query.to_query_string() {
            empty if empty.is_empty() => "/staff".to_owned(),
            query => format!("/staff?{query}"),
        }
    }
}

/// Why a view was not saved, as the person reads it beside the name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ViewRefusal {
    #[error("Give the view a name.")]
    NoName,
    #[error("Keep the name to {NAME_LIMIT} characters or fewer.")]
    TooLong,
    #[error("You already have a view called “{0}”. Choose another name, or remove that view first.")]
    NameTaken(String),
    #[error("You have {PER_PERSON} saved views, the most one person may keep. Remove one you no longer use first.")]
    TooMany,
}

/// A view's name as typed, trimmed: never blank, never too long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewName(String);

impl ViewName {
    pub fn parse(typed: &str) -> Result<Self, ViewRefusal> {
        let name = typed.trim();
        if name.is_empty() {
            Err(ViewRefusal::NoName)
        } else if name.chars().count() > NAME_LIMIT {
            Err(ViewRefusal::TooLong)
        } else {
            Ok(Self(name.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether a person would take the two for the same name: case aside.
    pub fn same_as(&self, other: &str) -> bool {
        self.0.to_lowercase() == other.trim().to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_kept_short() {
        assert_eq!(ViewName::parse("  Due this week ").map(|n| n.as_str().to_owned()), Ok("Due this week".into()));
        assert_eq!(ViewName::parse("   "), Err(ViewRefusal::NoName));
        assert!(ViewName::parse(&"é".repeat(NAME_LIMIT)).is_ok(), "characters, not bytes");
        assert_eq!(ViewName::parse(&"x".repeat(NAME_LIMIT + 1)), Err(ViewRefusal::TooLong));
    }

    #[test]
    fn a_view_opens_at_the_top_of_its_filters_in_its_order() {
        let query = QueueQuery::from_query_string("kind=complaint&sort=newest&q=smith&after=r.1.2");
        let kept = SavedView::keeps(&query);
        assert_eq!(kept.to_query_string(), "kind=complaint&q=smith&sort=newest");
        let view = SavedView { id: 1, name: "Mine".into(), query: kept };
        assert_eq!(view.href(), "/staff?kind=complaint&q=smith&sort=newest");
    }

    #[test]
    fn names_differing_only_in_case_are_the_same_name() {
        let name = ViewName::parse("Due this week").expect("a name");
        assert!(name.same_as(" due THIS week"));
        assert!(!name.same_as("Due next week"));
    }
}
