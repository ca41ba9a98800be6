//! The days a figure covers, and how they are cut into a chart's bars.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::format::long_date;

/// Consecutive days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// A calendar year, as the CCPA disclosure counts.
    pub fn year(year: i32) -> Option<Self> {
        Some(Self { from: NaiveDate::from_ymd_opt(year, 1, 1)?, to: NaiveDate::from_ymd_opt(year, 12, 31)? })
    }

    pub fn days(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Days for short periods; weeks once daily bars would be too thin to
    /// read (more than about two months).
    pub fn granularity(self) -> Granularity {
        if self.days() > 62 { Granularity::Week } else { Granularity::Day }
    }

    /// The first day of the bar `day` falls in. Weeks start on Monday; the
    /// first week is cut at the period's start, so no bar counts days
    /// outside the period.
    pub fn bucket_of(self, day: NaiveDate) -> NaiveDate {
        match self.granularity() {
            Granularity::Day => day,
            Granularity::Week => {
                let monday = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
                monday.max(self.from)
            }
        }
    }

    /// Every bar's first day, in order, empty ones included.
    pub fn buckets(self) -> Vec<NaiveDate> {
        let mut starts = Vec::new();
        let mut day = self.from;
        while day <= self.to {
            let start = self.bucket_of(day);
            if starts.last() != Some(&start) {
                starts.push(start);
            }
            day = match day.succ_opt() {
                Some(next) => next,
                None => break,
            };
        }
        starts
    }

    pub fn describe(self) -> String {
        format!("{} to {}", long_date(self.from), long_date(self.to))
    }
}

named_enum! {
    Granularity {
        Day => "day",
        Week => "week",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn long_periods_are_drawn_in_weeks_cut_at_the_edges() {
        let period = Period { from: day("2026-01-01"), to: day("2026-03-31") };
        assert_eq!(period.granularity(), Granularity::Week);
        let buckets = period.buckets();
        // 1 January 2026 is a Thursday: the first bar starts there, the
        // next on Monday 5 January.
        assert_eq!(&buckets[..2], &[day("2026-01-01"), day("2026-01-05")]);
        assert_eq!(period.bucket_of(day("2026-01-04")), day("2026-01-01"));
        assert_eq!(buckets.len(), 14);
        assert_eq!(Period { from: day("2026-01-01"), to: day("2026-01-30") }.buckets().len(), 30);
    }
}
