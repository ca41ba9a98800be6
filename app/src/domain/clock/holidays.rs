//! The holiday calendar, kept as data (holidays.toml) because the
//! regulations never define "business day": the business decides, and the
//! list changes whenever a holiday is created or an office is closed by order.

use chrono::{Datelike, Month, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::Deserialize;

/// Which days are holidays, parsed from a TOML calendar.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holidays {
    #[serde(default)]
    fixed: Vec<FixedHoliday>,
    #[serde(default)]
    nth_weekday: Vec<NthWeekday>,
    #[serde(default)]
    last_weekday: Vec<LastWeekday>,
    #[serde(default)]
    extra: Vec<ExtraDay>,
}

/// A holiday on one date of the year, observed on the nearest weekday.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixedHoliday {
    name: String,
    month: Month,
    day: u32,
    from_year: Option<i32>,
}

/// A holiday such as "the third Monday of January".
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct NthWeekday {
    name: String,
    month: Month,
    weekday: Weekday,
    nth: u8,
}

/// A holiday such as "the last Monday of May".
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct LastWeekday {
    name: String,
    month: Month,
    weekday: Weekday,
}

/// A one-off closure.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtraDay {
    name: String,
    date: NaiveDate,
}

#[derive(Debug, thiserror::Error)]
pub enum HolidaysError {
    #[error("the holiday calendar is not valid TOML of the expected shape: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("the holiday {name:?} {problem}")]
    Invalid { name: String, problem: &'static str },
}

impl FixedHoliday {
    fn date(&self, year: i32) -> Option<NaiveDate> {
        if self.from_year.is_some_and(|from| year < from) {
            return None;
        }
        NaiveDate::from_ymd_opt(year, self.month.number_from_month(), self.day)
    }

    /// Saturday moves to the Friday before, Sunday to the Monday after
    /// (5 U.S.C. 6103(b)), which can cross into the previous year.
    fn observed(&self, year: i32) -> Option<NaiveDate> {
        let date = self.date(year)?;
        match date.weekday() {
            Weekday::Sat => date.pred_opt(),
            Weekday::Sun => date.succ_opt(),
            _ => Some(date),
        }
    }

    fn falls_on(&self, day: NaiveDate) -> bool {
        let year = day.year();
        [self.date(year), self.observed(year), self.observed(year + 1)].contains(&Some(day))
    }
}

impl NthWeekday {
    fn falls_on(&self, day: NaiveDate) -> bool {
        NaiveDate::from_weekday_of_month_opt(day.year(), self.month.number_from_month(), self.weekday, self.nth)
            == Some(day)
    }
}

impl LastWeekday {
    fn falls_on(&self, day: NaiveDate) -> bool {
        let next_month = if self.month == Month::December {
            NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(day.year(), self.month.number_from_month() + 1, 1)
        };
        let Some(last_of_month) = next_month.and_then(|first| first.pred_opt()) else {
            return false;
        };
        let back = (7 + last_of_month.weekday().num_days_from_monday() - self.weekday.num_days_from_monday()) % 7;
        last_of_month - chrono::Days::new(back.into()) == day
    }
}

impl Holidays {
    /// Parses a calendar and checks that every rule names a real day.
    pub fn from_toml(text: &str) -> Result<Self, HolidaysError> {
        let holidays: Self = toml::from_str(text)?;
        holidays.validate()?;
        Ok(holidays)
    }

    fn validate(&self) -> Result<(), HolidaysError> {
        let invalid = |name: &str, problem| Err(HolidaysError::Invalid { name: name.to_owned(), problem });
        for holiday in &self.fixed {
            // 2000 was a leap year, so 29 February passes and 30 February fails.
            if NaiveDate::from_ymd_opt(2000, holiday.month.number_from_month(), holiday.day).is_none() {
                return invalid(&holiday.name, "has a day that its month does not have");
            }
        }
        for holiday in &self.nth_weekday {
            // A fifth weekday is missing from most months: use last_weekday.
            if !(1..=4).contains(&holiday.nth) {
                return invalid(&holiday.name, "must be the 1st to 4th weekday of its month");
            }
        }
        Ok(())
    }

    /// The name of the holiday on `day`, whether it falls or is observed then.
    pub fn holiday_name(&self, day: NaiveDate) -> Option<&str> {
        let fixed = self.fixed.iter().find(|h| h.falls_on(day)).map(|h| &h.name);
        let nth = || self.nth_weekday.iter().find(|h| h.falls_on(day)).map(|h| &h.name);
        let last = || self.last_weekday.iter().find(|h| h.falls_on(day)).map(|h| &h.name);
        let extra = || self.extra.iter().find(|h| h.date == day).map(|h| &h.name);
        fixed.or_else(nth).or_else(last).or_else(extra).map(String::as_str)
    }

    pub fn is_holiday(&self, day: NaiveDate) -> bool {
        self.holiday_name(day).is_some()
    }

    /// Monday to Friday, less holidays.
    pub fn is_business_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_holiday(day)
    }

    /// The `count`th business day after `start`; `start` itself never counts.
    pub fn add_business_days(&self, start: NaiveDate, count: u32) -> NaiveDate {
        let mut day = start;
        let mut left = count;
        while left > 0 {
            // Saturates like the calendar arithmetic: see span.rs.
            let Some(next) = day.succ_opt() else {
                return NaiveDate::MAX;
            };
            day = next;
            if self.is_business_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The business day a request counts as received on: the day it arrived
    /// if that is a business day and it came before `close`, otherwise the
    /// next business day, as a letter that arrives on Saturday is opened on
    /// Monday.
    pub fn business_receipt_date(&self, received: NaiveDateTime, close: NaiveTime) -> NaiveDate {
        let date = received.date();
        if self.is_business_day(date) && received.time() < close { date } else { self.add_business_days(date, 1) }
    }
}

impl Default for Holidays {
    /// The US federal holidays in holidays.toml.
    fn default() -> Self {
        Self::from_toml(include_str!("holidays.toml")).expect("the embedded holidays.toml is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::fixtures::{CLOSE, date};

    fn at(text: &str) -> NaiveDateTime {
        text.parse().unwrap()
    }

    #[test]
    fn every_federal_holiday_is_closed_on_its_observed_day() {
        let holidays = Holidays::default();
        let cases = [
            ("2026-01-01", "New Year's Day"),
            ("2026-01-19", "Birthday of Martin Luther King, Jr."),
            ("2026-02-16", "Washington's Birthday"),
            ("2026-05-25", "Memorial Day"),
            ("2026-06-19", "Juneteenth National Independence Day"),
            ("2026-07-03", "Independence Day"),
            ("2026-09-07", "Labor Day"),
            ("2026-10-12", "Columbus Day"),
            ("2026-11-11", "Veterans Day"),
            ("2026-11-26", "Thanksgiving Day"),
            ("2026-12-25", "Christmas Day"),
            ("2027-12-24", "Christmas Day"),
            ("2021-12-31", "New Year's Day"),
            ("2027-12-31", "New Year's Day"),
            ("2023-01-02", "New Year's Day"),
            ("2021-06-18", "Juneteenth National Independence Day"),
            ("2027-06-18", "Juneteenth National Independence Day"),
            ("2028-05-29", "Memorial Day"),
            ("2025-01-09", "National Day of Mourning for President Carter"),
        ];
        for (day, name) in cases {
            assert_eq!(holidays.holiday_name(date(day)), Some(name), "{day}");
            assert!(!holidays.is_business_day(date(day)), "{day}");
        }
    }

    #[test]
    fn ordinary_and_weekend_days_are_told_apart() {
        let holidays = Holidays::default();
        let cases = [
            ("2026-07-02", true),
            ("2026-07-04", false),
            ("2026-07-06", true),
            ("2027-12-27", true),
            ("2021-12-30", true),
            ("2022-01-03", true),
            ("2020-06-19", true),
            ("2026-05-18", true),
            ("2026-03-07", false),
            ("2026-03-08", false),
        ];
        for (day, business) in cases {
            assert_eq!(holidays.is_business_day(date(day)), business, "{day}");
        }
        assert!(!holidays.is_holiday(date("2020-06-19")), "Juneteenth was not a federal holiday before 2021");
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        let holidays = Holidays::default();
        let cases = [
            ("2026-03-02", 1, "2026-03-03"),
            ("2026-03-06", 1, "2026-03-09"),
            ("2026-03-06", 10, "2026-03-20"),
            ("2026-07-01", 2, "2026-07-06"),
            ("2026-11-25", 1, "2026-11-27"),
            ("2026-12-23", 3, "2026-12-29"),
            ("2021-12-30", 1, "2022-01-03"),
            ("2026-03-07", 1, "2026-03-09"),
            ("2026-03-02", 0, "2026-03-02"),
        ];
        for (start, count, due) in cases {
            assert_eq!(holidays.add_business_days(date(start), count), date(due), "{start} + {count}");
        }
    }

    #[test]
    fn requests_after_close_or_on_closed_days_count_from_the_next_business_day() {
        let holidays = Holidays::default();
        let cases = [
            ("2026-03-06T09:00:00", "2026-03-06"),
            ("2026-03-06T16:59:59", "2026-03-06"),
            ("2026-03-06T17:00:00", "2026-03-09"),
            ("2026-03-06T23:30:00", "2026-03-09"),
            ("2026-03-07T10:00:00", "2026-03-09"),
            ("2026-07-03T10:00:00", "2026-07-06"),
            ("2026-07-02T18:00:00", "2026-07-06"),
        ];
        for (received, counted_from) in cases {
            assert_eq!(holidays.business_receipt_date(at(received), CLOSE), date(counted_from), "{received}");
        }
    }

    #[test]
    fn calendars_can_be_extended_and_are_checked() {
        let one_off = Holidays::from_toml("[[extra]]\nname = \"Flood\"\ndate = \"2026-03-04\"\n").unwrap();
        assert_eq!(one_off.holiday_name(date("2026-03-04")), Some("Flood"));
        assert!(one_off.is_business_day(date("2026-12-25")));

        let rejected = [
            "[[fixed]]\nname = \"x\"\nmonth = \"February\"\nday = 30\n",
            "[[nth_weekday]]\nname = \"x\"\nmonth = \"May\"\nweekday = \"Monday\"\nnth = 5\n",
            "[[nth_weekday]]\nname = \"x\"\nmonth = \"May\"\nweekday = \"Funday\"\nnth = 1\n",
            "[[fixed]]\nname = \"x\"\nmonth = \"Smarch\"\nday = 1\n",
            "[[feast]]\nname = \"x\"\n",
        ];
        for text in rejected {
            assert!(Holidays::from_toml(text).is_err(), "{text}");
        }
    }
}
