//! Why a page could hang, shown on the real router. While Leptos lists an
//! app's routes (`generate_route_list`) it sets a flag that stops every
//! resource in the process from loading, and a page whose resource is first
//! polled meanwhile waits for ever (leptos issue 4773). The portal lists its
//! pages once per process, before its first router serves anything.
//!
//! A test binary of its own: holding that flag would stall the pages of
//! every other test running in the same process.

// Of the integration tests' helpers this binary needs only a running app.
#[allow(dead_code, unused_macros)]
#[path = "integration/common/mod.rs"]
mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::{Backend, COMPLAINT, TestApp};

/// Longer than the tracking page ever takes here, far shorter than the
/// router's own 30-second timeout.
const PATIENCE: Duration = Duration::from_secs(5);

/// The two tests must not overlap: one holds the flag the other is about.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn app_with_a_request() -> (TestApp, String) {
    let app = TestApp::start(Backend::Sqlite).await.expect("SQLite is always available");
    let tracking = app.submit("/complaint", COMPLAINT).await;
    assert_eq!(app.get(&tracking).await.status, StatusCode::OK);
    (app, tracking)
}

#[tokio::test]
async fn a_page_with_a_resource_never_finishes_while_resource_loads_are_suppressed() {
    let _alone = ONE_AT_A_TIME.lock().await;
    // The app is built first: listing the routes clears the flag when done,
    // whoever had set it.
    let (app, tracking) = app_with_a_request().await;
    {
        let _suppressed = leptos::server::SuppressResourceLoad::new();
        let hung = tokio::time::timeout(PATIENCE, app.get(&tracking)).await;
        assert!(hung.is_err(), "the tracking page answered although its resource could not load");
    }
    let after = tokio::time::timeout(PATIENCE, app.get(&tracking)).await.expect("answers once the flag is down");
    assert_eq!(after.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn building_more_apps_never_stalls_a_page_being_rendered() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let (app, tracking) = app_with_a_request().await;
    let config = app.config.clone();
    // Other instances start in the same process, as the integration tests
    // start one app per test.
    let builder = tokio::spawn(async move {
        for _ in 0..30 {
            drop(server::Application::build(config.clone()).await.expect("another instance starts"));
        }
    });
    let mut pages = 0;
    while !builder.is_finished() {
        let page = tokio::time::timeout(PATIENCE, app.get(&tracking))
            .await
            .unwrap_or_else(|_| panic!("the tracking page hung after {pages} pages while other apps were built"));
        assert_eq!(page.status, StatusCode::OK);
        pages += 1;
    }
    builder.await.expect("the builder finished");
    assert!(pages > 0, "pages were rendered while apps were built");
}
