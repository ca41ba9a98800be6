//! Key rotation: a new data key, then every sealed value re-sealed under it
//! in batches, each batch committed with how far it got, so a rotation that
//! is stopped (or crashes) carries on from there when run again. The portal
//! keeps serving meanwhile: a value opens under whichever key its text
//! names, so rows under the old and the new key mix freely, and old keys
//! stay in the table.
//!
//! The blind-index key does not rotate. Every index would have to change in
//! the same instant as every lookup that uses it, or searches and the
//! letter cap would miss rows in between; and it guards equality only, no
//! content, so rotating it buys little. Should it ever leak, a new database
//! key set is the remedy (`server keys rotate` cannot give one).
//!
//! The same pass seals values written before encryption existed, once, when
//! a portal of this version first starts on an older database.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement, TransactionTrait, Value};

use super::rows::{
    CONFIRMATION_LINKS, DOCUMENTS, EVENTS, OPT_OUTS, OUTBOX, OUTBOX_BODIES, REQUESTS, WEBHOOK_ENDPOINTS,
};
use super::{KeySource, KeysError, Place, Vault, key_of, keys};

/// How often a running portal looks for a new data key.
pub const REFRESH: Duration = Duration::from_secs(10);

/// The `key_rotations` row that says values from before encryption are
/// sealed: key 0, and a table name that names the set of sealed columns.
/// A version that seals more columns names a new set, so that on a database
/// sealed before, the new columns are sealed once at the next start.
const LEGACY: i64 = 0;
const ALL_TABLES: &str = "*+outcome,clock,hold_reason";

#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    #[error(transparent)]
    Keys(#[from] KeysError),
    #[error("database: {0}")]
    Db(#[from] DbErr),
}

/// How a rotation runs.
#[derive(Clone, Copy, Debug)]
pub struct Rotation {
    /// Rows re-sealed per transaction.
    pub batch: u64,
    /// Stop after this many batches, to be run again later: rotation in
    /// slices, in quiet hours.
    pub stop_after: Option<u64>,
    /// How long to wait after adding the key before re-sealing, so that
    /// running instances seal new rows under it (they look every
    /// [`REFRESH`]); rows they write under the old key meanwhile open all
    /// the same.
    pub settle: Duration,
    pub progress: bool,
}

/// What a rotation did.
#[derive(Debug, Default)]
pub struct Rotated {
    pub key: u32,
    pub rows: u64,
    pub resealed: u64,
    pub finished: bool,
    pub elapsed: Duration,
}

/// One table's sealed columns and what each is bound to.
struct Table {
    name: &'static str,
    /// The table the associated data names: the table's own name, but for
    /// values that moved to another table sealed as they were.
    sealed_as: &'static str,
    /// The text the associated data names the row by.
    row_key: &'static str,
    columns: &'static [&'static str],
    /// Rows re-sealed per transaction at most, whatever the rotation asks:
    /// a document may be megabytes, and a batch is held in memory.
    most: u64,
}

const TABLES: [Table; 8] = [
    Table {
        name: REQUESTS,
        sealed_as: REQUESTS,
        row_key: "reference",
        columns: &[
            "full_name",
            "email",
            "phone",
            "postal_address",
            "account_number",
            "details",
            "outcome",
            "clock",
            "clock_state",
            "hold_reason",
            "agent",
        ],
        most: u64::MAX,
    },
    Table { name: EVENTS, sealed_as: EVENTS, row_key: "CAST(request_id AS TEXT)", columns: &["body"], most: u64::MAX },
    Table {
        name: OUTBOX,
        sealed_as: OUTBOX,
        row_key: "message_id",
        columns: &["recipient", "subject", "secret"],
        most: u64::MAX,
    },
    // A letter's bodies, still bound to the outbox row they moved from.
    Table {
        name: OUTBOX_BODIES,
        sealed_as: OUTBOX,
        row_key: "(SELECT message_id FROM outbox WHERE outbox.id = outbox_bodies.id)",
        columns: &["text_body", "html_body"],
        most: u64::MAX,
    },
    Table {
        name: WEBHOOK_ENDPOINTS,
        sealed_as: WEBHOOK_ENDPOINTS,
        row_key: "url",
        columns: &["secret", "previous_secret"],
        most: u64::MAX,
    },
    Table {
        name: OPT_OUTS,
        sealed_as: OPT_OUTS,
        row_key: "uid",
        columns: &["full_name", "email", "postal_address", "account_number", "holders", "reason"],
        most: u64::MAX,
    },
    // Sealed from the first row on, so the set of columns sealed before
    // encryption existed (`ALL_TABLES`) stays as it was.
    Table {
        name: CONFIRMATION_LINKS,
        sealed_as: CONFIRMATION_LINKS,
        row_key: "hash",
        columns: &["pending"],
        most: u64::MAX,
    },
    // Sealed from the first row on, like the confirmation links.
    Table { name: DOCUMENTS, sealed_as: DOCUMENTS, row_key: "uid", columns: &["name", "content"], most: 8 },
];

/// Makes a new data key (or takes up the one an unfinished rotation made)
/// and re-seals everything under it.
pub async fn rotate(
    db: &DatabaseConnection,
    vault: &Vault,
    source: &KeySource,
    rotation: Rotation,
) -> Result<Rotated, RotateError> {
    let started = Instant::now();
    let key = match unfinished(db).await? {
        Some(key) => {
            keys::refresh(db, vault, source).await?;
            key
        }
        None => {
            let key = keys::add_data_key(db, vault, source).await?;
            let txn = db.begin().await?;
            for table in &TABLES {
                txn.execute_raw(Statement::from_sql_and_values(
                    txn.get_database_backend(),
                    "INSERT INTO key_rotations (key_id, table_name, after_id, done) VALUES ($1, $2, 0, $3)",
                    [i64::from(key).into(), table.name.into(), false.into()],
                ))
                .await?;
            }
            txn.commit().await?;
            tokio::time::sleep(rotation.settle).await;
            key
        }
    };
    let mut rotated = Rotated { key, ..Rotated::default() };
    let mut batches = 0;
    for table in &TABLES {
        let Some(mut after) = progress(db, i64::from(key), table.name).await? else { continue };
        let bar = bar(db, table, after, rotation.progress).await?;
        let mut retried = Retries::default();
        loop {
            if rotation.stop_after.is_some_and(|most| batches >= most) {
                bar.abandon();
                rotated.elapsed = started.elapsed();
                return Ok(rotated);
            }
            let txn = db.begin().await?;
            let limit = rotation.batch.min(table.most);
            let pass = reseal_batch(&txn, vault, table, key, after, limit).await?;
            let done = pass.rows < limit && !pass.again;
            retried.note(table, &pass)?;
            after = pass.last.unwrap_or(after);
            txn.execute_raw(Statement::from_sql_and_values(
                txn.get_database_backend(),
                "UPDATE key_rotations SET after_id = $1, done = $2 WHERE key_id = $3 AND table_name = $4",
                [after.into(), done.into(), i64::from(key).into(), table.name.into()],
            ))
            .await?;
            txn.commit().await?;
            batches += 1;
            rotated.rows += pass.rows;
            rotated.resealed += pass.resealed;
            bar.inc(pass.rows);
            if done {
                bar.finish_and_clear();
                break;
            }
        }
    }
    rotated.finished = true;
    rotated.elapsed = started.elapsed();
    Ok(rotated)
}

/// Seals, under the current key, whatever a portal from before encryption
/// wrote; once per database.
pub async fn seal_unsealed(db: &DatabaseConnection, vault: &Vault) -> Result<(), DbErr> {
    if all_sealed(db).await? {
        return Ok(());
    }
    let key = vault.current_key();
    for table in &TABLES {
        let mut after = 0;
        let mut retried = Retries::default();
        loop {
            let txn = db.begin().await?;
            let pass = reseal_batch(&txn, vault, table, key, after, table.most.min(1_000)).await?;
            txn.commit().await?;
            retried.note(table, &pass)?;
            if pass.resealed > 0 {
                tracing::info!(
                    table = table.name,
                    rows = pass.resealed,
                    "sealed personal data written before encryption"
                );
            }
            match pass.last {
                Some(last) => after = last,
                None => break,
            }
        }
    }
    let statement = Statement::from_sql_and_values(
        db.get_database_backend(),
        "INSERT INTO key_rotations (key_id, table_name, after_id, done) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key_id, table_name) DO NOTHING",
        [LEGACY.into(), ALL_TABLES.into(), i64::MAX.into(), true.into()],
    );
    db.execute_raw(statement).await?;
    Ok(())
}

/// Whether the database is known to hold nothing written before
/// encryption, so that [`seal_unsealed`] has nothing to walk.
pub async fn all_sealed(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(progress(db, LEGACY, ALL_TABLES).await? == Some(i64::MAX))
}

/// The key of a rotation that was started and not finished.
async fn unfinished(db: &DatabaseConnection) -> Result<Option<u32>, DbErr> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT MAX(key_id) FROM key_rotations WHERE key_id > $1 AND done = $2",
            [LEGACY.into(), false.into()],
        ))
        .await?;
    let key = row.and_then(|row| row.try_get_by_index::<Option<i64>>(0).ok().flatten());
    Ok(key.and_then(|key| u32::try_from(key).ok()))
}

/// Where a table's pass stands: the last id done, or `None` when it is
/// finished or was never started.
async fn progress(db: &DatabaseConnection, key: i64, table: &str) -> Result<Option<i64>, DbErr> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT after_id, done FROM key_rotations WHERE key_id = $1 AND table_name = $2",
            [key.into(), table.into()],
        ))
        .await?;
    Ok(match row {
        Some(row) if key == LEGACY => Some(row.try_get_by_index::<i64>(0)?),
        Some(row) if !row.try_get_by_index::<bool>(1)? => Some(row.try_get_by_index::<i64>(0)?),
        _ => None,
    })
}

async fn bar(db: &DatabaseConnection, table: &Table, after: i64, shown: bool) -> Result<ProgressBar, DbErr> {
    if !shown {
        return Ok(ProgressBar::hidden());
    }
    let left = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            format!("SELECT COUNT(*) FROM {} WHERE id > $1", table.name),
            [after.into()],
        ))
        .await?
        .and_then(|row| row.try_get_by_index::<i64>(0).ok())
        .unwrap_or(0);
    let style = ProgressStyle::with_template(&format!(
        "{{spinner}} {{elapsed_precise}} [{{wide_bar}}] {{human_pos}}/{{human_len}} {}  {{per_sec}}  ETA {{eta}}",
        table.name
    ))
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    Ok(ProgressBar::new(u64::try_from(left).unwrap_or(0)).with_style(style))
}

struct Pass {
    rows: u64,
    resealed: u64,
    last: Option<i64>,
    /// A row changed between its reading and its writing: the batch stopped
    /// before it, and the next one reads it afresh.
    again: bool,
}

/// How often in a row a batch stopped at the same row because the portal
/// changed it meanwhile: a row that changes every time is a fault to report,
/// not to go round forever.
#[derive(Default)]
struct Retries {
    at: Option<i64>,
    times: u32,
}

impl Retries {
    const MOST: u32 = 50;

    fn note(&mut self, table: &Table, pass: &Pass) -> Result<(), DbErr> {
        if !pass.again {
            *self = Self::default();
            return Ok(());
        }
        self.times = if self.at == pass.last { self.times + 1 } else { 1 };
        self.at = pass.last;
        if self.times > Self::MOST {
            let row = pass.last.map_or(0, |before| before + 1);
            return Err(DbErr::Custom(format!(
                "row {row} of {} changed at each of {} attempts",
                table.name,
                Self::MOST
            )));
        }
        Ok(())
    }
}

/// Re-seals under `key` the values of up to `limit` rows after `after` that
/// are under another key or not sealed at all. Each row is written only if
/// its values are still those read, so a field blanked meanwhile (by purge)
/// stays blank; a row the portal changed meanwhile (a letter sent clears
/// its link) ends the batch before it, to be read again, rather than stay
/// under the old key.
async fn reseal_batch(
    txn: &impl ConnectionTrait,
    vault: &Vault,
    table: &Table,
    key: u32,
    after: i64,
    limit: u64,
) -> Result<Pass, DbErr> {
    let backend = txn.get_database_backend();
    if backend == DatabaseBackend::Sqlite {
        // A SQLite transaction that reads before it writes cannot wait for
        // a writer in another process (the portal, while the command line
        // rotates): its first write fails at once as busy. Taking the write
        // lock first makes it wait its turn instead.
        txn.execute_unprepared("UPDATE key_rotations SET done = done WHERE 0 = 1").await?;
    }
    let select = format!(
        "SELECT id, {} AS row_key, {} FROM {} WHERE id > $1 ORDER BY id LIMIT $2",
        table.row_key,
        table.columns.join(", "),
        table.name
    );
    let rows = txn
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            select,
            [after.into(), i64::try_from(limit).unwrap_or(i64::MAX).into()],
        ))
        .await?;
    let mut pass = Pass { rows: rows.len() as u64, resealed: 0, last: None, again: false };
    for row in rows {
        let id: i64 = row.try_get_by_index(0)?;
        pass.last = Some(id);
        let row_key: String = row.try_get_by_index(1)?;
        let mut plain = Vec::with_capacity(table.columns.len());
        let mut sets = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let mut checks = Vec::new();
        let mut old_values: Vec<Value> = Vec::new();
        for (at, column) in table.columns.iter().enumerate() {
            let stored: Option<String> = row.try_get_by_index(at + 2)?;
            let place = Place { table: table.sealed_as, column, row: &row_key };
            let opened = match stored.as_deref() {
                None | Some("") => None,
                Some(text) => match key_of(text) {
                    Some(_) => Some(vault.open(&super::Sealed::from_stored(text.to_owned()), place)?),
                    None => Some(text.to_owned()),
                },
            };
            if let (Some(text), Some(value)) = (stored.as_deref(), opened.as_deref())
                && key_of(text) != Some(key)
            {
                sets.push(format!("{column} = ${}", values.len() + 1));
                values.push(vault.seal(value, place)?.as_stored().into());
                checks.push(*column);
                old_values.push(text.into());
            }
            plain.push(opened);
        }
        if table.name == REQUESTS && !sets.is_empty() {
            // Rows from before encryption have no blind indexes yet.
            let (name, email, account) = (&plain[0], &plain[1], &plain[4]);
            for (column, index) in [
                ("email_index", email.as_deref().and_then(|email| vault.email_index(email))),
                ("account_index", account.as_deref().and_then(|number| vault.account_index(number))),
                ("name_index", name.as_deref().and_then(|name| vault.name_index(name))),
            ] {
                sets.push(format!("{column} = ${}", values.len() + 1));
                values.push(index.into());
            }
        }
        if sets.is_empty() {
            continue;
        }
        let mut conditions = vec![format!("id = ${}", values.len() + 1)];
        values.push(id.into());
        for (column, old) in checks.into_iter().zip(old_values) {
            conditions.push(format!("{column} = ${}", values.len() + 1));
            values.push(old);
        }
        let update = format!("UPDATE {} SET {} WHERE {}", table.name, sets.join(", "), conditions.join(" AND "));
        if txn.execute_raw(Statement::from_sql_and_values(backend, update, values)).await?.rows_affected() == 0 {
            pass.last = Some(id - 1);
            pass.again = true;
            break;
        }
        pass.resealed += 1;
    }
    Ok(pass)
}
