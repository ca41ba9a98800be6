//! The organisation's legal clocks: which rules and holidays apply, in which
//! time zone, worked out for each request by `app::domain::clock`.

use std::path::Path;

use app::domain::RequestKind;
use app::domain::clock::{ClockInput, Holidays, Pauses, Regime, RequestClock, Rules, Urgency};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// What a request's clock is computed from besides its kind and receipt:
/// stored with the request as JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockState {
    pub pauses: Pauses,
    pub extension_reason: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Clocks {
    rules: Rules,
    holidays: Holidays,
    time_zone: Tz,
    close: NaiveTime,
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
        close: NaiveTime,
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
        Ok(Self { rules: rules.for_regimes(&enabled), holidays, time_zone, close, due_soon_days })
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
                close: self.close,
                pauses: &state.pauses,
                extension_reason: state.extension_reason.as_deref(),
                today: self.today(),
            },
        )
    }

    /// The last day that still counts as "due soon" from today.
    pub fn due_soon_until(&self) -> NaiveDate {
        self.today() + chrono::Days::new(u64::from(self.due_soon_days))
    }
}

impl Clocks {
    /// Days left and urgency for a deadline, counted from today.
    pub fn standing(&self, due_on: NaiveDate) -> (i64, Urgency) {
        let left = (due_on - self.today()).num_days();
        (left, Urgency::of(left, self.due_soon_days))
    }
}
