//! Per-day counts kept between dashboard views, so that a year is summed
//! from 365 small rows instead of counted from half a million requests.
//!
//! Each day before today has two parts in `metrics_days`: what was received
//! that day, and what was finished that day. Today is always counted live.
//! Every write to a request sets its `updated_at`, so the rows changed since
//! the last look (the zone's watermark) tell which parts went stale:
//! - the received part of the day a changed row was received, when the row
//!   is new or was verified since (the received counts read nothing else
//!   that can change: kind, channel and arrival are fixed);
//! - the finished part of the day a changed row was finished.
//!
//! A view writes nothing: it takes the kept parts that did not go stale and
//! counts the others itself. Writing on a view queued every dashboard behind
//! the one SQLite writer, and eight opened together under load waited out
//! the request timeout. One keeper per instance does the writing: it drops
//! the stale parts, moves the watermark, and counts and keeps the missing
//! parts, unless another look moved the watermark past the moment its
//! counting began (what it counted may then be stale already).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, PoisonError};

use app::domain::RequestKind;
use app::domain::metrics::{DoneByFact, FinishedFact, OutcomeFact, Period, ReceivedFact};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, TransactionTrait};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use super::sql::day_of;
use super::{Metrics, MetricsError, get};

/// How often the keeper looks even when no view asked it to.
const KEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// The longest span of days the keeper keeps up to date: the dashboard's
/// longest period, and a little more.
const KEPT_AT_MOST: chrono::Days = chrono::Days::new(6 * 366);

/// How long a write may take between setting `updated_at` and committing,
/// and how far apart instances' clocks may be: changes this much older than
/// the watermark are looked at again.
pub(super) const SLACK: chrono::Duration = chrono::Duration::seconds(5);

/// The counts of one day, or of one part of it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DayFacts {
    pub received: Vec<ReceivedFact>,
    pub finished: Vec<FinishedFact>,
    pub done_by: Vec<DoneByFact>,
    pub outcomes: Vec<(RequestKind, OutcomeFact)>,
}

impl DayFacts {
    fn add(&mut self, other: Self) {
        self.received.extend(other.received);
        self.finished.extend(other.finished);
        self.done_by.extend(other.done_by);
        self.outcomes.extend(other.outcomes);
    }

    /// The form kept in `metrics_days`: postcard, since a year's 730 parts
    /// as JSON took most of a year view's time to read and parse (migration
    /// `m20261215_000010_compact_day_facts`).
    fn encode(&self) -> Result<Vec<u8>, MetricsError> {
        postcard::to_stdvec(self).map_err(|e| MetricsError::Unreadable(e.to_string()))
    }

    /// `None` for a part that cannot be read, which is counted again.
    fn decode(kept: &[u8]) -> Option<Self> {
        postcard::from_bytes(kept).ok()
    }
}

/// The most days the keeper counts in one go. Its first look after a
/// seeding or an upgrade counts a year; counted whole, on two cores, that
/// held every read connection for four seconds and pages queued behind it
/// (a 4 s p99 in the queue benchmark). A week at a time, one query at a
/// time, it holds one connection for a few tens of milliseconds.
const KEEPER_PIECE_DAYS: u64 = 7;

/// Whether a count may take several read connections at once: a view may,
/// since someone waits for it; the keeper may not.
#[derive(Clone, Copy)]
enum Pace {
    AllAtOnce,
    OneAtATime,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lock {
    Yes,
    No,
}

/// What views ask the keeper to keep, and the bell they ring.
pub(super) struct Keeper {
    wanted: Mutex<Option<Period>>,
    asked: Notify,
}

impl Keeper {
    /// Keeps the year before `today` from the start, so that the first
    /// dashboard after a restart finds its days kept.
    pub(super) fn new(today: NaiveDate) -> Self {
        let wanted = today.pred_opt().map(|yesterday| Period {
            from: yesterday.checked_sub_days(chrono::Days::new(366)).unwrap_or(yesterday),
            to: yesterday,
        });
        Self { wanted: Mutex::new(wanted), asked: Notify::new() }
    }

    /// Adds `period` to the days kept up to date and wakes the keeper.
    fn want(&self, period: Period) {
        let mut wanted = self.wanted.lock().unwrap_or_else(PoisonError::into_inner);
        let joined = match *wanted {
            Some(before) => Period { from: before.from.min(period.from), to: before.to.max(period.to) },
            None => period,
        };
        let earliest = joined.to.checked_sub_days(KEPT_AT_MOST).unwrap_or(joined.from);
        *wanted = Some(Period { from: joined.from.max(earliest), to: joined.to });
        drop(wanted);
        self.asked.notify_one();
    }

    fn wanted(&self) -> Option<Period> {
        *self.wanted.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Received,
    Finished,
}

impl Part {
    const ALL: [Self; 2] = [Self::Received, Self::Finished];

    fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Finished => "finished",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|part| part.as_str() == text)
    }
}

impl Metrics {
    /// The counts of every day of `period`, all kinds. A view only reads:
    /// days that are kept and unchanged since are taken as kept, the rest
    /// are counted now, and the keeper is asked to keep them for the next
    /// view.
    pub(super) async fn days(&self, period: Period) -> Result<DayFacts, MetricsError> {
        let today = self.today();
        let mut facts = DayFacts::default();
        if period.contains(today) {
            for part in Part::ALL {
                for day in self.count(part, Period { from: today, to: today }, Pace::AllAtOnce).await?.into_values() {
                    facts.add(day);
                }
            }
        }
        let Some(last) = today.pred_opt().map(|yesterday| yesterday.min(period.to)) else { return Ok(facts) };
        if period.from > last {
            return Ok(facts);
        }
        let settled = Period { from: period.from, to: last };
        let stale = match self.watermark(&self.db, Lock::No).await? {
            Some(since) => self.changed_since(since).await?,
            None => BTreeSet::new(),
        };
        let mut kept = self.kept(settled).await?;
        kept.retain(|key, _| !stale.contains(key));
        let mut counted_now = false;
        for part in Part::ALL {
            for run in runs(&self.missing(settled, part, &kept)) {
                kept.extend(
                    self.count(part, run, Pace::AllAtOnce).await?.into_iter().map(|(day, facts)| ((day, part), facts)),
                );
                counted_now = true;
            }
        }
        if counted_now {
            self.keeper.want(settled);
        }
        for day in kept.into_values() {
            facts.add(day);
        }
        Ok(facts)
    }

    /// Brings the kept days up to date: drops those that rows changed since
    /// the last look count in, and counts and keeps the missing days of the
    /// periods views have asked for. The only writer of kept days.
    pub async fn keep_days(&self) -> Result<(), MetricsError> {
        let looked = Utc::now();
        self.forget_changed(looked).await?;
        let Some(wanted) = self.keeper.wanted() else { return Ok(()) };
        let Some(last) = self.today().pred_opt().map(|yesterday| yesterday.min(wanted.to)) else { return Ok(()) };
        if wanted.from > last {
            return Ok(());
        }
        let settled = Period { from: wanted.from, to: last };
        let kept = self.kept(settled).await?;
        for part in Part::ALL {
            for run in runs(&self.missing(settled, part, &kept)) {
                for piece in pieces(run) {
                    let counted = self.count(part, piece, Pace::OneAtATime).await?;
                    self.keep(part, &counted, looked).await?;
                }
            }
        }
        Ok(())
    }

    /// Keeps the days up to date whenever a view counted some afresh, and
    /// every minute besides, so that the rows changed since the watermark,
    /// which every view reads, stay few.
    pub async fn keep_days_forever(self) {
        loop {
            tokio::select! {
                () = self.keeper.asked.notified() => {}
                () = tokio::time::sleep(KEEP_EVERY) => {}
            }
            if let Err(error) = self.keep_days().await {
                tracing::warn!(%error, "the dashboard's day counts were not kept; views count them meanwhile");
            }
        }
    }

    /// The days of `span` whose `part` is not in `kept`.
    fn missing(&self, span: Period, part: Part, kept: &BTreeMap<(NaiveDate, Part), DayFacts>) -> Vec<NaiveDate> {
        days_of(span).filter(|day| !kept.contains_key(&(*day, part))).collect()
    }

    /// One part of each day in `span`, counted from the requests; days
    /// without any are there too, empty, so that they are kept as such.
    async fn count(&self, part: Part, span: Period, pace: Pace) -> Result<BTreeMap<NaiveDate, DayFacts>, MetricsError> {
        let mut days: BTreeMap<NaiveDate, DayFacts> = days_of(span).map(|day| (day, DayFacts::default())).collect();
        match part {
            Part::Received => {
                for fact in self.received(span).await? {
                    days.entry(fact.day).or_default().received.push(fact);
                }
            }
            Part::Finished => {
                let (finished, done_by, outcomes) = match pace {
                    Pace::AllAtOnce => tokio::try_join!(self.finished(span), self.done_by(span), self.outcomes(span))?,
                    Pace::OneAtATime => {
                        (self.finished(span).await?, self.done_by(span).await?, self.outcomes(span).await?)
                    }
                };
                for (day, fact) in finished {
                    days.entry(day).or_default().finished.push(fact);
                }
                for (day, fact) in done_by {
                    days.entry(day).or_default().done_by.push(fact);
                }
                for (day, kind, fact) in outcomes {
                    days.entry(day).or_default().outcomes.push((kind, fact));
                }
            }
        }
        Ok(days)
    }

    /// The kept parts of the days of `span`.
    async fn kept(&self, span: Period) -> Result<BTreeMap<(NaiveDate, Part), DayFacts>, MetricsError> {
        let mut sql = self.sql();
        let text = format!(
            "SELECT day, part, facts FROM metrics_days WHERE zone = {} AND day >= {} AND day <= {}",
            sql.bind(self.zone()),
            sql.bind(span.from),
            sql.bind(span.to),
        );
        let mut kept = BTreeMap::new();
        for row in self.db.query_all_raw(sql.finish(text)).await? {
            let (day, part, facts): (NaiveDate, String, Vec<u8>) = (get(&row, 0)?, get(&row, 1)?, get(&row, 2)?);
            if let (Some(part), Some(facts)) = (Part::parse(&part), DayFacts::decode(&facts)) {
                kept.insert((day, part), facts);
            }
        }
        Ok(kept)
    }

    /// The kept parts that rows changed since `since` (less the slack)
    /// count in.
    async fn changed_since(&self, since: DateTime<Utc>) -> Result<BTreeSet<(NaiveDate, Part)>, MetricsError> {
        let since = since - SLACK;
        let mut sql = self.sql();
        let since_at = sql.bind(since);
        let (received, finished) = (sql.local_day("received_at"), sql.local_day("resolved_at"));
        let text = format!(
            "SELECT DISTINCT CAST(CASE WHEN created_at > {since_at} OR verified_at > {since_at} THEN {received} END \
             AS BIGINT), CAST({finished} AS BIGINT) FROM requests WHERE updated_at > {since_at}"
        );
        let mut stale: BTreeSet<(NaiveDate, Part)> = BTreeSet::new();
        for row in self.db.query_all_raw(sql.finish(text)).await? {
            let (received, finished): (Option<i64>, Option<i64>) = (get(&row, 0)?, get(&row, 1)?);
            stale.extend(received.and_then(day_of).map(|day| (day, Part::Received)));
            stale.extend(finished.and_then(day_of).map(|day| (day, Part::Finished)));
        }
        Ok(stale)
    }

    /// Drops the kept parts that rows changed since the last look count in,
    /// and moves the watermark to `looked`; writes nothing when no row
    /// changed.
    async fn forget_changed(&self, looked: DateTime<Utc>) -> Result<(), MetricsError> {
        let Some(since) = self.watermark(&self.writer, Lock::No).await? else {
            return self.set_watermark(&self.writer, looked).await;
        };
        let stale = self.changed_since(since).await?;
        if stale.is_empty() {
            return Ok(());
        }
        let txn = self.writer.begin().await?;
        // The watermark before the days, as `keep` takes them: two keepers
        // locking the two in opposite orders deadlock on PostgreSQL.
        self.watermark(&txn, Lock::Yes).await?;
        for (day, part) in stale {
            let mut sql = self.sql();
            let text = format!(
                "DELETE FROM metrics_days WHERE zone = {} AND day = {} AND part = {}",
                sql.bind(self.zone()),
                sql.bind(day),
                sql.bind(part.as_str()),
            );
            txn.execute_raw(sql.finish(text)).await?;
        }
        self.set_watermark(&txn, looked).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Keeps what was counted after `looked`, unless a later look has
    /// passed it (and may have dropped a part this count is older than).
    async fn keep(
        &self,
        part: Part,
        counted: &BTreeMap<NaiveDate, DayFacts>,
        looked: DateTime<Utc>,
    ) -> Result<(), MetricsError> {
        let txn = self.writer.begin().await?;
        if self.watermark(&txn, Lock::Yes).await?.is_some_and(|mark| mark > looked) {
            txn.rollback().await?;
            return Ok(());
        }
        for (day, facts) in counted {
            let mut sql = self.sql();
            let text = format!(
                "INSERT INTO metrics_days (zone, day, part, facts) VALUES ({}, {}, {}, {}) \
                 ON CONFLICT (zone, day, part) DO UPDATE SET facts = excluded.facts",
                sql.bind(self.zone()),
                sql.bind(*day),
                sql.bind(part.as_str()),
                sql.bind(facts.encode()?),
            );
            txn.execute_raw(sql.finish(text)).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// The zone's watermark; with [`Lock::Yes`], locked until the end of
    /// the transaction on PostgreSQL (SQLite has one writer at a time
    /// anyway). Every transaction that writes kept days takes this lock
    /// first.
    async fn watermark(&self, db: &impl ConnectionTrait, lock: Lock) -> Result<Option<DateTime<Utc>>, MetricsError> {
        let mut sql = self.sql();
        let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
        let lock = if postgres && lock == Lock::Yes { " FOR UPDATE" } else { "" };
        let text = format!("SELECT checked_at FROM metrics_watermark WHERE zone = {}{lock}", sql.bind(self.zone()));
        match db.query_one_raw(sql.finish(text)).await? {
            Some(row) => Ok(Some(get(&row, 0)?)),
            None => Ok(None),
        }
    }

    async fn set_watermark(&self, db: &impl ConnectionTrait, at: DateTime<Utc>) -> Result<(), MetricsError> {
        let mut sql = self.sql();
        let text = format!(
            "INSERT INTO metrics_watermark (zone, checked_at) VALUES ({}, {}) \
             ON CONFLICT (zone) DO UPDATE SET checked_at = excluded.checked_at",
            sql.bind(self.zone()),
            sql.bind(at),
        );
        db.execute_raw(sql.finish(text)).await?;
        Ok(())
    }

    fn zone(&self) -> &'static str {
        self.clocks.time_zone().name()
    }
}

/// Forgets every kept count: for `server seed`, whose rows carry the times
/// of a made-up past and so would pass unseen under the watermark.
pub async fn forget_all(db: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
    db.execute_unprepared("DELETE FROM metrics_days").await?;
    db.execute_unprepared("DELETE FROM metrics_watermark").await?;
    Ok(())
}

fn days_of(span: Period) -> impl Iterator<Item = NaiveDate> {
    span.from.iter_days().take_while(move |day| *day <= span.to)
}

/// `run` cut into pieces of at most [`KEEPER_PIECE_DAYS`] days.
fn pieces(run: Period) -> Vec<Period> {
    let mut pieces = Vec::new();
    let mut from = run.from;
    while from <= run.to {
        let to = from.checked_add_days(chrono::Days::new(KEEPER_PIECE_DAYS - 1)).map_or(run.to, |end| end.min(run.to));
        pieces.push(Period { from, to });
        match to.succ_opt() {
            Some(next) => from = next,
            None => break,
        }
    }
    pieces
}

/// `days` (in order) as runs of consecutive days.
fn runs(days: &[NaiveDate]) -> Vec<Period> {
    let mut runs: Vec<Period> = Vec::new();
    for day in days {
        match runs.last_mut() {
            Some(run) if run.to.succ_opt() == Some(*day) => run.to = *day,
            _ => runs.push(Period { from: *day, to: *day }),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keeper_counts_a_week_at_a_time() {
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let cut = pieces(Period { from: day(2, 1), to: day(2, 16) });
        assert_eq!(
            cut,
            vec![
                Period { from: day(2, 1), to: day(2, 7) },
                Period { from: day(2, 8), to: day(2, 14) },
                Period { from: day(2, 15), to: day(2, 16) },
            ]
        );
        assert_eq!(pieces(Period { from: day(3, 1), to: day(3, 1) }), vec![Period { from: day(3, 1), to: day(3, 1) }]);
    }

    #[test]
    fn kept_facts_read_back_as_they_were_counted() {
        use app::domain::metrics::OutcomeClass;
        use app::domain::request::ComplaintCategory;
        use app::domain::{Channel, RequestStatus};
        let facts = DayFacts {
            received: vec![ReceivedFact {
                day: NaiveDate::from_ymd_opt(2026, 2, 3).unwrap(),
                kind: RequestKind::Complaint,
                channel: Channel::Phone,
                verified: true,
                count: 176,
            }],
            finished: vec![
                FinishedFact {
                    kind: RequestKind::OptOut,
                    status: RequestStatus::Completed,
                    days: 12,
                    vs_due: Some(std::cmp::Ordering::Greater),
                    count: 3,
                },
                FinishedFact {
                    kind: RequestKind::Amendment,
                    status: RequestStatus::Denied,
                    days: 0,
                    vs_due: None,
                    count: 1,
                },
            ],
            done_by: vec![
                DoneByFact { assignee: Some(7), kind: RequestKind::OptOut, status: RequestStatus::Completed, count: 9 },
                DoneByFact { assignee: None, kind: RequestKind::Complaint, status: RequestStatus::Closed, count: 2 },
            ],
            outcomes: vec![(
                RequestKind::Complaint,
                OutcomeFact {
                    class: OutcomeClass::ComplaintResolved,
                    category: Some(ComplaintCategory::UnwantedMarketing),
                    count: 4,
                },
            )],
        };
        let kept = facts.encode().unwrap();
        assert_eq!(DayFacts::decode(&kept), Some(facts));
        assert_eq!(DayFacts::decode(br#"{"received":[]}"#), None, "JSON kept before is counted again");
    }

    #[test]
    fn consecutive_days_make_one_run() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 2, d).unwrap();
        let found = runs(&[day(1), day(2), day(3), day(5), day(7), day(8)]);
        assert_eq!(
            found,
            vec![
                Period { from: day(1), to: day(3) },
                Period { from: day(5), to: day(5) },
                Period { from: day(7), to: day(8) },
            ]
        );
        assert!(runs(&[]).is_empty());
    }
}
