//! The opt-out register's rules: what each dated entry says, and from a
//! person's entries, which opt-outs stood on a given day. An opt-out is the
//! chain of entries that share its first entry; the latest one in effect by
//! a day says whether it stood that day. Server, screens and exports ask
//! here, so they all answer alike.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Channel;
use super::request::{Choice, JointAccount, OptOutScope};

choice! {
    /// What an entry records about its opt-out.
    OptOutChange {
        InEffect => "in_effect": "Opt-out in effect",
        Changed => "changed": "Opt-out changed",
        Revoked => "revoked": "Opt-out revoked",
    }
}

choice! {
    /// Where an entry came from.
    OptOutSource {
        WebForm => "web_form": "Web form",
        Phone => "phone": "Phone",
        Mail => "mail": "Mail",
        Gpc => "gpc": "Global Privacy Control",
        TrackingPage => "tracking_page": "Tracking page, confirmed by email",
    }
}

impl OptOutSource {
    /// Where an opt-out request came from: a Global Privacy Control signal
    /// sent with the form says more than "the web form" does.
    pub fn of_request(channel: Channel, gpc: bool) -> Self {
        match channel {
            Channel::Web if gpc => Self::Gpc,
            Channel::Web => Self::WebForm,
            Channel::Phone => Self::Phone,
            Channel::Mail => Self::Mail,
        }
    }
}

choice! {
    /// How a customer asked for their opt-out to be revoked, when staff
    /// write it down.
    RevocationChannel {
        Phone => "phone": "By phone",
        Mail => "mail": "By mail",
    }
}

impl RevocationChannel {
    pub fn source(self) -> OptOutSource {
        match self {
            Self::Phone => OptOutSource::Phone,
            Self::Mail => OptOutSource::Mail,
        }
    }
}

/// What the rules need of one entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryFacts {
    /// The entry's place in the register: later entries have larger ids.
    pub id: i64,
    /// The first entry of the opt-out it is about.
    pub opt_out: String,
    pub change: OptOutChange,
    pub scope: OptOutScope,
    pub joint_account: JointAccount,
    pub source: OptOutSource,
    pub effective_on: NaiveDate,
}

/// Whether an opt-out of `entry` covers sharing of kind `asked`: stopping
/// all sharing stops sharing for marketing too.
pub fn covers(entry: OptOutScope, asked: OptOutScope) -> bool {
    entry == asked || entry == OptOutScope::AllSharing
}

/// Whether an opt-out covers the whole account rather than one holder:
/// a single holder's account, or a joint one opted out for all holders
/// (12 CFR 1016.7(d)).
pub fn covers_account(joint: JointAccount) -> bool {
    !matches!(joint, JointAccount::JustMe)
}

/// The holders an opt-out covers, the person who asked first: every holder
/// named when it is for all of them, otherwise the person who asked alone.
pub fn holders_covered(asker: &str, others: Vec<String>, joint: JointAccount) -> Vec<String> {
    let mut holders = vec![asker.to_owned()];
    if joint == JointAccount::AllHolders {
        holders.extend(others);
    }
    holders
}

/// Of `entries`, the latest of each opt-out in effect by `day` (by its day,
/// then by its place in the register); only those that are not
/// revocations, that is the opt-outs standing that day.
pub fn standing_on<'a, E>(entries: &'a [E], day: NaiveDate, facts: impl Fn(&E) -> &EntryFacts) -> Vec<&'a E> {
    let mut latest: Vec<&'a E> = Vec::new();
    for entry in entries.iter().filter(|entry| facts(entry).effective_on <= day) {
        let this = facts(entry);
        match latest.iter_mut().find(|held| facts(held).opt_out == this.opt_out) {
            Some(held) if (this.effective_on, this.id) > (facts(held).effective_on, facts(held).id) => *held = entry,
            Some(_) => {}
            None => latest.push(entry),
        }
    }
    latest.retain(|entry| facts(entry).change != OptOutChange::Revoked);
    latest
}

/// The day an opt-out's latest revocation took effect, if its latest entry
/// is one; `None` while it stands (or never existed).
pub fn revoked_on<'a>(entries: impl IntoIterator<Item = &'a EntryFacts>) -> Option<NaiveDate> {
    entries
        .into_iter()
        .max_by_key(|entry| (entry.effective_on, entry.id))
        .filter(|entry| entry.change == OptOutChange::Revoked)
        .map(|entry| entry.effective_on)
}

/// What a search box finds a person by: an address has an `@`, an
/// account number a digit, anything else is words of a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Search {
    Email(String),
    Account(String),
    Name(String),
}

impl Search {
    pub fn of(text: &str) -> Option<Self> {
        let text = text.trim();
        Some(if text.is_empty() {
            return None;
        } else if text.contains('@') {
            Self::Email(text.to_owned())
        } else if text.chars().any(|c| c.is_ascii_digit()) {
            Self::Account(text.to_owned())
        } else {
            Self::Name(text.to_owned())
        })
    }
}

/// The register list's filters, as they stand in the address, so a view
/// can be bookmarked. Anything unreadable is no filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterQuery {
    pub q: String,
    pub scope: Option<OptOutScope>,
    pub source: Option<OptOutSource>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Key-based paging: entries recorded before this one.
    pub before: Option<i64>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct RawQuery {
    q: String,
    scope: String,
    source: String,
    from: String,
    to: String,
    before: String,
}

impl RegisterQuery {
    pub fn from_query_string(query: &str) -> Self {
        let raw: RawQuery = serde_urlencoded::from_str(query).unwrap_or_default();
        Self {
            q: raw.q.trim().to_owned(),
            scope: OptOutScope::parse(&raw.scope),
            source: OptOutSource::parse(&raw.source),
            from: raw.from.parse().ok(),
            to: raw.to.parse().ok(),
            before: raw.before.parse().ok().filter(|id: &i64| *id > 0),
        }
    }

    pub fn to_query_string(&self) -> String {
        let day = |day: Option<NaiveDate>| day.map(|day| day.to_string()).unwrap_or_default();
        let pairs = [
            ("q", self.q.clone()),
            ("scope", self.scope.map(|s| s.as_str().to_owned()).unwrap_or_default()),
            ("source", self.source.map(|s| s.as_str().to_owned()).unwrap_or_default()),
            ("from", day(self.from)),
            ("to", day(self.to)),
            ("before", self.before.map(|id| id.to_string()).unwrap_or_default()),
        ];
        let kept: Vec<(&str, String)> = pairs.into_iter().filter(|(_, value)| !value.is_empty()).collect();
        serde_urlencoded::to_string(kept).unwrap_or_default()
    }

    pub fn search(&self) -> Option<Search> {
        Search::of(&self.q)
    }
}

/// One entry as staff see it, in the list, the history and the export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRow {
    pub id: i64,
    pub opt_out: String,
    pub change: OptOutChange,
    pub scope: OptOutScope,
    pub joint_account: JointAccount,
    pub source: OptOutSource,
    pub effective_on: NaiveDate,
    pub recorded_on: NaiveDate,
    pub name: String,
    pub email: String,
    pub postal_address: Option<String>,
    pub account_number: Option<String>,
    pub holders: Vec<String>,
    pub reason: Option<String>,
    /// The request the entry came from, when it came from one.
    pub reference: Option<String>,
}

/// The labels of the register's columns: the screens and the export say
/// the same.
pub mod columns {
    pub const EFFECTIVE: &str = "Effective";
    pub const CHANGE: &str = "Change";
    pub const NAME: &str = "Name";
    pub const EMAIL: &str = "Email";
    pub const ACCOUNT: &str = "Account number";
    pub const ADDRESS: &str = "Postal address";
    pub const HOLDERS: &str = "Holders covered";
    pub const SCOPE: &str = "Scope";
    pub const JOINT: &str = "Joint account";
    pub const SOURCE: &str = "Source";
    pub const RECORDED: &str = "Recorded";
    pub const REASON: &str = "Reason";
    pub const REQUEST: &str = "Request";
}

impl RegisterRow {
    /// Who the entry covers, as one line.
    pub fn holders_line(&self) -> String {
        self.holders.join(", ")
    }
}

/// A page of the register list, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterPage {
    pub rows: Vec<RegisterRow>,
    /// The query string of the next page, when there is one.
    pub next: Option<String>,
    pub today: NaiveDate,
}

/// Everything the register holds about one person, oldest first, and which
/// of their opt-outs stand today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonHistory {
    pub name: String,
    pub email: String,
    pub rows: Vec<RegisterRow>,
    /// The latest entry of each opt-out standing today: what may be revoked.
    pub standing: Vec<RegisterRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).expect("a day")
    }

    fn entry(id: i64, opt_out: &str, change: OptOutChange, on: u32) -> EntryFacts {
        EntryFacts {
            id,
            opt_out: opt_out.into(),
            change,
            scope: OptOutScope::AllSharing,
            joint_account: JointAccount::NotJoint,
            source: OptOutSource::WebForm,
            effective_on: day(on),
        }
    }

    #[test]
    fn an_opt_out_stands_from_its_day_until_its_revocation() {
        use OptOutChange::*;
        let entries = [entry(1, "a", InEffect, 2), entry(2, "a", Revoked, 10), entry(3, "b", InEffect, 20)];
        let ids = |on| standing_on(&entries, day(on), |e| e).iter().map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(ids(1), Vec::<i64>::new());
        assert_eq!(ids(2), [1]);
        assert_eq!(ids(9), [1]);
        assert_eq!(ids(10), Vec::<i64>::new());
        assert_eq!(ids(25), [3]);
        assert_eq!(revoked_on(&entries[..2]), Some(day(10)));
        assert_eq!(revoked_on(&entries[2..]), None);
    }

    #[test]
    fn a_revocation_written_for_a_day_before_a_change_does_not_undo_it() {
        use OptOutChange::*;
        let entries = [entry(1, "a", InEffect, 2), entry(2, "a", Changed, 12), entry(3, "a", Revoked, 8)];
        let standing = standing_on(&entries, day(15), |e| e);
        assert_eq!(standing.iter().map(|e| e.id).collect::<Vec<_>>(), [2]);
        assert!(standing_on(&entries, day(9), |e| e).is_empty());
    }

    #[test]
    fn a_search_is_read_as_what_it_looks_like_and_a_query_survives_the_address_bar() {
        assert_eq!(Search::of(" ada@example.com "), Some(Search::Email("ada@example.com".into())));
        assert_eq!(Search::of("A-1001"), Some(Search::Account("A-1001".into())));
        assert_eq!(Search::of("Ada King"), Some(Search::Name("Ada King".into())));
        assert_eq!(Search::of("  "), None);
        let query = RegisterQuery {
            q: "Ada & co".into(),
            scope: Some(OptOutScope::MarketingOnly),
            source: Some(OptOutSource::Gpc),
            from: Some(day(1)),
            to: None,
            before: Some(40),
        };
        assert_eq!(RegisterQuery::from_query_string(&query.to_query_string()), query);
        let nonsense = RegisterQuery::from_query_string("scope=everything&from=2026-13-01&before=-3&q=x");
        assert_eq!(nonsense, RegisterQuery { q: "x".into(), ..Default::default() });
    }

    #[test]
    fn all_sharing_covers_marketing_and_one_holder_never_the_account() {
        assert!(covers(OptOutScope::AllSharing, OptOutScope::MarketingOnly));
        assert!(!covers(OptOutScope::MarketingOnly, OptOutScope::AllSharing));
        assert!(covers_account(JointAccount::AllHolders));
        assert!(covers_account(JointAccount::NotJoint));
        assert!(!covers_account(JointAccount::JustMe));
    }
}
