//! The portal's connections to PostgreSQL. A pool that opened a connection
//! when a page needed one made that page wait for PostgreSQL's TLS and
//! password exchange, 90 ms under load, and PostgreSQL's compiler of
//! costly statements (JIT) took longer than the statements it compiled:
//! both were the 100 ms answers of every PostgreSQL benchmark.

use std::num::NonZeroU32;
use std::time::Instant;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};

use crate::common::{Backend, TestApp, WAIT, smtp};

const CONNECTIONS: u32 = 12;

/// How many connections other than `probe`'s own hold the probe's database.
async fn others_connected(probe: &DatabaseConnection) -> i64 {
    let row = probe
        .query_one_raw(Statement::from_string(
            probe.get_database_backend(),
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        ))
        .await
        .expect("pg_stat_activity")
        .expect("a count");
    row.try_get("", "n").expect("the count")
}

#[tokio::test]
async fn every_connection_is_open_before_a_page_asks_for_one() {
    let Some(test) = TestApp::start_with(Backend::Postgres, smtp::SmtpSink::start().await, |config| {
        config.postgres_connections = NonZeroU32::new(CONNECTIONS).expect("not zero");
    })
    .await
    else {
        return;
    };
    // One connection, so that the probe's own is the only one left out.
    let mut probe = ConnectOptions::new(test.config.database_url.expose());
    probe.max_connections(1);
    let probe = Database::connect(probe).await.expect("a probe connection");
    let started = Instant::now();
    let mut connected = others_connected(&probe).await;
    while connected < i64::from(CONNECTIONS) && started.elapsed() < WAIT {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        connected = others_connected(&probe).await;
    }
    assert_eq!(connected, i64::from(CONNECTIONS), "an idle portal keeps every connection it may use open");

    assert_eq!(test.get("/").await.status, axum::http::StatusCode::OK);
    assert_eq!(others_connected(&probe).await, i64::from(CONNECTIONS), "and opens none beside them");
}

#[tokio::test]
async fn no_statement_waits_for_the_jit_compiler() {
    let Some(test) = TestApp::start(Backend::Postgres).await else { return };
    let db = test.app.database();
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), "SHOW jit"))
        .await
        .expect("SHOW jit")
        .expect("a setting");
    let jit: String = row.try_get("", "jit").expect("the setting");
    assert_eq!(jit, "off");
}
