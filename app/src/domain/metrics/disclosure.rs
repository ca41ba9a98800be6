//! The yearly request metrics the CCPA asks a large business to publish.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::facts::Facts;
use super::rules::{DaySpread, Ending};
use super::table::{Table, TableSlug, kind_label, strings};
use crate::domain::format::days;
use crate::domain::{RequestKind, RequestStatus};

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
