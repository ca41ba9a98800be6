//! What the server counts for the dashboard and the disclosure: rows
//! grouped by plain facts (a day, a kind, a status), with no decision made.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::request::ComplaintCategory;
use crate::domain::{Channel, RequestKind, RequestStatus};

named_enum! {
    /// The outcomes the dashboard counts. The names are the `outcome` tags of
    /// `workflow::Outcome`'s JSON, and what `requests.outcome_tag` holds.
    OutcomeClass {
        OptOutApplied => "opt_out_applied",
        AmendmentAccepted => "amendment_accepted",
        AmendmentPartlyAccepted => "amendment_partly_accepted",
        AmendmentDenied => "amendment_denied",
        ComplaintResolved => "complaint_resolved",
        AppealGranted => "appeal_granted",
        AppealDenied => "appeal_denied",
        Withdrawn => "withdrawn",
        Merged => "merged",
    }
}

impl OutcomeClass {
    /// How the outcome is named, to staff and to the customer alike: the
    /// words a compliance team reports in, so a letter, the tracking page,
    /// the case and an export agree.
    pub fn label(self) -> &'static str {
        match self {
            Self::OptOutApplied => "Opt-out applied",
            Self::AmendmentAccepted => "Amendment accepted",
            Self::AmendmentPartlyAccepted => "Amendment accepted in part",
            Self::AmendmentDenied => "Amendment denied",
            Self::ComplaintResolved => "Complaint resolved",
            Self::AppealGranted => "Appeal granted",
            Self::AppealDenied => "Appeal denied",
            Self::Withdrawn => "Withdrawn by the customer",
            Self::Merged => "Merged into an earlier request",
        }
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
