//! The few expressions the metrics need that SQLite and PostgreSQL spell
//! differently, written once per dialect: a timestamp's day in the
//! organisation's calendar and a date's day number. Days are numbered from
//! 1970-01-01 so that differences between them are plain subtraction.

use chrono::{DateTime, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::{DatabaseBackend, Statement, Value};

/// When the organisation's UTC offset changes (daylight saving), so SQLite,
/// which knows no time zones, can be told which offset applies when.
#[derive(Clone, Debug)]
pub struct Offsets {
    time_zone: Tz,
    /// The offset in force before the first change, in seconds.
    initial: i32,
    /// (from this instant, this offset in seconds), oldest first.
    changes: Vec<(DateTime<Utc>, i32)>,
}

impl Offsets {
    /// The changes from 1970 until `until`, found day by day and then to the
    /// second.
    pub fn new(time_zone: Tz, until: DateTime<Utc>) -> Self {
        let offset_at = |at: DateTime<Utc>| time_zone.offset_from_utc_datetime(&at.naive_utc()).fix().local_minus_utc();
        let start = DateTime::<Utc>::UNIX_EPOCH;
        let initial = offset_at(start);
        let mut changes = Vec::new();
        let (mut day, mut current) = (start, initial);
        while day < until {
            let next = day + chrono::Duration::days(1);
            let offset = offset_at(next);
            if offset != current {
                // Offsets change on a whole second: search seconds, not instants.
                let (mut low, mut high) = (day.timestamp(), next.timestamp());
                while high - low > 1 {
                    let middle = low + (high - low) / 2;
                    let at = DateTime::from_timestamp(middle, 0).unwrap_or(day);
                    if offset_at(at) == current { low = middle } else { high = middle }
                }
                changes.push((DateTime::from_timestamp(high, 0).unwrap_or(next), offset));
                current = offset;
            }
            day = next;
        }
        Self { time_zone, initial, changes }
    }
}

/// A statement being written for one database, with its bound values.
pub struct Sql<'a> {
    backend: DatabaseBackend,
    offsets: &'a Offsets,
    values: Vec<Value>,
}

impl<'a> Sql<'a> {
    pub fn new(backend: DatabaseBackend, offsets: &'a Offsets) -> Self {
        Self { backend, offsets, values: Vec::new() }
    }

    /// A numbered placeholder for `value`, so an expression that holds one
    /// may be written into the statement more than once.
    pub fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        match self.backend {
            DatabaseBackend::Postgres => format!("${}", self.values.len()),
            _ => format!("?{}", self.values.len()),
        }
    }

    /// The day number of timestamp `column` in the organisation's calendar.
    /// SQLite adds the offset in force at that instant, newest changes
    /// tested first since most rows are recent.
    pub fn local_day(&mut self, column: &str) -> String {
        match self.backend {
            DatabaseBackend::Postgres => {
                let zone = self.offsets.time_zone.name().replace('\'', "''");
                format!("(({column} AT TIME ZONE '{zone}')::date - DATE '1970-01-01')")
            }
            _ => {
                let offsets = self.offsets;
                if offsets.changes.is_empty() {
                    return format!("((unixepoch({column}) + {}) / 86400)", offsets.initial);
                }
                let mut case = String::from("CASE");
                for (from, offset) in offsets.changes.iter().rev() {
                    case += &format!(" WHEN {column} >= {} THEN {offset}", self.bind(*from));
                }
                case += &format!(" ELSE {} END", offsets.initial);
                format!("((unixepoch({column}) + {case}) / 86400)")
            }
        }
    }

    /// The day number of date `column`.
    pub fn date_day(&self, column: &str) -> String {
        match self.backend {
            DatabaseBackend::Postgres => format!("({column} - DATE '1970-01-01')"),
            _ => format!("(unixepoch({column}) / 86400)"),
        }
    }

    pub fn finish(self, sql: String) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, self.values)
    }
}

/// The date of a day number.
pub fn day_of(number: i64) -> Option<NaiveDate> {
    DateTime::<Utc>::UNIX_EPOCH.date_naive().checked_add_signed(chrono::Duration::days(number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daylight_saving_changes_are_found_to_the_second() {
        let offsets = Offsets::new(chrono_tz::America::New_York, "2027-01-01T00:00:00Z".parse().unwrap());
        let in_2026: Vec<_> = offsets.changes.iter().filter(|(at, _)| at.format("%Y").to_string() == "2026").collect();
        assert_eq!(in_2026.len(), 2);
        assert_eq!(in_2026[0], &("2026-03-08T07:00:00Z".parse().unwrap(), -4 * 3600));
        assert_eq!(in_2026[1], &("2026-11-01T06:00:00Z".parse().unwrap(), -5 * 3600));
        assert!(Offsets::new(chrono_tz::UTC, Utc::now()).changes.is_empty());
    }
}
