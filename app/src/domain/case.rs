//! What staff see of one request, and of their colleagues.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::clock::RequestClock;
use super::workflow::{Outcome, StepKind};
use super::{Channel, Contact, EventKind, ReferenceCode, RequestDetails, RequestKind, RequestStatus, Role};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub reference: ReferenceCode,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub channel: Channel,
    pub received_at: DateTime<Utc>,
    /// The day received, in the organisation's calendar (as are all the
    /// `_on` days here: the browser does not know the organisation's zone).
    pub received_on: NaiveDate,
    pub verified_at: Option<DateTime<Utc>>,
    pub verified_on: Option<NaiveDate>,
    pub contact: Contact,
    pub details: RequestDetails,
    pub assignee: Option<StaffMember>,
    pub outcome: Option<Outcome>,
    /// The legal deadlines, with which rule and start date set them.
    pub clock: Option<RequestClock>,
    /// Changes must quote it: a form sent from an older view is refused.
    pub version: i64,
    /// What this viewer may do next, from the state machine.
    pub steps: Vec<StepKind>,
    /// Oldest first.
    pub timeline: Vec<CaseEvent>,
    pub letters: Vec<LetterState>,
}

/// One entry of a case's history, as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub kind: EventKind,
    pub at: DateTime<Utc>,
    pub on: NaiveDate,
    pub title: String,
    pub body: Option<String>,
    /// Who did it; `None` for the customer or the system.
    pub actor: Option<String>,
    /// Whether the customer sees it on the tracking page.
    pub customer_visible: bool,
}

named_enum! {
    /// Where a letter stands in the outbox: the one set of names the outbox
    /// table, the worker, the mail desk and the pages all use.
    LetterStatus {
        Pending => "pending",
        Sent => "sent",
        Failed => "failed",
    }
}

/// An email owed to the customer, and whether it went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterState {
    pub id: i64,
    pub reference: Option<ReferenceCode>,
    pub subject: String,
    pub recipient: String,
    pub status: LetterStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
}

/// What a staff form handler sends back with the page when it refuses a
/// change: which form, why, and what was typed, so nothing is lost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffFeedback {
    /// The form's name, as in its hidden `form` field.
    pub form: String,
    pub message: String,
    pub values: std::collections::BTreeMap<String, String>,
}

impl StaffFeedback {
    /// What was typed into `field` of `form`, if this feedback is for it.
    pub fn value(&self, form: &str, field: &str) -> Option<String> {
        (self.form == form).then(|| self.values.get(field).cloned()).flatten()
    }
}

/// An API token as the administrator's page lists it: never the token itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    pub owner: StaffMember,
    pub created_at: DateTime<Utc>,
    pub created_on: NaiveDate,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_on: Option<NaiveDate>,
}

/// A newly issued API token, shown on the page that issued it and nowhere
/// else.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken(pub String);
