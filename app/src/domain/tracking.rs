//! What a customer sees of their request through the private tracking link.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{ReferenceCode, RequestKind, RequestStatus};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackingView {
    pub reference: ReferenceCode,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub summary: String,
    pub received_at: DateTime<Utc>,
    /// Days in the organisation's calendar, which deadlines count in.
    pub received_on: NaiveDate,
    pub updated_at: DateTime<Utc>,
    pub updated_on: NaiveDate,
    /// When the customer can expect an answer, while the request is open.
    pub answer_by: Option<NaiveDate>,
    /// Oldest first.
    pub timeline: Vec<TimelineEntry>,
}

/// One event of a request's history that the customer may see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub on: NaiveDate,
    pub title: String,
    pub body: Option<String>,
}
