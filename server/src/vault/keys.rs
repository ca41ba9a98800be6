//! The keys: data keys and the blind-index key live in the `data_keys`
//! table, each wrapped (sealed) by the key-encryption key from the
//! configuration, which never touches the database.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, SqlErr, Statement, TransactionTrait};
use zeroize::Zeroizing;

use super::{NONCE_BYTES, Vault};

const KEY_BYTES: usize = 32;
const DATA: &str = "data";
const INDEX: &str = "index";

#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error(
        "this database holds encrypted data but no key-encryption key was given: set DATA_KEY_FILE or DATA_KEK \
         ({0})"
    )]
    Missing(String),
    #[error("PostgreSQL needs a key-encryption key: set DATA_KEY_FILE or DATA_KEK")]
    NotConfigured,
    #[error(
        "the key-encryption key does not open this database's data keys: it is not the key this database was \
         set up with ({0})"
    )]
    Wrong(String),
    #[error("the key-encryption key must be {KEY_BYTES} bytes in base64 ({0})")]
    Format(String),
    #[error("cannot read or write the key file {path}: {source}")]
    File { path: PathBuf, source: std::io::Error },
    #[error("the database's data keys cannot be read: {0}")]
    Db(#[from] DbErr),
}

/// The key-encryption key. Its `Debug` hides it, and its bytes are wiped
/// when dropped.
#[derive(Clone)]
pub struct KeyEncryptionKey(Zeroizing<String>);

impl From<&str> for KeyEncryptionKey {
    fn from(text: &str) -> Self {
        Self(Zeroizing::new(text.trim().to_owned()))
    }
}

impl std::fmt::Debug for KeyEncryptionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyEncryptionKey(…)")
    }
}

impl KeyEncryptionKey {
    /// A fresh random key, as text.
    pub fn generate() -> Self {
        Self(Zeroizing::new(STANDARD.encode(random_key().as_slice())))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    fn cipher(&self, named: &str) -> Result<XChaCha20Poly1305, KeysError> {
        let bytes = Zeroizing::new(STANDARD.decode(self.0.as_bytes()).map_err(|_| KeysError::Format(named.into()))?);
        if bytes.len() != KEY_BYTES {
            return Err(KeysError::Format(named.into()));
        }
        XChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| KeysError::Format(named.into()))
    }
}

/// Where the key-encryption key comes from, as the settings say.
#[derive(Clone, Debug)]
pub enum KeySource {
    /// DATA_KEK.
    Given(KeyEncryptionKey),
    /// DATA_KEY_FILE: it must exist.
    File(PathBuf),
    /// The embedded default: a file beside the SQLite database, made on
    /// first start.
    Beside(PathBuf),
    /// No setting and no SQLite file to put a key beside.
    Unset,
}

/// Opens the database's keys with the configured key-encryption key, or on
/// a database without keys yet makes them (and, on the embedded default,
/// the key file too).
pub async fn open_vault(db: &DatabaseConnection, source: &KeySource) -> Result<Vault, KeysError> {
    let stored = stored_keys(db).await?;
    let (kek, named) = match source {
        KeySource::Given(kek) => (kek.clone(), "DATA_KEK".to_owned()),
        KeySource::File(path) => (read_key_file(path)?, path.display().to_string()),
        KeySource::Beside(path) if path.exists() => (read_key_file(path)?, path.display().to_string()),
        KeySource::Beside(path) if stored.is_empty() => (create_key_file(path)?, path.display().to_string()),
        KeySource::Beside(path) => return Err(KeysError::Missing(format!("{} is missing", path.display()))),
        KeySource::Unset if stored.is_empty() => return Err(KeysError::NotConfigured),
        KeySource::Unset => return Err(KeysError::Missing("no setting".into())),
    };
    let wrapper = kek.cipher(&named)?;
    let stored = if stored.is_empty() { create_keys(db, &wrapper).await? } else { stored };
    vault_from(&wrapper, &stored, &named)
}

/// Picks up data keys added since the vault was opened (by a rotation on
/// another instance or the command line), so values sealed under them open
/// here and new values are sealed under the newest.
pub async fn refresh(db: &DatabaseConnection, vault: &Vault, kek: &KeySource) -> Result<(), KeysError> {
    let stored = stored_keys(db).await?;
    if stored.iter().all(|key| key.purpose != DATA || key.id <= vault.current_key()) {
        return Ok(());
    }
    let (wrapper, named) = wrapper_of(kek)?;
    let fresh = vault_from(&wrapper, &stored, &named)?;
    let data = fresh.data.read().unwrap_or_else(std::sync::PoisonError::into_inner);
    vault.install(data.by_id.clone(), data.current);
    Ok(())
}

/// Adds a new data key, which becomes the one new values are sealed under.
pub(super) async fn add_data_key(db: &DatabaseConnection, vault: &Vault, kek: &KeySource) -> Result<u32, KeysError> {
    let (wrapper, _) = wrapper_of(kek)?;
    let txn = db.begin().await?;
    let next = txn
        .query_one_raw(Statement::from_string(txn.get_database_backend(), "SELECT MAX(id) FROM data_keys"))
        .await?
        .and_then(|row| row.try_get_by_index::<Option<i64>>(0).ok().flatten())
        .unwrap_or(0)
        + 1;
    let id = u32::try_from(next).map_err(|_| DbErr::Custom("too many data keys".into()))?;
    insert_key(&txn, &wrapper, id, DATA).await?;
    txn.commit().await?;
    refresh(db, vault, kek).await?;
    Ok(id)
}

fn wrapper_of(source: &KeySource) -> Result<(XChaCha20Poly1305, String), KeysError> {
    let (kek, named) = match source {
        KeySource::Given(kek) => (kek.clone(), "DATA_KEK".to_owned()),
        KeySource::File(path) | KeySource::Beside(path) => (read_key_file(path)?, path.display().to_string()),
        KeySource::Unset => return Err(KeysError::NotConfigured),
    };
    Ok((kek.cipher(&named)?, named))
}

struct StoredKey {
    id: u32,
    purpose: String,
    wrapped: String,
}

async fn stored_keys(db: &impl ConnectionTrait) -> Result<Vec<StoredKey>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id, purpose, wrapped FROM data_keys ORDER BY id",
        ))
        .await?;
    rows.into_iter()
        .map(|row| {
            let id: i64 = row.try_get_by_index(0)?;
            Ok(StoredKey {
                id: u32::try_from(id).map_err(|_| DbErr::Custom(format!("data key id {id}")))?,
                purpose: row.try_get_by_index(1)?,
                wrapped: row.try_get_by_index(2)?,
            })
        })
        .collect()
}

/// The first keys of a database: one data key and the blind-index key.
/// Two instances starting together on an empty database race here; the
/// loser's insert fails on the primary key and it reads the winner's keys.
async fn create_keys(db: &DatabaseConnection, wrapper: &XChaCha20Poly1305) -> Result<Vec<StoredKey>, KeysError> {
    let txn = db.begin().await?;
    let written = match insert_key(&txn, wrapper, 1, INDEX).await {
        Ok(()) => insert_key(&txn, wrapper, 2, DATA).await,
        Err(error) => Err(error),
    };
    match written {
        Ok(()) => txn.commit().await?,
        Err(KeysError::Db(error)) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            tracing::info!("another instance made the data keys first");
            txn.rollback().await?;
        }
        Err(error) => return Err(error),
    }
    Ok(stored_keys(db).await?)
}

async fn insert_key(
    txn: &impl ConnectionTrait,
    wrapper: &XChaCha20Poly1305,
    id: u32,
    purpose: &str,
) -> Result<(), KeysError> {
    let key = random_key();
    let mut nonce = [0u8; NONCE_BYTES];
    rand::rng().fill_bytes(&mut nonce);
    let sealed = wrapper
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.as_slice(), aad: &wrap_aad(id, purpose) })
        .map_err(|_| KeysError::Format("wrapping".into()))?;
    let wrapped = format!("v1.{}.{}", URL_SAFE_NO_PAD.encode(nonce), URL_SAFE_NO_PAD.encode(sealed));
    txn.execute_raw(Statement::from_sql_and_values(
        txn.get_database_backend(),
        "INSERT INTO data_keys (id, purpose, wrapped, created_at) VALUES ($1, $2, $3, $4)",
        [i64::from(id).into(), purpose.into(), wrapped.into(), chrono::Utc::now().into()],
    ))
    .await?;
    Ok(())
}

fn vault_from(wrapper: &XChaCha20Poly1305, stored: &[StoredKey], named: &str) -> Result<Vault, KeysError> {
    let wrong = || KeysError::Wrong(named.to_owned());
    let mut data = HashMap::new();
    let mut index = None;
    for key in stored {
        let bytes = unwrap_key(wrapper, key).ok_or_else(wrong)?;
        match key.purpose.as_str() {
            INDEX => index = Some(bytes),
            _ => {
                let cipher = XChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| wrong())?;
                data.insert(key.id, cipher);
            }
        }
    }
    let current = data.keys().copied().max().ok_or_else(wrong)?;
    let index = index.ok_or_else(wrong)?;
    Vault::new(data, current, &index).map_err(|_| wrong())
}

fn unwrap_key(wrapper: &XChaCha20Poly1305, key: &StoredKey) -> Option<Zeroizing<Vec<u8>>> {
    let mut parts = key.wrapped.splitn(3, '.');
    let (Some("v1"), Some(nonce), Some(sealed)) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let nonce = URL_SAFE_NO_PAD.decode(nonce).ok().filter(|nonce| nonce.len() == NONCE_BYTES)?;
    let sealed = URL_SAFE_NO_PAD.decode(sealed).ok()?;
    let plain = wrapper
        .decrypt(XNonce::from_slice(&nonce), Payload { msg: &sealed, aad: &wrap_aad(key.id, &key.purpose) })
        .ok()?;
    Some(Zeroizing::new(plain))
}

fn wrap_aad(id: u32, purpose: &str) -> Vec<u8> {
    format!("data_keys\0{id}\0{purpose}").into_bytes()
}

fn random_key() -> Zeroizing<[u8; KEY_BYTES]> {
    let mut key = Zeroizing::new([0u8; KEY_BYTES]);
    rand::rng().fill_bytes(key.as_mut_slice());
    key
}

fn read_key_file(path: &Path) -> Result<KeyEncryptionKey, KeysError> {
    #[cfg(unix)]
    if let Ok(metadata) = std::fs::metadata(path)
        && std::os::unix::fs::PermissionsExt::mode(&metadata.permissions()) & 0o077 != 0
    {
        tracing::warn!(key_file = %path.display(), "the key file can be read by others than its owner; chmod 600 it");
    }
    let text = Zeroizing::new(
        std::fs::read_to_string(path).map_err(|source| KeysError::File { path: path.to_owned(), source })?,
    );
    Ok(KeyEncryptionKey::from(text.as_str()))
}

/// Writes a new key file readable by its owner only.
fn create_key_file(path: &Path) -> Result<KeyEncryptionKey, KeysError> {
    use std::io::Write;
    let failed = |source| KeysError::File { path: path.to_owned(), source };
    let kek = KeyEncryptionKey::generate();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(failed)?;
    writeln!(file, "{}", kek.expose()).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    let shown = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    tracing::warn!(
        key_file = %shown.display(),
        "created the key that encrypts this database's personal data; back it up now and keep it apart from \
         the database: without it the data cannot be read"
    );
    Ok(kek)
}
