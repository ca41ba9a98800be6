//! Locks a migration takes before it changes a table a running portal uses.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// Takes `tables` whole, in this order, before the migration does anything
/// else to them. On PostgreSQL each migration is one transaction, and the
/// locks its statements take are held to its end: an index build or a new
/// foreign key takes a share of the table first, the drop that follows takes
/// all of it. Meanwhile a running portal's outbox claim holds a share of the
/// outbox (its batch is chosen) and waits to update the rows: each then
/// waits on the other, and PostgreSQL ends one of them, the upgrade or the
/// claim (CI, 2026-12-08). Taken first, the whole table makes the claims
/// wait for the change instead. SQLite has one writer and nothing to take.
pub(crate) async fn take_whole(manager: &SchemaManager<'_>, tables: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    db.execute_unprepared(&format!("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE", tables.join(", "))).await?;
    Ok(())
}
