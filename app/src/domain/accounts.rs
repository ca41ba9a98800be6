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
}

/// An API token as the administrator's page lists it: never the token itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    pub owner: StaffMember,
    pub created_at: DateTime<Utc>,
    pub created_on: NaiveDate,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_on: Option<NaiveDate>,
}

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
    fn the_password_hint_states_the_rule() {
        assert!(PASSWORD_HINT.starts_with(&format!("At least {PASSWORD_MIN_LENGTH} characters.")));
        assert_eq!(password_weakness(&"x".repeat(PASSWORD_MIN_LENGTH - 1)), Some("Use at least 12 characters.".into()));
        assert_eq!(password_weakness(&"x".repeat(PASSWORD_MIN_LENGTH)), None);
    }
}
