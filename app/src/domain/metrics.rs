//! Manager metrics: what the dashboard and its exports show, and the rules
//! behind each number. The server counts rows grouped by plain facts (a
//! day, a kind, a status); everything that is a decision — what counts as
//! on time, which age bucket a request is in, how a median is taken — is
//! made here, once, so the page, the CSV files and the disclosure table
//! cannot disagree.
//!
//! Two cohorts, each named on the page:
//! - *received in the period*: requests whose receipt falls in it (the
//!   chart, verification, the disclosure's "received");
//! - *finished in the period*: requests completed, denied or closed in it
//!   (on-time rate, days to resolve, outcomes, work done per person).
//!
//! The backlog, the overdue count and open work are as of today.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::format::{days, long_date, percent};
use super::request::{Choice, ComplaintCategory};
use super::{Channel, RequestKind, RequestStatus};

named_enum! {
    /// The periods a manager picks from. Each ends today; `Custom` takes its
    /// own first and last day.
    RangePreset {
        Week => "7d",
        Month => "30d",
        Quarter => "quarter",
        Year => "year",
        Custom => "custom",
    }
}

impl RangePreset {
    pub fn label(self) -> &'static str {
        match self {
            Self::Week => "Last 7 days",
            Self::Month => "Last 30 days",
            Self::Quarter => "Last quarter (3 months)",
            Self::Year => "Last year (12 months)",
            Self::Custom => "Custom dates",
        }
    }
}

/// The dashboard's filters as they appear in the address bar, so a view can
/// be bookmarked and its CSV links carry the same filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricsQuery {
    /// `None` means the default, the last 30 days.
    pub range: Option<RangePreset>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<RequestKind>,
}

impl MetricsQuery {
    /// Reads a query string, keeping whatever parts of it make sense: a
    /// mangled bookmark still opens the dashboard.
    pub fn from_query_string(query: &str) -> Self {
        let mut parsed = Self::default();
        for (key, value) in serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default() {
            let value = value.trim();
            match key.as_str() {
                "range" => parsed.range = RangePreset::parse(value),
                "from" => parsed.from = value.parse().ok(),
                "to" => parsed.to = value.parse().ok(),
                "kind" => parsed.kind = RequestKind::parse(value),
                _ => {}
            }
        }
        parsed
    }

    pub fn to_query_string(&self) -> String {
        let date = |day: Option<NaiveDate>| day.map(|d| d.to_string());
        let pairs: Vec<(&str, String)> = [
            ("range", self.range.map(|r| r.as_str().to_owned())),
            ("from", date(self.from)),
            ("to", date(self.to)),
            ("kind", self.kind.map(|k| k.as_str().to_owned())),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.map(|value| (key, value)))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// The preset in force. Dates typed without choosing "custom" still
    /// mean those dates: that is what the person asked for.
    pub fn preset(&self) -> RangePreset {
        match self.range {
            Some(preset) => preset,
            None if self.from.is_some() || self.to.is_some() => RangePreset::Custom,
            None => RangePreset::Month,
        }
    }

    /// The days covered, in the organisation's calendar.
    pub fn period(&self, today: NaiveDate) -> Period {
        let ending_today = |first: Option<NaiveDate>| Period { from: first.unwrap_or(today), to: today };
        match self.preset() {
            RangePreset::Week => ending_today(today.checked_sub_days(Days::new(6))),
            RangePreset::Month => ending_today(today.checked_sub_days(Days::new(29))),
            RangePreset::Quarter => ending_today(today.checked_sub_months(Months::new(3)).and_then(|d| d.succ_opt())),
            RangePreset::Year => ending_today(today.checked_sub_months(Months::new(12)).and_then(|d| d.succ_opt())),
            RangePreset::Custom => {
                let to = self.to.unwrap_or(today);
                let from = self.from.unwrap_or_else(|| to.checked_sub_days(Days::new(29)).unwrap_or(to));
                Period { from: from.min(to), to: from.max(to) }
            }
        }
    }
}

/// Consecutive days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// A calendar year, as the CCPA disclosure counts.
    pub fn year(year: i32) -> Option<Self> {
        Some(Self { from: NaiveDate::from_ymd_opt(year, 1, 1)?, to: NaiveDate::from_ymd_opt(year, 12, 31)? })
    }

    pub fn days(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Days for short periods; weeks once daily bars would be too thin to
    /// read (more than about two months).
    pub fn granularity(self) -> Granularity {
        if self.days() > 62 { Granularity::Week } else { Granularity::Day }
    }

    /// The first day of the bar `day` falls in. Weeks start on Monday; the
    /// first week is cut at the period's start, so no bar counts days
    /// outside the period.
    pub fn bucket_of(self, day: NaiveDate) -> NaiveDate {
        match self.granularity() {
            Granularity::Day => day,
            Granularity::Week => {
                let monday = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
                monday.max(self.from)
            }
        }
    }

    /// Every bar's first day, in order, empty ones included.
    pub fn buckets(self) -> Vec<NaiveDate> {
        let mut starts = Vec::new();
        let mut day = self.from;
        while day <= self.to {
            let start = self.bucket_of(day);
            if starts.last() != Some(&start) {
                starts.push(start);
            }
            day = match day.succ_opt() {
                Some(next) => next,
                None => break,
            };
        }
        starts
    }

    pub fn describe(self) -> String {
        format!("{} to {}", long_date(self.from), long_date(self.to))
    }
}

named_enum! {
    Granularity {
        Day => "day",
        Week => "week",
    }
}

named_enum! {
    /// How long an open request has waited since it was received.
    AgeBucket {
        UpToWeek => "0-7",
        UpToTwoWeeks => "8-14",
        UpToMonth => "15-30",
        UpToSixWeeks => "31-45",
        Older => "over-45",
    }
}

impl AgeBucket {
    pub fn of(age_days: i64) -> Self {
        match age_days {
            ..=7 => Self::UpToWeek,
            8..=14 => Self::UpToTwoWeeks,
            15..=30 => Self::UpToMonth,
            31..=45 => Self::UpToSixWeeks,
            _ => Self::Older,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::UpToWeek => "0–7 days",
            Self::UpToTwoWeeks => "8–14 days",
            Self::UpToMonth => "15–30 days",
            Self::UpToSixWeeks => "31–45 days",
            Self::Older => "Over 45 days",
        }
    }
}

/// How a finished request ended, as far as the metrics care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Completed or denied: the customer got an answer, and its timeliness
    /// counts.
    Answered,
    /// Closed without an outcome (withdrawn, a duplicate, no reply from the
    /// customer, identity not confirmed). Nothing was answered, so it is left
    /// out of the on-time rate and of days to resolve, and counted on its own
    /// line so it cannot hide there.
    ClosedWithoutOutcome,
}

impl Ending {
    pub fn of(status: RequestStatus) -> Option<Self> {
        match status {
            RequestStatus::Completed | RequestStatus::Denied => Some(Self::Answered),
            RequestStatus::Closed => Some(Self::ClosedWithoutOutcome),
            _ => None,
        }
    }
}

/// The on-time rule: answered on or before the response deadline in force
/// (`due_on`, extensions included), both as days in the organisation's
/// calendar. `resolved_vs_due` compares the day of the answer with the due
/// day.
pub fn on_time(resolved_vs_due: Ordering) -> bool {
    resolved_vs_due != Ordering::Greater
}

/// Whether an open request is overdue today: past its due day.
pub fn overdue(due_on: NaiveDate, today: NaiveDate) -> bool {
    due_on < today
}

/// Whether a request had to wait for its requester to confirm their email
/// address: the kinds that need it, when sent through the web forms (staff
/// who enter a phone or mail request have spoken to the person).
pub fn starts_unverified(kind: RequestKind, channel: Channel) -> bool {
    kind.needs_verification() && channel == Channel::Web
}

named_enum! {
    /// The outcomes the dashboard counts. The names are the `outcome` tags of
    /// `workflow::Outcome` as stored.
    OutcomeClass {
        OptOutApplied => "opt_out_applied",
        AmendmentAccepted => "amendment_accepted",
        AmendmentPartlyAccepted => "amendment_partly_accepted",
        AmendmentDenied => "amendment_denied",
        ComplaintResolved => "complaint_resolved",
    }
}

/// Days from receipt to answer, counted as calendar days between the two
/// dates: an answer on the day of receipt took 0 days.
///
/// Median: the middle value, or the mean of the two middle values. 90th
/// percentile: nearest rank, the smallest value that at least 90% of
/// answers did not exceed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DaySpread {
    pub count: u64,
    pub median: Option<f64>,
    pub p90: Option<i64>,
}

impl DaySpread {
    /// From a histogram: days -> how many requests took that long.
    pub fn of(histogram: &BTreeMap<i64, u64>) -> Self {
        let count: u64 = histogram.values().sum();
        if count == 0 {
            return Self::default();
        }
        // The value at 1-based rank `rank`.
        let at = |rank: u64| {
            let mut seen = 0;
            histogram.iter().find_map(|(days, n)| {
                seen += n;
                (seen >= rank).then_some(*days)
            })
        };
        let median = if count % 2 == 1 {
            at(count.div_ceil(2)).map(|d| d as f64)
        } else {
            at(count / 2).zip(at(count / 2 + 1)).map(|(a, b)| (a + b) as f64 / 2.0)
        };
        Self { count, median, p90: at((count * 9).div_ceil(10)) }
    }
}

/// Requests received on one day, grouped as the server counts them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedFact {
    pub day: NaiveDate,
    pub kind: RequestKind,
    pub channel: Channel,
    pub verified: bool,
    pub count: u64,
}

/// Requests finished in the period, grouped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinishedFact {
    pub kind: RequestKind,
    pub status: RequestStatus,
    /// Calendar days from the day received to the day finished.
    pub days: i64,
    /// The day finished compared with the due day; `None` without a deadline.
    #[serde(with = "sign")]
    pub vs_due: Option<Ordering>,
    pub count: u64,
}

/// An `Ordering` kept as -1, 0 or 1, for which serde has no spelling.
mod sign {
    use std::cmp::Ordering;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<Ordering>, to: S) -> Result<S::Ok, S::Error> {
        value.map(|ordering| ordering as i8).serialize(to)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Option<Ordering>, D::Error> {
        Ok(Option::<i8>::deserialize(from)?.map(|sign| sign.cmp(&0)))
    }
}

/// Who finished the requests finished in the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoneByFact {
    pub assignee: Option<i64>,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub count: u64,
}

/// Outcomes recorded on requests finished in the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeFact {
    pub class: OutcomeClass,
    pub category: Option<ComplaintCategory>,
    pub count: u64,
}

/// Requests open today, grouped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenFact {
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub received_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub assignee: Option<i64>,
    pub count: u64,
}

/// Everything the server counted for one period and kind filter.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub received: Vec<ReceivedFact>,
    pub finished: Vec<FinishedFact>,
    pub done_by: Vec<DoneByFact>,
    pub outcomes: Vec<OutcomeFact>,
    pub open: Vec<OpenFact>,
    /// Staff names by id, for the workload.
    pub staff: BTreeMap<i64, String>,
}

/// One bar of the received chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedBucket {
    pub start: NaiveDate,
    /// In the order of `Dashboard::kinds`.
    pub counts: Vec<u64>,
}

impl ReceivedBucket {
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Timeliness of one kind of request (or of all, when `kind` is `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeliness {
    pub kind: Option<RequestKind>,
    /// Completed or denied in the period, with a deadline to be measured by.
    pub answered: u64,
    pub on_time: u64,
    /// Answered but with no deadline (no enabled rule covers the kind).
    pub without_deadline: u64,
    pub closed_without_outcome: u64,
    /// Open and past their due day today.
    pub overdue_now: u64,
}

impl Timeliness {
    /// The share answered on time, as a percentage; `None` when nothing was.
    pub fn rate(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.on_time as f64 * 100.0 / self.answered as f64)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KindSpread {
    pub kind: Option<RequestKind>,
    pub spread: DaySpread,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub started_unverified: u64,
    pub verified: u64,
}

impl Verification {
    pub fn rate(&self) -> Option<f64> {
        (self.started_unverified > 0).then(|| self.verified as f64 * 100.0 / self.started_unverified as f64)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workload {
    /// `None` for requests nobody holds.
    pub assignee: Option<String>,
    pub open: u64,
    /// Completed or denied in the period.
    pub answered: u64,
    pub closed_without_outcome: u64,
}

/// The dashboard for one period and kind filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub query: MetricsQuery,
    pub period: Period,
    pub today: NaiveDate,
    /// The kinds shown, in order: one, or all three.
    pub kinds: Vec<RequestKind>,
    pub granularity: Granularity,
    pub received: Vec<ReceivedBucket>,
    pub backlog_by_status: Vec<(RequestStatus, u64)>,
    pub backlog_by_age: Vec<(AgeBucket, u64)>,
    /// One line per kind, then all kinds together.
    pub timeliness: Vec<Timeliness>,
    pub days_to_resolve: Vec<KindSpread>,
    /// Outcome lines with their counts, labelled for people.
    pub outcomes: Vec<(String, u64)>,
    pub verification: Verification,
    pub workload: Vec<Workload>,
}

impl Dashboard {
    pub fn build(query: MetricsQuery, today: NaiveDate, facts: &Facts) -> Self {
        let period = query.period(today);
        let kinds: Vec<RequestKind> = match query.kind {
            Some(kind) => vec![kind],
            None => RequestKind::ALL.to_vec(),
        };
        let column = |kind: RequestKind| kinds.iter().position(|k| *k == kind);

        let mut received: BTreeMap<NaiveDate, Vec<u64>> =
            period.buckets().into_iter().map(|start| (start, vec![0; kinds.len()])).collect();
        let mut verification = Verification::default();
        for fact in facts.received.iter().filter(|f| period.contains(f.day)) {
            let (Some(i), Some(bar)) = (column(fact.kind), received.get_mut(&period.bucket_of(fact.day))) else {
                continue;
            };
            bar[i] += fact.count;
            if starts_unverified(fact.kind, fact.channel) {
                verification.started_unverified += fact.count;
                verification.verified += if fact.verified { fact.count } else { 0 };
            }
        }

        let mut by_status: BTreeMap<usize, u64> = BTreeMap::new();
        let mut by_age: BTreeMap<usize, u64> = BTreeMap::new();
        let mut timeliness: Vec<Timeliness> =
            kinds.iter().map(|kind| Timeliness { kind: Some(*kind), ..Default::default() }).collect();
        let mut histograms: Vec<BTreeMap<i64, u64>> = vec![BTreeMap::new(); kinds.len()];
        let mut work: BTreeMap<Option<i64>, Workload> = BTreeMap::new();
        for fact in &facts.open {
            let Some(i) = column(fact.kind) else { continue };
            let status_at = RequestStatus::ALL.iter().position(|s| *s == fact.status).unwrap_or_default();
            *by_status.entry(status_at).or_default() += fact.count;
            let age = AgeBucket::of((today - fact.received_on).num_days());
            *by_age.entry(AgeBucket::ALL.iter().position(|a| *a == age).unwrap_or_default()).or_default() += fact.count;
            if fact.due_on.is_some_and(|due| overdue(due, today)) {
                timeliness[i].overdue_now += fact.count;
            }
            tally(&mut work, &facts.staff, fact.assignee).open += fact.count;
        }
        for fact in &facts.finished {
            let Some(i) = column(fact.kind) else { continue };
            let line = &mut timeliness[i];
            match Ending::of(fact.status) {
                Some(Ending::Answered) => {
                    match fact.vs_due {
                        Some(vs_due) => {
                            line.answered += fact.count;
                            line.on_time += if on_time(vs_due) { fact.count } else { 0 };
                        }
                        None => line.without_deadline += fact.count,
                    }
                    *histograms[i].entry(fact.days).or_default() += fact.count;
                }
                Some(Ending::ClosedWithoutOutcome) => line.closed_without_outcome += fact.count,
                None => {}
            }
        }
        for fact in facts.done_by.iter().filter(|f| column(f.kind).is_some()) {
            let line = tally(&mut work, &facts.staff, fact.assignee);
            match Ending::of(fact.status) {
                Some(Ending::Answered) => line.answered += fact.count,
                Some(Ending::ClosedWithoutOutcome) => line.closed_without_outcome += fact.count,
                None => {}
            }
        }
        let mut all = Timeliness::default();
        for line in &timeliness {
            all.answered += line.answered;
            all.on_time += line.on_time;
            all.without_deadline += line.without_deadline;
            all.closed_without_outcome += line.closed_without_outcome;
            all.overdue_now += line.overdue_now;
        }
        let mut all_days = BTreeMap::new();
        for histogram in &histograms {
            for (days, n) in histogram {
                *all_days.entry(*days).or_default() += n;
            }
        }
        let mut days_to_resolve: Vec<KindSpread> = kinds
            .iter()
            .zip(&histograms)
            .map(|(kind, histogram)| KindSpread { kind: Some(*kind), spread: DaySpread::of(histogram) })
            .collect();
        if kinds.len() > 1 {
            timeliness.push(all);
            days_to_resolve.push(KindSpread { kind: None, spread: DaySpread::of(&all_days) });
        }

        Self {
            granularity: period.granularity(),
            received: received.into_iter().map(|(start, counts)| ReceivedBucket { start, counts }).collect(),
            backlog_by_status: RequestStatus::ALL
                .iter()
                .enumerate()
                .filter(|(_, status)| status.is_open())
                .map(|(i, status)| (*status, by_status.get(&i).copied().unwrap_or_default()))
                .collect(),
            backlog_by_age: AgeBucket::ALL
                .iter()
                .enumerate()
                .map(|(i, age)| (*age, by_age.get(&i).copied().unwrap_or_default()))
                .collect(),
            timeliness,
            days_to_resolve,
            outcomes: outcome_lines(&kinds, &facts.outcomes),
            verification,
            // Named people first, alphabetically; the unassigned last.
            workload: {
                let mut lines: Vec<Workload> = work.into_values().collect();
                lines.sort_by(|a, b| (a.assignee.is_none(), &a.assignee).cmp(&(b.assignee.is_none(), &b.assignee)));
                lines
            },
            query,
            period,
            today,
            kinds,
        }
    }

    pub fn received_total(&self) -> u64 {
        self.received.iter().map(ReceivedBucket::total).sum()
    }

    pub fn backlog_total(&self) -> u64 {
        self.backlog_by_status.iter().map(|(_, n)| n).sum()
    }

    /// All kinds together (or the one kind shown).
    pub fn overall(&self) -> Option<&Timeliness> {
        self.timeliness.last()
    }

    /// One of the dashboard's tables, as the page's accessible tables and
    /// the CSV exports both present it; `None` for the disclosure's.
    pub fn table(&self, slug: TableSlug) -> Option<Table> {
        let kind_name = |kind: Option<RequestKind>| kind.map_or("All kinds", kind_label).to_owned();
        let (columns, rows) = match slug {
            TableSlug::Received => (
                std::iter::once(match self.granularity {
                    Granularity::Day => "Day",
                    Granularity::Week => "Week starting",
                })
                .chain(self.kinds.iter().map(|k| kind_label(*k)))
                .chain(["Total"])
                .map(str::to_owned)
                .collect(),
                self.received
                    .iter()
                    .map(|bar| {
                        let mut row = vec![bar.start.to_string()];
                        row.extend(bar.counts.iter().map(u64::to_string));
                        row.push(bar.total().to_string());
                        row
                    })
                    .collect(),
            ),
            TableSlug::BacklogStatus => (
                strings(&["Status", "Open requests"]),
                self.backlog_by_status
                    .iter()
                    .map(|(status, n)| vec![status.staff_label().to_owned(), n.to_string()])
                    .collect(),
            ),
            TableSlug::BacklogAge => (
                strings(&["Waiting since receipt", "Open requests"]),
                self.backlog_by_age.iter().map(|(age, n)| vec![age.label().to_owned(), n.to_string()]).collect(),
            ),
            TableSlug::OnTime => (
                strings(&[
                    "Kind",
                    "Answered with a deadline",
                    "On time",
                    "On-time rate",
                    "Answered without a deadline",
                    "Closed without an outcome",
                    "Overdue now",
                ]),
                self.timeliness
                    .iter()
                    .map(|line| {
                        vec![
                            kind_name(line.kind),
                            line.answered.to_string(),
                            line.on_time.to_string(),
                            percent(line.rate()),
                            line.without_deadline.to_string(),
                            line.closed_without_outcome.to_string(),
                            line.overdue_now.to_string(),
                        ]
                    })
                    .collect(),
            ),
            TableSlug::DaysToResolve => (
                strings(&["Kind", "Answered", "Median days", "90th percentile days"]),
                self.days_to_resolve
                    .iter()
                    .map(|line| {
                        vec![
                            kind_name(line.kind),
                            line.spread.count.to_string(),
                            days(line.spread.median),
                            days(line.spread.p90.map(|d| d as f64)),
                        ]
                    })
                    .collect(),
            ),
            TableSlug::Outcomes => (
                strings(&["Outcome", "Requests"]),
                self.outcomes.iter().map(|(label, n)| vec![label.clone(), n.to_string()]).collect(),
            ),
            TableSlug::Verification => (
                strings(&["Started unverified", "Verified", "Share verified"]),
                vec![vec![
                    self.verification.started_unverified.to_string(),
                    self.verification.verified.to_string(),
                    percent(self.verification.rate()),
                ]],
            ),
            TableSlug::Workload => (
                strings(&["Assigned to", "Open now", "Answered", "Closed without an outcome"]),
                self.workload
                    .iter()
                    .map(|line| {
                        vec![
                            line.assignee.clone().unwrap_or_else(|| "Unassigned".to_owned()),
                            line.open.to_string(),
                            line.answered.to_string(),
                            line.closed_without_outcome.to_string(),
                        ]
                    })
                    .collect(),
            ),
            TableSlug::Disclosure => return None,
        };
        Some(Table { slug, columns, rows })
    }
}

fn tally<'a>(
    work: &'a mut BTreeMap<Option<i64>, Workload>,
    staff: &BTreeMap<i64, String>,
    assignee: Option<i64>,
) -> &'a mut Workload {
    work.entry(assignee).or_insert_with(|| Workload {
        assignee: assignee.map(|id| staff.get(&id).cloned().unwrap_or_else(|| format!("Staff #{id}"))),
        open: 0,
        answered: 0,
        closed_without_outcome: 0,
    })
}

/// The outcome lines for the kinds shown, zeros included, so the table
/// always has the same rows.
fn outcome_lines(kinds: &[RequestKind], facts: &[OutcomeFact]) -> Vec<(String, u64)> {
    let count = |class: OutcomeClass, category: Option<ComplaintCategory>| -> u64 {
        facts
            .iter()
            .filter(|f| f.class == class && (category.is_none() || f.category == category))
            .map(|f| f.count)
            .sum()
    };
    let mut lines = Vec::new();
    for kind in kinds {
        match kind {
            RequestKind::OptOut => {
                lines.push(("Opt-outs applied".to_owned(), count(OutcomeClass::OptOutApplied, None)))
            }
            RequestKind::Amendment => {
                for (class, label) in [
                    (OutcomeClass::AmendmentAccepted, "Amendments accepted"),
                    (OutcomeClass::AmendmentPartlyAccepted, "Amendments partly accepted"),
                    (OutcomeClass::AmendmentDenied, "Amendments denied"),
                ] {
                    lines.push((label.to_owned(), count(class, None)));
                }
            }
            RequestKind::Complaint => {
                for category in ComplaintCategory::options() {
                    lines.push((
                        format!("Complaints: {}", category.label()),
                        count(OutcomeClass::ComplaintResolved, Some(*category)),
                    ));
                }
            }
        }
    }
    lines
}

named_enum! {
    /// The tables a manager may download, by their name in the address.
    TableSlug {
        Received => "received",
        BacklogStatus => "backlog-status",
        BacklogAge => "backlog-age",
        OnTime => "on-time",
        DaysToResolve => "days-to-resolve",
        Outcomes => "outcomes",
        Verification => "verification",
        Workload => "workload",
        Disclosure => "disclosure",
    }
}

impl TableSlug {
    pub fn title(self) -> &'static str {
        match self {
            Self::Received => "Requests received",
            Self::BacklogStatus => "Open requests by status",
            Self::BacklogAge => "Open requests by age",
            Self::OnTime => "Answered on time",
            Self::DaysToResolve => "Days to resolve",
            Self::Outcomes => "Outcomes",
            Self::Verification => "Email verification",
            Self::Workload => "Workload by person",
            Self::Disclosure => "CCPA request metrics",
        }
    }
}

/// A table of figures: what a screen reader reads instead of a chart, and
/// what a CSV export holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub slug: TableSlug,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// One line of the yearly disclosure (CCPA, 11 CCR 7102).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisclosureLine {
    pub kind: RequestKind,
    /// Received during the year.
    pub received: u64,
    /// Answered during the year: completed, which includes partly accepted
    /// amendments.
    pub complied: u64,
    /// Denied during the year.
    pub denied: u64,
    /// Median days to respond, over the answers given during the year.
    pub median_days: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Disclosure {
    pub year: i32,
    /// Whether the year is still running, so the figures are not final.
    pub partial: bool,
    pub lines: Vec<DisclosureLine>,
}

impl Disclosure {
    /// The year's table from facts counted over the calendar year.
    pub fn build(year: i32, today: NaiveDate, facts: &Facts) -> Self {
        let lines = RequestKind::ALL
            .iter()
            .map(|kind| {
                let received = facts.received.iter().filter(|f| f.kind == *kind).map(|f| f.count).sum();
                let finished = facts.finished.iter().filter(|f| f.kind == *kind);
                let (mut complied, mut denied, mut histogram) = (0, 0, BTreeMap::new());
                for fact in finished.filter(|f| Ending::of(f.status) == Some(Ending::Answered)) {
                    match fact.status {
                        RequestStatus::Denied => denied += fact.count,
                        _ => complied += fact.count,
                    }
                    *histogram.entry(fact.days).or_default() += fact.count;
                }
                DisclosureLine {
                    kind: *kind,
                    received,
                    complied,
                    denied,
                    median_days: DaySpread::of(&histogram).median,
                }
            })
            .collect();
        Self { year, partial: today.year() <= year, lines }
    }

    pub fn table(&self) -> Table {
        Table {
            slug: TableSlug::Disclosure,
            columns: strings(&[
                "Kind of request",
                "Received",
                "Complied with in whole or in part",
                "Denied",
                "Median days to respond",
            ]),
            rows: self
                .lines
                .iter()
                .map(|line| {
                    vec![
                        kind_label(line.kind).to_owned(),
                        line.received.to_string(),
                        line.complied.to_string(),
                        line.denied.to_string(),
                        days(line.median_days),
                    ]
                })
                .collect(),
        }
    }
}

/// How staff name a kind in figures: shorter than the customer's label.
pub fn kind_label(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::OptOut => "Opt-outs",
        RequestKind::Amendment => "Amendments",
        RequestKind::Complaint => "Complaints",
    }
}

fn strings(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| (*t).to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn presets_end_today_and_custom_dates_are_put_in_order() {
        let today = day("2026-11-25");
        let period = |q: &str| MetricsQuery::from_query_string(q).period(today);
        assert_eq!(period(""), Period { from: day("2026-10-27"), to: today });
        assert_eq!(period("range=7d"), Period { from: day("2026-11-19"), to: today });
        assert_eq!(period("range=quarter"), Period { from: day("2026-08-26"), to: today });
        assert_eq!(period("range=year"), Period { from: day("2025-11-26"), to: today });
        assert_eq!(period("from=2026-02-10&to=2026-01-01"), Period { from: day("2026-01-01"), to: day("2026-02-10") });
        assert_eq!(period("range=nonsense&kind=complaint").days(), 30);
    }

    #[test]
    fn a_query_survives_the_address_bar() {
        let query = MetricsQuery {
            range: Some(RangePreset::Custom),
            from: Some(day("2026-01-01")),
            to: Some(day("2026-03-31")),
            kind: Some(RequestKind::Amendment),
        };
        assert_eq!(MetricsQuery::from_query_string(&query.to_query_string()), query);
    }

    #[test]
    fn long_periods_are_drawn_in_weeks_cut_at_the_edges() {
        let period = Period { from: day("2026-01-01"), to: day("2026-03-31") };
        assert_eq!(period.granularity(), Granularity::Week);
        let buckets = period.buckets();
        // 1 January 2026 is a Thursday: the first bar starts there, the
        // next on Monday 5 January.
        assert_eq!(&buckets[..2], &[day("2026-01-01"), day("2026-01-05")]);
        assert_eq!(period.bucket_of(day("2026-01-04")), day("2026-01-01"));
        assert_eq!(buckets.len(), 14);
        assert_eq!(Period { from: day("2026-01-01"), to: day("2026-01-30") }.buckets().len(), 30);
    }

    #[test]
    fn medians_and_percentiles_follow_their_stated_rules() {
        let spread = |values: &[i64]| {
            let mut histogram = BTreeMap::new();
            for v in values {
                *histogram.entry(*v).or_default() += 1;
            }
            DaySpread::of(&histogram)
        };
        assert_eq!(spread(&[]), DaySpread::default());
        assert_eq!(spread(&[4, 1, 9]), DaySpread { count: 3, median: Some(4.0), p90: Some(9) });
        assert_eq!(spread(&[1, 2, 3, 10]), DaySpread { count: 4, median: Some(2.5), p90: Some(10) });
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(spread(&ten).p90, Some(9));
    }

    #[test]
    fn on_time_includes_the_due_day_itself() {
        assert!(on_time(Ordering::Less));
        assert!(on_time(Ordering::Equal));
        assert!(!on_time(Ordering::Greater));
        assert!(overdue(day("2026-11-24"), day("2026-11-25")));
        assert!(!overdue(day("2026-11-25"), day("2026-11-25")));
    }

    #[test]
    fn age_buckets_meet_without_gaps() {
        let buckets: Vec<&str> = [0, 7, 8, 14, 15, 30, 31, 45, 46].map(|d| AgeBucket::of(d).as_str()).to_vec();
        assert_eq!(buckets, ["0-7", "0-7", "8-14", "8-14", "15-30", "15-30", "31-45", "31-45", "over-45"]);
    }
}
