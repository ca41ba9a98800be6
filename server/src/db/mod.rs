//! The database connection and the tables as the server reads them.

pub mod batch;
pub mod entities;

use std::num::NonZeroU32;
use std::str::FromStr;
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx;
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
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
/// counts as done (PostgreSQL decides that by its own settings). PostgreSQL
/// is given `postgres_connections` connections.
pub async fn connect(
    url: &str,
    durability: Durability,
    postgres_connections: NonZeroU32,
) -> Result<DatabaseConnection, DbErr> {
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
            // A statement that may fail halfway inside a transaction keeps
            // the pages it changes in a statement journal, a temporary file
            // by default: writing it was 7 % of the server's CPU under
            // intake (perf, 2026-12-07). It lives for one statement.
            .pragma("temp_store", "memory")
            .busy_timeout(Duration::from_secs(10));
        // One connection: SQLite has a single writer, and writers that
        // contend for its lock back off with sleeps that ruin latency.
        // Queued on one connection, transactions run back to back.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .after_connect(|connection, _| Box::pin(plan_statements_once(connection)))
            .connect_with(options)
            .await
            .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
        Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
    } else {
        let mut options = ConnectOptions::new(url);
        // A fixed number of connections, opened beside the server rather
        // than inside a request: a pool that grows on demand opened each
        // new connection while a page waited on it, and with TLS and a
        // SCRAM password that took 90 ms, the 100 ms answers of every
        // PostgreSQL benchmark (connection log, 2026-12-07). They are
        // opened by the server in the background ([`open_in_background`]).
        let connections = postgres_connections.get();
        options.max_connections(connections).min_connections(connections).connect_lazy(true).sqlx_logging(false);
        // PostgreSQL compiles a statement it expects to be costly into
        // machine code, which took longer than running it: with JIT, one
        // queue view answered in 188 ms at p99 at a million requests,
        // without it in 30 ms. The portal's statements are short; none
        // runs long enough to repay the compiler.
        options.map_sqlx_postgres_opts(|postgres| postgres.options([("jit", "off")]));
        Database::connect(options).await
    }
}

/// For the server, which runs long enough to use them: opens PostgreSQL's
/// `connections` one after another, beside whatever the server does
/// meanwhile (a command of the CLI, done in a moment, opens only what it
/// uses). sqlx opens a lazy pool's minimum only after a connection has
/// been closed, and an eager pool's before it returns: with PostgreSQL
/// just restarted, that held the first page back from 0.3 s to 1.7 s after
/// the start. Nothing to do on SQLite, whose connections are all opened.
pub fn open_in_background(db: &DatabaseConnection, connections: NonZeroU32) {
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        tokio::spawn(open_all(db.get_postgres_connection_pool().clone(), connections.get()));
    }
}

/// Each connection opened is held until all are, so that the next acquire
/// opens a new one rather than taking it back.
async fn open_all(pool: sqlx::PgPool, connections: u32) {
    let mut opened = Vec::new();
    for _ in 0..connections {
        match pool.acquire().await {
            Ok(connection) => opened.push(connection),
            Err(error) => {
                // Pages open what they need themselves; they fail loudly if
                // the database is really gone.
                tracing::warn!(%error, opened = opened.len(), "could not open every PostgreSQL connection in advance");
                return;
            }
        }
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
        .after_connect(|connection, _| Box::pin(plan_statements_once(connection)))
        .connect_with(options)
        .await
        .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// Keeps each prepared statement as it was planned. SQLite 3.51 reads the
/// value bound to a `LIMIT ?` into the plan, so binding it again (every
/// `.one()` does, and every page of a list) throws the statement away to
/// parse and plan it afresh: 8.5 % of the server's time under intake, every
/// run of the duplicate lookup and half the submissions' writes (perf and
/// uprobes, 2026-12-07). The planner's stability guarantee (QPSG) plans a
/// statement once, whatever is bound; the portal's plans never depended on
/// a bound value, since it keeps no statistics.
async fn plan_statements_once(connection: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = connection.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is this connection's open handle, locked for the call;
    // this option takes an int to set and a nullable out-pointer.
    let code = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            db,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            std::ptr::null_mut::<std::ffi::c_int>(),
        )
    };
    if code == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Configuration(format!("SQLite refused its planner's stability guarantee ({code})").into()))
    }
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// The steps of SQLite's plan for `select` on a freshly migrated database,
/// for tests that hold a query to the indexes it was written for.
#[cfg(test)]
pub(crate) async fn plan_of(select: impl sea_orm::QueryTrait) -> Vec<String> {
    plan_of_edited(select, |sql| sql).await.expect("a plan")
}

/// As [`plan_of`], with the statement's text changed by `edit` first: to
/// name an index with `INDEXED BY`, which SQLite refuses when that index
/// cannot serve the statement.
#[cfg(test)]
pub(crate) async fn plan_of_edited(
    select: impl sea_orm::QueryTrait,
    edit: impl FnOnce(String) -> String,
) -> Result<Vec<String>, DbErr> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let db = connect("sqlite::memory:", Durability::Full, NonZeroU32::MIN).await?;
    migrate(&db).await?;
    let query = select.build(DbBackend::Sqlite);
    let explain = Statement::from_sql_and_values(
        DbBackend::Sqlite,
        format!("EXPLAIN QUERY PLAN {}", edit(query.sql)),
        query.values.map(|values| values.0).unwrap_or_default(),
    );
    db.query_all_raw(explain).await?.iter().map(|row| row.try_get_by_index::<String>(3)).collect()
}

/// A fresh PostgreSQL database of its own, migrated, with its URL, for
/// tests of what PostgreSQL plans; `None` when `TEST_POSTGRES_URL` is not
/// set (a failure when `REQUIRE_POSTGRES` is, as in CI). The name starts as
/// the integration tests' do, so that the test command drops it next time.
#[cfg(test)]
pub(crate) async fn fresh_postgres() -> Option<(DatabaseConnection, String)> {
    use sea_orm::ConnectionTrait;
    let Some(admin_url) = std::env::var("TEST_POSTGRES_URL").ok().filter(|url| !url.is_empty()) else {
        assert!(std::env::var("REQUIRE_POSTGRES").is_err(), "REQUIRE_POSTGRES is set but TEST_POSTGRES_URL is not");
        return None;
    };
    let name = format!("portal_test_unit_{:016x}", rand::random::<u64>());
    let admin = Database::connect(&admin_url).await.expect("PostgreSQL admin connection");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("a test database");
    let (base, _) = admin_url.rsplit_once('/').expect("an admin URL ends in a database name");
    let url = format!("{base}/{name}");
    let db = connect(&url, Durability::Full, NonZeroU32::MIN).await.expect("a connection");
    migrate(&db).await.expect("migrations");
    Some((db, url))
}

/// The shared buffers PostgreSQL read to run `statement`, kept prepared as
/// `name` on the connection as sqlx keeps it.
#[cfg(test)]
pub(crate) async fn buffers_read(db: &DatabaseConnection, name: &str, statement: sea_orm::Statement) -> u64 {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::QueryBuilder;
    let arguments: Vec<String> = statement
        .values
        .map(|values| values.0)
        .unwrap_or_default()
        .iter()
        .map(|value| sea_orm::sea_query::PostgresQueryBuilder.value_to_string(value))
        .collect();
    let plan = db
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!("EXPLAIN (ANALYZE, BUFFERS) EXECUTE {name}({})", arguments.join(", ")),
        ))
        .await
        .expect("a plan");
    let lines: Vec<String> = plan.iter().map(|row| row.try_get_by_index::<String>(0).expect("a line")).collect();
    // The first node's count is the statement's.
    lines
        .iter()
        .find_map(|line| line.split("shared hit=").nth(1))
        .map_or(0, |hits| hits.split(|c: char| !c.is_ascii_digit()).next().unwrap_or("0").parse().expect("a count"))
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

    use super::*;

    /// How many times SQLite has parsed and planned again the statements
    /// sqlx keeps prepared on the writer's one connection.
    async fn replans(db: &DatabaseConnection) -> i32 {
        let mut connection = db.get_sqlite_connection_pool().acquire().await.expect("the writer's connection");
        let mut handle = connection.lock_handle().await.expect("its handle");
        let db = handle.as_raw_handle().as_ptr();
        let mut total = 0;
        // SAFETY: the handle is open and locked; each statement pointer
        // comes from SQLite's own list of this connection's statements.
        unsafe {
            let mut statement = libsqlite3_sys::sqlite3_next_stmt(db, std::ptr::null_mut());
            while !statement.is_null() {
                total += libsqlite3_sys::sqlite3_stmt_status(statement, libsqlite3_sys::SQLITE_STMTSTATUS_REPREPARE, 0);
                statement = libsqlite3_sys::sqlite3_next_stmt(db, statement);
            }
        }
        total
    }

    #[tokio::test]
    async fn a_statement_with_a_bound_limit_is_planned_once() {
        let folder = tempfile::tempdir().expect("a scratch folder");
        let url = format!("sqlite://{}", folder.path().join("portal.db").display());
        let db = connect(&url, Durability::Full, NonZeroU32::MIN).await.expect("the database opens");
        for limit in [1, 2, 1, 3] {
            let page = Statement::from_sql_and_values(DatabaseBackend::Sqlite, "SELECT 1 LIMIT ?", [limit.into()]);
            db.query_all_raw(page).await.expect("the query runs");
        }
        assert_eq!(replans(&db).await, 0, "binding a LIMIT again replanned the statement");
    }
}
