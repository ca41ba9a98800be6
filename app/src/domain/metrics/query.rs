//! The dashboard's filters as the address bar carries them, and the period
//! each one means.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::period::Period;
use crate::domain::RequestKind;

named_enum! {
    /// The periods a manager picks from. Each ends today; `Custom` takes its
    /// own first and last day.
    RangePreset {
        Week => "7d",
        Month => "30d",
        Quarter => "quarter",
        Year => "year",
        Custom => "custom",
    }
}

impl RangePreset {
    pub fn label(self) -> &'static str {
        match self {
            Self::Week => "Last 7 days",
            Self::Month => "Last 30 days",
            Self::Quarter => "Last quarter (3 months)",
            Self::Year => "Last year (12 months)",
            Self::Custom => "Custom dates",
        }
    }
}

/// The longest period the dashboard counts. Longer ones are refused rather
/// than counted: every day of a period is counted and kept, and counting
/// thousands of years would hold the database for everyone else.
const LONGEST_PERIOD_YEARS: u32 = 5;

/// Why the dashboard counts nothing for a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PeriodError {
    #[error("Choose a period of at most {} years: a later “From” date or an earlier “To” date.", LONGEST_PERIOD_YEARS)]
    TooLong,
}

/// The dashboard's filters as they appear in the address bar, so a view can
/// be bookmarked and its CSV links carry the same filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricsQuery {
    /// `None` means the default, the last 30 days.
    pub range: Option<RangePreset>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<RequestKind>,
}

impl MetricsQuery {
    /// Reads a query string, keeping whatever parts of it make sense: a
    /// mangled bookmark still opens the dashboard.
    pub fn from_query_string(query: &str) -> Self {
        let mut parsed = Self::default();
        for (key, value) in serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default() {
            let value = value.trim();
            match key.as_str() {
                "range" => parsed.range = RangePreset::parse(value),
                "from" => parsed.from = value.parse().ok(),
                "to" => parsed.to = value.parse().ok(),
                "kind" => parsed.kind = RequestKind::parse(value),
                _ => {}
            }
        }
        parsed
    }

    pub fn to_query_string(&self) -> String {
        let date = |day: Option<NaiveDate>| day.map(|d| d.to_string());
        let pairs: Vec<(&str, String)> = [
            ("range", self.range.map(|r| r.as_str().to_owned())),
            ("from", date(self.from)),
            ("to", date(self.to)),
            ("kind", self.kind.map(|k| k.as_str().to_owned())),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.map(|value| (key, value)))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// The preset in force. Dates typed without choosing "custom" still
    /// mean those dates: that is what the person asked for.
    pub fn preset(&self) -> RangePreset {
        match self.range {
            Some(preset) => preset,
            None if self.from.is_some() || self.to.is_some() => RangePreset::Custom,
            None => RangePreset::Month,
        }
    }

    /// The days covered, in the organisation's calendar, unless they are
    /// more than the dashboard counts.
    pub fn period(&self, today: NaiveDate) -> Result<Period, PeriodError> {
        let period = self.asked_for(today);
        let limit = period.from.checked_add_months(Months::new(12 * LONGEST_PERIOD_YEARS));
        if limit.is_some_and(|limit| period.to >= limit) { Err(PeriodError::TooLong) } else { Ok(period) }
    }

    fn asked_for(&self, today: NaiveDate) -> Period {
        let ending_today = |first: Option<NaiveDate>| Period { from: first.unwrap_or(today), to: today };
        match self.preset() {
            RangePreset::Week => ending_today(today.checked_sub_days(Days::new(6))),
            RangePreset::Month => ending_today(today.checked_sub_days(Days::new(29))),
            RangePreset::Quarter => ending_today(today.checked_sub_months(Months::new(3)).and_then(|d| d.succ_opt())),
            RangePreset::Year => ending_today(today.checked_sub_months(Months::new(12)).and_then(|d| d.succ_opt())),
            RangePreset::Custom => {
                let to = self.to.unwrap_or(today);
                let from = self.from.unwrap_or_else(|| to.checked_sub_days(Days::new(29)).unwrap_or(to));
                Period { from: from.min(to), to: from.max(to) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn presets_end_today_and_custom_dates_are_put_in_order() {
        let today = day("2026-11-25");
        let period = |q: &str| MetricsQuery::from_query_string(q).period(today).expect("short enough");
        assert_eq!(period(""), Period { from: day("2026-10-27"), to: today });
        assert_eq!(period("range=7d"), Period { from: day("2026-11-19"), to: today });
        assert_eq!(period("range=quarter"), Period { from: day("2026-08-26"), to: today });
        assert_eq!(period("range=year"), Period { from: day("2025-11-26"), to: today });
        assert_eq!(period("from=2026-02-10&to=2026-01-01"), Period { from: day("2026-01-01"), to: day("2026-02-10") });
        assert_eq!(period("range=nonsense&kind=complaint").days(), 30);
    }

    #[test]
    fn custom_periods_end_before_five_years_are_up() {
        let today = day("2026-11-25");
        let period = |q: &str| MetricsQuery::from_query_string(q).period(today);
        let five_years = Period { from: day("2021-01-01"), to: day("2025-12-31") };
        assert_eq!(period("range=custom&from=2021-01-01&to=2025-12-31"), Ok(five_years));
        assert_eq!(period("range=custom&from=2025-12-31&to=2021-01-01"), Ok(five_years), "in either order");
        assert_eq!(period("range=custom&from=2021-01-01&to=2026-01-01"), Err(PeriodError::TooLong));
        assert_eq!(period("from=0001-01-01&to=9999-12-31"), Err(PeriodError::TooLong));
        let last = NaiveDate::MAX;
        let at_the_end =
            MetricsQuery { from: last.checked_sub_days(Days::new(364)), to: Some(last), ..Default::default() };
        assert_eq!(at_the_end.period(today).map(Period::days), Ok(365), "no overflow at the end of the calendar");
    }

    #[test]
    fn a_query_survives_the_address_bar() {
        let query = MetricsQuery {
            range: Some(RangePreset::Custom),
            from: Some(day("2026-01-01")),
            to: Some(day("2026-03-31")),
            kind: Some(RequestKind::Amendment),
        };
        assert_eq!(MetricsQuery::from_query_string(&query.to_query_string()), query);
    }
}
