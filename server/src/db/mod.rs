//! The database connection and the tables as the server reads them.

pub mod batch;
pub mod entities;

use std::str::FromStr;
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr, SqlxSqliteConnector};

/// How far a SQLite commit has travelled before it is acknowledged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    /// On the disk: survives a crash of the portal and a power cut.
    #[default]
    Full,
    /// In the write-ahead log: survives a crash of the portal; a power cut
    /// may lose the last commits.
    Normal,
}

/// Opens the database named by `url`. A SQLite file is created when missing,
/// in WAL mode with foreign keys enforced; `durability` says when a commit
/// counts as done (PostgreSQL decides that by its own settings).
pub async fn connect(url: &str, durability: Durability) -> Result<DatabaseConnection, DbErr> {
    if url.starts_with("sqlite:") {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| DbErr::Custom(format!("invalid SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match durability {
                Durability::Full => SqliteSynchronous::Full,
                Durability::Normal => SqliteSynchronous::Normal,
            })
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // One connection: SQLite has a single writer, and writers that
        // contend for its lock back off with sleeps that ruin latency.
        // Queued on one connection, transactions run back to back.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
        Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
    } else {
        let mut options = ConnectOptions::new(url);
        options.max_connections(16).sqlx_logging(false);
        Database::connect(options).await
    }
}

/// Connections for reads that need no lock: on SQLite a read-only pool
/// beside the single writer (in WAL mode readers and the writer do not wait
/// for one another, and a reader sees every commit made before it began);
/// on PostgreSQL the same pool as `writer`. Pages that only show data read
/// here, so a burst of commits or the outbox draining its backlog on the
/// writer never holds up a page. Must be opened after [`migrate`], since a
/// read-only connection cannot create the file.
pub async fn reader(url: &str, writer: &DatabaseConnection) -> Result<DatabaseConnection, DbErr> {
    if !url.starts_with("sqlite:") {
        return Ok(writer.clone());
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| DbErr::Custom(format!("invalid SQLite URL: {e}")))?
        .create_if_missing(false)
        .read_only(true)
        .busy_timeout(Duration::from_secs(10));
    // As many as there are cores to run them, and one more to wait on the
    // disk while the others compute.
    let readers = std::thread::available_parallelism().map_or(2, |cores| cores.get() as u32 + 1);
    let pool = SqlitePoolOptions::new()
        .max_connections(readers)
        .connect_with(options)
        .await
        .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}
