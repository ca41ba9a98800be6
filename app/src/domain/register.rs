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
    fn all_sharing_covers_marketing_and_one_holder_never_the_account() {
        assert!(covers(OptOutScope::AllSharing, OptOutScope::MarketingOnly));
        assert!(!covers(OptOutScope::MarketingOnly, OptOutScope::AllSharing));
        assert!(covers_account(JointAccount::AllHolders));
        assert!(covers_account(JointAccount::NotJoint));
        assert!(!covers_account(JointAccount::JustMe));
    }
}
