//! What the portal tells other systems, and how administrators see it: the
//! webhook events, the history events each comes from, and the endpoint and
//! delivery facts the staff pages show.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::case::LetterStatus;
use super::request::Choice;
use super::{EventKind, RequestKind, RequestStatus};

choice! {
    /// A fact a receiving system may act on; the name is the `type` of the
    /// delivered body.
    WebhookEvent {
        RequestReceived => "request.received": "Request received",
        RequestVerified => "request.verified": "Requester verified",
        StatusChanged => "request.status_changed": "Status changed",
        DeadlineExtended => "request.deadline_extended": "Deadline extended",
        RequestClosed => "request.closed": "Request closed",
        OptOutApplied => "opt_out.applied": "Opt-out applied",
        OptOutRevoked => "opt_out.revoked": "Opt-out revoked",
        AmendmentAccepted => "amendment.accepted": "Amendment accepted",
    }
}

impl WebhookEvent {
    /// What a receiving system learns from one history event of a request
    /// of `kind` that is now in `status`; most events (notes, assignments,
    /// letters) tell it nothing.
    pub fn announced_by(event: EventKind, kind: RequestKind, status: RequestStatus) -> Vec<Self> {
        use EventKind as E;
        match event {
            E::Submitted | E::EnteredByStaff => vec![Self::RequestReceived],
            E::Verified | E::VerifiedByStaff => vec![Self::RequestVerified],
            E::WorkStarted | E::AskedCustomer | E::Resumed => vec![Self::StatusChanged],
            E::Extended => vec![Self::DeadlineExtended],
            E::OptOutRevoked => vec![Self::OptOutRevoked],
            E::Closed | E::ClosedUnverified | E::Withdrawn | E::MergedInto => vec![Self::RequestClosed],
            E::Resolved => {
                let granted = status == RequestStatus::Completed;
                let also = match kind {
                    RequestKind::OptOut if granted => Some(Self::OptOutApplied),
                    RequestKind::Amendment if granted => Some(Self::AmendmentAccepted),
                    _ => None,
                };
                std::iter::once(Self::RequestClosed).chain(also).collect()
            }
            // A customer's reply is a message; what it does to the status
            // is not told apart from the reply itself yet.
            E::VerificationSent
            | E::Assigned
            | E::Note
            | E::Message
            | E::CustomerReplied
            | E::HoldPlaced
            | E::HoldLifted
            | E::PossibleDuplicate
            | E::KeptSeparate
            | E::MergedHere
            | E::DisagreementStated
            | E::DenialWithDisclosures
            | E::Rebutted
            | E::DocumentsSent
            // The appeal is a request of its own, announced when received.
            | E::Appealed
            | E::AgentVerified => Vec::new(),
        }
    }

    /// Whether the body carries who the request is about: only where the
    /// receiving system cannot act without it (stop sharing this person's
    /// information, or start again).
    pub fn names_the_person(self) -> bool {
        matches!(self, Self::OptOutApplied | Self::OptOutRevoked)
    }

    /// The events of a space-separated list, as stored; unknown names are
    /// dropped.
    pub fn parse_list(list: &str) -> Vec<Self> {
        list.split_whitespace().filter_map(Self::parse).collect()
    }
}

/// A registered endpoint as administrators see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointInfo {
    pub id: i64,
    pub url: String,
    pub description: String,
    pub events: Vec<WebhookEvent>,
    pub active: bool,
    /// `whsec_…`, for the receiving system's verifier.
    pub secret: String,
    pub created_at: DateTime<Utc>,
    pub recent: Vec<DeliveryInfo>,
}

/// One delivery to an endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryInfo {
    pub id: i64,
    pub event: String,
    /// The `webhook-id` header: the same on every attempt.
    pub message_id: String,
    pub status: LetterStatus,
    pub attempts: i32,
    /// The HTTP status of the last answer, when one came.
    pub response_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_granted_opt_out_is_closed_and_applied_and_a_denied_amendment_only_closed() {
        let resolved = |kind, status| WebhookEvent::announced_by(EventKind::Resolved, kind, status);
        assert_eq!(
            resolved(RequestKind::OptOut, RequestStatus::Completed),
            vec![WebhookEvent::RequestClosed, WebhookEvent::OptOutApplied]
        );
        assert_eq!(
            resolved(RequestKind::Amendment, RequestStatus::Completed),
            vec![WebhookEvent::RequestClosed, WebhookEvent::AmendmentAccepted]
        );
        assert_eq!(resolved(RequestKind::Amendment, RequestStatus::Denied), vec![WebhookEvent::RequestClosed]);
        assert_eq!(resolved(RequestKind::Complaint, RequestStatus::Completed), vec![WebhookEvent::RequestClosed]);
        let note = WebhookEvent::announced_by(EventKind::Note, RequestKind::OptOut, RequestStatus::InProgress);
        assert!(note.is_empty(), "an internal note tells no other system anything");
    }

    #[test]
    fn a_stored_list_reads_back_and_drops_what_it_does_not_know() {
        assert_eq!(
            WebhookEvent::parse_list("opt_out.applied  request.received nonsense"),
            vec![WebhookEvent::OptOutApplied, WebhookEvent::RequestReceived]
        );
        assert!(WebhookEvent::OptOutApplied.names_the_person());
        assert!(!WebhookEvent::RequestReceived.names_the_person());
    }
}
