//! Everything a customer sees of their request through the private tracking
//! link: which events of its history, how each is told, what its status
//! says, and whether they are told when to expect an answer. The server
//! loads the rows; what they show is decided here, once.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::clock::{Regime, RequestClock, StatementLimit};
use super::disagreement::Disagreement;
use super::documents::DocumentEntry;
use super::register::{self, EntryFacts, OptOutChange};
use super::request::{AmendmentCategory, Choice, ComplaintCategory, JointAccount, OptOutScope};
use super::{EventKind, Language, ReferenceCode, RequestDetails, RequestKind, RequestStatus};
use crate::text::{timeline, tracking};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackingView {
    pub reference: ReferenceCode,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub asked: Asked,
    pub received_at: DateTime<Utc>,
    /// Days in the organisation's calendar, which deadlines count in.
    pub received_on: NaiveDate,
    pub updated_at: DateTime<Utc>,
    pub updated_on: NaiveDate,
    /// When the customer can expect an answer, while the request is open.
    pub answer_by: Option<NaiveDate>,
    /// Oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// The day its personal data was removed, once its retention ended.
    pub purged_on: Option<NaiveDate>,
    /// For an opt-out: where it stands in the register.
    pub opt_out: Option<OptOutStanding>,
    /// After a denial: what the customer said to it and may still say.
    pub disagreement: Option<Disagreement>,
    /// The supporting documents the customer sent, oldest first.
    #[serde(default)]
    pub documents: Vec<DocumentEntry>,
    /// After a refusal, where a law gives an appeal: the appeal form, or
    /// the appeal filed.
    #[serde(default)]
    pub appeal: Option<AppealStanding>,
    /// For a request an agent made: their name, and whether staff have
    /// verified their authority yet.
    #[serde(default)]
    pub agent: Option<(String, bool)>,
}

/// A refused request's appeal, as its customer is shown it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppealStanding {
    /// The customer may appeal, saying which of these states' laws they
    /// appeal under (or none of them).
    Open { states: Vec<(Regime, String)> },
    /// Appealed: the appeal is a request of its own, with its own link.
    Filed { reference: ReferenceCode, status: RequestStatus, filed_on: NaiveDate, due_on: Option<NaiveDate> },
}

/// What the customer is shown of their opt-out: whether a Global Privacy
/// Control signal came with it, and whether it stands.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptOutStanding {
    pub gpc: bool,
    /// The day it took effect, once applied.
    pub in_effect_from: Option<NaiveDate>,
    pub revoked_on: Option<NaiveDate>,
    /// The customer gave no email address and is answered by post: there is
    /// nowhere to send a confirmation link, so they revoke by phone or mail.
    #[serde(default)]
    pub by_post: bool,
}

impl OptOutStanding {
    /// Whether the opt-out stands today.
    pub fn stands(&self) -> bool {
        self.in_effect_from.is_some() && self.revoked_on.is_none()
    }

    /// The customer may ask online to revoke an opt-out that stands, with a
    /// link emailed to them.
    pub fn may_revoke(&self) -> bool {
        self.stands() && !self.by_post
    }
}

/// What the customer asked for, by the choices they made: the page words
/// it in its own language. Never free text the customer typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Asked {
    OptOut { scope: OptOutScope, joint_account: JointAccount },
    Amendment { category: AmendmentCategory },
    Complaint { category: ComplaintCategory },
    Appeal { appeal_of: String },
}

impl Asked {
    fn of(details: &RequestDetails) -> Self {
        match details {
            RequestDetails::OptOut { scope, joint_account, .. } => {
                Self::OptOut { scope: *scope, joint_account: *joint_account }
            }
            RequestDetails::Amendment { category, .. } => Self::Amendment { category: *category },
            RequestDetails::Complaint { category, .. } => Self::Complaint { category: *category },
            RequestDetails::Appeal { appeal_of, .. } => Self::Appeal { appeal_of: appeal_of.clone() },
        }
    }

    /// One line, in `lang`: "Amend insurance information".
    pub fn summary(&self, lang: Language) -> String {
        let lower = |label: &str| label.to_lowercase();
        match self {
            Self::OptOut { scope, joint_account } => {
                tracking::summary_opt_out(lang, scope.label_in(lang), &lower(joint_account.label_in(lang)))
            }
            Self::Amendment { category } => tracking::summary_amendment(lang, &lower(category.label_in(lang))),
            Self::Complaint { category } => tracking::summary_complaint(lang, &lower(category.label_in(lang))),
            Self::Appeal { appeal_of } => tracking::summary_appeal(lang, appeal_of),
        }
    }
}

/// One event of a request's history that the customer may see; the page
/// tells it by its kind, in the page's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub on: NaiveDate,
    pub kind: EventKind,
    pub body: Option<String>,
}

/// A stored request, as far as its customer is shown it.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackedRequest {
    pub reference: ReferenceCode,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub details: RequestDetails,
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub clock: Option<RequestClock>,
    pub purged_at: Option<DateTime<Utc>>,
}

/// One event of a request's history as it was recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedEvent {
    pub kind: EventKind,
    pub at: DateTime<Utc>,
    pub body: Option<String>,
}

impl TrackingView {
    /// What the customer sees of `request` and its history (oldest first).
    /// `local_date` gives the organisation's day of an instant: the browser
    /// does not know the organisation's time zone.
    pub fn of(
        request: TrackedRequest,
        history: impl IntoIterator<Item = RecordedEvent>,
        local_date: impl Fn(DateTime<Utc>) -> NaiveDate,
    ) -> Self {
        let history: Vec<RecordedEvent> = history.into_iter().collect();
        let disagreement = Disagreement::of(
            request.kind,
            request.status,
            history.iter().map(|event| (event.kind, event.body.as_deref())),
            None,
        );
        let timeline = history
            .into_iter()
            .filter(|event| event.kind.customer_visible())
            .map(|event| TimelineEntry { at: event.at, on: local_date(event.at), kind: event.kind, body: event.body })
            .collect();
        Self {
            answer_by: request.clock.filter(|_| request.status.promises_answer()).map(|clock| clock.due()),
            reference: request.reference,
            kind: request.kind,
            status: request.status,
            asked: Asked::of(&request.details),
            received_at: request.received_at,
            received_on: local_date(request.received_at),
            updated_at: request.updated_at,
            updated_on: local_date(request.updated_at),
            timeline,
            purged_on: request.purged_at.map(&local_date),
            opt_out: match request.details {
                RequestDetails::OptOut { gpc, .. } => Some(OptOutStanding { gpc, ..OptOutStanding::default() }),
                _ => None,
            },
            disagreement,
            documents: Vec::new(),
            appeal: None,
            agent: None,
        }
    }

    /// Gives the word limit of a statement of disagreement in force.
    pub fn statement_limit(mut self, limit: Option<StatementLimit>) -> Self {
        if let Some(disagreement) = &mut self.disagreement {
            disagreement.limit = limit;
        }
        self
    }

    /// Notes that the customer is answered by post (gave no email address).
    pub fn answered_by_post(mut self, by_post: bool) -> Self {
        if let Some(standing) = &mut self.opt_out {
            standing.by_post = by_post;
        }
        self
    }

    /// Where the opt-out stands, by the register's entries for it.
    pub fn with_register(mut self, entries: &[EntryFacts]) -> Self {
        if let Some(standing) = &mut self.opt_out {
            standing.in_effect_from = entries
                .iter()
                .filter(|entry| entry.change != OptOutChange::Revoked)
                .map(|entry| entry.effective_on)
                .min();
            standing.revoked_on = register::revoked_on(entries);
        }
        self
    }
}

/// Whether an action taken through a tracking link issued at `issued`
/// needs a fresh emailed link first: one older than `max_age` may be an
/// old email forwarded to somebody else.
pub fn needs_fresh_link(issued: DateTime<Utc>, now: DateTime<Utc>, max_age: chrono::Duration) -> bool {
    now - issued > max_age
}

impl RequestStatus {
    /// How the status is named to a customer, in `lang`.
    pub fn label_in(self, lang: Language) -> &'static str {
        let name = match self {
            Self::Unverified => tracking::status_unverified,
            Self::Received => tracking::status_received,
            Self::InProgress => tracking::status_in_progress,
            Self::AwaitingCustomer => tracking::status_awaiting_customer,
            Self::Completed => tracking::status_completed,
            Self::Denied => tracking::status_denied,
            Self::Closed => tracking::status_closed,
            Self::Withdrawn => tracking::status_withdrawn,
            Self::Merged => tracking::status_merged,
        };
        name(lang)
    }

    /// The customer's name for the status in English, which the step
    /// errors quote to staff.
    pub fn label(self) -> &'static str {
        self.label_in(Language::En)
    }

    /// Whether the customer is told when to expect an answer: not once it
    /// is given, and not before work may start.
    fn promises_answer(self) -> bool {
        self.is_open() && self != Self::Unverified
    }
}

impl EventKind {
    /// Whether the customer sees this event on the tracking page. Internal
    /// notes, assignments and legal holds stay inside.
    pub fn customer_visible(self) -> bool {
        !matches!(
            self,
            Self::Assigned
                | Self::Note
                | Self::HoldPlaced
                | Self::HoldLifted
                | Self::PossibleDuplicate
                | Self::KeptSeparate
        )
    }

    /// How the event is told to the customer, on the tracking page.
    pub fn customer_title(self, lang: Language) -> &'static str {
        let title = match self {
            Self::Submitted => timeline::submitted,
            Self::EnteredByStaff => timeline::entered_by_staff,
            Self::VerificationSent => timeline::verification_sent,
            Self::Verified => timeline::verified,
            Self::VerifiedByStaff => timeline::verified_by_staff,
            Self::ClosedUnverified => timeline::closed_unverified,
            Self::Assigned => timeline::assigned,
            Self::Note => timeline::note,
            Self::Message => timeline::message,
            Self::WorkStarted => timeline::work_started,
            Self::AskedCustomer => timeline::asked_customer,
            Self::Resumed => timeline::resumed,
            Self::Resolved => timeline::resolved,
            Self::Closed => timeline::closed,
            Self::Extended => timeline::extended,
            Self::HoldPlaced => timeline::hold_placed,
            Self::HoldLifted => timeline::hold_lifted,
            Self::OptOutRevoked => timeline::opt_out_revoked,
            Self::CustomerReplied => timeline::customer_replied,
            Self::Withdrawn => timeline::withdrawn,
            Self::PossibleDuplicate => timeline::possible_duplicate,
            Self::KeptSeparate => timeline::kept_separate,
            Self::MergedInto => timeline::merged_into,
            Self::MergedHere => timeline::merged_here,
            Self::DisagreementStated => timeline::disagreement_stated,
            Self::DenialWithDisclosures => timeline::denial_with_disclosures,
            Self::Rebutted => timeline::rebutted,
            Self::DocumentsSent => timeline::documents_sent,
            Self::Appealed => timeline::appealed,
            Self::AgentVerified => timeline::agent_verified,
        };
        title(lang)
    }

    /// How the same event is told to staff, as the headline of a case's
    /// timeline: about the customer, not to them.
    pub fn staff_title(self) -> &'static str {
        match self {
            Self::Submitted => "The customer sent the request",
            Self::EnteredByStaff => "Entered by staff from a call or letter",
            Self::VerificationSent => "A new confirmation email was sent to the customer",
            Self::Verified => "The customer confirmed their email address",
            Self::VerifiedByStaff => "Staff confirmed the customer's identity",
            Self::ClosedUnverified => "Closed: the customer never confirmed their email address",
            Self::Assigned => "Assigned",
            Self::Note => "Internal note",
            Self::Message => "Message to the customer",
            Self::WorkStarted => "Work started",
            Self::AskedCustomer => "Asked the customer for information",
            Self::Resumed => "Work resumed",
            Self::Resolved => "Outcome recorded",
            Self::Closed => "Closed without an outcome",
            Self::Extended => "Deadline extended",
            Self::HoldPlaced => "Legal hold placed",
            Self::HoldLifted => "Legal hold lifted",
            Self::OptOutRevoked => "The opt-out was revoked",
            Self::CustomerReplied => "Message from the customer",
            Self::Withdrawn => "Withdrawn by the customer",
            Self::PossibleDuplicate => "Marked as a possible duplicate",
            Self::KeptSeparate => "Not a duplicate: kept separate",
            Self::MergedInto => "Merged into an earlier request",
            Self::MergedHere => "A later request was merged into this one",
            Self::DisagreementStated => "Statement of disagreement from the customer",
            Self::DenialWithDisclosures => "The customer asked that the request and denial go with future disclosures",
            Self::Rebutted => "Rebuttal sent to the customer",
            Self::DocumentsSent => "The customer sent documents",
            Self::Appealed => "The customer appealed the decision",
            Self::AgentVerified => "Staff verified the agent's authority",
        }
    }

    /// Who speaks in an event, for the case's conversation: what the
    /// customer wrote, what staff wrote to them, an internal note, or a
    /// step in the request's life told in one line.
    pub fn voice(self) -> Voice {
        match self {
            Self::CustomerReplied | Self::DisagreementStated | Self::Withdrawn | Self::DocumentsSent => Voice::Customer,
            Self::Message | Self::AskedCustomer | Self::Rebutted => Voice::ToCustomer,
            Self::Note => Voice::Note,
            _ => Voice::Step,
        }
    }
}

/// See [`EventKind::voice`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Voice {
    Customer,
    ToCustomer,
    Note,
    Step,
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use super::*;
    use crate::domain::clock::{ClockInput, Holidays, Pauses, Receipt, Regime, Rules};
    use crate::domain::request::{JointAccount, OptOutScope};

    #[test]
    fn what_is_said_to_or_by_the_customer_is_shown_to_them_and_a_note_never_is() {
        for kind in EventKind::ALL {
            match kind.voice() {
                Voice::Customer | Voice::ToCustomer => assert!(kind.customer_visible(), "{kind:?}"),
                Voice::Note => assert!(!kind.customer_visible(), "{kind:?}"),
                Voice::Step => {}
            }
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse::<NaiveDateTime>().unwrap().and_utc()
    }

    fn opt_out(status: RequestStatus) -> TrackedRequest {
        let received = at("2026-03-02T10:00:00");
        let pauses = Pauses::default();
        let input = ClockInput {
            kind: RequestKind::OptOut,
            received: received.naive_utc(),
            receipt: Receipt::ArrivalDay,
            pauses: &pauses,
            extension_reason: None,
            today: received.date_naive(),
        };
        let rules = Rules::default().for_regimes(Regime::ALL);
        TrackedRequest {
            reference: ReferenceCode::from_random(7),
            kind: RequestKind::OptOut,
            status,
            details: RequestDetails::OptOut {
                scope: OptOutScope::AllSharing,
                joint_account: JointAccount::NotJoint,
                gpc: false,
                other_holders: Vec::new(),
            },
            received_at: received,
            updated_at: at("2026-03-03T09:00:00"),
            clock: RequestClock::compute(&rules, &Holidays::default(), &input),
            purged_at: None,
        }
    }

    fn event(kind: EventKind, when: &str) -> RecordedEvent {
        RecordedEvent { kind, at: at(when), body: None }
    }

    #[test]
    fn the_customer_sees_their_events_told_to_them_and_no_internal_ones() {
        let history = [
            event(EventKind::Submitted, "2026-03-02T10:00:00"),
            event(EventKind::Assigned, "2026-03-02T11:00:00"),
            event(EventKind::Note, "2026-03-02T12:00:00"),
            event(EventKind::WorkStarted, "2026-03-03T09:00:00"),
        ];
        let view = TrackingView::of(opt_out(RequestStatus::InProgress), history, |at| at.date_naive());
        let titles: Vec<&str> = view.timeline.iter().map(|entry| entry.kind.customer_title(Language::En)).collect();
        assert_eq!(titles, ["We received your request", "We started work on your request"]);
        assert_eq!(view.timeline[1].on, at("2026-03-03T09:00:00").date_naive());
        assert_eq!(
            view.asked.summary(Language::En),
            "All sharing with unaffiliated third parties (not a joint account)"
        );
        assert_eq!(
            view.asked.summary(Language::Es),
            "Todo intercambio con terceros no afiliados (no es una cuenta conjunta)"
        );
        assert_eq!(view.timeline[0].kind.customer_title(Language::Es), "Recibimos su solicitud");
    }

    #[test]
    fn only_a_link_older_than_the_age_needs_a_fresh_one() {
        let issued = at("2026-03-02T10:00:00");
        let age = chrono::Duration::days(30);
        assert!(!needs_fresh_link(issued, at("2026-04-01T10:00:00"), age), "exactly the age still acts");
        assert!(needs_fresh_link(issued, at("2026-04-01T10:00:01"), age));
    }

    #[test]
    fn an_answer_date_is_promised_only_while_work_may_go_on() {
        let answer_by = |status| TrackingView::of(opt_out(status), [], |at| at.date_naive()).answer_by;
        assert!(answer_by(RequestStatus::Received).is_some());
        assert!(answer_by(RequestStatus::AwaitingCustomer).is_some());
        assert_eq!(answer_by(RequestStatus::Unverified), None);
        assert_eq!(answer_by(RequestStatus::Completed), None);
    }
}
