//! The append-only audit log. Each entry carries the hash of the one before
//! it, so altering or removing an entry breaks the chain at that point, and
//! `server audit verify` finds where. Nothing in the portal updates or
//! deletes an entry.

mod access;

pub use access::AccessLog;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    Statement,
};
use sha2::{Digest, Sha256};

use crate::db::entities::audit_entry;

/// The hash the first entry links back to.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did something: a staff member, or the portal itself.
#[derive(Clone, Debug)]
pub enum Actor {
    Staff { id: i64, email: String },
    System(&'static str),
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Staff { id, email } => write!(f, "staff:{id}:{email}"),
            Self::System(what) => write!(f, "system:{what}"),
        }
    }
}

/// Appends one entry inside the caller's transaction, so the entry exists
/// exactly when the change it records does.
pub async fn append(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    request_id: Option<i64>,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        // Appends queue up behind one lock until commit, so two instances
        // never link two entries to the same predecessor.
        txn.execute_raw(Statement::from_string(DatabaseBackend::Postgres, "SELECT pg_advisory_xact_lock(7460019)"))
            .await?;
    }
    let previous = audit_entry::Entity::find()
        .select_only()
        .column(audit_entry::Column::Hash)
        .order_by_desc(audit_entry::Column::Id)
        .limit(1)
        .into_tuple::<String>()
        .one(txn)
        .await?
        .unwrap_or_else(|| GENESIS.to_owned());
    // Whole microseconds: what both databases store, so the hash can be
    // recomputed from what is read back.
    let at = Utc::now().trunc_subsecs(6);
    let actor = actor.to_string();
    let detail = detail.to_string();
    let hash = link(&previous, at, &actor, action, request_id, &detail);
    audit_entry::Entity::insert(audit_entry::ActiveModel {
        at: Set(at),
        actor: Set(actor),
        action: Set(action.to_owned()),
        request_id: Set(request_id),
        detail: Set(detail),
        prev_hash: Set(previous),
        hash: Set(hash),
        ..Default::default()
    })
    .exec(txn)
    .await?;
    Ok(())
}

fn link(previous: &str, at: DateTime<Utc>, actor: &str, action: &str, request_id: Option<i64>, detail: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [
        previous,
        &at.timestamp_micros().to_string(),
        actor,
        action,
        &request_id.map(|id| id.to_string()).unwrap_or_default(),
        detail,
    ] {
        // Length-prefixed, so no two different entries hash the same text.
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    format!("{:x}", hasher.finalize())
}

/// What walking the chain found.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Intact {
        entries: u64,
    },
    /// The entry whose content no longer matches its hash.
    Altered {
        id: i64,
    },
    /// The entry whose predecessor is not the one it was chained to: an
    /// entry before it was removed or replaced.
    Broken {
        id: i64,
    },
}

/// Walks the whole chain in order of entry.
pub async fn verify(db: &impl ConnectionTrait) -> Result<Verdict, DbErr> {
    const PAGE: u64 = 5_000;
    let mut previous = GENESIS.to_owned();
    let mut after = 0_i64;
    let mut entries = 0_u64;
    loop {
        let page = audit_entry::Entity::find()
            .filter(audit_entry::Column::Id.gt(after))
            .order_by_asc(audit_entry::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = page.last() else {
            return Ok(Verdict::Intact { entries });
        };
        after = last.id;
        for entry in page {
            if entry.prev_hash != previous {
                return Ok(Verdict::Broken { id: entry.id });
            }
            let expected = link(&previous, entry.at, &entry.actor, &entry.action, entry.request_id, &entry.detail);
            if expected != entry.hash {
                return Ok(Verdict::Altered { id: entry.id });
            }
            previous = entry.hash;
            entries += 1;
        }
    }
}
