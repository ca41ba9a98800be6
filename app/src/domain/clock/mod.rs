//! Legal clocks: acknowledgement and response deadlines for each request.
//!
//! Pure arithmetic over data. The regulations' clocks live in rules.toml and
//! the business days in holidays.toml, because every number is a default
//! the organisation must be able to change and the law itself moves. Given a
//! request's kind, its local time of arrival, the time spent waiting on the
//! customer and any extension, [`RequestClock::compute`] works out each
//! applicable rule's deadline, lets the earliest win, and says in words which
//! rule and start date it used so staff can check it.
//! [`RequestClock::grant_extension`] grants the one extension the law
//! allows; store its reason and pass it back in [`ClockInput`] so every
//! later clock keeps it.
//!
//! Conventions: the day of receipt never counts. By default it is the day
//! the request arrived, whatever the hour, and a business-day clock takes
//! the first business day after it as day 1; [`Receipt::NextBusinessDay`]
//! keeps the older reading (arrivals after closing or on a closed day count
//! as received on the next business day). Calendar clocks count from the
//! date of arrival and are not moved off weekends, which could only make
//! them later than the law allows.

pub mod appeals;
mod extension;
#[cfg(test)]
mod fixtures;
mod holidays;
mod pauses;
#[cfg(test)]
mod properties;
mod request_clock;
mod retention;
mod rules;
mod span;
mod statements;

pub use extension::{Extension, ExtensionError};
pub use holidays::{Holidays, HolidaysError};
pub use pauses::{Pause, Pauses};
pub use request_clock::{ClockInput, Deadline, Receipt, RequestClock, Urgency};
pub use retention::{Kept, PurgeDay, Retention, RetentionFacts};
pub use rules::{Regime, Rules, RulesError};
pub use statements::StatementLimit;
