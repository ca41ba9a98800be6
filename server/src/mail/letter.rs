//! Every letter the portal sends, with what each must carry, its
//! template's name and its subject line. Composing them is `letters.rs`.

use app::domain::workflow::{CloseReason, Outcome};
use app::domain::{Language, ReferenceCode, RequestKind};
use app::text::letters;

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
        reason: CloseReason,
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

    /// The subject line, in `lang` for a customer's letter (staff letters
    /// and the notice to those named are English).
    pub(super) fn subject(&self, lang: Language) -> String {
        let reference = |reference: &ReferenceCode| reference.as_str().to_owned();
        match self {
            Self::Receipt { reference: r, kind, .. } => {
                letters::subject_receipt(lang, &reference(r), kind.label_in(lang))
            }
            Self::Verification { reference: r, .. } => letters::subject_verification(lang, &reference(r)),
            Self::TrackingLink { reference: r, .. } => letters::subject_tracking_link(lang, &reference(r)),
            Self::ConfirmAction { reference: r, .. } => letters::subject_confirm_action(lang, &reference(r)),
            Self::ConfirmRevocation { reference: r, .. } => letters::subject_confirm_revocation(lang, &reference(r)),
            Self::ClosedUnverified { reference: r, .. } | Self::CaseClosed { reference: r, .. } => {
                letters::subject_closed(lang, &reference(r))
            }
            Self::CaseMessage { reference: r, .. } => letters::subject_case_message(lang, &reference(r)),
            Self::Withdrawn { reference: r, .. } => letters::subject_withdrawn(lang, &reference(r)),
            Self::Merged { reference: r, earlier, .. } => {
                letters::subject_merged(lang, &reference(r), &reference(earlier))
            }
            Self::Rebuttal { reference: r, .. } => letters::subject_rebuttal(lang, &reference(r)),
            Self::AwaitingCustomer { reference: r, .. } => letters::subject_awaiting_customer(lang, &reference(r)),
            Self::Extension { reference: r, .. } => letters::subject_extension(lang, &reference(r)),
            Self::Outcome { reference: r, outcome, .. } => {
                letters::subject_outcome(lang, outcome_name(outcome, lang), &reference(r))
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
            Self::CustomerReplied { reference, news, .. } => match news {
                CustomerNews::Reply => format!("The customer replied on request {reference}"),
                CustomerNews::Documents(_) => format!("The customer sent documents on request {reference}"),
                CustomerNews::Statement => format!("The customer disagrees with the denial of request {reference}"),
                CustomerNews::DisclosureWish => {
                    format!("The customer wants the denial of request {reference} sent with future disclosures")
                }
            },
        }
    }
}

/// The outcome's one name, as its letter's subject gives it (in English,
/// the name the tracking page and the case give it).
fn outcome_name(outcome: &Outcome, lang: Language) -> &'static str {
    match outcome {
        Outcome::OptOutApplied { .. } => letters::outcome_opt_out_applied(lang),
        Outcome::AmendmentAccepted { .. } => letters::outcome_amendment_accepted(lang),
        Outcome::AmendmentPartlyAccepted { .. } => letters::outcome_amendment_partly_accepted(lang),
        Outcome::AmendmentDenied { .. } => letters::outcome_amendment_denied(lang),
        Outcome::ComplaintResolved { .. } => letters::outcome_complaint_resolved(lang),
        Outcome::AppealGranted { .. } => letters::outcome_appeal_granted(lang),
        Outcome::AppealDenied { .. } => letters::outcome_appeal_denied(lang),
    }
}

/// Why a request was closed, as its letter tells the customer.
pub(super) fn close_reason(reason: CloseReason, lang: Language) -> &'static str {
    match reason {
        CloseReason::Withdrawn => letters::closed_withdrawn(lang),
        CloseReason::Duplicate => letters::closed_duplicate(lang),
        CloseReason::NoResponse => letters::closed_no_response(lang),
        CloseReason::Unverifiable => letters::closed_unverifiable(lang),
    }
}
