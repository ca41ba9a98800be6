//! Encryption at rest: the one place that holds the keys, seals and opens
//! personal fields, and computes the blind indexes that equality lookups use
//! instead of plain text.
//!
//! A sealed value is self-describing text, `v1.<key id>.<nonce>.<ciphertext>`
//! (XChaCha20-Poly1305, base64url), so a reader knows which data key opens
//! it and rows under old and new keys can sit side by side while keys are
//! rotated. The associated data names the table, column and row it belongs
//! to, so a value copied into another row, or another column, fails to open.
//! An empty stored value is empty text, not a ciphertext: purge blanks a
//! field by writing "" or NULL, and that reads back as nothing.

pub mod keys;
pub mod rotate;
pub mod rows;
mod sealed;

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::secret::hex;
pub use keys::{KeyEncryptionKey, KeySource, KeysError, open_vault};
pub use sealed::Sealed;

const VERSION: &str = "v1";
const NONCE_BYTES: usize = 24;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("a sealed value is not in the v1 format")]
    Malformed,
    #[error("a sealed value names data key {0}, which this instance does not hold")]
    UnknownKey(u32),
    /// Wrong key, wrong row, or altered: the cipher cannot tell which.
    #[error("a sealed value does not open: it was altered or belongs to another row")]
    Rejected,
    #[error("a value cannot be sealed")]
    Seal,
}

/// A value that cannot be sealed or opened is, to the storage layer, a
/// database that cannot be read or written as it must be.
impl From<VaultError> for sea_orm::DbErr {
    fn from(error: VaultError) -> Self {
        Self::Custom(error.to_string())
    }
}

/// Where a sealed value belongs: its table, column and row.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    pub table: &'static str,
    pub column: &'static str,
    /// What identifies the row before and after it is written: a request's
    /// reference, an event's request id, a letter's Message-ID.
    pub row: &'a str,
}

impl Place<'_> {
    fn associated_data(&self) -> Vec<u8> {
        format!("{}\0{}\0{}", self.table, self.column, self.row).into_bytes()
    }
}

/// What a blind index is of. Each gets its own input domain, so equal text
/// in two kinds never gives equal indexes.
#[derive(Clone, Copy, Debug)]
pub enum Blind {
    /// A requester's email address, trimmed and lower-cased.
    Email,
    /// An account number, letters and digits only, upper-cased.
    Account,
    /// One word of a name, lower-cased.
    NameWord,
    /// A mailbox for the letter cap (`mail::allowance` normalises it).
    Mailbox,
    /// Personal text that the audit log refers to without keeping it.
    Audit,
}

impl Blind {
    fn domain(self) -> &'static [u8] {
        match self {
            Self::Email => b"email",
            Self::Account => b"account",
            Self::NameWord => b"name-word",
            Self::Mailbox => b"mailbox",
            Self::Audit => b"audit",
        }
    }
}

/// The data keys by id, and which one new values are sealed with.
struct DataKeys {
    by_id: HashMap<u32, XChaCha20Poly1305>,
    current: u32,
}

/// Cheap to clone: every clone shares the keys, so a refresh after a
/// rotation reaches every part of the portal at once.
#[derive(Clone)]
pub struct Vault {
    data: Arc<RwLock<DataKeys>>,
    /// Keyed once; cloned for each index, so no key is derived per field.
    index: Hmac<Sha256>,
}

impl Vault {
    fn new(data: HashMap<u32, XChaCha20Poly1305>, current: u32, index_key: &[u8]) -> Result<Self, VaultError> {
        let index = <Hmac<Sha256> as Mac>::new_from_slice(index_key).map_err(|_| VaultError::Seal)?;
        Ok(Self { data: Arc::new(RwLock::new(DataKeys { by_id: data, current })), index })
    }

    /// The id of the key new values are sealed with.
    pub fn current_key(&self) -> u32 {
        self.data.read().unwrap_or_else(PoisonError::into_inner).current
    }

    fn install(&self, keys: HashMap<u32, XChaCha20Poly1305>, current: u32) {
        let mut data = self.data.write().unwrap_or_else(PoisonError::into_inner);
        data.by_id.extend(keys);
        data.current = data.current.max(current);
    }

    /// Seals `plain` for `place` under the current data key.
    pub fn seal(&self, plain: &str, place: Place<'_>) -> Result<Sealed, VaultError> {
        let data = self.data.read().unwrap_or_else(PoisonError::into_inner);
        let current = data.current;
        let cipher = data.by_id.get(&current).ok_or(VaultError::UnknownKey(current))?;
        seal_with(cipher, current, plain, place)
    }

    /// Seals `plain` under the current key unless it is empty or absent.
    pub fn seal_optional(&self, plain: Option<&str>, place: Place<'_>) -> Result<Option<Sealed>, VaultError> {
        plain.map(|plain| self.seal(plain, place)).transpose()
    }

    /// The plain text of a sealed value; empty for an empty stored value.
    pub fn open(&self, sealed: &Sealed, place: Place<'_>) -> Result<String, VaultError> {
        let text = sealed.as_stored();
        if text.is_empty() {
            return Ok(String::new());
        }
        let (key, nonce, ciphertext) = parse(text)?;
        let data = self.data.read().unwrap_or_else(PoisonError::into_inner);
        let cipher = data.by_id.get(&key).ok_or(VaultError::UnknownKey(key))?;
        let plain = cipher
            .decrypt(XNonce::from_slice(&nonce), Payload { msg: &ciphertext, aad: &place.associated_data() })
            .map_err(|_| VaultError::Rejected)?;
        String::from_utf8(plain).map_err(|_| VaultError::Rejected)
    }

    pub fn open_optional(&self, sealed: Option<&Sealed>, place: Place<'_>) -> Result<Option<String>, VaultError> {
        sealed.map(|sealed| self.open(sealed, place)).transpose()
    }

    /// The blind index of `normalised`: HMAC-SHA256 under the index key, in hex.
    pub fn blind(&self, kind: Blind, normalised: &str) -> String {
        let mut mac = self.index.clone();
        mac.update(kind.domain());
        mac.update(&[0]);
        mac.update(normalised.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// A digest of personal text for the audit log: it shows that two
    /// entries spoke of the same text, and which text if it is still at
    /// hand, without keeping the text; and being keyed, a short note cannot
    /// be guessed back from it.
    pub fn digest(&self, text: &str) -> String {
        format!("hmac-sha256:{}", self.blind(Blind::Audit, text))
    }
}

fn seal_with(cipher: &XChaCha20Poly1305, key: u32, plain: &str, place: Place<'_>) -> Result<Sealed, VaultError> {
    if plain.is_empty() {
        return Ok(Sealed::from_stored(String::new()));
    }
    let mut nonce = [0u8; NONCE_BYTES];
    rand::rng().fill_bytes(&mut nonce);
    let ciphertext = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain.as_bytes(), aad: &place.associated_data() })
        .map_err(|_| VaultError::Seal)?;
    Ok(Sealed::from_stored(format!(
        "{VERSION}.{key}.{}.{}",
        URL_SAFE_NO_PAD.encode(nonce),
        URL_SAFE_NO_PAD.encode(ciphertext)
    )))
}

fn parse(text: &str) -> Result<(u32, Vec<u8>, Vec<u8>), VaultError> {
    let mut parts = text.splitn(4, '.');
    let (Some(VERSION), Some(key), Some(nonce), Some(ciphertext)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(VaultError::Malformed);
    };
    let key = key.parse().map_err(|_| VaultError::Malformed)?;
    let nonce = URL_SAFE_NO_PAD.decode(nonce).map_err(|_| VaultError::Malformed)?;
    if nonce.len() != NONCE_BYTES {
        return Err(VaultError::Malformed);
    }
    let ciphertext = URL_SAFE_NO_PAD.decode(ciphertext).map_err(|_| VaultError::Malformed)?;
    Ok((key, nonce, ciphertext))
}

/// The key id a stored value was sealed under; `None` for an empty value
/// or one that is not sealed at all.
pub(crate) fn key_of(stored: &str) -> Option<u32> {
    let mut parts = stored.splitn(3, '.');
    match (parts.next(), parts.next()) {
        (Some(VERSION), Some(key)) => key.parse().ok(),
        _ => None,
    }
}

/// Normalisations, written once for the places that index and the places
/// that look up.
pub mod normal {
    pub fn email(address: &str) -> String {
        address.trim().to_lowercase()
    }

    pub fn account(number: &str) -> String {
        number.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
    }

    /// The words of a name, lower-cased: what a whole-word search matches.
    pub fn name_words(name: &str) -> impl Iterator<Item = String> + '_ {
        name.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_lowercase)
    }
}

#[cfg(test)]
pub(crate) fn for_tests() -> Vault {
    use chacha20poly1305::KeyInit;
    let mut keys = HashMap::new();
    keys.insert(1, XChaCha20Poly1305::new(&[7u8; 32].into()));
    keys.insert(2, XChaCha20Poly1305::new(&[9u8; 32].into()));
    Vault::new(keys, 1, &[3u8; 32]).expect("an HMAC key of any length")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLACE: Place<'static> = Place { table: "requests", column: "email", row: "PR-7K4M-9QXR" };

    #[test]
    fn a_value_opens_only_in_its_own_place() {
        let vault = for_tests();
        let sealed = vault.seal("ada@example.com", PLACE).expect("seals");
        assert!(sealed.as_stored().starts_with("v1.1."), "{}", sealed.as_stored());
        assert!(!sealed.as_stored().contains("ada"));
        assert_eq!(vault.open(&sealed, PLACE).expect("opens"), "ada@example.com");
        let other_row = Place { row: "PR-AAAA-BBBB", ..PLACE };
        assert!(matches!(vault.open(&sealed, other_row), Err(VaultError::Rejected)));
        let other_column = Place { column: "full_name", ..PLACE };
        assert!(matches!(vault.open(&sealed, other_column), Err(VaultError::Rejected)));
    }

    #[test]
    fn empty_stays_empty_and_old_keys_still_open() {
        let vault = for_tests();
        assert_eq!(vault.seal("", PLACE).expect("seals").as_stored(), "");
        assert_eq!(vault.open(&Sealed::from_stored(String::new()), PLACE).expect("opens"), "");
        let old = vault.seal("Ada", PLACE).expect("seals");
        vault.install(HashMap::new(), 2);
        let new = vault.seal("Ada", PLACE).expect("seals");
        assert_eq!(key_of(new.as_stored()), Some(2));
        assert_eq!(vault.open(&old, PLACE).expect("the old key still opens"), "Ada");
        assert!(vault.open(&Sealed::from_stored("v1.9.AAAA.AAAA".into()), PLACE).is_err());
        assert!(matches!(vault.open(&Sealed::from_stored("Ada Lovelace".into()), PLACE), Err(VaultError::Malformed)));
    }

    #[test]
    fn blind_indexes_are_keyed_and_kept_apart() {
        let vault = for_tests();
        let email = vault.blind(Blind::Email, &normal::email(" Ada@Example.com "));
        assert_eq!(email, vault.blind(Blind::Email, "ada@example.com"));
        assert_ne!(email, vault.blind(Blind::Mailbox, "ada@example.com"));
        assert_eq!(normal::account("12-345 67a"), "1234567A");
        assert_eq!(normal::name_words("Ada  King-Lovelace").collect::<Vec<_>>(), ["ada", "king", "lovelace"]);
    }
}
