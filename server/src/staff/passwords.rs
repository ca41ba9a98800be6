//! Password hashing with Argon2id, off the async threads: one hash takes
//! tens of milliseconds of CPU by design.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::Argon2;

/// The shortest password accepted. Length beats composition rules.
pub const MIN_LENGTH: usize = 12;
/// Long enough for any passphrase, short enough that hashing stays cheap.
pub const MAX_LENGTH: usize = 256;

/// Why a new password is refused.
pub fn weakness(password: &str) -> Option<String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        Some(format!("Use at least {MIN_LENGTH} characters."))
    } else if length > MAX_LENGTH {
        Some(format!("Use at most {MAX_LENGTH} characters."))
    } else {
        None
    }
}

pub async fn hash(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Checks `password` against a stored hash. Without one (an unknown
/// address) it still spends the same effort, so timing does not tell which
/// addresses have accounts.
pub async fn matches(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DECOY.to_owned());
        PasswordHash::new(&stored).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// The hash of a password nobody knows, with the default parameters.
const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Nlyf3l9Ia5pq5dUCBc2ZrYpLIWtQfdnyaevcjyBpG1A";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_matches_its_own_hash_only() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(matches("correct horse battery".into(), Some(stored.clone())).await);
        assert!(!matches("correct horse battery!".into(), Some(stored)).await);
        assert!(!matches("anything at all".into(), None).await);
    }

    #[test]
    fn short_passwords_are_refused_with_a_reason() {
        assert_eq!(weakness("short"), Some("Use at least 12 characters.".into()));
        assert_eq!(weakness("twelve chars"), None);
    }
}
