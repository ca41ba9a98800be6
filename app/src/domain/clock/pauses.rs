//! Time spent waiting on the customer, and how it moves a deadline whose
//! rule lets waiting stop the clock.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::holidays::Holidays;
use super::span::{Unit, add_calendar_days};

/// A stretch of waiting on the customer: the days after `asked` up to and
/// including `answered` do not count, like the day of receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub asked: NaiveDate,
    pub answered: NaiveDate,
}

/// All waiting on the customer; at most one wait can still be open.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pauses {
    pub closed: Vec<Pause>,
    /// The day we asked, while the customer has not yet answered.
    pub open_since: Option<NaiveDate>,
}

impl Pauses {
    /// Moves `nominal` one `unit` later for every paused unit between
    /// `start` and the deadline, including paused units that the moves
    /// themselves bring before it, so a deadline only ever moves later.
    /// An open wait lasts through `today`. Returns the deadline and the
    /// units added.
    pub(super) fn postpone(
        &self,
        start: NaiveDate,
        nominal: NaiveDate,
        unit: Unit,
        holidays: &Holidays,
        today: NaiveDate,
    ) -> (NaiveDate, u32) {
        let open = self.open_since.map(|asked| Pause { asked, answered: today });
        let waits: Vec<Pause> = self.closed.iter().copied().chain(open).collect();
        let mut due = nominal;
        let mut counted_through = start;
        let mut paused = 0;
        loop {
            paused += paused_units(&waits, counted_through, due, unit, holidays);
            counted_through = due;
            let moved = match unit {
                Unit::BusinessDays => holidays.add_business_days(nominal, paused),
                Unit::CalendarDays | Unit::CalendarMonths => add_calendar_days(nominal, paused),
            };
            if moved == due {
                return (due, paused);
            }
            due = moved;
        }
    }
}

/// Days after `after` through `through` that some wait covers and `unit`
/// counts; overlapping waits count a day once.
fn paused_units(waits: &[Pause], after: NaiveDate, through: NaiveDate, unit: Unit, holidays: &Holidays) -> u32 {
    let is_paused = |day: NaiveDate| waits.iter().any(|wait| wait.asked < day && day <= wait.answered);
    let days = after.iter_days().skip(1).take_while(|day| *day <= through);
    let count = days.filter(|day| is_paused(*day) && unit.counts(*day, holidays)).count();
    u32::try_from(count).unwrap_or(u32::MAX)
}
