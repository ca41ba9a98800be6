//! How long a finished request's records are kept, and the one answer to
//! "from which day may its personal data go". Kept as data beside the
//! clocks (the `[[retention]]` tables of rules.toml), because each period is
//! a default that counsel must be able to change.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::holidays::Holidays;
use super::rules::{Regime, Rules};
use super::span::Span;
use crate::domain::workflow::Outcome;
use crate::domain::{RequestKind, RequestStatus};

/// One regime's retention period for one kind of request.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RetentionRule {
    pub(super) id: String,
    pub(super) regime: Regime,
    pub(super) kind: RequestKind,
    pub(super) citation: String,
    /// How long after the last action (or after the opt-out ends) the
    /// records are kept.
    keep: Span,
    /// Whether the records are kept for as long as the opt-out they record
    /// is in force, the period running only once it ends.
    #[serde(default)]
    while_in_force: bool,
}

/// What retention needs to know of a request.
#[derive(Clone, Copy, Debug)]
pub struct RetentionFacts<'a> {
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub outcome: Option<&'a Outcome>,
    pub held: bool,
    /// The organisation's day of the request's last action: its receipt,
    /// its resolution or its latest event, whichever came last.
    pub last_action: NaiveDate,
    /// For an applied opt-out, the day the opt-out register says it was
    /// revoked: it stood until then, and its period runs from then.
    pub revoked_on: Option<NaiveDate>,
}

/// Why a request's records are kept with no day set for them to go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kept {
    /// Still being handled.
    Open,
    /// An opt-out still in force, under a rule that keeps it that long.
    InForce,
    /// A legal hold is on it.
    Held,
    /// No retention rule of the regimes in force covers its kind, so the
    /// portal never decides to delete it.
    NoRule,
}

/// The day from which a request's personal data may be removed, and the
/// rule that sets it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeDay {
    pub day: NaiveDate,
    pub rule: String,
    pub citation: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Retention {
    Keep(Kept),
    PurgeOn(PurgeDay),
}

impl Retention {
    /// The rule and day, when the day has come by `today`.
    pub fn due(self, today: NaiveDate) -> Option<PurgeDay> {
        match self {
            Self::PurgeOn(purge) if purge.day <= today => Some(purge),
            _ => None,
        }
    }
}

/// An opt-out is in force once applied, until the register records its
/// revocation.
fn in_force(facts: &RetentionFacts<'_>) -> bool {
    matches!(facts.outcome, Some(Outcome::OptOutApplied { .. })) && facts.revoked_on.is_none()
}

impl Rules {
    /// When the personal data of a request may be removed. Every rule of
    /// the regimes in force for its kind must be satisfied, so the longest
    /// wins; the day itself is the first day it may go.
    pub fn retention(&self, facts: &RetentionFacts<'_>, holidays: &Holidays) -> Retention {
        if facts.status.is_open() {
            return Retention::Keep(Kept::Open);
        }
        if facts.held {
            return Retention::Keep(Kept::Held);
        }
        let mut latest: Option<PurgeDay> = None;
        let last_action = facts.last_action.max(facts.revoked_on.unwrap_or(facts.last_action));
        for rule in self.retention_for_kind(facts.kind) {
            if rule.while_in_force && in_force(facts) {
                return Retention::Keep(Kept::InForce);
            }
            let day = rule.keep.after(last_action, holidays);
            if latest.as_ref().is_none_or(|so_far| day > so_far.day) {
                latest = Some(PurgeDay { day, rule: rule.id.clone(), citation: rule.citation.clone() });
            }
        }
        latest.map_or(Retention::Keep(Kept::NoRule), Retention::PurgeOn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::fixtures::date;
    use crate::domain::request::ComplaintCategory;

    fn facts(kind: RequestKind, status: RequestStatus, outcome: Option<&Outcome>) -> RetentionFacts<'_> {
        RetentionFacts { kind, status, outcome, held: false, last_action: date("2020-02-29"), revoked_on: None }
    }

    fn rules(regimes: &[Regime]) -> Rules {
        Rules::default().for_regimes(regimes)
    }

    fn day_of(retention: Retention) -> (NaiveDate, String) {
        match retention {
            Retention::PurgeOn(purge) => (purge.day, purge.rule),
            other => panic!("kept: {other:?}"),
        }
    }

    #[test]
    fn hipaa_records_go_six_years_after_the_last_action() {
        let resolved = Outcome::ComplaintResolved { category: ComplaintCategory::Other, resolution: "x".into() };
        let hipaa = rules(&[Regime::Hipaa, Regime::Glba]);
        let complaint = facts(RequestKind::Complaint, RequestStatus::Completed, Some(&resolved));
        assert_eq!(
            day_of(hipaa.retention(&complaint, &Holidays::default())),
            (date("2026-02-28"), "hipaa_complaint_records".into())
        );
        let amendment = facts(RequestKind::Amendment, RequestStatus::Closed, None);
        assert_eq!(day_of(hipaa.retention(&amendment, &Holidays::default())).0, date("2026-02-28"));
    }

    #[test]
    fn the_day_itself_is_the_first_day_the_data_may_go() {
        let hipaa = rules(&[Regime::Hipaa]);
        let complaint = facts(RequestKind::Complaint, RequestStatus::Closed, None);
        let retention = hipaa.retention(&complaint, &Holidays::default());
        assert_eq!(retention.clone().due(date("2026-02-27")), None);
        assert_eq!(retention.clone().due(date("2026-02-28")).map(|p| p.day), Some(date("2026-02-28")));
        assert!(retention.due(date("2030-01-01")).is_some());
    }

    #[test]
    fn an_applied_opt_out_is_kept_while_in_force_and_an_unapplied_one_goes_after_the_period() {
        let applied = Outcome::OptOutApplied { effective_on: date("2020-02-20") };
        let glba = rules(&[Regime::Glba, Regime::Hipaa]);
        let kept = facts(RequestKind::OptOut, RequestStatus::Completed, Some(&applied));
        assert_eq!(glba.retention(&kept, &Holidays::default()), Retention::Keep(Kept::InForce));
        let withdrawn = facts(RequestKind::OptOut, RequestStatus::Closed, None);
        assert_eq!(
            day_of(glba.retention(&withdrawn, &Holidays::default())),
            (date("2022-02-28"), "glba_opt_out_records".into())
        );
    }

    #[test]
    fn a_revoked_opt_out_is_kept_for_the_period_from_its_revocation() {
        let applied = Outcome::OptOutApplied { effective_on: date("2020-02-20") };
        let glba = rules(&[Regime::Glba]);
        let revoked = RetentionFacts {
            revoked_on: Some(date("2023-05-02")),
            ..facts(RequestKind::OptOut, RequestStatus::Completed, Some(&applied))
        };
        assert_eq!(
            day_of(glba.retention(&revoked, &Holidays::default())),
            (date("2025-05-02"), "glba_opt_out_records".into())
        );
    }

    #[test]
    fn ccpa_request_records_go_after_24_months_and_the_longest_rule_wins() {
        let ccpa = rules(&[Regime::Ccpa]);
        let amendment = facts(RequestKind::Amendment, RequestStatus::Denied, None);
        assert_eq!(
            day_of(ccpa.retention(&amendment, &Holidays::default())),
            (date("2022-02-28"), "ccpa_request_records".into())
        );
        let both = rules(&[Regime::Ccpa, Regime::Hipaa]);
        assert_eq!(day_of(both.retention(&amendment, &Holidays::default())).1, "hipaa_amendment_records");
    }

    #[test]
    fn open_held_and_uncovered_requests_have_no_day() {
        let all = Rules::default();
        let open = facts(RequestKind::Complaint, RequestStatus::InProgress, None);
        assert_eq!(all.retention(&open, &Holidays::default()), Retention::Keep(Kept::Open));
        let held = RetentionFacts { held: true, ..facts(RequestKind::Complaint, RequestStatus::Closed, None) };
        assert_eq!(all.retention(&held, &Holidays::default()), Retention::Keep(Kept::Held));
        let gdpr = rules(&[Regime::Gdpr]);
        let amendment = facts(RequestKind::Amendment, RequestStatus::Closed, None);
        assert_eq!(gdpr.retention(&amendment, &Holidays::default()), Retention::Keep(Kept::NoRule));
    }
}
