//! Lengths of time as the rules write them ("10 business days") and the
//! date arithmetic behind each unit.

use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;

use chrono::{Days, Months, NaiveDate};
use serde::Deserialize;

use super::holidays::Holidays;

/// How a span counts days. Months are kept apart from days because "one
/// month" is 28 to 31 days depending on where it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    BusinessDays,
    CalendarDays,
    CalendarMonths,
}

impl Unit {
    const ALL: [Self; 3] = [Self::BusinessDays, Self::CalendarDays, Self::CalendarMonths];

    /// The unit's name, for one and for more than one.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::BusinessDays => ("business day", "business days"),
            Self::CalendarDays => ("calendar day", "calendar days"),
            Self::CalendarMonths => ("calendar month", "calendar months"),
        }
    }

    /// The unit a pause is measured in: a business clock only loses the
    /// business days spent waiting, so a pause over a holiday gains nothing
    /// for the holiday; a month has no fixed length, so it pauses by the day.
    pub(super) fn pause_unit(self) -> Self {
        match self {
            Self::BusinessDays => Self::BusinessDays,
            Self::CalendarDays | Self::CalendarMonths => Self::CalendarDays,
        }
    }

    pub(super) fn counts(self, day: NaiveDate, holidays: &Holidays) -> bool {
        self != Self::BusinessDays || holidays.is_business_day(day)
    }
}

/// A positive count of one unit. Zero cannot be written: a clock that is
/// due the moment it starts is a typo in the rules, not a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Span {
    count: NonZeroU32,
    unit: Unit,
}

impl Span {
    pub(super) fn new(count: NonZeroU32, unit: Unit) -> Self {
        Self { count, unit }
    }

    pub fn unit(self) -> Unit {
        self.unit
    }

    /// The date this span ends when counted from `start`, which itself does
    /// not count.
    pub fn after(self, start: NaiveDate, holidays: &Holidays) -> NaiveDate {
        let count = self.count.get();
        match self.unit {
            Unit::BusinessDays => holidays.add_business_days(start, count),
            Unit::CalendarDays => add_calendar_days(start, count),
            Unit::CalendarMonths => add_calendar_months(start, count),
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (one, many) = self.unit.names();
        let name = if self.count.get() == 1 { one } else { many };
        write!(f, "{} {name}", self.count)
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("`{0}` is not a length of time: write a positive count and business days, calendar days or calendar months")]
pub struct SpanError(String);

impl FromStr for Span {
    type Err = SpanError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || SpanError(text.to_owned());
        let (count, unit) = text.trim().split_once(' ').ok_or_else(invalid)?;
        let count = count.parse::<NonZeroU32>().map_err(|_| invalid())?;
        let unit = unit.split_whitespace().collect::<Vec<_>>().join(" ");
        let unit = Unit::ALL
            .into_iter()
            .find(|known| {
                let (one, many) = known.names();
                unit == one || unit == many
            })
            .ok_or_else(invalid)?;
        Ok(Self { count, unit })
    }
}

impl TryFrom<String> for Span {
    type Error = SpanError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

// Dates past chrono's range (year 262142) saturate: such a deadline is
// never reached, and saturating keeps every deadline on or after its start.
pub(super) fn add_calendar_days(start: NaiveDate, count: u32) -> NaiveDate {
    start.checked_add_days(Days::new(count.into())).unwrap_or(NaiveDate::MAX)
}

/// Chrono clamps to the month's last day, so 31 January plus one month is
/// 28 or 29 February, the end-of-month rule the regulations assume.
pub(super) fn add_calendar_months(start: NaiveDate, count: u32) -> NaiveDate {
    start.checked_add_months(Months::new(count)).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::fixtures::date;

    #[test]
    fn spans_read_as_written_in_the_rules() {
        let cases = [
            ("10 business days", Some("10 business days")),
            ("1 calendar month", Some("1 calendar month")),
            ("1 calendar months", Some("1 calendar month")),
            ("  45  calendar   days ", Some("45 calendar days")),
            ("0 calendar days", None),
            ("-3 calendar days", None),
            ("ten business days", None),
            ("10 weeks", None),
            ("10", None),
        ];
        for (text, expected) in cases {
            let parsed = text.parse::<Span>().ok().map(|span| span.to_string());
            assert_eq!(parsed.as_deref(), expected, "{text:?}");
        }
    }

    #[test]
    fn months_keep_to_the_end_of_shorter_months() {
        let cases = [
            ("2026-01-31", 1, "2026-02-28"),
            ("2028-01-31", 1, "2028-02-29"),
            ("2026-03-31", 1, "2026-04-30"),
            ("2026-01-31", 3, "2026-04-30"),
            ("2026-03-03", 1, "2026-04-03"),
            ("2026-11-30", 2, "2027-01-30"),
            ("2027-02-28", 1, "2027-03-28"),
        ];
        for (start, months, due) in cases {
            assert_eq!(add_calendar_months(date(start), months), date(due), "{start} + {months} months");
        }
    }

    #[test]
    fn calendar_days_ignore_weekends_and_holidays() {
        assert_eq!(add_calendar_days(date("2026-03-03"), 60), date("2026-05-02"));
        assert_eq!(add_calendar_days(date("2026-12-20"), 45), date("2027-02-03"));
        assert_eq!(add_calendar_days(date("2028-02-28"), 1), date("2028-02-29"));
    }

    #[test]
    fn arithmetic_saturates_at_the_end_of_time() {
        assert_eq!(add_calendar_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(add_calendar_months(NaiveDate::MAX, 1), NaiveDate::MAX);
    }
}
