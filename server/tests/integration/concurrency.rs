//! Pages rendered many at a time on a multi-threaded runtime, as the
//! server runs them: under a 64-client soak, about one case page in forty
//! panicked while its title was read and the browser's connection was cut.

use crate::common;

use app::domain::Role;
use axum::body::Body;
use axum::http::{Request, header};
use common::{Backend, COMPLAINT, TestApp};
use tower::ServiceExt;

// About one page in 250 panicked: 1,500 make a miss unlikely (e^-6).
const PAGES: usize = 1500;
const AT_ONCE: usize = 64;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn case_pages_rendered_together_all_answer_with_their_title() {
    let app = TestApp::start(Backend::Sqlite).await.expect("SQLite is always available");
    let tracking = app.submit("/complaint", COMPLAINT).await;
    let text = app.get(&tracking).await.main_text();
    let at = text.find("PR-").expect("a reference");
    let reference = text[at..at + 12].to_owned();
    let cookie = app.staff_member("lead@example.com", Role::Manager).await.cookie;

    let router = app.app.router();
    let path = format!("/staff/requests/{reference}");
    let limit = std::sync::Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
    let pages: Vec<_> = (0..PAGES)
        .map(|_| {
            let (router, path, cookie, limit) = (router.clone(), path.clone(), cookie.clone(), limit.clone());
            tokio::spawn(async move {
                let _turn = limit.acquire_owned().await.expect("the semaphore stays open");
                let request = Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).expect("a request");
                let response = router.oneshot(request).await.expect("the router answers");
                let status = response.status();
                let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("a whole body");
                (status, String::from_utf8_lossy(&body).into_owned())
            })
        })
        .collect();
    let mut broken = 0;
    for page in pages {
        match page.await {
            Ok((status, body)) => {
                assert_eq!(status, 200, "{body}");
                assert!(body.contains(&format!("<title>Request {reference}")), "the title names the request");
            }
            Err(error) if error.is_panic() => broken += 1,
            Err(error) => panic!("a page task failed: {error}"),
        }
    }
    assert_eq!(broken, 0, "{broken} of {PAGES} case pages panicked while rendering");
}

/// On SQLite every write shares one connection. Under a 64-client soak,
/// tracking pages and the queue waited behind commits and behind the
/// outbox draining its backlog, some for over 5 s; case pages (their access
/// log) and dashboards (their kept day counts) wrote on every view and
/// waited out the request timeout when many were opened together under
/// load. Pages that only read must not wait for the writer at all: here it
/// is held by a transaction that does not end until every page has
/// answered. The case page's access entry is written once it is let go.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_that_only_read_answer_while_the_writer_is_busy() {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};
    use server::db::entities::audit_entry;

    let app = TestApp::start(Backend::Sqlite).await.expect("SQLite is always available");
    let tracking = app.submit("/complaint", COMPLAINT).await;
    let text = app.get(&tracking).await.main_text();
    let at = text.find("PR-").expect("a reference");
    let case = format!("/staff/requests/{}", &text[at..at + 12]);
    let cookie = app.staff_member("lead@example.com", Role::Manager).await.cookie;
    let router = app.app.router();
    let openings = || {
        audit_entry::Entity::find().filter(audit_entry::Column::Action.eq("request.opened")).count(app.app.database())
    };

    let busy = app.app.database().begin().await.expect("the writer");
    for (path, cookie) in [
        (tracking.as_str(), None),
        (case.as_str(), Some(&cookie)),
        ("/staff/dashboard", Some(&cookie)),
        ("/staff/dashboard?range=year", Some(&cookie)),
        ("/staff/disclosure", Some(&cookie)),
        ("/staff", Some(&cookie)),
        ("/staff?status=all&sort=newest", Some(&cookie)),
        ("/staff/mail", Some(&cookie)),
        ("/staff/opt-outs", Some(&cookie)),
        ("/staff/opt-outs?q=someone%40example.com", Some(&cookie)),
    ] {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let request = request.body(Body::empty()).expect("a request");
        let answer = tokio::time::timeout(std::time::Duration::from_secs(10), router.clone().oneshot(request)).await;
        let response = answer.unwrap_or_else(|_| panic!("{path} waited for the writer"));
        assert_eq!(response.expect("the router answers").status(), 200, "{path}");
    }
    busy.rollback().await.expect("the writer is let go");
    let logged = async {
        while openings().await.expect("a count") == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), logged)
        .await
        .expect("the case page's opening is in the audit log once the writer is free");
}
