//! The decisions behind the numbers: what counts as on time or overdue,
//! which age bucket an open request is in, which requests had to be
//! verified, and how a median and a percentile are taken.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{Channel, RequestKind, RequestStatus};

named_enum! {
    /// How long an open request has waited since it was received.
    AgeBucket {
        UpToWeek => "0-7",
        UpToTwoWeeks => "8-14",
        UpToMonth => "15-30",
        UpToSixWeeks => "31-45",
        Older => "over-45",
    }
}

impl AgeBucket {
    pub fn of(age_days: i64) -> Self {
        match age_days {
            ..=7 => Self::UpToWeek,
            8..=14 => Self::UpToTwoWeeks,
            15..=30 => Self::UpToMonth,
            31..=45 => Self::UpToSixWeeks,
            _ => Self::Older,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::UpToWeek => "0–7 days",
            Self::UpToTwoWeeks => "8–14 days",
            Self::UpToMonth => "15–30 days",
            Self::UpToSixWeeks => "31–45 days",
            Self::Older => "Over 45 days",
        }
    }
}

/// How a finished request ended, as far as the metrics care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Completed or denied: the customer got an answer, and its timeliness
    /// counts.
    Answered,
    /// Closed without an outcome (withdrawn, a duplicate, no reply from the
    /// customer, identity not confirmed). Nothing was answered, so it is left
    /// out of the on-time rate and of days to resolve, and counted on its own
    /// line so it cannot hide there.
    ClosedWithoutOutcome,
}

impl Ending {
    pub fn of(status: RequestStatus) -> Option<Self> {
        match status {
            RequestStatus::Completed | RequestStatus::Denied => Some(Self::Answered),
            // A withdrawal is also counted as its own outcome
            // (`OutcomeClass::Withdrawn`); nothing was answered.
            // So is a duplicate merged into an earlier request, which
            // answers for both (`OutcomeClass::Merged`).
            RequestStatus::Closed | RequestStatus::Withdrawn | RequestStatus::Merged => {
                Some(Self::ClosedWithoutOutcome)
            }
            _ => None,
        }
    }
}

/// The on-time rule: answered on or before the response deadline in force
/// (`due_on`, extensions included), both as days in the organisation's
/// calendar. `resolved_vs_due` compares the day of the answer with the due
/// day.
pub fn on_time(resolved_vs_due: Ordering) -> bool {
    resolved_vs_due != Ordering::Greater
}

/// Whether an open request is overdue today: past its due day.
pub fn overdue(due_on: NaiveDate, today: NaiveDate) -> bool {
    due_on < today
}

/// Whether a request had to wait for its requester to confirm their email
/// address: the kinds that need it, when sent through the web forms (staff
/// who enter a phone or mail request have spoken to the person).
pub fn starts_unverified(kind: RequestKind, channel: Channel) -> bool {
    kind.needs_verification() && channel == Channel::Web
}

/// Days from receipt to answer, counted as calendar days between the two
/// dates: an answer on the day of receipt took 0 days.
///
/// Median: the middle value, or the mean of the two middle values. 90th
/// percentile: nearest rank, the smallest value that at least 90% of
/// answers did not exceed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DaySpread {
    pub count: u64,
    pub median: Option<f64>,
    pub p90: Option<i64>,
}

impl DaySpread {
    /// From a histogram: days -> how many requests took that long.
    pub fn of(histogram: &BTreeMap<i64, u64>) -> Self {
        let count: u64 = histogram.values().sum();
        if count == 0 {
            return Self::default();
        }
        // The value at 1-based rank `rank`.
        let at = |rank: u64| {
            let mut seen = 0;
            histogram.iter().find_map(|(days, n)| {
                seen += n;
                (seen >= rank).then_some(*days)
            })
        };
        let median = if count % 2 == 1 {
            at(count.div_ceil(2)).map(|d| d as f64)
        } else {
            at(count / 2).zip(at(count / 2 + 1)).map(|(a, b)| (a + b) as f64 / 2.0)
        };
        Self { count, median, p90: at((count * 9).div_ceil(10)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn medians_and_percentiles_follow_their_stated_rules() {
        let spread = |values: &[i64]| {
            let mut histogram = BTreeMap::new();
            for v in values {
                *histogram.entry(*v).or_default() += 1;
            }
            DaySpread::of(&histogram)
        };
        assert_eq!(spread(&[]), DaySpread::default());
        assert_eq!(spread(&[4, 1, 9]), DaySpread { count: 3, median: Some(4.0), p90: Some(9) });
        assert_eq!(spread(&[1, 2, 3, 10]), DaySpread { count: 4, median: Some(2.5), p90: Some(10) });
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(spread(&ten).p90, Some(9));
    }

    #[test]
    fn on_time_includes_the_due_day_itself() {
        assert!(on_time(Ordering::Less));
        assert!(on_time(Ordering::Equal));
        assert!(!on_time(Ordering::Greater));
        assert!(overdue(day("2026-11-24"), day("2026-11-25")));
        assert!(!overdue(day("2026-11-25"), day("2026-11-25")));
    }

    #[test]
    fn age_buckets_meet_without_gaps() {
        let buckets: Vec<&str> = [0, 7, 8, 14, 15, 30, 31, 45, 46].map(|d| AgeBucket::of(d).as_str()).to_vec();
        assert_eq!(buckets, ["0-7", "0-7", "8-14", "8-14", "15-30", "15-30", "31-45", "31-45", "over-45"]);
    }
}
