//! The dashboard for one period and kind filter, assembled from the
//! server's facts by the rules.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::facts::{Facts, OutcomeClass, OutcomeFact};
use super::period::{Granularity, Period};
use super::query::MetricsQuery;
use super::rules::{AgeBucket, DaySpread, Ending, on_time, overdue, starts_unverified};
use super::table::{Table, TableSlug, kind_label, strings};
use crate::domain::format::{days, percent};
use crate::domain::request::{Choice, ComplaintCategory};
use crate::domain::{RequestKind, RequestStatus};

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
    pub fn build(query: MetricsQuery, period: Period, today: NaiveDate, facts: &Facts) -> Self {
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
/// always has the same rows. Each line is named as the outcome is on the
/// case and in the requests export.
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
                let class = OutcomeClass::OptOutApplied;
                lines.push((class.label().to_owned(), count(class, None)))
            }
            RequestKind::Amendment => {
                for class in [
                    OutcomeClass::AmendmentAccepted,
                    OutcomeClass::AmendmentPartlyAccepted,
                    OutcomeClass::AmendmentDenied,
                ] {
                    lines.push((class.label().to_owned(), count(class, None)));
                }
            }
            RequestKind::Complaint => {
                let class = OutcomeClass::ComplaintResolved;
                for category in ComplaintCategory::options() {
                    lines.push((format!("{}: {}", class.label(), category.label()), count(class, Some(*category))));
                }
            }
            RequestKind::Appeal => {
                for class in [OutcomeClass::AppealGranted, OutcomeClass::AppealDenied] {
                    lines.push((class.label().to_owned(), count(class, None)));
                }
            }
        }
    }
    // A request of any kind may be withdrawn by the customer, or merged
    // into an earlier one by staff: one line for all kinds each.
    if !kinds.is_empty() {
        for class in [OutcomeClass::Withdrawn, OutcomeClass::Merged] {
            lines.push((class.label().to_owned(), count(class, None)));
        }
    }
    lines
}
