//! Staff accounts: who works here, the API tokens they hold, and the rule a
//! new password must meet. Who may do what is `access`'s to say.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Role;

/// A colleague with an account, as staff pages list them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub kind: AccountKind,
}

/// Who an account is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountKind {
    /// A person who has set their password.
    Person,
    /// A person invited who has not yet accepted (set a password).
    Invited,
    /// A system that uses the API: it holds API tokens and nobody signs in
    /// as it.
    Service,
}

impl AccountKind {
    /// What an account with no password is: a system once it holds an API
    /// token, otherwise a person still to accept their invitation.
    pub fn of(has_password: bool, holds_api_token: bool) -> Self {
        match (has_password, holds_api_token) {
            (true, _) => Self::Person,
            (false, true) => Self::Service,
            (false, false) => Self::Invited,
        }
    }
}

impl StaffMember {
    /// Whether cases may be assigned to the account: a colleague's that is
    /// active, never a system's.
    pub fn takes_cases(&self) -> bool {
        self.active && self.kind != AccountKind::Service
    }
}

/// An API token as the administrator's page and its owner's account page
/// list it: never the token itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    pub owner: StaffMember,
    /// Who issued it: a colleague's name, or the command line.
    pub issued_by: String,
    pub created_at: DateTime<Utc>,
    pub created_on: NaiveDate,
    pub expires_at: DateTime<Utc>,
    pub expires_on: NaiveDate,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_on: Option<NaiveDate>,
    pub standing: TokenStanding,
}

named_enum! {
    /// Whether a token still works, and if not, why. A token has `Ended`
    /// when its owner signed out everywhere, was disabled or changed role
    /// after it was issued.
    TokenStanding {
        InForce => "in_force",
        Expired => "expired",
        Revoked => "revoked",
        Ended => "ended",
    }
}

impl TokenStanding {
    pub fn label(self) -> &'static str {
        match self {
            Self::InForce => "In force",
            Self::Expired => "Expired",
            Self::Revoked => "Revoked",
            Self::Ended => "Ended with its owner's sessions",
        }
    }
}

/// How long an API token works, chosen when it is issued: a year at most,
/// so that a forgotten token does not work for ever.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenLifetime(u16);

impl TokenLifetime {
    pub const DEFAULT_DAYS: u16 = 90;
    pub const MAX_DAYS: u16 = 365;

    /// A lifetime of `days` days, from 1 to [`Self::MAX_DAYS`].
    pub fn days(days: u16) -> Result<Self, TokenLifetimeError> {
        if (1..=Self::MAX_DAYS).contains(&days) { Ok(Self(days)) } else { Err(TokenLifetimeError) }
    }

    /// The number of days as typed into the token form; empty means the default.
    pub fn parse(text: &str) -> Result<Self, TokenLifetimeError> {
        match text.trim() {
            "" => Ok(Self::default()),
            days => Self::days(days.parse().map_err(|_| TokenLifetimeError)?),
        }
    }

    pub fn in_days(self) -> u16 {
        self.0
    }
}

/// The number of days, as the command line shows its default.
impl std::fmt::Display for TokenLifetime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Default for TokenLifetime {
    fn default() -> Self {
        Self(Self::DEFAULT_DAYS)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Choose how many days the token works: from 1 to {max}.", max = TokenLifetime::MAX_DAYS)]
pub struct TokenLifetimeError;

/// A newly issued API token, shown on the page that issued it and nowhere
/// else.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken(pub String);

/// The shortest staff password accepted. Length beats composition rules.
pub const PASSWORD_MIN_LENGTH: usize = 12;
/// Long enough for any passphrase, short enough that hashing stays cheap.
pub const PASSWORD_MAX_LENGTH: usize = 256;

/// What the page choosing a password says of the rule above.
pub const PASSWORD_HINT: &str = "At least 12 characters. A few unrelated words are easy to remember and hard to guess.";

/// Why a new staff password is refused.
pub fn password_weakness(password: &str) -> Option<String> {
    let length = password.chars().count();
    if length < PASSWORD_MIN_LENGTH {
        Some(format!("Use at least {PASSWORD_MIN_LENGTH} characters."))
    } else if length > PASSWORD_MAX_LENGTH {
        Some(format!("Use at most {PASSWORD_MAX_LENGTH} characters."))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_works_for_a_year_at_most() {
        assert_eq!(TokenLifetime::parse("").map(TokenLifetime::in_days), Ok(TokenLifetime::DEFAULT_DAYS));
        assert_eq!(TokenLifetime::parse(" 30 ").map(TokenLifetime::in_days), Ok(30));
        assert_eq!(TokenLifetime::parse("365").map(TokenLifetime::in_days), Ok(365));
        for refused in ["0", "366", "-1", "ninety", "1e3", "100000"] {
            assert_eq!(TokenLifetime::parse(refused), Err(TokenLifetimeError), "{refused}");
        }
        assert!(TokenLifetimeError.to_string().contains(&TokenLifetime::MAX_DAYS.to_string()));
    }

    #[test]
    fn the_password_hint_states_the_rule() {
        assert!(PASSWORD_HINT.starts_with(&format!("At least {PASSWORD_MIN_LENGTH} characters.")));
        assert_eq!(password_weakness(&"x".repeat(PASSWORD_MIN_LENGTH - 1)), Some("Use at least 12 characters.".into()));
        assert_eq!(password_weakness(&"x".repeat(PASSWORD_MIN_LENGTH)), None);
    }
}
