//! Private tracking tokens: 256 random bits, shown to the customer once as
//! part of a link, and kept only as a SHA-256 hash.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

const BYTES: usize = 32;
const ENCODED_LEN: usize = 43;

/// A freshly issued token. Its `Debug` hides the value so it never reaches a log.
pub struct TrackingToken(String);

impl TrackingToken {
    pub fn generate() -> Self {
        let mut bytes = [0u8; BYTES];
        rand::rng().fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The value to put in the customer's link.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hash(&self.0)
    }
}

impl std::fmt::Debug for TrackingToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TrackingToken(…)")
    }
}

/// The stored form of a token presented in a link, or `None` when it cannot
/// be one of ours (so the database is not even asked).
pub fn lookup_hash(presented: &str) -> Option<String> {
    let plausible = presented.len() == ENCODED_LEN
        && presented.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plausible.then(|| hash(presented))
}

fn hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hash_to_what_lookup_expects() {
        let a = TrackingToken::generate();
        let b = TrackingToken::generate();
        assert_ne!(a.expose(), b.expose());
        assert_eq!(a.expose().len(), ENCODED_LEN);
        assert_eq!(lookup_hash(a.expose()), Some(a.hash()));
        assert_eq!(a.hash().len(), 64);
    }

    #[test]
    fn implausible_tokens_are_not_looked_up() {
        assert_eq!(lookup_hash("short"), None);
        assert_eq!(lookup_hash(&"a".repeat(ENCODED_LEN - 1)), None);
        assert_eq!(lookup_hash(&format!("{}/", "a".repeat(ENCODED_LEN - 1))), None);
    }

    #[test]
    fn debug_output_does_not_leak_the_token() {
        let token = TrackingToken::generate();
        assert!(!format!("{token:?}").contains(token.expose()));
    }
}
