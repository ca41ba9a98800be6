//! What staff see of one request, and of their colleagues.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

// A case's assignee is a staff member, so cases are read with it.
pub use super::accounts::StaffMember;
use super::clock::RequestClock;
use super::disagreement::Disagreement;
use super::documents::DocumentEntry;
use super::notices::BusinessAssociate;
use super::workflow::{Outcome, StepKind};
use super::{Agent, Channel, Contact, EventKind, Language, ReferenceCode, RequestDetails, RequestKind, RequestStatus};

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
    pub hold: Option<LegalHold>,
    pub purged: Option<Purged>,
    /// The opt-out register's entry this request applied, once it did.
    pub register_entry: Option<String>,
    /// For an amendment still open, the business associates that may be
    /// told if it is accepted.
    pub associates: Vec<BusinessAssociate>,
    pub duplicates: DuplicateLinks,
    /// After a denial: the customer's statement or wish, and any rebuttal.
    pub disagreement: Option<Disagreement>,
    /// The supporting documents the customer sent, oldest first.
    #[serde(default)]
    pub documents: Vec<DocumentEntry>,
    #[serde(default)]
    pub appeal: AppealLinks,
    /// Who asked for the customer, and since when staff have verified
    /// their authority to.
    #[serde(default)]
    pub agent: Option<AgentStanding>,
    /// The language the request was made in: the one to answer in.
    #[serde(default = "english")]
    pub language: Language,
}

fn english() -> Language {
    Language::En
}

/// An agent acting for the customer, as staff see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentStanding {
    pub agent: Agent,
    pub verified_on: Option<NaiveDate>,
}

/// How an appeal and the refused request it appeals point at each other.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealLinks {
    /// For an appeal: the refused request it appeals.
    pub appeals: Option<ReferenceCode>,
    /// For an appeal: who recorded the refusal, who may not decide it.
    pub refused_by: Option<String>,
    /// For a refused request: its appeal, once filed.
    pub appealed_by: Option<ReferenceCode>,
}

/// How a case is linked to others from the same person of the same kind:
/// shown on both case pages, so either leads to the other.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateLinks {
    /// The earlier open request this one likely repeats, until staff merge
    /// it or keep it separate.
    pub repeats: Option<ReferenceCode>,
    /// Later requests marked as likely repeating this one.
    pub repeated_by: Vec<ReferenceCode>,
    /// The request this one was merged into.
    pub merged_into: Option<ReferenceCode>,
    /// Requests merged into this one; their history is on its timeline.
    pub merged_here: Vec<ReferenceCode>,
}

/// A legal hold on a case: while it stands the case is never purged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalHold {
    pub since: NaiveDate,
    pub reason: String,
}

/// What a purge leaves of the personal data: when, and under which rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purged {
    pub on: NaiveDate,
    pub under: String,
}

/// One entry of a case's history, as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
    /// A notice of an accepted amendment to someone the customer named or
    /// a business associate, rather than a letter to the customer.
    pub notice: bool,
    /// A letter to a customer answered by post: printed by staff, not sent.
    pub by_post: bool,
}

/// A letter waiting in the print queue, with what staff need to print and
/// post it: the postal address for the envelope and the letter itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintLetter {
    pub id: i64,
    pub reference: Option<ReferenceCode>,
    /// The customer's name and postal address, a line each.
    pub address: String,
    pub subject: String,
    /// The letter as it is printed, its private links included.
    pub text: String,
    pub created_on: NaiveDate,
}

/// One entry of a case's conversation: a step of its history (which may be
/// something said) or an email to the customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ThreadEntry {
    Event(CaseEvent),
    Letter(LetterState),
}

/// A case's history and its emails as one conversation, oldest first. An
/// email comes after the event that wrote it, which was recorded in the same
/// transaction and so at the same instant or just before.
pub fn conversation(mut events: Vec<CaseEvent>, mut letters: Vec<LetterState>) -> Vec<ThreadEntry> {
    events.sort_by_key(|event| event.at);
    letters.sort_by_key(|letter| letter.created_at);
    let mut letters = letters.into_iter().peekable();
    let mut thread = Vec::with_capacity(events.len() + letters.len());
    for event in events {
        while let Some(letter) = letters.next_if(|letter| letter.created_at < event.at) {
            thread.push(ThreadEntry::Letter(letter));
        }
        thread.push(ThreadEntry::Event(event));
    }
    thread.extend(letters.map(ThreadEntry::Letter));
    thread
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn event(kind: EventKind, second: u32) -> CaseEvent {
        let at = Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, second).unwrap();
        CaseEvent {
            kind,
            at,
            on: at.date_naive(),
            title: kind.as_str().to_owned(),
            body: None,
            actor: None,
            customer_visible: kind.customer_visible(),
        }
    }

    fn letter(id: i64, second: u32) -> LetterState {
        let at = Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, second).unwrap();
        LetterState {
            id,
            reference: None,
            subject: format!("letter {id}"),
            recipient: "grace@example.com".to_owned(),
            status: LetterStatus::Sent,
            attempts: 1,
            last_error: None,
            created_at: at,
            created_on: at.date_naive(),
            notice: false,
            by_post: false,
        }
    }

    fn order(thread: &[ThreadEntry]) -> Vec<String> {
        thread
            .iter()
            .map(|entry| match entry {
                ThreadEntry::Event(event) => event.title.clone(),
                ThreadEntry::Letter(letter) => letter.subject.clone(),
            })
            .collect()
    }

    #[test]
    fn emails_sit_after_the_event_that_wrote_them_oldest_first() {
        let events = vec![event(EventKind::Message, 30), event(EventKind::Submitted, 0), event(EventKind::Note, 20)];
        let letters = vec![letter(2, 30), letter(1, 0), letter(3, 45)];
        assert_eq!(
            order(&conversation(events, letters)),
            ["submitted", "letter 1", "note", "message", "letter 2", "letter 3"]
        );
    }

    #[test]
    fn an_email_written_before_any_event_still_shows() {
        let thread = conversation(vec![event(EventKind::Submitted, 10)], vec![letter(1, 5)]);
        assert_eq!(order(&thread), ["letter 1", "submitted"]);
    }
}
