//! The yearly request metrics the CCPA asks a large business to publish,
//! labelled by the regimes the organisation answers to: a row says what it
//! counts and under which rules, so a reader need not know the CCPA's table.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::facts::Facts;
use super::rules::{DaySpread, Ending};
use super::table::{Table, TableSlug, kind_label, strings};
use crate::domain::clock::{Regime, Rules};
use crate::domain::format::days;
use crate::domain::{RequestKind, RequestStatus};

/// One line of the yearly disclosure (CCPA, 11 CCR 7102).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisclosureLine {
    pub kind: RequestKind,
    /// The citations of the rules in force for the kind; empty when no
    /// regime in force covers it.
    pub under: Vec<String>,
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
    /// The regimes in force, which the table is labelled by.
    pub regimes: Vec<Regime>,
    pub lines: Vec<DisclosureLine>,
}

/// What a row counts, in words a reader of the privacy policy follows.
pub fn counts(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::OptOut => "Requests to opt out of sharing personal information with unaffiliated third parties",
        RequestKind::Amendment => "Requests to amend (correct) the records we hold about a person",
        RequestKind::Complaint => "Complaints about how we handled personal information",
        RequestKind::Appeal => "Appeals of a request we refused in whole or in part",
    }
}

/// "GLBA and HIPAA", "GLBA, HIPAA and CCPA", or "no regime" when none is.
pub fn regimes_text(regimes: &[Regime]) -> String {
    let names: Vec<&str> = regimes.iter().map(|regime| regime.label()).collect();
    match names.as_slice() {
        [] => "no regime".to_owned(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl Disclosure {
    /// The year's table from facts counted over the calendar year, under
    /// the rules in force.
    pub fn build(year: i32, today: NaiveDate, facts: &Facts, rules: &Rules) -> Self {
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
                    under: rules.citations(*kind),
                    received,
                    complied,
                    denied,
                    median_days: DaySpread::of(&histogram).median,
                }
            })
            .collect();
        Self { year, partial: today.year() <= year, regimes: rules.regimes(), lines }
    }

    /// The table's title: which regimes its figures are kept under.
    pub fn title(&self) -> String {
        format!("Request metrics for {} under {}", self.year, regimes_text(&self.regimes))
    }

    /// Whether the CCPA, which asks for these figures to be published, is
    /// among the regimes in force.
    pub fn published_under_ccpa(&self) -> bool {
        self.regimes.contains(&Regime::Ccpa)
    }

    pub fn table(&self) -> Table {
        Table {
            slug: TableSlug::Disclosure,
            columns: strings(&[
                "Kind of request",
                "What it counts",
                "Under",
                "Received",
                "Complied with in whole or in part",
                "Denied",
                "Median days to respond",
            ]),
            rows: self
                .lines
                .iter()
                .map(|line| {
                    let under = if line.under.is_empty() {
                        "No regime in force covers it".to_owned()
                    } else {
                        line.under.join("; ")
                    };
                    vec![
                        kind_label(line.kind).to_owned(),
                        counts(line.kind).to_owned(),
                        under,
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
