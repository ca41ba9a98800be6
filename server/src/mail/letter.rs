//! Every letter the portal sends, with what each must carry, its
//! template's name and its subject line. Composing them is `letters.rs`.

use app::domain::workflow::Outcome;
use app::domain::{ReferenceCode, RequestKind};

/// The template of the notices of an accepted amendment, by which the
/// case page tells them from the customer's own letters.
pub const NOTICE_TEMPLATE: &str = "amendment_notice";

/// What the customer did from the tracking page that staff are told of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomerNews {
    Reply,
    /// This many documents, sent without a written reply.
    Documents(usize),
    /// A statement of disagreement with a denial.
    Statement,
    /// The wish that the request and its denial go with future disclosures.
    DisclosureWish,
}

/// What the portal writes to customers, with what each letter needs.
pub enum Letter<'a> {
    Receipt {
        name: &'a str,
        reference: &'a ReferenceCode,
        kind: RequestKind,
        summary: &'a str,
        received_on: String,
        tracking_url: &'a str,
        /// The link that confirms the requester's address, when the kind
        /// needs it: the receipt carries it, so one letter arrives, not two.
        verify_url: Option<&'a str>,
        /// How long that link works.
        valid_hours: u32,
        /// The response deadline, when a rule sets one.
        answer_by: Option<String>,
        /// To the customer of a request an agent made: who asked, and as
        /// what ("Mary Hopper, parent of a child under 18").
        agent: Option<&'a str>,
        /// To the agent: whom they asked for. Their letter asks for the
        /// signed permission.
        on_behalf_of: Option<&'a str>,
    },
    Verification {
        name: &'a str,
        reference: &'a ReferenceCode,
        verify_url: &'a str,
        valid_hours: u32,
    },
    /// The single-use link that confirms a customer's wish, made on the
    /// tracking page, to revoke their opt-out.
    ConfirmRevocation {
        name: &'a str,
        reference: &'a ReferenceCode,
        revoke_url: &'a str,
        valid_hours: u32,
    },
    /// The single-use link that confirms an action the customer took
    /// through a tracking link too old to act by itself.
    ConfirmAction {
        name: &'a str,
        reference: &'a ReferenceCode,
        what: &'a str,
        confirm_url: &'a str,
        valid_hours: u32,
    },
    /// A private tracking link sent again, asked for by reference and address.
    TrackingLink {
        name: &'a str,
        reference: &'a ReferenceCode,
        kind: RequestKind,
        tracking_url: &'a str,
    },
    ClosedUnverified {
        name: &'a str,
        reference: &'a ReferenceCode,
        kind: RequestKind,
        close_days: u32,
    },
    StaffInvite {
        name: &'a str,
        invited_by: &'a str,
        role: &'a str,
        welcome_url: &'a str,
        valid_days: u32,
    },
    /// A message a staff member wrote to the customer.
    CaseMessage {
        name: &'a str,
        reference: &'a ReferenceCode,
        kind: RequestKind,
        body: &'a str,
    },
    AwaitingCustomer {
        name: &'a str,
        reference: &'a ReferenceCode,
        kind: RequestKind,
        what: &'a str,
        /// Whether the response clock stops while the customer answers.
        pauses: bool,
    },
    /// The notice an extension of the response deadline requires.
    Extension {
        name: &'a str,
        reference: &'a ReferenceCode,
        kind: RequestKind,
        reason: &'a str,
        old_date: String,
        new_date: String,
        citation: &'a str,
    },
    Outcome {
        name: &'a str,
        reference: &'a ReferenceCode,
        outcome: &'a Outcome,
        /// The names of those sent a notice of an accepted amendment.
        told: &'a [String],
        /// For an opt-out: whom it covers, of the holders of a joint account.
        covers: Option<&'a str>,
        /// For a refusal where a law gives an appeal: how to appeal.
        appeal_offered: bool,
        /// For an appeal: the request it appeals.
        appeal_of: Option<&'a str>,
        /// For a denied appeal: the Attorneys General the customer may
        /// complain to, each as a letter gives the office's contact.
        attorneys_general: &'a [String],
    },
    /// The notice of an accepted amendment to a person the customer named
    /// or a business associate (45 CFR 164.526(c)(3)): whose records, which
    /// ones, and whom to ask for the rest; nothing of the health details.
    AmendmentNotice {
        recipient: &'a str,
        customer: &'a str,
        reference: &'a ReferenceCode,
        records_changed: &'a str,
        partly: bool,
    },
    CaseClosed {
        name: &'a str,
        reference: &'a ReferenceCode,
        kind: RequestKind,
        reason: &'a str,
        note: &'a str,
    },
    /// To the assignee, or the team when nobody holds the case: the
    /// customer acted from the tracking page. Only the reference and a
    /// link to the case: what they wrote stays sealed in the portal.
    CustomerReplied {
        name: &'a str,
        reference: &'a ReferenceCode,
        kind: RequestKind,
        case_url: &'a str,
        /// Whether it ended a wait on the customer.
        resumed: bool,
        news: CustomerNews,
    },
    /// To the customer: their request is withdrawn, as they asked.
    Withdrawn {
        name: &'a str,
        reference: &'a ReferenceCode,
        kind: RequestKind,
        reason: Option<&'a str>,
    },
    /// To the customer: a later request of theirs repeated an earlier one
    /// still open, and staff merged it there; which reference to follow.
    Merged {
        name: &'a str,
        reference: &'a ReferenceCode,
        kind: RequestKind,
        earlier: &'a ReferenceCode,
    },
    /// To the customer: staff's rebuttal of their statement of
    /// disagreement, a copy of which the customer must be given
    /// (45 CFR 164.526(d)(3)).
    Rebuttal {
        name: &'a str,
        reference: &'a ReferenceCode,
        rebuttal: &'a str,
    },
    /// The daily digest to a staff member.
    Digest {
        name: &'a str,
        day: String,
        due_soon: &'a [crate::digest::DigestLine],
        overdue: &'a [crate::digest::DigestLine],
        all_overdue: &'a [crate::digest::DigestLine],
        queue_url: &'a str,
    },
}

impl Letter<'_> {
    /// The name of the letter's templates, without extension.
    pub fn template(&self) -> &'static str {
        match self {
            Self::Receipt { .. } => "receipt",
            Self::Verification { .. } => "verification",
            Self::TrackingLink { .. } => "tracking_link",
            Self::ConfirmRevocation { .. } => "confirm_revocation",
            Self::ConfirmAction { .. } => "confirm_action",
            Self::ClosedUnverified { .. } => "closed_unverified",
            Self::StaffInvite { .. } => "staff_invite",
            Self::CaseMessage { .. } => "case_message",
            Self::AwaitingCustomer { .. } => "awaiting_customer",
            Self::Extension { .. } => "extension",
            Self::Outcome { outcome, .. } => match outcome {
                Outcome::OptOutApplied { .. } => "opt_out_applied",
                Outcome::AmendmentAccepted { .. } | Outcome::AmendmentPartlyAccepted { .. } => "amendment_accepted",
                Outcome::AmendmentDenied { .. } => "amendment_denied",
                Outcome::ComplaintResolved { .. } => "complaint_resolved",
                Outcome::AppealGranted { .. } => "appeal_granted",
                Outcome::AppealDenied { .. } => "appeal_denied",
            },
            Self::CaseClosed { .. } => "case_closed",
            Self::Digest { .. } => "digest",
            Self::CustomerReplied { .. } => "customer_replied",
            Self::Withdrawn { .. } => "withdrawn",
            Self::Merged { .. } => "merged",
            Self::Rebuttal { .. } => "rebuttal",
            Self::AmendmentNotice { .. } => NOTICE_TEMPLATE,
        }
    }

    pub(super) fn subject(&self) -> String {
        match self {
            Self::Receipt { reference, kind, .. } => format!("We received your request {reference}: {}", kind.label()),
            Self::Verification { reference, .. } => {
                format!("Please confirm your email address for request {reference}")
            }
            Self::TrackingLink { reference, .. } => format!("Your private link for request {reference}"),
            Self::ConfirmAction { reference, .. } => format!("Please confirm your action on request {reference}"),
            Self::ConfirmRevocation { reference, .. } => {
                format!("Please confirm that you want to revoke your opt-out {reference}")
            }
            Self::ClosedUnverified { reference, .. } | Self::CaseClosed { reference, .. } => {
                format!("Your request {reference} has been closed")
            }
            Self::StaffInvite { .. } => "You are invited to the privacy-request portal".to_owned(),
            Self::AmendmentNotice { reference, .. } => format!("Notice of an amended record, reference {reference}"),
            Self::Digest { day, overdue, all_overdue, .. } => {
                let late = overdue.len().max(all_overdue.len());
                if late > 0 {
                    format!("Privacy requests for {day}: {late} overdue")
                } else {
                    format!("Privacy requests for {day}")
                }
            }
            Self::CaseMessage { reference, .. } => format!("A message about your request {reference}"),
            Self::CustomerReplied { reference, news, .. } => match news {
                CustomerNews::Reply => format!("The customer replied on request {reference}"),
                CustomerNews::Documents(_) => format!("The customer sent documents on request {reference}"),
                CustomerNews::Statement => format!("The customer disagrees with the denial of request {reference}"),
                CustomerNews::DisclosureWish => {
                    format!("The customer wants the denial of request {reference} sent with future disclosures")
                }
            },
            Self::Withdrawn { reference, .. } => format!("Your request {reference} is withdrawn"),
            Self::Merged { reference, earlier, .. } => format!("Your request {reference} is joined with {earlier}"),
            Self::Rebuttal { reference, .. } => {
                format!("Our response to your statement of disagreement, request {reference}")
            }
            Self::AwaitingCustomer { reference, .. } => format!("We need information for your request {reference}"),
            Self::Extension { reference, .. } => format!("We need more time for your request {reference}"),
            // The outcome's one name, as the tracking page and the case give it.
            Self::Outcome { reference, outcome, .. } => format!("{}: request {reference}", outcome.label()),
        }
    }
}
