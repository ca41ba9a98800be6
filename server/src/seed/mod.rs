//! `server seed`: realistic requests for trying the portal and for benchmarks.
//!
//! Requests arrive over the last two years, more on weekdays and a little
//! more each month; each gets the history the portal would have written for
//! it (submission, verification, assignment, work, questions to the
//! customer, notes, the outcome), its clock as the configured rules compute
//! it, and the columns the queue filters on. Older requests are finished,
//! most of them before their deadline; recent ones are still open. No
//! letters are written. Every change of status goes through the workflow,
//! as it would in the portal.
//!
//! Rows are made on a thread of their own while the previous chunk is
//! written, in multi-row inserts, a few thousand requests per transaction.

mod details;
mod life;
mod maker;
mod opt_outs;
mod people;
mod roster;
mod words;
mod write;

use std::collections::HashSet;
use std::time::Instant;

use app::domain::format::{grouped, percent};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait, QuerySelect};

use crate::config::Config;
use maker::Maker;
use roster::{ROSTER, roster};
use write::{Chunk, write_chunk};

/// How far back requests go.
const HISTORY_DAYS: i64 = 730;

/// Adds `opt_outs` entries to the opt-out register in `config`'s database.
pub async fn register(config: &Config, opt_outs: u64) -> Result<(), String> {
    let db = open(config).await?;
    let vault = crate::vault::open_vault(&db, &config.key_source()).await.map_err(|e| e.to_string())?;
    // Before writing, while the register is small: it marks the database
    // as holding nothing unsealed. Otherwise the portal's first start walks
    // every entry seeded here to find out (minutes for a million, before
    // it listens), since these are all sealed anyway.
    crate::vault::rotate::seal_unsealed(&db, &vault).await.map_err(|e| e.to_string())?;
    opt_outs::run(&db, &vault, opt_outs).await?;
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        let _ = db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await;
    }
    Ok(())
}

/// Adds `requests` requests to the database in `config`.
pub async fn run(config: &Config, requests: u64) -> Result<(), String> {
    let started = Instant::now();
    let db = open(config).await?;
    let clocks = config.clocks().map_err(|e| e.to_string())?;
    let backend = db.get_database_backend();

    let roster = roster(&db).await.map_err(|e| format!("cannot create the staff roster: {e}"))?;
    let first_id = next_request_id(&db).await.map_err(|e| e.to_string())?;
    let taken: HashSet<String> = crate::db::entities::request::Entity::find()
        .select_only()
        .column(crate::db::entities::request::Column::Reference)
        .into_tuple::<String>()
        .all(&db)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .collect();

    let progress = ProgressBar::new(requests).with_style(
        ProgressStyle::with_template(
            "{spinner} {elapsed_precise} [{wide_bar}] {human_pos}/{human_len} requests  {per_sec}  ETA {eta}",
        )
        .map_err(|e| e.to_string())?
        .progress_chars("=> "),
    );
    let (chunks, mut incoming) = tokio::sync::mpsc::channel::<Chunk>(1);
    let keys = config.key_source();
    let vault = crate::vault::open_vault(&db, &keys).await.map_err(|e| e.to_string())?;
    crate::vault::rotate::seal_unsealed(&db, &vault).await.map_err(|e| e.to_string())?;
    let mut maker = Maker::new(clocks, roster, config.verification_hours, first_id, taken, vault);
    let generator = std::thread::spawn(move || {
        maker.generate(requests, |chunk| chunks.blocking_send(chunk).is_ok()).map(|()| maker.stats)
    });

    let mut written = 0_u64;
    let mut events = 0_u64;
    while let Some(chunk) = incoming.recv().await {
        let (count, event_count) = (chunk.requests, chunk.events);
        if let Err(e) = write_chunk(&db, backend, chunk).await {
            drop(incoming);
            let _ = generator.join();
            progress.abandon();
            return Err(format!("cannot write requests: {e}"));
        }
        written += count as u64;
        events += event_count as u64;
        progress.inc(count as u64);
    }
    let stats = generator.join().map_err(|_| "the request generator failed".to_owned())?.map_err(|e| e.to_string())?;
    progress.finish_and_clear();
    if backend == DatabaseBackend::Postgres && written > 0 {
        // Ids were given explicitly; the sequence must move past them.
        db.execute_unprepared(
            "SELECT setval(pg_get_serial_sequence('requests', 'id'), (SELECT MAX(id) FROM requests))",
        )
        .await
        .map_err(|e| e.to_string())?;
    }
    crate::metrics::forget_all(&db).await.map_err(|e| e.to_string())?;
    if backend == DatabaseBackend::Sqlite {
        // Fold the write-ahead log into the database file, so that the
        // file stands alone; a reader holding it open only postpones that.
        let _ = db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Seeded {} requests ({} opt-out, {} amendment, {} complaint; {} open, {} finished of which {} late) \
         with {} events and {} staff in {:.1} s ({}/s).",
        grouped(written),
        grouped(stats.by_kind[0]),
        grouped(stats.by_kind[1]),
        grouped(stats.by_kind[2]),
        grouped(stats.open),
        grouped(stats.finished),
        percent(Some(if stats.finished > 0 { 100.0 * stats.late as f64 / stats.finished as f64 } else { 0.0 })),
        grouped(events),
        ROSTER.len(),
        seconds,
        grouped((written as f64 / seconds.max(0.001)) as u64),
    );
    Ok(())
}

/// Opens and migrates the database as the portal does. SQLite gets a large
/// page cache, which keeps the random-keyed unique indexes (reference,
/// tracking hash) in memory while they grow, and no slow-statement log:
/// an insert of a few thousand rows is meant to take a while.
async fn open(config: &Config) -> Result<DatabaseConnection, String> {
    let url = config.database_url.expose();
    let db = if url.starts_with("sqlite:") {
        use sea_orm::sqlx::ConnectOptions;
        use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
        let options = url
            .parse::<SqliteConnectOptions>()
            .map_err(|e| format!("invalid SQLite URL: {e}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match config.sqlite_synchronous {
                crate::db::Durability::Full => SqliteSynchronous::Full,
                crate::db::Durability::Normal => SqliteSynchronous::Normal,
            })
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(10))
            .pragma("cache_size", "-524288")
            .disable_statement_logging();
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| format!("cannot open the database: {e}"))?;
        sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
    } else {
        crate::db::connect(url, config.sqlite_synchronous, config.postgres_connections)
            .await
            .map_err(|e| format!("cannot open the database: {e}"))?
    };
    crate::db::migrate(&db).await.map_err(|e| format!("cannot apply migrations: {e}"))?;
    Ok(db)
}

async fn next_request_id(db: &DatabaseConnection) -> Result<i64, DbErr> {
    let max = crate::db::entities::request::Entity::find()
        .select_only()
        .column_as(crate::db::entities::request::Column::Id.max(), "max")
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    Ok(max.unwrap_or(0) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_seeded_database_reads_back_as_the_portal_wrote_it() {
        use crate::clocks::ClockState;
        use crate::db::entities::{request, request_event, staff_user};
        use crate::vault::rows::ClockColumn;
        use app::domain::clock::RequestClock;
        use app::domain::workflow::Outcome;
        use app::domain::{EventKind, ReferenceCode, RequestDetails, RequestKind, RequestStatus};
        use clap::Parser;

        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/seed.db", dir.path().display());
        let cli = crate::cli::Cli::parse_from(["server", "--database-url", url.as_str()]);
        run(&cli.config, 1_500).await.unwrap();
        run(&cli.config, 500).await.unwrap();

        let db =
            crate::db::connect(&url, crate::db::Durability::Normal, cli.config.postgres_connections).await.unwrap();
        let vault = crate::vault::open_vault(&db, &cli.config.key_source()).await.unwrap();
        let rows = request::Entity::find().all(&db).await.unwrap();
        assert_eq!(rows.len(), 2_000);
        assert_eq!(staff_user::Entity::find().all(&db).await.unwrap().len(), ROSTER.len());
        let events = request_event::Entity::find().all(&db).await.unwrap();
        let mut open = 0;
        for row in &rows {
            let kind = RequestKind::parse(&row.kind).unwrap();
            let status = RequestStatus::parse(&row.status).unwrap();
            let details: RequestDetails = serde_json::from_str(&vault.open_details(row).unwrap()).unwrap();
            let contact = vault.open_contact(row).unwrap();
            assert!(contact.email.contains('@'), "the seeded address reads back");
            assert_eq!(row.email_index, vault.email_index(&contact.email));
            assert_eq!(details.kind(), kind);
            assert!(ReferenceCode::parse(&row.reference).is_ok());
            assert_eq!(row.tracking_hash.len(), 64);
            let state = vault.open_clock(row, ClockColumn::State).unwrap().unwrap();
            let _: ClockState = serde_json::from_str(&state).unwrap();
            let clock = vault.open_clock(row, ClockColumn::Clock).unwrap().unwrap();
            let clock: RequestClock = serde_json::from_str(&clock).unwrap();
            assert_eq!(row.due_on, Some(clock.due()));
            match vault.open_outcome(row).unwrap() {
                Some(json) => {
                    let outcome: Outcome = serde_json::from_str(&json).unwrap();
                    assert_eq!(row.outcome_tag.as_deref(), Some(outcome.class().as_str()));
                    assert_eq!(outcome.kind(), kind);
                    assert_eq!(outcome.status(), status);
                    assert!(row.resolved_at.is_some());
                }
                None => assert!(matches!(status, s if s.is_open() || s == RequestStatus::Closed)),
            }
            if status.is_open() {
                open += 1;
                assert!(row.resolved_at.is_none());
            }
            let history: Vec<_> = events.iter().filter(|e| e.request_id == row.id).collect();
            assert!(!history.is_empty());
            assert!(history.windows(2).all(|pair| pair[0].at <= pair[1].at));
            for event in history {
                let kind = EventKind::parse(&event.kind).unwrap();
                assert_eq!(event.customer_visible, kind.customer_visible());
                vault.open_event_body(event).unwrap();
            }
        }
        assert!(open > 0 && open < rows.len() / 2, "{open} open");
    }
}
