//! The organisation's legal clocks: which rules and holidays apply, in which
//! time zone, worked out for each request by `app::domain::clock`.

use std::path::Path;

use app::domain::RequestKind;
use app::domain::clock::{
    ClockInput, Holidays, Pauses, Receipt, Regime, RequestClock, Retention, RetentionFacts, Rules, Urgency,
};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// What a request's clock is computed from besides its kind and receipt:
/// stored with the request as JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockState {
    pub pauses: Pauses,
    pub extension_reason: Option<String>,
}

impl ClockState {
    /// What a purged request keeps: its pauses, and that it was extended
    /// (so that its clock still says so), without the reason.
    pub fn tombstone(self) -> Self {
        Self { extension_reason: self.extension_reason.map(|_| String::new()), ..self }
    }
}

/// Which day business-day deadlines count from, as the settings name it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ReceiptConvention {
    /// The day it arrived, whatever the hour.
    #[default]
    ArrivalDay,
    /// The next business day, for an arrival on a closed day or after `close`.
    NextBusinessDay,
}

impl ReceiptConvention {
    pub fn receipt(self, close: NaiveTime) -> Receipt {
        match self {
            Self::ArrivalDay => Receipt::ArrivalDay,
            Self::NextBusinessDay => Receipt::NextBusinessDay { close },
        }
    }
}

#[derive(Clone, Debug)]
pub struct Clocks {
    rules: Rules,
    holidays: Holidays,
    time_zone: Tz,
    receipt: Receipt,
    due_soon_days: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ClockSetupError {
    #[error("unknown regime {0:?}: use glba, hipaa, ccpa or gdpr")]
    UnknownRegime(String),
    #[error("cannot read {path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("the rules file is not valid: {0}")]
    Rules(#[from] app::domain::clock::RulesError),
    #[error("the holidays file is not valid: {0}")]
    Holidays(#[from] app::domain::clock::HolidaysError),
}

fn read(path: &Path) -> Result<String, ClockSetupError> {
    std::fs::read_to_string(path).map_err(|error| ClockSetupError::Read { path: path.display().to_string(), error })
}

impl Clocks {
    pub fn new(
        regimes: &[String],
        rules_file: Option<&Path>,
        holidays_file: Option<&Path>,
        time_zone: Tz,
        receipt: Receipt,
        due_soon_days: u32,
    ) -> Result<Self, ClockSetupError> {
        let enabled = regimes
            .iter()
            .map(|name| Regime::parse(name.trim()).ok_or_else(|| ClockSetupError::UnknownRegime(name.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        let rules = match rules_file {
            Some(path) => Rules::from_toml(&read(path)?)?,
            None => Rules::default(),
        };
        let holidays = match holidays_file {
            Some(path) => Holidays::from_toml(&read(path)?)?,
            None => Holidays::default(),
        };
        Ok(Self { rules: rules.for_regimes(&enabled), holidays, time_zone, receipt, due_soon_days })
    }

    /// The rules of the regimes in force.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }

    /// Today, in the organisation's time zone.
    pub fn today(&self) -> NaiveDate {
        self.local_date(Utc::now())
    }

    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.time_zone).date_naive()
    }

    /// The clock of a request, or `None` when no enabled rule covers its kind.
    pub fn compute(&self, kind: RequestKind, received_at: DateTime<Utc>, state: &ClockState) -> Option<RequestClock> {
        RequestClock::compute(
            &self.rules,
            &self.holidays,
            &ClockInput {
                kind,
                received: received_at.with_timezone(&self.time_zone).naive_local(),
                receipt: self.receipt,
                pauses: &state.pauses,
                extension_reason: state.extension_reason.as_deref(),
                today: self.today(),
            },
        )
    }

    /// When a finished request's personal data may go, by the retention
    /// rules of the regimes in force.
    pub fn retention(&self, facts: &RetentionFacts<'_>) -> Retention {
        self.rules.retention(facts, &self.holidays)
    }

    /// The last day that still counts as "due soon" from today.
    pub fn due_soon_until(&self) -> NaiveDate {
        self.today() + chrono::Days::new(u64::from(self.due_soon_days))
    }
}

/// When a request received by phone or mail arrived, as staff or another
/// system say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Received {
    /// A day: the clock counts from the start of business that day.
    Day(NaiveDate),
    At(DateTime<Utc>),
}

/// Why a date received is refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReceivedError {
    #[error("The date received cannot be in the future.")]
    Future,
    #[error("The date received must be within the last year.")]
    TooOld,
}

impl Clocks {
    /// The moment a request received by phone or mail counts from: never in
    /// the future, and at most a year back. The one rule for the staff form
    /// and the API.
    pub fn received(&self, when: Received) -> Result<DateTime<Utc>, ReceivedError> {
        let now = Utc::now();
        let today = self.local_date(now);
        let (day, at) = match when {
            Received::Day(day) => (day, self.opening_of(day)),
            Received::At(at) => (self.local_date(at), at),
        };
        if day > today || matches!(when, Received::At(at) if at > now) {
            return Err(ReceivedError::Future);
        }
        if today.checked_sub_months(chrono::Months::new(12)).is_some_and(|year_ago| day < year_ago) {
            return Err(ReceivedError::TooOld);
        }
        Ok(at)
    }

    /// Nine in the morning of `day` in the organisation's time zone, or of
    /// the same clock time in UTC on a day the zone skips it.
    fn opening_of(&self, day: NaiveDate) -> DateTime<Utc> {
        let opening = day.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
        self.time_zone
            .from_local_datetime(&opening)
            .earliest()
            .map_or_else(|| Utc.from_utc_datetime(&opening), |local| local.with_timezone(&Utc))
    }
}

impl Clocks {
    /// Days left and urgency for a deadline, counted from today.
    pub fn standing(&self, due_on: NaiveDate) -> (i64, Urgency) {
        let left = (due_on - self.today()).num_days();
        (left, Urgency::of(left, self.due_soon_days))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Days, Months};

    use super::*;

    fn clocks() -> Clocks {
        Clocks::new(&["glba".to_owned()], None, None, chrono_tz::America::New_York, Receipt::ArrivalDay, 5)
            .expect("clocks")
    }

    #[test]
    fn a_request_is_received_within_the_last_year_and_never_in_the_future() {
        let clocks = clocks();
        let today = clocks.today();
        let year_ago = today.checked_sub_months(Months::new(12)).expect("a year ago");
        assert!(clocks.received(Received::Day(today)).is_ok());
        assert!(clocks.received(Received::Day(year_ago)).is_ok());
        assert!(clocks.received(Received::At(Utc::now() - chrono::Duration::minutes(1))).is_ok());
        assert_eq!(clocks.received(Received::Day(year_ago - Days::new(1))), Err(ReceivedError::TooOld));
        assert_eq!(clocks.received(Received::Day(today + Days::new(1))), Err(ReceivedError::Future));
        let later = Utc::now() + chrono::Duration::minutes(5);
        assert_eq!(clocks.received(Received::At(later)), Err(ReceivedError::Future));
    }

    #[test]
    fn a_day_received_counts_from_the_start_of_business() {
        let clocks = clocks();
        let day = clocks.today() - Days::new(3);
        let at = clocks.received(Received::Day(day)).expect("accepted");
        let local = at.with_timezone(&chrono_tz::America::New_York);
        assert_eq!((local.date_naive(), local.time()), (day, NaiveTime::from_hms_opt(9, 0, 0).expect("a time")));
    }
}
