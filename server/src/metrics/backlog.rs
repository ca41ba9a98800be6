//! The open backlog, kept up to date between dashboard views instead of
//! counted on each.
//!
//! Counting today's open requests on every view walked tens of thousands
//! of index entries at a million requests (about 100 ms, the dashboard's
//! whole tail). Each instance instead holds every open request's few
//! counted fields in memory, loaded once, and on each view reads only the
//! rows changed since its last look: every write to a request sets its
//! `updated_at`, and rows are never deleted. A row read again (the looks
//! overlap by the watermark's slack) replaces what was held for it, so a
//! change is never counted twice. A view still writes nothing.

use std::collections::HashMap;

use app::domain::metrics::OpenFact;
use app::domain::{RequestKind, RequestStatus};
use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::Mutex;

use super::days::SLACK;
use super::sql::day_of;
use super::{Metrics, MetricsError, day, get, parse};

/// What the dashboard counts of one open request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Counted {
    kind: RequestKind,
    status: RequestStatus,
    received_on: NaiveDate,
    due_on: Option<NaiveDate>,
    assignee: Option<i64>,
}

#[derive(Default)]
struct Held {
    /// Changes from this instant on, less the slack, are still to be read.
    looked: Option<DateTime<Utc>>,
    by_request: HashMap<i64, Counted>,
    counts: HashMap<Counted, u64>,
}

impl Held {
    /// Takes what a row says now, in place of what was held for it.
    fn take(&mut self, id: i64, now: Option<Counted>) {
        let before = match now {
            Some(counted) => self.by_request.insert(id, counted),
            None => self.by_request.remove(&id),
        };
        if before == now {
            return;
        }
        if let Some(before) = before
            && let Some(count) = self.counts.get_mut(&before)
        {
            *count -= 1;
            if *count == 0 {
                self.counts.remove(&before);
            }
        }
        if let Some(now) = now {
            *self.counts.entry(now).or_default() += 1;
        }
    }

    fn facts(&self, kind: Option<RequestKind>) -> Vec<OpenFact> {
        self.counts
            .iter()
            .filter(|(counted, _)| kind.is_none_or(|kind| kind == counted.kind))
            .map(|(counted, count)| OpenFact {
                kind: counted.kind,
                status: counted.status,
                received_on: counted.received_on,
                due_on: counted.due_on,
                assignee: counted.assignee,
                count: *count,
            })
            .collect()
    }
}

/// One instance's open backlog. Views take turns: the one that finds it
/// out of date brings it up to date for the others.
#[derive(Default)]
pub(super) struct Backlog {
    held: Mutex<Held>,
}

/// Which rows a look reads.
enum Look {
    /// Every open request: the first look.
    Open,
    /// Every request written since this instant, open or not.
    ChangedSince(DateTime<Utc>),
}

impl Metrics {
    /// Requests open today, whenever received.
    pub(super) async fn open(&self, kind: Option<RequestKind>) -> Result<Vec<OpenFact>, MetricsError> {
        let mut held = self.backlog.held.lock().await;
        let looking = Utc::now();
        let look = match held.looked {
            None => Look::Open,
            Some(looked) => Look::ChangedSince(looked - SLACK),
        };
        for (id, now) in self.rows_of(look).await? {
            held.take(id, now);
        }
        held.looked = Some(looking);
        Ok(held.facts(kind))
    }

    /// Each row's id and, when it is open, what the dashboard counts of it.
    async fn rows_of(&self, look: Look) -> Result<Vec<(i64, Option<Counted>)>, MetricsError> {
        let mut sql = self.sql();
        let (received, due) = (sql.local_day("received_at"), sql.date_day("due_on"));
        let condition = match look {
            Look::Open => {
                let open: Vec<String> = RequestStatus::ALL
                    .iter()
                    .filter(|status| status.is_open())
                    .map(|status| sql.bind(status.as_str()))
                    .collect();
                format!("status IN ({})", open.join(", "))
            }
            Look::ChangedSince(since) => format!("updated_at >= {}", sql.bind(since)),
        };
        let text = format!(
            "SELECT id, kind, status, CAST({received} AS BIGINT), CAST({due} AS BIGINT), assignee_id \
             FROM requests WHERE {condition}"
        );
        self.rows(sql, text)
            .await?
            .iter()
            .map(|row| {
                let status = parse(row, 2, RequestStatus::parse)?;
                let counted = Counted {
                    kind: parse(row, 1, RequestKind::parse)?,
                    status,
                    received_on: day(row, 3)?,
                    due_on: get::<Option<i64>>(row, 4)?.and_then(day_of),
                    assignee: get(row, 5)?,
                };
                Ok((get(row, 0)?, status.is_open().then_some(counted)))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(status: RequestStatus, assignee: Option<i64>) -> Counted {
        Counted {
            kind: RequestKind::OptOut,
            status,
            received_on: NaiveDate::from_ymd_opt(2026, 12, 1).expect("a day"),
            due_on: None,
            assignee,
        }
    }

    fn total(held: &Held) -> u64 {
        held.facts(None).iter().map(|fact| fact.count).sum()
    }

    #[test]
    fn a_row_read_twice_counts_once_and_a_closed_one_leaves() {
        let mut held = Held::default();
        let open = counted(RequestStatus::Received, None);
        held.take(1, Some(open));
        held.take(1, Some(open));
        held.take(2, Some(open));
        assert_eq!(total(&held), 2);
        held.take(1, Some(counted(RequestStatus::Received, Some(7))));
        assert_eq!(held.facts(None).len(), 2, "one line per assignee");
        held.take(2, None);
        held.take(2, None);
        assert_eq!(total(&held), 1);
        held.take(1, None);
        assert!(held.facts(None).is_empty(), "no line of zero is left behind");
    }
}
