//! Secrets the portal hands out once and keeps only as hashes: tracking and
//! verification links, staff invitations, API tokens. Each is 256 random
//! bits, shown once as part of a link or a token, and stored as a SHA-256
//! hash, so a copy of the database opens nothing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

const BYTES: usize = 32;
const ENCODED_LEN: usize = 43;

/// A freshly issued secret. Its `Debug` hides the value so it never reaches a log.
pub struct Secret(String);

impl Secret {
    pub fn generate() -> Self {
        Self(URL_SAFE_NO_PAD.encode(random_bytes()))
    }

    /// The value to put in the link or hand to its owner.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hash(&self.0)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The stored form of a secret presented in a link, or `None` when it cannot
/// be one of ours (so the database is not even asked).
pub fn lookup_hash(presented: &str) -> Option<String> {
    let plausible = presented.len() == ENCODED_LEN
        && presented.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plausible.then(|| hash(presented))
}

/// 256 random bits as hex, for a secret kept as it is: the per-session
/// form token, which is compared, never looked up.
pub fn random_hex() -> String {
    hex(&random_bytes())
}

/// Lower-case hex, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

fn random_bytes() -> [u8; BYTES] {
    let mut bytes = [0u8; BYTES];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hash_to_what_lookup_expects() {
        let a = Secret::generate();
        let b = Secret::generate();
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
    fn hex_writes_two_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(random_hex().len(), 64);
    }

    #[test]
    fn debug_output_does_not_leak_the_token() {
        let token = Secret::generate();
        assert!(!format!("{token:?}").contains(token.expose()));
    }
}
