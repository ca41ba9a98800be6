//! What staff decide about a likely duplicate, and the status it leaves:
//! like every transition, decided in the workflow and nowhere else.

use serde::{Deserialize, Serialize};

use super::StepError;
use crate::domain::{EventKind, RequestStatus};

/// What staff decide about a request marked as the likely duplicate of an
/// earlier open one of the same kind from the same person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum DuplicateDecision {
    /// Fold it into the earlier request: the timelines join, the earlier
    /// clock wins, and this one ends merged.
    Merge,
    /// Not a duplicate after all: the mark goes and nothing else changes.
    KeepSeparate,
}

impl DuplicateDecision {
    /// The stable name the case page's form sends.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Merge => "merge",
            Self::KeepSeparate => "keep_separate",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Merge, Self::KeepSeparate].into_iter().find(|decision| decision.as_str() == text)
    }

    /// The history event the decision writes on the marked request.
    pub fn event(self) -> EventKind {
        match self {
            Self::Merge => EventKind::MergedInto,
            Self::KeepSeparate => EventKind::KeptSeparate,
        }
    }
}

/// The status of a marked request after `decision`, with the earlier
/// request in `earlier`. Merging needs both still open: a finished request
/// has no clock left to win, and a finished duplicate has nothing to fold
/// in. Keeping separate changes no status, so it is open to any.
pub fn duplicate_next(
    duplicate: RequestStatus,
    earlier: RequestStatus,
    decision: DuplicateDecision,
) -> Result<RequestStatus, StepError> {
    match decision {
        DuplicateDecision::KeepSeparate => Ok(duplicate),
        DuplicateDecision::Merge if duplicate.is_open() && earlier.is_open() => Ok(RequestStatus::Merged),
        DuplicateDecision::Merge => Err(StepError::NotMergeable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RequestKind;
    use crate::domain::workflow::{Reviewer, available};

    use RequestStatus as S;

    #[test]
    fn a_duplicate_decision_has_one_name_in_forms_and_in_the_api() {
        for decision in [DuplicateDecision::Merge, DuplicateDecision::KeepSeparate] {
            assert_eq!(serde_json::to_string(&decision).unwrap(), format!("\"{}\"", decision.as_str()));
            assert_eq!(DuplicateDecision::parse(decision.as_str()), Some(decision));
        }
    }

    #[test]
    fn only_two_open_requests_merge_and_keeping_separate_changes_nothing() {
        use DuplicateDecision::{KeepSeparate, Merge};
        assert_eq!(duplicate_next(S::Received, S::InProgress, Merge), Ok(S::Merged));
        assert_eq!(duplicate_next(S::Unverified, S::AwaitingCustomer, Merge), Ok(S::Merged));
        assert_eq!(duplicate_next(S::Received, S::Completed, Merge), Err(StepError::NotMergeable));
        assert_eq!(duplicate_next(S::Closed, S::Received, Merge), Err(StepError::NotMergeable));
        assert_eq!(duplicate_next(S::InProgress, S::Completed, KeepSeparate), Ok(S::InProgress));
        assert!(!S::Merged.is_open());
        for kind in RequestKind::ALL {
            assert!(available(*kind, S::Merged, Reviewer::Other).is_empty(), "a merged request takes no more steps");
        }
    }
}
