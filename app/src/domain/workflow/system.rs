//! The steps the portal takes by itself, with no staff member: confirming
//! an address, closing what was never confirmed, and where a new request
//! starts.

use crate::domain::{EventKind, RequestStatus};

/// A step the portal takes by itself, with no staff member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SystemStep {
    /// The requester opened the link in the verification email.
    ConfirmEmail,
    /// The address was not confirmed in time, so the request closes.
    CloseUnverified,
}

impl SystemStep {
    /// The one status the portal takes this step from.
    pub fn taken_from(self) -> RequestStatus {
        RequestStatus::Unverified
    }

    pub fn leads_to(self) -> RequestStatus {
        match self {
            Self::ConfirmEmail => RequestStatus::Received,
            Self::CloseUnverified => RequestStatus::Closed,
        }
    }

    /// The history event the step writes.
    pub fn event(self) -> EventKind {
        match self {
            Self::ConfirmEmail => EventKind::Verified,
            Self::CloseUnverified => EventKind::ClosedUnverified,
        }
    }
}

/// The status a new request starts in: waiting for its requester to confirm
/// their email address, or received.
pub fn first_status(awaits_confirmation: bool) -> RequestStatus {
    if awaits_confirmation { RequestStatus::Unverified } else { RequestStatus::Received }
}

/// The status after the portal's own `step`, or `None` when it may not be
/// taken from `status`.
pub fn system_next(status: RequestStatus, step: SystemStep) -> Option<RequestStatus> {
    (status == step.taken_from()).then(|| step.leads_to())
}
