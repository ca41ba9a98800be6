//! The steps a customer takes on their own request from the tracking page,
//! with no staff member, and what each may be taken from.

use serde::{Deserialize, Serialize};

use crate::domain::clock::Regime;
use crate::domain::metrics::OutcomeClass;
use crate::domain::{EventKind, Language, RequestStatus};

/// A step the customer takes from their tracking page, with no staff
/// member: like the portal's own steps, it is decided here and nowhere else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomerStep {
    /// The customer answered a message or a request for information.
    Reply,
    /// The customer withdrew a request that is not yet finished.
    Withdraw,
    /// After a denial, the customer's written statement of disagreement
    /// (45 CFR 164.526(d)(1)(iii), (d)(2); 11 CCR 7023(f)(3)).
    StateDisagreement,
    /// After a denial and instead of a statement, the customer asks that
    /// the request and the denial go with any future disclosure
    /// (45 CFR 164.526(d)(1)(iv)).
    AskDenialWithDisclosures,
    /// The customer appeals a refusal, in whole or in part: a new case,
    /// linked to this one.
    Appeal,
    /// The customer sent supporting documents.
    SendDocuments,
}

impl CustomerStep {
    /// The history event the step writes.
    pub fn event(self) -> EventKind {
        match self {
            Self::Reply => EventKind::CustomerReplied,
            Self::Withdraw => EventKind::Withdrawn,
            Self::StateDisagreement => EventKind::DisagreementStated,
            Self::AskDenialWithDisclosures => EventKind::DenialWithDisclosures,
            Self::Appeal => EventKind::Appealed,
            Self::SendDocuments => EventKind::DocumentsSent,
        }
    }
}

impl CustomerStep {
    /// The stable name a confirmation link keeps for the step it waits on.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reply => "reply",
            Self::Withdraw => "withdraw",
            Self::StateDisagreement => "state_disagreement",
            Self::AskDenialWithDisclosures => "denial_with_disclosures",
            Self::Appeal => "appeal",
            Self::SendDocuments => "documents",
        }
    }
}

/// A customer's step with what they typed: what an emailed confirmation
/// link keeps (sealed) until it is followed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CustomerAction {
    Reply {
        message: String,
    },
    Withdraw {
        reason: Option<String>,
    },
    StateDisagreement {
        statement: String,
    },
    AskDenialWithDisclosures,
    Appeal {
        state: Option<Regime>,
        grounds: String,
    },
    /// Documents already checked and kept sealed, unseen, by their ids,
    /// until the customer confirms.
    SendDocuments {
        held: Vec<String>,
    },
}

impl CustomerAction {
    pub fn step(&self) -> CustomerStep {
        match self {
            Self::Reply { .. } => CustomerStep::Reply,
            Self::Withdraw { .. } => CustomerStep::Withdraw,
            Self::StateDisagreement { .. } => CustomerStep::StateDisagreement,
            Self::AskDenialWithDisclosures => CustomerStep::AskDenialWithDisclosures,
            Self::Appeal { .. } => CustomerStep::Appeal,
            Self::SendDocuments { .. } => CustomerStep::SendDocuments,
        }
    }

    /// What the confirmation letter asks the customer to confirm.
    pub fn to_confirm(&self, lang: Language) -> &'static str {
        use crate::text::letters;
        match self {
            Self::Reply { .. } => letters::confirm_reply(lang),
            Self::Withdraw { .. } => letters::confirm_withdraw(lang),
            Self::StateDisagreement { .. } => letters::confirm_statement(lang),
            Self::AskDenialWithDisclosures => letters::confirm_disclosures(lang),
            Self::Appeal { .. } => letters::confirm_appeal(lang),
            Self::SendDocuments { .. } => letters::confirm_documents(lang),
        }
    }
}

/// The status after the customer's own `step`, or `None` when it may not be
/// taken from `status`. A reply to a request for information ends the wait
/// on the customer, so work goes on; a reply at any other time leaves the
/// status alone. Before the address is confirmed nothing is open to reply
/// to, and a finished request takes no more steps. Any request not yet
/// finished may be withdrawn; an applied opt-out is finished, and is
/// revoked through the opt-out register instead.
pub fn customer_next(status: RequestStatus, step: CustomerStep) -> Option<RequestStatus> {
    use RequestStatus as S;
    match (step, status) {
        (CustomerStep::Reply, S::AwaitingCustomer) => Some(S::InProgress),
        (CustomerStep::Reply, S::Received | S::InProgress) => Some(status),
        (CustomerStep::Reply, S::Unverified | S::Completed | S::Denied | S::Closed | S::Withdrawn | S::Merged) => None,
        (CustomerStep::Withdraw, status) if status.is_open() => Some(S::Withdrawn),
        (CustomerStep::Withdraw, _) => None,
        (CustomerStep::StateDisagreement | CustomerStep::AskDenialWithDisclosures, S::Denied) => Some(S::Denied),
        (CustomerStep::StateDisagreement | CustomerStep::AskDenialWithDisclosures, _) => None,
        (CustomerStep::Appeal, S::Denied | S::Completed) => Some(status),
        (CustomerStep::Appeal, _) => None,
        // Documents are what staff most often ask for: sent while the
        // request waits on the customer, they end the wait as a reply does.
        (CustomerStep::SendDocuments, S::AwaitingCustomer) => Some(S::InProgress),
        (CustomerStep::SendDocuments, status) if status.is_open() => Some(status),
        (CustomerStep::SendDocuments, _) => None,
    }
}

/// Whether a finished request with the outcome `class` may be appealed: a
/// refusal in whole or in part, where a law in force sets an appeal's clock
/// (`offered`). An appeal's own decision is final here; what follows it is
/// the Attorney General. A request is appealed once: the store's unique
/// link from appeal to request keeps it so.
pub fn appeal_open(class: Option<OutcomeClass>, offered: bool) -> bool {
    matches!(class, Some(OutcomeClass::AmendmentDenied | OutcomeClass::AmendmentPartlyAccepted)) && offered
}

/// Which of the two answers to a denial the customer may still give, from
/// what they gave already: one statement of disagreement; the request to
/// have the denial go with future disclosures only while there is no
/// statement, since the statement goes with them instead (164.526(d)(5)).
pub fn disagreement_open(step: CustomerStep, stated: bool, asked_with_disclosures: bool) -> bool {
    match step {
        CustomerStep::StateDisagreement => !stated,
        CustomerStep::AskDenialWithDisclosures => !stated && !asked_with_disclosures,
        CustomerStep::Reply | CustomerStep::Withdraw | CustomerStep::Appeal | CustomerStep::SendDocuments => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RequestKind;
    use crate::domain::workflow::available;

    use RequestStatus as S;

    #[test]
    fn a_reply_ends_the_wait_on_the_customer_and_only_an_open_request_takes_one() {
        assert_eq!(customer_next(S::AwaitingCustomer, CustomerStep::Reply), Some(S::InProgress));
        assert_eq!(customer_next(S::InProgress, CustomerStep::Reply), Some(S::InProgress));
        assert_eq!(customer_next(S::Received, CustomerStep::Reply), Some(S::Received));
        for status in [S::Unverified, S::Completed, S::Denied, S::Closed, S::Withdrawn] {
            assert_eq!(customer_next(status, CustomerStep::Reply), None);
        }
    }

    #[test]
    fn only_an_unfinished_request_may_be_withdrawn_and_withdrawn_is_final() {
        for status in RequestStatus::ALL.iter().copied() {
            let withdrawn = customer_next(status, CustomerStep::Withdraw);
            assert_eq!(withdrawn, status.is_open().then_some(S::Withdrawn), "{status:?}");
        }
        assert!(!S::Withdrawn.is_open());
        for kind in RequestKind::ALL {
            assert!(
                available(*kind, S::Withdrawn, crate::domain::workflow::Reviewer::Other).is_empty(),
                "staff take no step from a withdrawn request"
            );
        }
    }

    #[test]
    fn only_a_denial_is_disagreed_with_once_and_the_statement_goes_instead_of_the_request() {
        for step in [CustomerStep::StateDisagreement, CustomerStep::AskDenialWithDisclosures] {
            for status in RequestStatus::ALL.iter().copied() {
                let expected = (status == S::Denied).then_some(S::Denied);
                assert_eq!(customer_next(status, step), expected, "{status:?}");
            }
        }
        assert!(disagreement_open(CustomerStep::StateDisagreement, false, true), "a statement may follow the request");
        assert!(!disagreement_open(CustomerStep::StateDisagreement, true, false), "one statement");
        assert!(!disagreement_open(CustomerStep::AskDenialWithDisclosures, true, false));
        assert!(!disagreement_open(CustomerStep::AskDenialWithDisclosures, false, true));
    }

    #[test]
    fn only_a_refusal_is_appealed_where_a_law_gives_an_appeal() {
        use OutcomeClass as C;
        assert!(appeal_open(Some(C::AmendmentDenied), true));
        assert!(appeal_open(Some(C::AmendmentPartlyAccepted), true));
        assert!(!appeal_open(Some(C::AmendmentDenied), false), "no law, no appeal");
        for class in [C::AmendmentAccepted, C::OptOutApplied, C::ComplaintResolved, C::AppealDenied, C::Withdrawn] {
            assert!(!appeal_open(Some(class), true), "{class:?}");
        }
        assert_eq!(customer_next(S::Denied, CustomerStep::Appeal), Some(S::Denied));
        assert_eq!(customer_next(S::InProgress, CustomerStep::Appeal), None);
    }

    #[test]
    fn documents_end_a_wait_and_only_an_open_request_takes_them() {
        assert_eq!(customer_next(S::AwaitingCustomer, CustomerStep::SendDocuments), Some(S::InProgress));
        assert_eq!(customer_next(S::Unverified, CustomerStep::SendDocuments), Some(S::Unverified));
        for status in [S::Completed, S::Denied, S::Closed, S::Withdrawn, S::Merged] {
            assert_eq!(customer_next(status, CustomerStep::SendDocuments), None, "{status:?}");
        }
    }
}
