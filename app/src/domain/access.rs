//! Who may do what. Every page, server function and form handler asks
//! [`permits`]; nothing else decides.

use serde::{Deserialize, Serialize};

named_enum! {
    /// A staff member's role. Each role may do everything the one before it may.
    Role {
        Agent => "agent",
        Manager => "manager",
        Admin => "admin",
    }
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Self::Agent => "Agent",
            Self::Manager => "Manager",
            Self::Admin => "Administrator",
        }
    }

    fn rank(self) -> u8 {
        match self {
            Self::Agent => 1,
            Self::Manager => 2,
            Self::Admin => 3,
        }
    }

    fn at_least(self, other: Role) -> bool {
        self.rank() >= other.rank()
    }
}

/// The signed-in staff member behind a request, put there by the server
/// once it has checked the session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// Goes into every staff form, so that a form posted from another site
    /// is refused even by a browser that sends no Origin header.
    pub csrf: String,
}

/// Whoever is asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor<'a> {
    /// Nobody signed in and no tracking link.
    Anonymous,
    /// Whoever presents a request's private tracking link. The link is the
    /// only credential, and it opens that one request: the store finds the
    /// request by it or finds nothing.
    Customer,
    Staff(&'a Viewer),
}

impl<'a> From<Option<&'a Viewer>> for Actor<'a> {
    fn from(viewer: Option<&'a Viewer>) -> Self {
        viewer.map_or(Actor::Anonymous, Actor::Staff)
    }
}

/// Everything the portal lets somebody do that is not open to all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Submit a request through a public form.
    SubmitRequest,
    /// Read a request's tracking page.
    TrackRequest,
    /// Ask, from the tracking page, for a new email-verification link.
    ResendVerification,
    /// Ask for a request's private link to be sent again to its address.
    AskForTrackingLink,
    /// See the request queue.
    ViewQueue,
    /// Open a case with the customer's personal data.
    OpenCase,
    /// Claim, note, message, and move a case along its workflow.
    WorkCase,
    /// Give a case to somebody other than oneself.
    AssignToOthers,
    /// Enter a request received by phone or mail.
    EnterRequest,
    /// See letters that could not be delivered, and send them again.
    ManageMail,
    /// See the metrics dashboard and its exports.
    ViewMetrics,
    /// Invite staff, change their roles, disable them.
    ManageStaff,
    /// Issue and revoke API tokens.
    ManageApiTokens,
    /// See one's own account: the API tokens issued in one's name, by whom.
    ViewOwnAccount,
    /// Put a legal hold on a request, which keeps it from being purged,
    /// and lift it.
    PlaceLegalHold,
    /// Register webhook endpoints, see their deliveries, send one again
    /// and rotate an endpoint's signing secret.
    ManageWebhooks,
    /// Keep the list of business associates told of accepted amendments.
    ManageBusinessAssociates,
    /// Change the wording of the customer letters, and restore an earlier one.
    EditLetters,
    /// Read the opt-out register: search it, open a person's history,
    /// export it, read its change feed.
    ViewOptOutRegister,
    /// Write down a revocation a customer asked for by phone or mail.
    RecordOptOutRevocation,
    /// Revoke, from the tracking page, the opt-out the link opens.
    RevokeOwnOptOut,
    /// Answer, from the tracking page, a message or a question from staff.
    ReplyToOwnRequest,
    /// Withdraw, from the tracking page, a request not yet finished.
    WithdrawOwnRequest,
    /// Answer, from the tracking page, a denial: a statement of
    /// disagreement, or the wish that it go with future disclosures.
    DisagreeWithOwnDenial,
    /// Send, from the tracking page, supporting documents for a request
    /// still open.
    SendDocumentsToOwnRequest,
    /// Appeal, from the tracking page, a request refused in whole or in part.
    AppealOwnRefusal,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Self::SubmitRequest,
        Self::TrackRequest,
        Self::ResendVerification,
        Self::AskForTrackingLink,
        Self::ViewQueue,
        Self::OpenCase,
        Self::WorkCase,
        Self::AssignToOthers,
        Self::EnterRequest,
        Self::ManageMail,
        Self::ViewMetrics,
        Self::ManageStaff,
        Self::ManageApiTokens,
        Self::ViewOwnAccount,
        Self::PlaceLegalHold,
        Self::ManageWebhooks,
        Self::ManageBusinessAssociates,
        Self::EditLetters,
        Self::ViewOptOutRegister,
        Self::RecordOptOutRevocation,
        Self::RevokeOwnOptOut,
        Self::ReplyToOwnRequest,
        Self::WithdrawOwnRequest,
        Self::DisagreeWithOwnDenial,
        Self::SendDocumentsToOwnRequest,
        Self::AppealOwnRefusal,
    ];
}

/// The one rule book.
pub fn permits(actor: Actor<'_>, action: Action) -> bool {
    use Action::*;
    match action {
        // Public forms are for everybody, staff included: they may try one.
        SubmitRequest => true,
        // Anybody may ask; the link only ever goes to the address on file.
        AskForTrackingLink => true,
        TrackRequest
        | ResendVerification
        | RevokeOwnOptOut
        | ReplyToOwnRequest
        | WithdrawOwnRequest
        | DisagreeWithOwnDenial
        | SendDocumentsToOwnRequest
        | AppealOwnRefusal => {
            matches!(actor, Actor::Customer)
        }
        ViewQueue
        | OpenCase
        | WorkCase
        | EnterRequest
        | ManageMail
        | ViewOwnAccount
        | ViewOptOutRegister
        | RecordOptOutRevocation => minimum(actor, Role::Agent),
        // Holds answer to counsel and compliance, whom managers speak for.
        AssignToOthers | ViewMetrics | PlaceLegalHold => minimum(actor, Role::Manager),
        ManageStaff | ManageApiTokens | ManageWebhooks | ManageBusinessAssociates | EditLetters => {
            minimum(actor, Role::Admin)
        }
    }
}

/// Whether `actor` may move a case from `current` to `target` (staff ids;
/// `None` is nobody). Taking an unassigned case and handing one's own back
/// are part of working cases; taking a case from a colleague, or giving one
/// to them, is assigning to others.
pub fn may_assign(actor: Actor<'_>, current: Option<i64>, target: Option<i64>) -> bool {
    let me = match actor {
        Actor::Staff(viewer) => Some(viewer.id),
        Actor::Anonymous | Actor::Customer => None,
    };
    let touches_others = [current, target].into_iter().flatten().any(|id| Some(id) != me);
    permits(actor, if touches_others { Action::AssignToOthers } else { Action::WorkCase })
}

fn minimum(actor: Actor<'_>, role: Role) -> bool {
    matches!(actor, Actor::Staff(viewer) if viewer.role.at_least(role))
}

/// Why a staff action was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AccessError {
    #[error("Please sign in to continue.")]
    SignedOut,
    #[error("Your role does not allow this.")]
    Forbidden,
}

/// `Ok` when the viewer may act; otherwise whether signing in could help.
pub fn require(viewer: Option<&Viewer>, action: Action) -> Result<(), AccessError> {
    match viewer {
        _ if permits(viewer.into(), action) => Ok(()),
        None => Err(AccessError::SignedOut),
        Some(_) => Err(AccessError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(role: Role) -> Viewer {
        Viewer { id: 1, name: "A".into(), email: "a@example.com".into(), role, csrf: String::new() }
    }

    #[test]
    fn higher_roles_may_do_everything_lower_ones_may() {
        for action in Action::ALL {
            let (agent, manager, admin) = (staff(Role::Agent), staff(Role::Manager), staff(Role::Admin));
            if permits(Actor::Staff(&agent), *action) {
                assert!(permits(Actor::Staff(&manager), *action), "{action:?}");
            }
            if permits(Actor::Staff(&manager), *action) {
                assert!(permits(Actor::Staff(&admin), *action), "{action:?}");
            }
        }
    }

    #[test]
    fn a_tracking_link_opens_nothing_of_the_staff_side() {
        for action in Action::ALL {
            let allowed = permits(Actor::Customer, *action);
            let customers = [
                Action::SubmitRequest,
                Action::AskForTrackingLink,
                Action::TrackRequest,
                Action::ResendVerification,
                Action::RevokeOwnOptOut,
                Action::ReplyToOwnRequest,
                Action::WithdrawOwnRequest,
                Action::DisagreeWithOwnDenial,
                Action::SendDocumentsToOwnRequest,
                Action::AppealOwnRefusal,
            ];
            assert_eq!(allowed, customers.contains(action), "{action:?}");
        }
    }

    #[test]
    fn only_a_tracking_link_opens_the_tracking_page_and_its_resend() {
        for action in [
            Action::TrackRequest,
            Action::ResendVerification,
            Action::RevokeOwnOptOut,
            Action::ReplyToOwnRequest,
            Action::WithdrawOwnRequest,
            Action::DisagreeWithOwnDenial,
            Action::AppealOwnRefusal,
        ] {
            assert!(permits(Actor::Customer, action), "{action:?}");
            assert!(!permits(Actor::Anonymous, action), "{action:?}");
            for role in Role::ALL {
                assert!(!permits(Actor::Staff(&staff(*role)), action), "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn agents_take_free_cases_and_hand_back_their_own_but_leave_colleagues_cases_alone() {
        let (agent, manager) = (staff(Role::Agent), staff(Role::Manager));
        let (me, colleague) = (Some(agent.id), Some(agent.id + 1));
        let agent_may = |current, target| may_assign(Actor::Staff(&agent), current, target);
        assert!(agent_may(None, me), "takes an unassigned case");
        assert!(agent_may(me, None), "hands their own back");
        assert!(agent_may(me, me));
        assert!(!agent_may(colleague, me), "takes a colleague's case");
        assert!(!agent_may(colleague, None), "drops a colleague's case");
        assert!(!agent_may(None, colleague), "gives a case to a colleague");
        assert!(!agent_may(me, colleague), "hands their own to a colleague");
        // The manager has the agent's id, so the same moves are theirs to make.
        for (current, target) in [(colleague, me), (colleague, None), (None, colleague), (me, colleague)] {
            assert!(may_assign(Actor::Staff(&manager), current, target), "{current:?} -> {target:?}");
        }
        assert!(!may_assign(Actor::Anonymous, None, None));
        assert!(!may_assign(Actor::Customer, None, None));
    }

    #[test]
    fn signing_in_is_suggested_only_to_the_signed_out() {
        assert_eq!(require(None, Action::ViewQueue), Err(AccessError::SignedOut));
        assert_eq!(require(Some(&staff(Role::Agent)), Action::ManageStaff), Err(AccessError::Forbidden));
        assert_eq!(require(Some(&staff(Role::Admin)), Action::ManageStaff), Ok(()));
    }
}
