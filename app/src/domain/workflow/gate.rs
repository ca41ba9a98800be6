//! Who takes a step and on what authority, besides a request's kind and
//! status: what the state machine asks before it opens a step.

/// Who takes a step, as far as the state machine must know: an appeal is
/// decided by someone other than the person who refused the request it
/// appeals (Va. Code 59.1-577(C) and its peers ask for a real review).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reviewer {
    /// Anyone else, and every step of a request that is no appeal.
    Other,
    /// The staff member who recorded the refusal being appealed.
    Refuser,
}

impl Reviewer {
    /// Whether `actor` is the one who refused, from the refusal's author.
    pub fn of(actor: i64, refused_by: Option<i64>) -> Self {
        if refused_by == Some(actor) { Self::Refuser } else { Self::Other }
    }
}

/// What besides kind and status decides which steps are open: who takes
/// them, and whether an agent's authority to act is still unverified, in
/// which case no work starts and no outcome is recorded (11 CCR 7063).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gate {
    pub reviewer: Reviewer,
    pub agent_unverified: bool,
}

impl From<Reviewer> for Gate {
    fn from(reviewer: Reviewer) -> Self {
        Self { reviewer, agent_unverified: false }
    }
}
