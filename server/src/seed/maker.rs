//! The maker: requests arriving day by day over the last two years, more on
//! weekdays and a little more each month, and the helpers that make their
//! times, people and texts random in the right proportions.

use std::collections::HashSet;

use app::domain::clock::RequestClock;
use app::domain::{Channel, ReferenceCode, RequestKind};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use rand::rngs::SmallRng;
use rand::seq::IndexedRandom;
use rand::{Rng, RngCore, SeedableRng};

use super::HISTORY_DAYS;
use super::life::Forbidden;
use super::people::Customer;
use super::roster::{Member, Roster};
use super::write::{CHUNK, Chunk};
use crate::clocks::{ClockState, Clocks};
use crate::secret;
use crate::vault::Vault;

/// What the seed made, for its closing line.
#[derive(Default)]
pub(super) struct Stats {
    pub(super) by_kind: [u64; 4],
    pub(super) open: u64,
    pub(super) finished: u64,
    pub(super) late: u64,
}

/// Makes requests, one day at a time, in order of arrival.
pub(super) struct Maker {
    pub(super) rng: SmallRng,
    clocks: Clocks,
    tz: Tz,
    roster: Roster,
    pub(super) now: DateTime<Utc>,
    today: NaiveDate,
    pub(super) verification_ttl: Duration,
    pub(super) next_id: i64,
    taken: HashSet<String>,
    /// Recent requesters, some of whom ask again.
    pub(super) recent: Vec<Customer>,
    pub(super) stats: Stats,
    /// Seals each row as it is made, on the generator's thread.
    pub(super) vault: Vault,
}

impl Maker {
    pub(super) fn new(
        clocks: Clocks,
        roster: Roster,
        verification_hours: u32,
        first_id: i64,
        taken: HashSet<String>,
        vault: Vault,
    ) -> Self {
        let now = Utc::now();
        Self {
            rng: SmallRng::from_os_rng(),
            tz: clocks.time_zone(),
            today: clocks.local_date(now),
            clocks,
            roster,
            now,
            verification_ttl: Duration::hours(i64::from(verification_hours)),
            next_id: first_id,
            taken,
            recent: Vec::new(),
            stats: Stats::default(),
            vault,
        }
    }

    /// Makes `total` requests and hands them over a chunk at a time; stops
    /// early when `deliver` says nobody is listening any more.
    pub(super) fn generate(&mut self, total: u64, mut deliver: impl FnMut(Chunk) -> bool) -> Result<(), Forbidden> {
        let first = self.today - Duration::days(HISTORY_DAYS);
        let days: Vec<NaiveDate> = first.iter_days().take_while(|day| *day <= self.today).collect();
        let weights: Vec<f64> = days.iter().enumerate().map(|(i, day)| self.day_weight(i, days.len(), *day)).collect();
        let sum: f64 = weights.iter().sum();
        let mut chunk = Chunk::new();
        let mut cumulative = 0.0;
        let mut made = 0_u64;
        for (day, weight) in days.iter().zip(&weights) {
            cumulative += weight;
            let target = ((total as f64) * cumulative / sum).round() as u64;
            let count = target.min(total).saturating_sub(made);
            for (received_at, channel) in self.arrivals(*day, count) {
                self.request(received_at, channel, &mut chunk)?;
                made += 1;
                if chunk.requests == CHUNK && !deliver(std::mem::replace(&mut chunk, Chunk::new())) {
                    return Ok(());
                }
            }
        }
        if chunk.requests > 0 {
            deliver(chunk);
        }
        Ok(())
    }

    /// Volume grows by about half over the two years; weekdays are busy,
    /// weekends quiet, and no two days are quite alike.
    fn day_weight(&mut self, index: usize, days: usize, day: NaiveDate) -> f64 {
        let growth = 0.7 + 0.45 * index as f64 / days as f64;
        let weekday = match day.weekday() {
            Weekday::Mon => 1.2,
            Weekday::Tue => 1.1,
            Weekday::Wed => 1.05,
            Weekday::Thu => 1.0,
            Weekday::Fri => 0.85,
            Weekday::Sat => 0.3,
            Weekday::Sun => 0.22,
        };
        let noise = 0.8 + 0.4 * self.rng.random::<f64>();
        // Only the part of today that has passed.
        let part = if day == self.today {
            let local = self.now.with_timezone(&self.tz);
            f64::from(local.num_seconds_from_midnight()) / 86_400.0
        } else {
            1.0
        };
        growth * weekday * noise * part
    }

    /// `count` arrival times on `day`, in order, each with its channel.
    fn arrivals(&mut self, day: NaiveDate, count: u64) -> Vec<(DateTime<Utc>, Channel)> {
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let mut arrivals: Vec<(DateTime<Utc>, Channel)> = (0..count)
            .map(|_| {
                let roll = self.rng.random::<f64>();
                let channel = if weekend || roll < 0.86 {
                    Channel::Web
                } else if roll < 0.96 {
                    Channel::Phone
                } else {
                    Channel::Mail
                };
                let seconds = match channel {
                    Channel::Web => self.web_second_of_day(),
                    // Calls during opening hours; letters opened in the morning.
                    Channel::Phone => self.rng.random_range(8 * 3600 + 1800..17 * 3600 + 1800),
                    Channel::Mail => self.rng.random_range(9 * 3600..12 * 3600),
                };
                let mut at = self.at_local(day, seconds);
                if at >= self.now {
                    // Today: only what has arrived so far.
                    let midnight = self.at_local(day, 0);
                    let span = (self.now - midnight).num_seconds().max(1);
                    at = midnight + Duration::seconds(self.rng.random_range(0..span));
                    return (at.min(self.now - Duration::seconds(1)), Channel::Web);
                }
                (at, channel)
            })
            .collect();
        arrivals.sort_by_key(|(at, _)| *at);
        arrivals
    }

    /// Web requests come at any hour, most of them in the day and evening.
    fn web_second_of_day(&mut self) -> u32 {
        const HOURS: [f64; 24] = [
            0.6, 0.4, 0.3, 0.2, 0.2, 0.4, 1.0, 2.0, 3.5, 5.0, 6.0, 6.2, 6.0, 6.0, 5.8, 5.5, 5.2, 5.0, 4.6, 4.6, 4.4,
            3.6, 2.4, 1.2,
        ];
        let total: f64 = HOURS.iter().sum();
        let mut roll = self.rng.random::<f64>() * total;
        let mut hour = 23;
        for (h, weight) in HOURS.iter().enumerate() {
            if roll < *weight {
                hour = h as u32;
                break;
            }
            roll -= weight;
        }
        hour * 3600 + self.rng.random_range(0..3600)
    }

    /// A local wall-clock time as an instant, with some sub-second noise.
    pub(super) fn at_local(&mut self, day: NaiveDate, seconds: u32) -> DateTime<Utc> {
        let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds.min(86_399), 0).unwrap_or_default();
        let micros = self.rng.random_range(0..1_000_000);
        self.utc(day.and_time(time)) + Duration::microseconds(micros)
    }

    pub(super) fn utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        // A time skipped by a daylight-saving change is read an hour later.
        self.tz
            .from_local_datetime(&local)
            .earliest()
            .or_else(|| self.tz.from_local_datetime(&(local + Duration::hours(1))).earliest())
            .map_or_else(|| Utc.from_utc_datetime(&local), |at| at.with_timezone(&Utc))
    }

    pub(super) fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.tz).date_naive()
    }

    /// When staff do something `delay` after `after`: during office hours
    /// on a weekday, so later work waits for the next morning.
    pub(super) fn work_time(&mut self, after: DateTime<Utc>, delay: Duration) -> DateTime<Utc> {
        let at = after + delay;
        let local = at.with_timezone(&self.tz).naive_local();
        let minute = local.hour() * 60 + local.minute();
        let weekday = !matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
        if weekday && (8 * 60 + 30..17 * 60 + 45).contains(&minute) {
            return at;
        }
        let mut day = if weekday && minute < 8 * 60 + 30 { local.date() } else { local.date() + Duration::days(1) };
        while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            day += Duration::days(1);
        }
        let seconds = self.rng.random_range(8 * 3600 + 1800..12 * 3600);
        self.at_local(day, seconds).max(at)
    }

    /// Some time between `from` and `to`, `share` of the way (a random
    /// share when `None`).
    pub(super) fn between(&mut self, from: DateTime<Utc>, to: DateTime<Utc>, low: f64, high: f64) -> DateTime<Utc> {
        let span = (to - from).num_seconds().max(0) as f64;
        let share = low + (high - low) * self.rng.random::<f64>();
        from + Duration::seconds((span * share) as i64)
    }

    pub(super) fn hours(&mut self, low: f64, high: f64) -> Duration {
        Duration::seconds((3600.0 * (low + (high - low) * self.rng.random::<f64>())) as i64)
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    pub(super) fn pick<T: Copy>(&mut self, weighted: &[(T, f64)]) -> T {
        let total: f64 = weighted.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.random::<f64>() * total;
        for (item, weight) in weighted {
            if roll < *weight {
                return *item;
            }
            roll -= weight;
        }
        weighted[weighted.len() - 1].0
    }

    pub(super) fn one<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items.choose(&mut self.rng).copied().unwrap_or_default()
    }

    pub(super) fn reference(&mut self) -> ReferenceCode {
        loop {
            let code = ReferenceCode::from_random(self.rng.next_u64());
            if self.taken.insert(code.to_string()) {
                return code;
            }
        }
    }

    pub(super) fn secret_hash(&mut self) -> String {
        let mut bytes = [0_u8; 32];
        self.rng.fill_bytes(&mut bytes);
        secret::hex(&bytes)
    }

    pub(super) fn agent(&mut self) -> Member {
        self.roster.agents.choose(&mut self.rng).cloned().unwrap_or(Member { id: 0, name: String::new() })
    }

    pub(super) fn manager(&mut self) -> Member {
        self.roster.managers.choose(&mut self.rng).cloned().unwrap_or(Member { id: 0, name: String::new() })
    }

    pub(super) fn clock(
        &self,
        kind: RequestKind,
        received_at: DateTime<Utc>,
        state: &ClockState,
    ) -> Option<RequestClock> {
        self.clocks.compute(kind, received_at, state)
    }
}
