//! Requests for the tests of the clock modules.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::{ClockInput, Holidays, Pauses, Receipt, Regime, RequestClock, Rules};
use crate::domain::RequestKind;

pub const CLOSE: NaiveTime = NaiveTime::from_hms_opt(17, 0, 0).unwrap();

pub fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A request with no waiting and no extension, looked at on the day it arrived.
pub fn input<'a>(kind: RequestKind, received: &str, pauses: &'a Pauses) -> ClockInput<'a> {
    let received: NaiveDateTime = received.parse().unwrap();
    ClockInput { kind, received, receipt: Receipt::ArrivalDay, pauses, extension_reason: None, today: received.date() }
}

/// The clock under the embedded rules of `regimes`, one of which must apply.
pub fn clock(regimes: &[Regime], input: &ClockInput<'_>) -> RequestClock {
    let rules = Rules::default().for_regimes(regimes);
    RequestClock::compute(&rules, &Holidays::default(), input).expect("a rule applies")
}
