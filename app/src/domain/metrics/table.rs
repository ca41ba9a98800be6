//! The tables of figures the dashboard and the disclosure are read as.

use serde::{Deserialize, Serialize};

use crate::domain::RequestKind;

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
            Self::Disclosure => "Request metrics",
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

/// How staff name a kind in figures: the domain's staff word, counted.
pub fn kind_label(kind: RequestKind) -> &'static str {
    kind.staff_plural()
}

pub(super) fn strings(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| (*t).to_owned()).collect()
}
