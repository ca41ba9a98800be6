//! Password hashing with Argon2id, off the async threads: one hash takes
//! tens of milliseconds of CPU by design.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};

pub use app::domain::accounts::password_weakness as weakness;

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
        let stored = stored.unwrap_or_else(|| DECOY.clone());
        PasswordHash::new(&stored)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// The hash of a password nobody knows, made once with the same parameters
/// as real ones so that checking it costs the same.
static DECOY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(b"no account has this password", &salt).map(|h| h.to_string()).unwrap_or_default()
});

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
}
