//! Manager metrics over the requests table: grouped counts from the
//! database, turned into the dashboard and the yearly disclosure by the
//! rules in `app::domain::metrics`, and the CSV files a manager downloads.
//!
//! The queries run on the read connections, so a year's aggregate never
//! holds up a customer's submission.

mod backlog;
mod days;
mod sql;

pub use days::forget_all;

use std::collections::BTreeMap;
use std::sync::Arc;

use app::domain::metrics::{
    Dashboard, Disclosure, DoneByFact, Facts, FinishedFact, MetricsQuery, OutcomeClass, OutcomeFact, Period,
    PeriodError, ReceivedFact, Table,
};
use app::domain::request::{Choice, ComplaintCategory};
use app::domain::{Channel, RequestKind, RequestStatus};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QueryResult,
    QuerySelect,
};

use crate::clocks::Clocks;
use crate::db::entities::{request, staff_user};
use sql::{Offsets, Sql, day_of};

#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error("a row the metrics read makes no sense: {0}")]
    Unreadable(String),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Period(#[from] PeriodError),
}

#[derive(Clone)]
pub struct Metrics {
    /// Where the counting queries run.
    db: DatabaseConnection,
    /// Where the kept day counts are written.
    writer: DatabaseConnection,
    clocks: Arc<Clocks>,
    offsets: Arc<Offsets>,
    keeper: Arc<days::Keeper>,
    backlog: Arc<backlog::Backlog>,
}

impl Metrics {
    /// Counts through `reader` (see [`crate::db::reader`]) and keeps the
    /// day counts through `writer`.
    pub fn new(reader: DatabaseConnection, writer: DatabaseConnection, clocks: Arc<Clocks>) -> Self {
        // Far enough ahead that no stored timestamp is later.
        let until = Utc::now() + chrono::Duration::days(3660);
        let offsets = Arc::new(Offsets::new(clocks.time_zone(), until));
        let keeper = Arc::new(days::Keeper::new(clocks.today()));
        Self { db: reader, writer, clocks, offsets, keeper, backlog: Arc::default() }
    }

    pub fn today(&self) -> NaiveDate {
        self.clocks.today()
    }

    pub async fn dashboard(&self, query: &MetricsQuery) -> Result<Dashboard, MetricsError> {
        let today = self.today();
        let period = query.period(today)?;
        let facts = self.facts(period, query.kind).await?;
        Ok(Dashboard::build(query.clone(), period, today, &facts))
    }

    /// The yearly table for `year`, this year when none is given, labelled
    /// by the regimes in force.
    pub async fn disclosure(&self, year: Option<i32>) -> Result<Option<Disclosure>, MetricsError> {
        let year = year.unwrap_or_else(|| self.today().year());
        let Some(period) = Period::year(year) else { return Ok(None) };
        let facts = self.facts(period, None).await?;
        Ok(Some(Disclosure::build(year, self.today(), &facts, self.clocks.rules())))
    }

    /// Everything counted for a period: the days' counts, kept or counted
    /// now, and what is open today.
    async fn facts(&self, period: Period, kind: Option<RequestKind>) -> Result<Facts, MetricsError> {
        let (days, open, staff) = tokio::try_join!(self.days(period), self.open(kind), self.staff_names())?;
        let wanted = |of: RequestKind| kind.is_none_or(|kind| kind == of);
        Ok(Facts {
            received: days.received.into_iter().filter(|fact| wanted(fact.kind)).collect(),
            finished: days.finished.into_iter().filter(|fact| wanted(fact.kind)).collect(),
            done_by: days.done_by.into_iter().filter(|fact| wanted(fact.kind)).collect(),
            outcomes: days.outcomes.into_iter().filter(|(of, _)| wanted(*of)).map(|(_, fact)| fact).collect(),
            open,
            staff,
        })
    }

    /// The first instant of a day in the organisation's time zone.
    fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        self.clocks
            .time_zone()
            .from_local_datetime(&midnight)
            .earliest()
            .map_or_else(|| Utc.from_utc_datetime(&midnight), |local| local.with_timezone(&Utc))
    }

    /// `column` within the period. A request has a `resolved_at` once it
    /// is finished, so that column alone picks the finished ones; naming
    /// their statuses too would tempt SQLite to walk the status index over
    /// nearly every row instead of the period's.
    fn within(&self, sql: &mut Sql<'_>, column: &str, period: Period) -> String {
        let start = sql.bind(self.start_of(period.from));
        let end = sql.bind(self.start_of(period.to.succ_opt().unwrap_or(period.to)));
        format!("{column} >= {start} AND {column} < {end}")
    }

    fn sql(&self) -> Sql<'_> {
        Sql::new(self.db.get_database_backend(), &self.offsets)
    }

    async fn rows(&self, sql: Sql<'_>, text: String) -> Result<Vec<QueryResult>, MetricsError> {
        Ok(self.db.query_all_raw(sql.finish(text)).await?)
    }

    async fn received(&self, period: Period) -> Result<Vec<ReceivedFact>, MetricsError> {
        let mut sql = self.sql();
        let received = sql.local_day("received_at");
        let within = self.within(&mut sql, "received_at", period);
        let text = format!(
            "SELECT CAST({received} AS BIGINT), kind, channel, \
             CAST(CASE WHEN verified_at IS NULL THEN 0 ELSE 1 END AS BIGINT), CAST(COUNT(*) AS BIGINT) \
             FROM requests WHERE {within} GROUP BY 1, 2, 3, 4"
        );
        self.rows(sql, text)
            .await?
            .iter()
            .map(|row| {
                Ok(ReceivedFact {
                    day: day(row, 0)?,
                    kind: parse(row, 1, RequestKind::parse)?,
                    channel: parse(row, 2, Channel::parse)?,
                    verified: get::<i64>(row, 3)? == 1,
                    count: count(row, 4)?,
                })
            })
            .collect()
    }

    /// Requests finished in the period, by the day finished.
    async fn finished(&self, period: Period) -> Result<Vec<(NaiveDate, FinishedFact)>, MetricsError> {
        let mut sql = self.sql();
        let (resolved, received, due) =
            (sql.local_day("resolved_at"), sql.local_day("received_at"), sql.date_day("due_on"));
        let within = self.within(&mut sql, "resolved_at", period);
        let text = format!(
            "SELECT CAST({resolved} AS BIGINT), kind, status, CAST({resolved} - {received} AS BIGINT), \
             CAST(CASE WHEN due_on IS NULL THEN NULL WHEN {resolved} < {due} THEN -1 WHEN {resolved} = {due} THEN 0 \
             ELSE 1 END AS BIGINT), CAST(COUNT(*) AS BIGINT) \
             FROM requests WHERE {within} GROUP BY 1, 2, 3, 4, 5"
        );
        self.rows(sql, text)
            .await?
            .iter()
            .map(|row| {
                let fact = FinishedFact {
                    kind: parse(row, 1, RequestKind::parse)?,
                    status: parse(row, 2, RequestStatus::parse)?,
                    days: get(row, 3)?,
                    vs_due: get::<Option<i64>>(row, 4)?.map(|sign| sign.cmp(&0)),
                    count: count(row, 5)?,
                };
                Ok((day(row, 0)?, fact))
            })
            .collect()
    }

    /// Who finished the requests finished in the period, by the day.
    async fn done_by(&self, period: Period) -> Result<Vec<(NaiveDate, DoneByFact)>, MetricsError> {
        let mut sql = self.sql();
        let resolved = sql.local_day("resolved_at");
        let within = self.within(&mut sql, "resolved_at", period);
        let text = format!(
            "SELECT CAST({resolved} AS BIGINT), assignee_id, kind, status, CAST(COUNT(*) AS BIGINT) FROM requests \
             WHERE {within} GROUP BY 1, 2, 3, 4"
        );
        self.rows(sql, text)
            .await?
            .iter()
            .map(|row| {
                let fact = DoneByFact {
                    assignee: get(row, 1)?,
                    kind: parse(row, 2, RequestKind::parse)?,
                    status: parse(row, 3, RequestStatus::parse)?,
                    count: count(row, 4)?,
                };
                Ok((day(row, 0)?, fact))
            })
            .collect()
    }

    /// Outcomes of the requests finished in the period, by the day.
    async fn outcomes(&self, period: Period) -> Result<Vec<(NaiveDate, RequestKind, OutcomeFact)>, MetricsError> {
        let mut sql = self.sql();
        let resolved = sql.local_day("resolved_at");
        let within = self.within(&mut sql, "resolved_at", period);
        let text = format!(
            "SELECT CAST({resolved} AS BIGINT), kind, outcome_tag, outcome_category, CAST(COUNT(*) AS BIGINT) \
             FROM requests WHERE {within} AND outcome_tag IS NOT NULL GROUP BY 1, 2, 3, 4"
        );
        self.rows(sql, text)
            .await?
            .iter()
            .map(|row| {
                let fact = OutcomeFact {
                    class: parse(row, 2, OutcomeClass::parse)?,
                    category: get::<Option<String>>(row, 3)?.and_then(|key| ComplaintCategory::from_key(&key)),
                    count: count(row, 4)?,
                };
                Ok((day(row, 0)?, parse(row, 1, RequestKind::parse)?, fact))
            })
            .collect()
    }

    async fn staff_names(&self) -> Result<BTreeMap<i64, String>, MetricsError> {
        let staff = staff_user::Entity::find()
            .select_only()
            .columns([staff_user::Column::Id, staff_user::Column::Name])
            .into_tuple::<(i64, String)>()
            .all(&self.db)
            .await?;
        Ok(staff.into_iter().collect())
    }

    /// The requests received in the query's period, oldest first, as CSV.
    pub async fn requests_csv(&self, query: &MetricsQuery) -> Result<Vec<u8>, MetricsError> {
        let period = query.period(self.today())?;
        let mut select = request::Entity::find()
            .select_only()
            .columns([
                request::Column::Reference,
                request::Column::Kind,
                request::Column::Status,
                request::Column::Channel,
                request::Column::ReceivedAt,
                request::Column::DueOn,
                request::Column::ResolvedAt,
                request::Column::OutcomeTag,
                request::Column::OutcomeCategory,
                request::Column::AssigneeId,
            ])
            .filter(request::Column::ReceivedAt.gte(self.start_of(period.from)))
            .filter(request::Column::ReceivedAt.lt(self.start_of(period.to.succ_opt().unwrap_or(period.to))))
            .order_by_asc(request::Column::ReceivedAt)
            .order_by_asc(request::Column::Id);
        if let Some(kind) = query.kind {
            select = select.filter(request::Column::Kind.eq(kind.as_str()));
        }
        type Row = (
            String,
            String,
            String,
            String,
            DateTime<Utc>,
            Option<NaiveDate>,
            Option<DateTime<Utc>>,
            Option<String>,
            Option<String>,
            Option<i64>,
        );
        let rows = select.into_tuple::<Row>().all(&self.db).await?;
        let staff = self.staff_names().await?;
        let mut out = csv::Writer::from_writer(Vec::new());
        // The screens' words first; the machine names after, each in a
        // column of its own, for whoever joins the file to other data.
        out.write_record([
            "Reference",
            "Kind",
            "Status",
            "Channel",
            "Received",
            "Due",
            "Resolved",
            "Outcome",
            "Assigned to",
            "Kind code",
            "Status code",
            "Channel code",
            "Outcome code",
        ])?;
        for (reference, kind, status, channel, received, due, resolved, tag, category, assignee) in rows {
            let class = tag.as_deref().and_then(OutcomeClass::parse);
            let outcome = match (class, RequestStatus::parse(&status)) {
                (Some(class), _) => outcome_text(class, category.as_deref().and_then(ComplaintCategory::from_key)),
                (_, Some(RequestStatus::Closed)) => "Closed without an outcome".to_owned(),
                _ => String::new(),
            };
            // A code no label knows (a row written by a later version) is
            // shown as it is rather than dropped.
            let kind_label = RequestKind::parse(&kind).map_or_else(|| kind.clone(), |k| k.staff_label().to_owned());
            let status_label =
                RequestStatus::parse(&status).map_or_else(|| status.clone(), |s| s.staff_label().to_owned());
            let channel_label =
                Channel::parse(&channel).map_or_else(|| channel.clone(), |c| c.staff_label().to_owned());
            out.write_record(
                [
                    reference,
                    kind_label,
                    status_label,
                    channel_label,
                    self.clocks.local_date(received).to_string(),
                    due.map(|d| d.to_string()).unwrap_or_default(),
                    resolved.map(|at| self.clocks.local_date(at).to_string()).unwrap_or_default(),
                    outcome,
                    assignee
                        .map(|id| staff.get(&id).cloned().unwrap_or_else(|| format!("Staff #{id}")))
                        .unwrap_or_default(),
                    kind,
                    status,
                    channel,
                    tag.unwrap_or_default(),
                ]
                .map(|cell| defused(&cell)),
            )?;
        }
        out.into_inner().map_err(|e| MetricsError::Csv(e.into_error().into()))
    }
}

/// A table of figures as CSV, headings first.
pub fn table_csv(table: &Table) -> Result<Vec<u8>, MetricsError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(table.columns.iter().map(|cell| defused(cell)))?;
    for row in &table.rows {
        out.write_record(row.iter().map(|cell| defused(cell)))?;
    }
    out.into_inner().map_err(|e| MetricsError::Csv(e.into_error().into()))
}

/// A cell a spreadsheet will not run as a formula: one starting with a
/// formula character gets a leading quote (OWASP's advice on CSV injection).
/// Names and outcomes are typed by people, so any cell may carry one.
fn defused(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// An outcome as the export names it: its label, and for a complaint what
/// it was about.
fn outcome_text(class: OutcomeClass, category: Option<ComplaintCategory>) -> String {
    match category {
        Some(category) => format!("{}: {}", class.label(), category.label()),
        None => class.label().to_owned(),
    }
}

fn unreadable(what: &str) -> MetricsError {
    MetricsError::Unreadable(what.to_owned())
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, index: usize) -> Result<T, MetricsError> {
    row.try_get_by_index(index).map_err(|e| MetricsError::Unreadable(format!("column {index}: {e:?}")))
}

fn day(row: &QueryResult, index: usize) -> Result<NaiveDate, MetricsError> {
    day_of(get(row, index)?).ok_or_else(|| unreadable("a day"))
}

fn count(row: &QueryResult, index: usize) -> Result<u64, MetricsError> {
    get::<i64>(row, index).map(|n| n.max(0) as u64)
}

fn parse<T>(row: &QueryResult, index: usize, parse: fn(&str) -> Option<T>) -> Result<T, MetricsError> {
    let text: String = get(row, index)?;
    parse(&text).ok_or_else(|| MetricsError::Unreadable(format!("column {index}: {text:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_quoted_and_others_left_alone() {
        assert_eq!(defused("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for risky in ["+1", "-2", "@SUM(A1)", "\tx"] {
            assert!(defused(risky).starts_with('\''), "{risky}");
        }
        assert_eq!(defused("Ann – agent"), "Ann – agent");
        assert_eq!(defused("2026-01-05"), "2026-01-05");
    }

    #[test]
    fn outcome_classes_are_the_outcome_json_tags() {
        use app::domain::workflow::{DenialGround, Outcome};
        let day = NaiveDate::from_ymd_opt(2026, 1, 2).expect("a date");
        let outcomes = [
            Outcome::OptOutApplied { effective_on: day },
            Outcome::AmendmentAccepted { records_changed: "x".into() },
            Outcome::AmendmentPartlyAccepted { records_changed: "x".into(), reason: "y".into() },
            Outcome::AmendmentDenied { ground: DenialGround::NotCreatedByUs, explanation: "x".into() },
            Outcome::ComplaintResolved { category: ComplaintCategory::Other, resolution: "x".into() },
        ];
        // The migration derives the plain tag of older rows from the JSON.
        for outcome in outcomes {
            let json = serde_json::to_value(&outcome).expect("an outcome serialises");
            assert_eq!(json["outcome"].as_str(), Some(outcome.class().as_str()), "{json}");
            assert_eq!(json["category"].as_str(), outcome.category().map(Choice::key), "{json}");
        }
    }
}
