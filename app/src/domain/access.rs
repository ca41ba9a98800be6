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
    /// Someone holding a request's private tracking link.
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
    /// Read a request's tracking page, or ask for a new verification email.
    TrackRequest,
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
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Self::SubmitRequest,
        Self::TrackRequest,
        Self::ViewQueue,
        Self::OpenCase,
        Self::WorkCase,
        Self::AssignToOthers,
        Self::EnterRequest,
        Self::ManageMail,
        Self::ViewMetrics,
        Self::ManageStaff,
        Self::ManageApiTokens,
    ];
}

/// The one rule book.
pub fn permits(actor: Actor<'_>, action: Action) -> bool {
    use Action::*;
    match action {
        // Public forms are for everybody, staff included: they may try one.
        SubmitRequest => true,
        TrackRequest => matches!(actor, Actor::Customer),
        ViewQueue | OpenCase | WorkCase | EnterRequest | ManageMail => minimum(actor, Role::Agent),
        AssignToOthers | ViewMetrics => minimum(actor, Role::Manager),
        ManageStaff | ManageApiTokens => minimum(actor, Role::Admin),
    }
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
            assert_eq!(allowed, matches!(action, Action::SubmitRequest | Action::TrackRequest), "{action:?}");
        }
    }

    #[test]
    fn signing_in_is_suggested_only_to_the_signed_out() {
        assert_eq!(require(None, Action::ViewQueue), Err(AccessError::SignedOut));
        assert_eq!(require(Some(&staff(Role::Agent)), Action::ManageStaff), Err(AccessError::Forbidden));
        assert_eq!(require(Some(&staff(Role::Admin)), Action::ManageStaff), Ok(()));
    }
}
