//! The opt-out register: a dated entry for every opt-out that takes
//! effect, changes or is revoked, never overwritten, so it answers who was
//! opted out on any day, and a change feed that downstream systems page
//! through. Every write goes through [`record`], inside the transaction of
//! the action that causes it.

mod feed;
mod revoke;
mod views;

use app::domain::register::{self, EntryFacts, OptOutChange, OptOutSource};
use app::domain::request::{JointAccount, OptOutScope};
use chrono::{DateTime, NaiveDate, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
};
use serde::{Deserialize, Serialize};

use std::sync::Arc;

use crate::clocks::Clocks;
use crate::db::entities::opt_out_entry;
use crate::mail::{Mailer, RecipientAllowance};
use crate::secret::hex;
use crate::vault::{Vault, VaultError, normal};
pub use feed::Cursor;
pub use revoke::{Confirmed, Revocation, RevocationLink};

/// Held by every register write until its transaction ends, so that entries
/// become visible in the order of their ids (see [`record`]).
const WRITE_LOCK: i64 = 7_460_020;

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("a register entry cannot be sealed or opened: {0}")]
    Vault(#[from] VaultError),
    #[error("register entry {id} cannot be read: {what}")]
    Corrupt { id: i64, what: String },
    #[error("no such opt-out")]
    NotFound,
    #[error("This opt-out was already revoked.")]
    AlreadyRevoked,
    #[error("{0}")]
    Invalid(&'static str),
    #[error("a letter cannot be composed: {0}")]
    Letter(#[from] minijinja::Error),
}

/// Whom an entry is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub full_name: String,
    pub email: String,
    pub postal_address: Option<String>,
    pub account_number: Option<String>,
    /// Every holder the entry covers, the person who asked first: one name
    /// unless a joint account was opted out for all its holders.
    pub holders: Vec<String>,
}

/// An entry to write.
#[derive(Clone, Debug)]
pub struct NewEntry {
    /// The opt-out a change or revocation is about; `None` starts a new one.
    pub opt_out: Option<String>,
    pub request_id: Option<i64>,
    pub change: OptOutChange,
    pub scope: OptOutScope,
    pub joint_account: JointAccount,
    pub source: OptOutSource,
    pub effective_on: NaiveDate,
    pub recorded_by: Option<i64>,
    pub person: Person,
    pub reason: Option<String>,
}

/// An entry as read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub facts: EntryFacts,
    pub request_id: Option<i64>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: Option<i64>,
    pub person: Person,
    pub reason: Option<String>,
}

/// Writes one entry inside the caller's transaction. On PostgreSQL an id
/// drawn from the sequence may commit after a larger one, and a reader
/// paging by id would step over it for good; so writers queue behind one
/// lock held until commit, which makes ids visible in the order they were
/// drawn. SQLite has one writer at a time anyway. Call it after the
/// transaction's audit entry, so every transaction takes the two locks in
/// the same order.
pub async fn record(txn: &impl ConnectionTrait, vault: &Vault, entry: &NewEntry) -> Result<Recorded, RegisterError> {
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            format!("SELECT pg_advisory_xact_lock({WRITE_LOCK})"),
        ))
        .await?;
    }
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let uid = hex(&bytes);
    let sealed = vault.seal_entry(&uid, &entry.person, entry.reason.as_deref())?;
    let opt_out = entry.opt_out.clone().unwrap_or_else(|| uid.clone());
    let row = opt_out_entry::ActiveModel {
        opt_out_uid: Set(opt_out.clone()),
        uid: Set(uid),
        request_id: Set(entry.request_id),
        change: Set(entry.change.as_str().to_owned()),
        scope: Set(entry.scope.as_str().to_owned()),
        joint_account: Set(entry.joint_account.as_str().to_owned()),
        source: Set(entry.source.as_str().to_owned()),
        effective_on: Set(entry.effective_on),
        recorded_at: Set(Utc::now()),
        recorded_by: Set(entry.recorded_by),
        full_name: Set(sealed.full_name),
        email: Set(sealed.email),
        postal_address: Set(sealed.postal_address),
        account_number: Set(sealed.account_number),
        holders: Set(sealed.holders),
        reason: Set(sealed.reason),
        email_index: Set(sealed.email_index),
        account_index: Set(sealed.account_index),
        name_index: Set(sealed.name_index),
        ..Default::default()
    };
    let position = opt_out_entry::Entity::insert(row).exec(txn).await?.last_insert_id;
    Ok(Recorded { position, opt_out })
}

/// Where a written entry went: its place in the change feed, and the
/// opt-out it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub position: i64,
    pub opt_out: String,
}

/// Whom to look up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    Email(String),
    Account(String),
    /// Whole words of a name, in any order.
    Name(String),
}

/// Narrows the staff list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub lookup: Option<Lookup>,
    pub scope: Option<OptOutScope>,
    pub source: Option<OptOutSource>,
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
    /// Key-based paging: entries before this id, newest first.
    pub before: Option<i64>,
    pub limit: u64,
}

/// The answer to "is this person opted out of this sharing on this day".
#[derive(Clone, Debug)]
pub struct Check {
    pub opted_out: bool,
    /// The opt-outs standing for the person or account that day, whether
    /// or not they cover the account as a whole.
    pub standing: Vec<Entry>,
}

/// What the public may make the register send.
#[derive(Clone, Copy, Debug)]
pub struct RevocationLimits {
    /// Counted with the requester's other letters of the day.
    pub allowance: RecipientAllowance,
    /// How long an emailed confirmation link works.
    pub link_ttl: chrono::Duration,
}

#[derive(Clone)]
pub struct Register {
    db: DatabaseConnection,
    /// Where the register's lists and answers are read: the writer unless
    /// [`Self::reading_from`] says otherwise, so that a downstream system
    /// polling the feed or the check never waits behind an intake commit.
    read: DatabaseConnection,
    mailer: Mailer,
    clocks: Arc<Clocks>,
    limits: RevocationLimits,
}

impl Register {
    /// How long an emailed confirmation link works.
    pub fn link_ttl(&self) -> chrono::Duration {
        self.limits.link_ttl
    }

    pub fn new(db: DatabaseConnection, mailer: Mailer, clocks: Arc<Clocks>, limits: RevocationLimits) -> Self {
        Self { read: db.clone(), db, mailer, clocks, limits }
    }

    pub fn reading_from(mut self, reader: DatabaseConnection) -> Self {
        self.read = reader;
        self
    }

    fn vault(&self) -> &Vault {
        self.mailer.outbox().vault()
    }

    /// The organisation's today, which the register's days are counted in.
    pub fn today(&self) -> NaiveDate {
        self.clocks.today()
    }

    /// `None` for a lookup that can match nobody (an empty address, a name
    /// with no word in it).
    fn lookup_condition(&self, lookup: &Lookup) -> Option<Condition> {
        Some(match lookup {
            Lookup::Email(email) => {
                Condition::all().add(opt_out_entry::Column::EmailIndex.eq(self.vault().email_index(email)?))
            }
            Lookup::Account(number) => {
                Condition::all().add(opt_out_entry::Column::AccountIndex.eq(self.vault().account_index(number)?))
            }
            Lookup::Name(name) => {
                let words: Vec<String> = normal::name_words(name).collect();
                if words.is_empty() {
                    return None;
                }
                words.iter().fold(Condition::all(), |all, word| {
                    all.add(opt_out_entry::Column::NameIndex.like(format!("% {} %", self.vault().name_word(word))))
                })
            }
        })
    }

    /// Every entry about the person or account, oldest first.
    pub async fn history(&self, lookup: &Lookup) -> Result<Vec<Entry>, RegisterError> {
        let Some(condition) = self.lookup_condition(lookup) else { return Ok(Vec::new()) };
        let rows = opt_out_entry::Entity::find()
            .filter(condition)
            .order_by_asc(opt_out_entry::Column::Id)
            .all(&self.read)
            .await?;
        self.open_all(rows)
    }

    /// Every entry of one opt-out, oldest first.
    pub async fn opt_out(&self, uid: &str) -> Result<Vec<Entry>, RegisterError> {
        let rows = opt_out_entry::Entity::find()
            .filter(opt_out_entry::Column::OptOutUid.eq(uid))
            .order_by_asc(opt_out_entry::Column::Id)
            .all(&self.read)
            .await?;
        self.open_all(rows)
    }

    /// Whether the email address or account is opted out of `scope` on
    /// `day`. An account is opted out as a whole only by an opt-out that
    /// covers every holder; one holder's own opt-out covers that holder,
    /// who is among those standing.
    pub async fn check(&self, lookup: &Lookup, scope: OptOutScope, day: NaiveDate) -> Result<Check, RegisterError> {
        let mut entries = self.history(lookup).await?;
        if let Lookup::Name(name) = lookup {
            // The name index holds the words of every holder an entry
            // covers together; the register answers per person, so every
            // word asked must be one holder's. An opt-out's later entries
            // carry its first entry's person, so none of a chain is lost.
            let asked: Vec<String> = normal::name_words(name).collect();
            entries.retain(|entry| {
                let mut people = std::iter::once(&entry.person.full_name).chain(&entry.person.holders);
                people.any(|person| {
                    let words: Vec<String> = normal::name_words(person).collect();
                    asked.iter().all(|word| words.contains(word))
                })
            });
        }
        let standing: Vec<Entry> = register::standing_on(&entries, day, |entry| &entry.facts)
            .into_iter()
            .filter(|entry| register::covers(entry.facts.scope, scope))
            .cloned()
            .collect();
        let opted_out = match lookup {
            Lookup::Account(_) => standing.iter().any(|entry| register::covers_account(entry.facts.joint_account)),
            Lookup::Email(_) | Lookup::Name(_) => !standing.is_empty(),
        };
        Ok(Check { opted_out, standing })
    }

    /// The opt-outs that stood on `day`, each as its latest entry by then,
    /// in the order they were first recorded.
    pub async fn as_of(&self, day: NaiveDate) -> Result<Vec<Entry>, RegisterError> {
        let rows = opt_out_entry::Entity::find()
            .filter(opt_out_entry::Column::EffectiveOn.lte(day))
            .order_by_asc(opt_out_entry::Column::Id)
            .all(&self.read)
            .await?;
        let entries = self.open_all(rows)?;
        Ok(register::standing_on(&entries, day, |entry| &entry.facts).into_iter().cloned().collect())
    }

    /// The staff list: newest first, after `filter.before`.
    pub async fn list(&self, filter: &Filter) -> Result<Vec<Entry>, RegisterError> {
        let mut query = opt_out_entry::Entity::find();
        if let Some(lookup) = &filter.lookup {
            let Some(condition) = self.lookup_condition(lookup) else { return Ok(Vec::new()) };
            query = query.filter(condition);
        }
        if let Some(scope) = filter.scope {
            query = query.filter(opt_out_entry::Column::Scope.eq(scope.as_str()));
        }
        if let Some(source) = filter.source {
            query = query.filter(opt_out_entry::Column::Source.eq(source.as_str()));
        }
        if let Some(from) = filter.effective_from {
            query = query.filter(opt_out_entry::Column::EffectiveOn.gte(from));
        }
        if let Some(to) = filter.effective_to {
            query = query.filter(opt_out_entry::Column::EffectiveOn.lte(to));
        }
        if let Some(before) = filter.before {
            query = query.filter(opt_out_entry::Column::Id.lt(before));
        }
        let rows = query.order_by_desc(opt_out_entry::Column::Id).limit(filter.limit).all(&self.read).await?;
        self.open_all(rows)
    }

    /// The entries of a request's opt-out, oldest first.
    pub async fn of_request(&self, request_id: i64) -> Result<Vec<Entry>, RegisterError> {
        let rows = opt_out_entry::Entity::find()
            .filter(opt_out_entry::Column::RequestId.eq(request_id))
            .order_by_asc(opt_out_entry::Column::Id)
            .all(&self.read)
            .await?;
        self.open_all(rows)
    }

    fn open_all(&self, rows: Vec<opt_out_entry::Model>) -> Result<Vec<Entry>, RegisterError> {
        rows.iter().map(|row| self.open(row)).collect()
    }

    fn open(&self, row: &opt_out_entry::Model) -> Result<Entry, RegisterError> {
        let (person, reason) = self.vault().open_entry(row)?;
        Ok(Entry {
            facts: facts_of(row)?,
            request_id: row.request_id,
            recorded_at: row.recorded_at,
            recorded_by: row.recorded_by,
            person,
            reason,
        })
    }
}

/// Blanks the personal fields of a purged request's entries. What each
/// entry says (its change, scope, source and days) stays, so the register
/// still counts who stood when; nobody can be found in them any more.
pub async fn forget_person(txn: &impl ConnectionTrait, request_id: i64) -> Result<(), RegisterError> {
    opt_out_entry::Entity::update_many()
        .col_expr(opt_out_entry::Column::FullName, Expr::value(""))
        .col_expr(opt_out_entry::Column::Email, Expr::value(""))
        .col_expr(opt_out_entry::Column::PostalAddress, Expr::value(Option::<String>::None))
        .col_expr(opt_out_entry::Column::AccountNumber, Expr::value(Option::<String>::None))
        .col_expr(opt_out_entry::Column::Holders, Expr::value(""))
        .col_expr(opt_out_entry::Column::Reason, Expr::value(Option::<String>::None))
        .col_expr(opt_out_entry::Column::EmailIndex, Expr::value(Option::<String>::None))
        .col_expr(opt_out_entry::Column::AccountIndex, Expr::value(Option::<String>::None))
        .col_expr(opt_out_entry::Column::NameIndex, Expr::value(Option::<String>::None))
        .filter(opt_out_entry::Column::RequestId.eq(request_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// What the register holds of one request's opt-out, oldest first.
pub async fn facts_of_request(db: &impl ConnectionTrait, request_id: i64) -> Result<Vec<EntryFacts>, RegisterError> {
    let rows = opt_out_entry::Entity::find()
        .filter(opt_out_entry::Column::RequestId.eq(request_id))
        .order_by_asc(opt_out_entry::Column::Id)
        .all(db)
        .await?;
    rows.iter().map(facts_of).collect()
}

/// For each request, the day its opt-out was revoked, when the register
/// says its latest entry is a revocation: retention runs from then.
pub async fn revoked_on(
    db: &impl ConnectionTrait,
    request_ids: &[i64],
) -> Result<Vec<(i64, NaiveDate)>, RegisterError> {
    if request_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = opt_out_entry::Entity::find()
        .filter(opt_out_entry::Column::RequestId.is_in(request_ids.iter().copied()))
        .order_by_asc(opt_out_entry::Column::Id)
        .all(db)
        .await?;
    let mut revoked = Vec::new();
    for id in request_ids {
        let facts: Vec<EntryFacts> =
            rows.iter().filter(|row| row.request_id == Some(*id)).map(facts_of).collect::<Result<_, _>>()?;
        if let Some(day) = register::revoked_on(&facts) {
            revoked.push((*id, day));
        }
    }
    Ok(revoked)
}

fn facts_of(row: &opt_out_entry::Model) -> Result<EntryFacts, RegisterError> {
    let corrupt = |what: String| RegisterError::Corrupt { id: row.id, what };
    Ok(EntryFacts {
        id: row.id,
        opt_out: row.opt_out_uid.clone(),
        change: OptOutChange::parse(&row.change).ok_or_else(|| corrupt(format!("change {:?}", row.change)))?,
        scope: OptOutScope::parse(&row.scope).ok_or_else(|| corrupt(format!("scope {:?}", row.scope)))?,
        joint_account: JointAccount::parse(&row.joint_account)
            .ok_or_else(|| corrupt(format!("joint account {:?}", row.joint_account)))?,
        source: OptOutSource::parse(&row.source).ok_or_else(|| corrupt(format!("source {:?}", row.source)))?,
        effective_on: row.effective_on,
    })
}
