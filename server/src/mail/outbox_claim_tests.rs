//! A claim reads its batch and stops, however many letters wait: under
//! intake the backlog grows by hundreds a second, and a claim that read it
//! all fell further behind the longer the load lasted.

use std::num::NonZeroU32;

use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use super::{Channel, claim_statement};
use crate::db::{self, Durability};

fn claim(backend: DatabaseBackend) -> Statement {
    claim_statement(backend, Channel::Mail, "a-worker", Utc::now(), Duration::minutes(5), 20)
}

#[tokio::test]
async fn sqlite_claims_from_its_index_in_order_and_updates_by_id() {
    let db = db::connect("sqlite::memory:", Durability::Full, NonZeroU32::MIN).await.expect("a database");
    db::migrate(&db).await.expect("migrations");
    let claim = claim(DatabaseBackend::Sqlite);
    let explain = Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        format!("EXPLAIN QUERY PLAN {}", claim.sql),
        claim.values.map(|values| values.0).unwrap_or_default(),
    );
    let rows = db.query_all_raw(explain).await.expect("a plan");
    let plan: Vec<String> = rows.iter().map(|row| row.try_get_by_index::<String>(3).expect("a step")).collect();
    let has = |step: &str| plan.iter().any(|line| line.contains(step));
    assert!(has("MATERIALIZE batch"), "{plan:#?}");
    assert!(has("SEARCH outbox USING INTEGER PRIMARY KEY"), "{plan:#?}");
    assert!(
        has("SEARCH outbox USING INDEX idx_outbox_claim (status=? AND channel=? AND next_attempt_at<?)"),
        "{plan:#?}"
    );
    assert!(!has("TEMP B-TREE") && !has("SCAN outbox"), "{plan:#?}");
}

/// PostgreSQL plans the claim, which the worker keeps prepared, on the
/// empty outbox of a fresh portal, and keeps that plan until autovacuum
/// analyses the table. The batch must still be the 20 asked for, taken
/// from the front of the waiting rows rather than a walk past every letter
/// sent or waiting. Asked as `id IN (… LIMIT 20 FOR UPDATE SKIP LOCKED)`,
/// that plan ran the inner query again for each of the 10,000 waiting rows
/// and claimed them all (50 million buffers); now it reads about 370.
#[tokio::test]
async fn a_claim_planned_on_an_empty_outbox_reads_its_batch_not_the_backlog() {
    let Some((db, _)) = db::fresh_postgres().await else { return };
    db.execute_unprepared("ALTER TABLE outbox SET (autovacuum_enabled = false)").await.expect("autovacuum off");
    let claim = claim(DatabaseBackend::Postgres);
    db.execute_unprepared(&format!("PREPARE claim AS {}", claim.sql)).await.expect("prepared");
    // Past the fifth run PostgreSQL may keep one plan for any values.
    for _ in 0..8 {
        db::buffers_read(&db, "claim", claim.clone()).await;
    }
    // Ten thousand letters sent, then ten thousand waiting.
    db.execute_unprepared(
        "INSERT INTO outbox (template, recipient, subject, message_id, status, attempts, next_attempt_at, \
         created_at, channel) \
         SELECT 'receipt', 'sealed', 'sealed', 'm' || n, CASE WHEN n <= 10000 THEN 'sent' ELSE 'pending' END, 0, \
                now() - interval '1 minute', now(), 'mail' \
         FROM generate_series(1, 20000) AS n",
    )
    .await
    .expect("a backlog");
    let read = db::buffers_read(&db, "claim", claim).await;
    let held = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT COUNT(*) FROM outbox WHERE locked_by = 'a-worker'",
        ))
        .await
        .expect("a count")
        .and_then(|row| row.try_get_by_index::<i64>(0).ok());
    assert_eq!(held, Some(20), "a claim of 20 took another number of letters");
    assert!(read < 500, "a claim of 20 read {read} buffers");
}
