//! The request state machine: which step may be taken from which status,
//! for which kind of request, and what each step must record; the steps
//! staff take and the ones the portal takes by itself. Server and pages
//! both ask here; nothing else decides.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::metrics::OutcomeClass;
use super::request::{Choice, ComplaintCategory};
use super::{EventKind, RequestKind, RequestStatus};

mod customer;
mod duplicates;
mod gate;
mod system;

pub use customer::{CustomerAction, CustomerStep, appeal_open, customer_next, disagreement_open};
pub use duplicates::{DuplicateDecision, duplicate_next};
pub use gate::{Gate, Reviewer};
pub use system::{SystemStep, first_status, system_next};

customer_choice! {
    /// The grounds on which HIPAA (45 CFR 164.526(a)(2)) lets an amendment
    /// be denied.
    DenialGround {
        NotCreatedByUs => "not_created_by_us": denial_ground_not_created_by_us,
        NotInRecordSet => "not_in_record_set": denial_ground_not_in_record_set,
        NotOpenToInspection => "not_open_to_inspection": denial_ground_not_open_to_inspection,
        AccurateAndComplete => "accurate_and_complete": denial_ground_accurate_and_complete,
    }
}

choice! {
    /// Why a request was closed without an outcome.
    CloseReason {
        Withdrawn => "withdrawn": "The customer withdrew it",
        Duplicate => "duplicate": "It repeats another request",
        NoResponse => "no_response": "The customer did not send what we needed",
        Unverifiable => "unverifiable": "We could not confirm who asked",
    }
}

/// How a request ended, with what each kind of ending must record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    OptOutApplied {
        effective_on: NaiveDate,
    },
    AmendmentAccepted {
        #[cfg_attr(
            feature = "ssr",
            schema(pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
        )]
        records_changed: String,
    },
    AmendmentPartlyAccepted {
        #[cfg_attr(
            feature = "ssr",
            schema(pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
        )]
        records_changed: String,
        #[cfg_attr(
            feature = "ssr",
            schema(pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
        )]
        reason: String,
    },
    AmendmentDenied {
        ground: DenialGround,
        #[cfg_attr(
            feature = "ssr",
            schema(pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
        )]
        explanation: String,
    },
    ComplaintResolved {
        category: ComplaintCategory,
        #[cfg_attr(
            feature = "ssr",
            schema(pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
        )]
        resolution: String,
    },
    /// The appeal succeeded: what the organisation now does instead.
    AppealGranted {
        #[cfg_attr(
            feature = "ssr",
            schema(pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
        )]
        decision: String,
    },
    /// The refusal stands: why, in plain language. The letter names the
    /// Attorney General the customer may complain to.
    AppealDenied {
        #[cfg_attr(
            feature = "ssr",
            schema(pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
        )]
        explanation: String,
    },
}

impl Outcome {
    pub fn kind(&self) -> RequestKind {
        match self {
            Self::OptOutApplied { .. } => RequestKind::OptOut,
            Self::AmendmentAccepted { .. } | Self::AmendmentPartlyAccepted { .. } | Self::AmendmentDenied { .. } => {
                RequestKind::Amendment
            }
            Self::ComplaintResolved { .. } => RequestKind::Complaint,
            Self::AppealGranted { .. } | Self::AppealDenied { .. } => RequestKind::Appeal,
        }
    }

    /// The status a request ends in with this outcome.
    pub fn status(&self) -> RequestStatus {
        match self {
            Self::AmendmentDenied { .. } | Self::AppealDenied { .. } => RequestStatus::Denied,
            _ => RequestStatus::Completed,
        }
    }

    /// How the outcome is named to staff and to the customer.
    pub fn label(&self) -> &'static str {
        self.class().label()
    }

    /// The class the metrics count it under: what is kept in plain text
    /// beside the sealed outcome, with [`Outcome::category`].
    pub fn class(&self) -> OutcomeClass {
        match self {
            Self::OptOutApplied { .. } => OutcomeClass::OptOutApplied,
            Self::AmendmentAccepted { .. } => OutcomeClass::AmendmentAccepted,
            Self::AmendmentPartlyAccepted { .. } => OutcomeClass::AmendmentPartlyAccepted,
            Self::AmendmentDenied { .. } => OutcomeClass::AmendmentDenied,
            Self::ComplaintResolved { .. } => OutcomeClass::ComplaintResolved,
            Self::AppealGranted { .. } => OutcomeClass::AppealGranted,
            Self::AppealDenied { .. } => OutcomeClass::AppealDenied,
        }
    }

    /// What a resolved complaint was about.
    pub fn category(&self) -> Option<ComplaintCategory> {
        match self {
            Self::ComplaintResolved { category, .. } => Some(*category),
            _ => None,
        }
    }

    /// What a purged request keeps of its outcome: the nature of the
    /// response and the basis of a denial (CCPA 11 CCR 7101(a) asks for
    /// both), without what staff wrote about the person's records.
    pub fn tombstone(self) -> Self {
        match self {
            Self::OptOutApplied { .. } => self,
            Self::AmendmentAccepted { .. } => Self::AmendmentAccepted { records_changed: String::new() },
            Self::AmendmentPartlyAccepted { .. } => {
                Self::AmendmentPartlyAccepted { records_changed: String::new(), reason: String::new() }
            }
            Self::AmendmentDenied { ground, .. } => Self::AmendmentDenied { ground, explanation: String::new() },
            Self::ComplaintResolved { category, .. } => Self::ComplaintResolved { category, resolution: String::new() },
            Self::AppealGranted { .. } => Self::AppealGranted { decision: String::new() },
            Self::AppealDenied { .. } => Self::AppealDenied { explanation: String::new() },
        }
    }
}

/// A step a staff member takes on a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Staff confirmed the requester's identity another way (by phone, say).
    MarkVerified,
    StartWork,
    /// Ask the customer for something; the response clock may pause.
    AskCustomer {
        #[cfg_attr(
            feature = "ssr",
            schema(pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
        )]
        what: String,
    },
    /// The customer answered; work goes on.
    Resume,
    Resolve(Outcome),
    Close {
        reason: CloseReason,
        #[cfg_attr(
            feature = "ssr",
            schema(pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
        )]
        note: String,
    },
}

named_enum! {
    /// The steps, without what they carry: what a page offers as buttons.
    StepKind {
        MarkVerified => "mark_verified",
        StartWork => "start_work",
        AskCustomer => "ask_customer",
        Resume => "resume",
        Resolve => "resolve",
        Close => "close",
    }
}

impl StepKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::MarkVerified => "Mark identity verified",
            Self::StartWork => "Start work",
            Self::AskCustomer => "Ask the customer for information",
            Self::Resume => "Resume work",
            Self::Resolve => "Record the outcome",
            Self::Close => "Close without an outcome",
        }
    }

    /// Whether the step ends the request with a letter to the customer: a
    /// final letter cannot be taken back, so staff see it before it goes.
    pub fn sends_final_letter(self) -> bool {
        matches!(self, Self::Resolve | Self::Close)
    }
}

impl Step {
    /// The history event the step writes.
    pub fn event(&self) -> EventKind {
        match self {
            Self::MarkVerified => EventKind::VerifiedByStaff,
            Self::StartWork => EventKind::WorkStarted,
            Self::AskCustomer { .. } => EventKind::AskedCustomer,
            Self::Resume => EventKind::Resumed,
            Self::Resolve(_) => EventKind::Resolved,
            Self::Close { .. } => EventKind::Closed,
        }
    }

    pub fn kind(&self) -> StepKind {
        match self {
            Self::MarkVerified => StepKind::MarkVerified,
            Self::StartWork => StepKind::StartWork,
            Self::AskCustomer { .. } => StepKind::AskCustomer,
            Self::Resume => StepKind::Resume,
            Self::Resolve(_) => StepKind::Resolve,
            Self::Close { .. } => StepKind::Close,
        }
    }
}

/// Why a step cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum StepError {
    #[error("A request that is “{}” cannot take the step “{}”.", .from.label(), .step.label())]
    NotFromHere { from: RequestStatus, step: StepKind },
    #[error("That outcome belongs to another kind of request.")]
    WrongKind,
    #[error("{0}")]
    Missing(&'static str),
    #[error("Only a request that is still open can be merged into an earlier one that is still open.")]
    NotMergeable,
    #[error("You refused the request this appeal is about, so a colleague must decide the appeal.")]
    OwnRefusal,
    #[error(
        "Verify the agent's authority to act for the customer first: until then no work starts and no outcome is recorded."
    )]
    AgentUnverified,
}

/// The steps an agent's unverified authority holds back.
fn needs_agent_authority(step: StepKind) -> bool {
    matches!(step, StepKind::StartWork | StepKind::Resolve)
}

/// The steps open to a request of `kind` in `status`, in the order a page
/// should offer them; the refuser of an appealed request may work the
/// appeal, but neither decide nor close it.
pub fn available(kind: RequestKind, status: RequestStatus, gate: impl Into<Gate>) -> Vec<StepKind> {
    let Gate { reviewer, agent_unverified } = gate.into();
    use RequestStatus as S;
    use StepKind as K;
    let steps: &[StepKind] = match status {
        S::Unverified => &[K::MarkVerified, K::Close],
        S::Received => &[K::StartWork, K::AskCustomer, K::Resolve, K::Close],
        S::InProgress => &[K::AskCustomer, K::Resolve, K::Close],
        S::AwaitingCustomer => &[K::Resume, K::Resolve, K::Close],
        S::Completed | S::Denied | S::Closed | S::Withdrawn | S::Merged => &[],
    };
    // An opt-out is honoured as soon as practicable; it never waits on the
    // customer, since nothing more may be asked of them.
    steps
        .iter()
        .copied()
        .filter(|step| !(kind == RequestKind::OptOut && *step == K::AskCustomer))
        .filter(|step| !(kind == RequestKind::Appeal && reviewer == Reviewer::Refuser && step.sends_final_letter()))
        .filter(|step| !(agent_unverified && needs_agent_authority(*step)))
        .collect()
}

/// The status after taking `step`, or why it may not be taken.
pub fn next(
    kind: RequestKind,
    status: RequestStatus,
    step: &Step,
    gate: impl Into<Gate>,
) -> Result<RequestStatus, StepError> {
    let gate = gate.into();
    if gate.agent_unverified
        && needs_agent_authority(step.kind())
        && available(kind, status, Reviewer::Other).contains(&step.kind())
    {
        return Err(StepError::AgentUnverified);
    }
    let reviewer = gate.reviewer;
    let own_refusal = kind == RequestKind::Appeal && reviewer == Reviewer::Refuser;
    if own_refusal
        && step.kind().sends_final_letter()
        && available(kind, status, Reviewer::Other).contains(&step.kind())
    {
        return Err(StepError::OwnRefusal);
    }
    if !available(kind, status, gate).contains(&step.kind()) {
        return Err(StepError::NotFromHere { from: status, step: step.kind() });
    }
    match step {
        Step::MarkVerified => Ok(RequestStatus::Received),
        Step::StartWork | Step::Resume => Ok(RequestStatus::InProgress),
        Step::AskCustomer { what } => {
            required(what, "Say what the customer needs to send.")?;
            Ok(RequestStatus::AwaitingCustomer)
        }
        Step::Close { note, .. } => {
            required(note, "Give a short note on why the request is closed.")?;
            Ok(RequestStatus::Closed)
        }
        Step::Resolve(outcome) => {
            if outcome.kind() != kind {
                return Err(StepError::WrongKind);
            }
            match outcome {
                Outcome::OptOutApplied { .. } => {}
                Outcome::AmendmentAccepted { records_changed } => {
                    required(records_changed, RECORDS_CHANGED_MISSING)?;
                }
                Outcome::AmendmentPartlyAccepted { records_changed, reason } => {
                    required(records_changed, RECORDS_CHANGED_MISSING)?;
                    required(reason, "Explain why part of the request was not accepted.")?;
                }
                Outcome::AmendmentDenied { explanation, .. } => {
                    required(explanation, "Explain the denial in plain language.")?;
                }
                Outcome::ComplaintResolved { resolution, .. } => {
                    required(resolution, "Describe how the complaint was resolved.")?;
                }
                Outcome::AppealGranted { decision } => {
                    required(decision, "Say what we now do instead of the refusal.")?;
                }
                Outcome::AppealDenied { explanation } => {
                    required(explanation, "Explain in plain language why the refusal stands.")?;
                }
            }
            Ok(outcome.status())
        }
    }
}

/// What an accepted amendment without its records changed is told; the
/// case page shows it beside that field.
pub const RECORDS_CHANGED_MISSING: &str =
    "List the records that were changed: it is required when an amendment is accepted in whole or in part.";

fn required(text: &str, message: &'static str) -> Result<(), StepError> {
    if text.trim().is_empty() { Err(StepError::Missing(message)) } else { Ok(()) }
}

/// Reads a step from a submitted form's fields (see the case page's status
/// form). `Err` names what is missing or unreadable.
pub fn step_from_form(kind: RequestKind, field: impl Fn(&str) -> Option<String>) -> Result<Step, StepError> {
    let text = |name: &str| field(name).unwrap_or_default().trim().to_owned();
    let step = StepKind::parse(&text("step")).ok_or(StepError::Missing("Choose what to do next."))?;
    Ok(match step {
        StepKind::MarkVerified => Step::MarkVerified,
        StepKind::StartWork => Step::StartWork,
        StepKind::Resume => Step::Resume,
        StepKind::AskCustomer => Step::AskCustomer { what: text("what") },
        StepKind::Close => Step::Close {
            reason: CloseReason::from_key(&text("close_reason"))
                .ok_or(StepError::Missing("Choose why the request is closed."))?,
            note: text("note"),
        },
        StepKind::Resolve => Step::Resolve(match kind {
            RequestKind::OptOut => Outcome::OptOutApplied {
                effective_on: text("effective_on")
                    .parse()
                    .map_err(|_| StepError::Missing("Give the date the opt-out took effect."))?,
            },
            RequestKind::Amendment => match text("outcome").as_str() {
                "accepted" => Outcome::AmendmentAccepted { records_changed: text("records_changed") },
                "partly_accepted" => Outcome::AmendmentPartlyAccepted {
                    records_changed: text("records_changed"),
                    reason: text("reason"),
                },
                "denied" => Outcome::AmendmentDenied {
                    ground: DenialGround::from_key(&text("ground"))
                        .ok_or(StepError::Missing("Choose the ground for the denial."))?,
                    explanation: text("explanation"),
                },
                _ => return Err(StepError::Missing("Choose the outcome of the amendment.")),
            },
            RequestKind::Complaint => Outcome::ComplaintResolved {
                category: ComplaintCategory::from_key(&text("category"))
                    .ok_or(StepError::Missing("Choose what the complaint was about."))?,
                resolution: text("resolution"),
            },
            RequestKind::Appeal => match text("outcome").as_str() {
                "granted" => Outcome::AppealGranted { decision: text("decision") },
                "denied" => Outcome::AppealDenied { explanation: text("explanation") },
                _ => return Err(StepError::Missing("Choose whether the appeal is granted or denied.")),
            },
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequestStatus as S;

    fn resolve(outcome: Outcome) -> Step {
        Step::Resolve(outcome)
    }

    #[test]
    fn a_request_moves_from_receipt_to_an_outcome() {
        let kind = RequestKind::Amendment;
        let mut status = S::Unverified;
        for step in [
            Step::MarkVerified,
            Step::StartWork,
            Step::AskCustomer { what: "A copy of the insurance card".into() },
            Step::Resume,
            resolve(Outcome::AmendmentAccepted { records_changed: "Insurance policy number".into() }),
        ] {
            status = next(kind, status, &step, Reviewer::Other).unwrap();
        }
        assert_eq!(status, S::Completed);
    }

    #[test]
    fn finished_requests_take_no_more_steps() {
        for status in [S::Completed, S::Denied, S::Closed] {
            for kind in RequestKind::ALL {
                assert!(available(*kind, status, Reviewer::Other).is_empty());
                assert_eq!(
                    next(*kind, status, &Step::StartWork, Reviewer::Other),
                    Err(StepError::NotFromHere { from: status, step: StepKind::StartWork })
                );
            }
        }
    }

    #[test]
    fn unverified_requests_must_be_verified_before_work() {
        assert!(next(RequestKind::Complaint, S::Unverified, &Step::StartWork, Reviewer::Other).is_err());
        assert_eq!(next(RequestKind::Complaint, S::Unverified, &Step::MarkVerified, Reviewer::Other), Ok(S::Received));
    }

    #[test]
    fn opt_outs_never_wait_on_the_customer() {
        let ask = Step::AskCustomer { what: "Anything".into() };
        assert!(next(RequestKind::OptOut, S::Received, &ask, Reviewer::Other).is_err());
        assert!(next(RequestKind::Amendment, S::Received, &ask, Reviewer::Other).is_ok());
    }

    #[test]
    fn denials_and_partial_acceptances_need_their_reasons() {
        let kind = RequestKind::Amendment;
        let denied = |explanation: &str| {
            resolve(Outcome::AmendmentDenied {
                ground: DenialGround::AccurateAndComplete,
                explanation: explanation.into(),
            })
        };
        assert!(matches!(next(kind, S::InProgress, &denied("  "), Reviewer::Other), Err(StepError::Missing(_))));
        assert_eq!(
            next(kind, S::InProgress, &denied("Our records match the insurer's."), Reviewer::Other),
            Ok(S::Denied)
        );
        let partly = |reason: &str| {
            resolve(Outcome::AmendmentPartlyAccepted { records_changed: "Phone".into(), reason: reason.into() })
        };
        assert!(next(kind, S::InProgress, &partly(""), Reviewer::Other).is_err());
        assert_eq!(
            next(kind, S::InProgress, &partly("The address was already right."), Reviewer::Other),
            Ok(S::Completed)
        );
    }

    #[test]
    fn the_portal_confirms_or_closes_only_unverified_requests() {
        assert_eq!(first_status(true), S::Unverified);
        assert_eq!(first_status(false), S::Received);
        assert_eq!(system_next(S::Unverified, SystemStep::ConfirmEmail), Some(S::Received));
        assert_eq!(system_next(S::Unverified, SystemStep::CloseUnverified), Some(S::Closed));
        for status in RequestStatus::ALL.iter().copied().filter(|s| *s != S::Unverified) {
            assert_eq!(system_next(status, SystemStep::ConfirmEmail), None);
            assert_eq!(system_next(status, SystemStep::CloseUnverified), None);
        }
    }

    #[test]
    fn an_outcome_must_fit_the_kind_of_request() {
        let applied = resolve(Outcome::OptOutApplied { effective_on: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap() });
        assert_eq!(next(RequestKind::Complaint, S::InProgress, &applied, Reviewer::Other), Err(StepError::WrongKind));
        assert_eq!(next(RequestKind::OptOut, S::Received, &applied, Reviewer::Other), Ok(S::Completed));
    }

    #[test]
    fn the_refuser_works_an_appeal_but_a_colleague_decides_it() {
        let kind = RequestKind::Appeal;
        let granted = resolve(Outcome::AppealGranted { decision: "We will correct the record.".into() });
        let close = Step::Close { reason: CloseReason::Withdrawn, note: "Asked by phone".into() };
        assert_eq!(next(kind, S::InProgress, &granted, Reviewer::Refuser), Err(StepError::OwnRefusal));
        assert_eq!(next(kind, S::InProgress, &close, Reviewer::Refuser), Err(StepError::OwnRefusal));
        assert_eq!(next(kind, S::Received, &Step::StartWork, Reviewer::Refuser), Ok(S::InProgress));
        assert_eq!(next(kind, S::InProgress, &granted, Reviewer::Other), Ok(S::Completed));
        assert!(!available(kind, S::InProgress, Reviewer::Refuser).contains(&StepKind::Resolve));
        let denied = resolve(Outcome::AppealDenied { explanation: "The record is accurate.".into() });
        assert_eq!(next(kind, S::InProgress, &denied, Reviewer::Other), Ok(S::Denied));
        let amendment_denied = resolve(Outcome::AmendmentDenied {
            ground: DenialGround::AccurateAndComplete,
            explanation: "Our records match the insurer's.".into(),
        });
        assert_eq!(
            next(RequestKind::Amendment, S::InProgress, &amendment_denied, Reviewer::Refuser),
            Ok(S::Denied),
            "only an appeal knows a refuser"
        );
        assert_eq!(Reviewer::of(7, Some(7)), Reviewer::Refuser);
        assert_eq!(Reviewer::of(7, None), Reviewer::Other);
    }

    #[test]
    fn an_agent_s_unverified_authority_holds_back_work_and_outcomes() {
        let gate = Gate { reviewer: Reviewer::Other, agent_unverified: true };
        let kind = RequestKind::Complaint;
        assert_eq!(next(kind, S::Received, &Step::StartWork, gate), Err(StepError::AgentUnverified));
        let resolved =
            resolve(Outcome::ComplaintResolved { category: ComplaintCategory::Other, resolution: "Explained".into() });
        assert_eq!(next(kind, S::Received, &resolved, gate), Err(StepError::AgentUnverified));
        let ask = Step::AskCustomer { what: "The signed permission".into() };
        assert_eq!(
            next(kind, S::Received, &ask, gate),
            Ok(S::AwaitingCustomer),
            "asking for the permission is work allowed"
        );
        assert_eq!(available(kind, S::Received, gate), [StepKind::AskCustomer, StepKind::Close]);
        assert_eq!(next(kind, S::Received, &Step::StartWork, Reviewer::Other), Ok(S::InProgress), "once verified");
    }
}
