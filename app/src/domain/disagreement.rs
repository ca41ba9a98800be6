//! What follows a denial (45 CFR 164.526(d); 11 CCR 7023(f)(3)): the
//! customer's statement of disagreement, or instead their wish that the
//! request and the denial go with any future disclosure, and staff's
//! rebuttal. All of it is history events of the request; this reads them
//! once for the tracking page, the case page and the case's export alike.

use serde::{Deserialize, Serialize};

use super::clock::StatementLimit;
use super::request::Choice;
use super::workflow::{self, CustomerStep, Outcome};
use super::{EventKind, ReferenceCode, RequestDetails, RequestKind, RequestStatus};

/// Where a denied request stands with what may follow the denial.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disagreement {
    pub statement: Option<String>,
    /// The customer asked that the request and the denial go with any
    /// future disclosure of the information.
    pub with_disclosures: bool,
    pub rebuttal: Option<String>,
    /// How long a statement may be under the rules in force.
    pub limit: Option<StatementLimit>,
}

impl Disagreement {
    /// What the history of a request of `kind` in `status` says of its
    /// denial; `None` for a request that is no denied amendment (a denied
    /// appeal is answered by the Attorney General, not by a statement).
    pub fn of<'a>(
        kind: RequestKind,
        status: RequestStatus,
        history: impl IntoIterator<Item = (EventKind, Option<&'a str>)>,
        limit: Option<StatementLimit>,
    ) -> Option<Self> {
        if kind != RequestKind::Amendment || status != RequestStatus::Denied {
            return None;
        }
        let mut found = Self { limit, ..Self::default() };
        for (kind, body) in history {
            match kind {
                EventKind::DisagreementStated => found.statement = body.map(str::to_owned),
                EventKind::DenialWithDisclosures => found.with_disclosures = true,
                EventKind::Rebutted => found.rebuttal = body.map(str::to_owned),
                _ => {}
            }
        }
        Some(found)
    }

    /// Whether the customer may still take `step`: the workflow decides.
    pub fn open_to(&self, step: CustomerStep) -> bool {
        workflow::disagreement_open(step, self.statement.is_some(), self.with_disclosures)
    }

    /// Whether staff may write a rebuttal: once, to a statement.
    pub fn may_rebut(&self) -> bool {
        self.statement.is_some() && self.rebuttal.is_none()
    }

    /// Whether the denial goes with any future disclosure of the
    /// information: always with a statement (164.526(d)(5)(i)), otherwise
    /// only when the customer asked for it ((d)(5)(ii)).
    pub fn goes_with_disclosures(&self) -> bool {
        self.statement.is_some() || self.with_disclosures
    }
}

/// What goes with a disclosure of the information a denied amendment was
/// about, as plain text: the request, the denial, and the statement with
/// any rebuttal (45 CFR 164.526(d)(4), (5)). `None` when nothing need go.
pub fn disclosure_record(
    reference: &ReferenceCode,
    details: &RequestDetails,
    outcome: &Outcome,
    disagreement: &Disagreement,
) -> Option<String> {
    let (
        RequestDetails::Amendment { category, current_information, corrected_information, reason, .. },
        Outcome::AmendmentDenied { ground, explanation },
    ) = (details, outcome)
    else {
        return None;
    };
    if !disagreement.goes_with_disclosures() {
        return None;
    }
    let mut parts = vec![
        format!("Request for amendment {reference}"),
        format!(
            "Information: {}\nWhat it said: {current_information}\nWhat the individual asked it to say: {corrected_information}\nWhy: {reason}",
            category.label()
        ),
        format!("Our denial\nGround: {}\n{explanation}", ground.label()),
    ];
    if let Some(statement) = &disagreement.statement {
        parts.push(format!("The individual's statement of disagreement\n{statement}"));
    }
    if let Some(rebuttal) = &disagreement.rebuttal {
        parts.push(format!("Our rebuttal\n{rebuttal}"));
    }
    Some(parts.join("\n\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_denial_has_one_and_the_history_fills_it() {
        assert_eq!(Disagreement::of(RequestKind::Amendment, RequestStatus::Completed, [], None), None);
        let history = [
            (EventKind::Resolved, Some("Denied")),
            (EventKind::DisagreementStated, Some("The record is wrong.")),
            (EventKind::Rebutted, Some("We checked with the insurer.")),
        ];
        let found = Disagreement::of(RequestKind::Amendment, RequestStatus::Denied, history, None).expect("a denial");
        assert_eq!(found.statement.as_deref(), Some("The record is wrong."));
        assert_eq!(found.rebuttal.as_deref(), Some("We checked with the insurer."));
        assert!(!found.open_to(CustomerStep::StateDisagreement) && !found.may_rebut());
        let fresh = Disagreement::of(RequestKind::Amendment, RequestStatus::Denied, [], None).expect("a denial");
        assert!(
            fresh.open_to(CustomerStep::StateDisagreement) && fresh.open_to(CustomerStep::AskDenialWithDisclosures)
        );
        assert!(!fresh.may_rebut(), "nothing to rebut yet");
    }
}
