//! Staff sessions through the real router and the real session store, on
//! SQLite and PostgreSQL: an ended session stays ended whatever a request
//! still holding it does, a cookie nobody issued leaves nothing behind, and
//! static files never reach the store.

use crate::common;

use app::domain::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, Duration, DurationRound, Utc};
use common::TestApp;
use common::staff::StaffBrowser;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::db::entities::staff_session;
use server::staff::sessions::DbSessionStore;
use tower_sessions::SessionStore;
use tower_sessions::session::Id;

fn session_id(browser: &StaffBrowser<'_>) -> Id {
    browser.cookie.trim_start_matches("portal_staff=").parse().expect("a session id in the cookie")
}

async fn session_rows(app: &TestApp) -> u64 {
    staff_session::Entity::find().count(app.app.database()).await.expect("sessions counted")
}

async fn expires_at(app: &TestApp, id: &Id) -> Option<DateTime<Utc>> {
    let row = staff_session::Entity::find_by_id(id.to_string()).one(app.app.database()).await.expect("a query");
    row.map(|row| row.expires_at)
}

async fn set_expiry(app: &TestApp, id: &Id, at: DateTime<Utc>) {
    staff_session::Entity::update_many()
        .col_expr(staff_session::Column::ExpiresAt, Expr::value(at))
        .filter(staff_session::Column::Id.eq(id.to_string()))
        .exec(app.app.database())
        .await
        .expect("the expiry is set");
}

fn signed_out(reply: &common::Reply) -> bool {
    reply.status == StatusCode::SEE_OTHER && reply.location().starts_with("/staff/sign-in")
}

/// A slow request loads the session, the person signs out (or the session
/// runs out), and only then does the slow request finish and save what it
/// loaded: the cookie must open nothing afterwards.
async fn a_session_ended_while_a_slow_request_holds_it_stays_ended(app: TestApp) {
    let store = DbSessionStore::new(app.app.database().clone());

    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let id = session_id(&agent);
    let held = store.load(&id).await.expect("loaded").expect("the session is live");
    let out = agent.post("/staff/sign-out", &[]).await;
    assert!(signed_out(&out), "{} {}", out.status, out.location());
    store.save(&held).await.expect("the slow request finishes");
    assert!(signed_out(&agent.get("/staff").await), "the signed-out session came back");
    assert_eq!(session_rows(&app).await, 0);

    let again = app.sign_in("agent@example.com").await;
    let id = session_id(&again);
    let held = store.load(&id).await.expect("loaded").expect("the session is live");
    set_expiry(&app, &id, Utc::now() - Duration::seconds(1)).await;
    store.save(&held).await.expect("the slow request finishes");
    assert!(signed_out(&again.get("/staff").await), "the expired session came back");
}

/// A cookie naming no session, as a stale browser or a scanner sends it,
/// is forgotten, on customer pages, staff pages and forms alike.
async fn a_cookie_nobody_issued_creates_no_session(app: TestApp) {
    let cookie = format!("portal_staff={}", Id::default());
    for path in ["/", "/opt-out", "/staff", "/staff/sign-in", "/api/v1/openapi.json", "/no-such-page"] {
        let request = Request::get(path).header(header::COOKIE, &cookie).body(Body::empty()).expect("a request");
        let reply = app.send(request).await;
        assert!(reply.status.as_u16() < 500, "{path}: {}", reply.status);
    }
    let posted = app.post_form_with("/staff/sign-out", &[], &[("cookie", &cookie)]).await;
    assert!(posted.status.as_u16() < 500, "{}", posted.status);
    assert_eq!(session_rows(&app).await, 0, "no session rows for an unknown cookie");
}

/// Static files are served without asking who is asking; a staff page
/// still pushes the session's idle end back.
async fn static_files_leave_the_session_store_alone(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let id = session_id(&agent);
    let soon = (Utc::now() + Duration::minutes(5)).duration_trunc(Duration::seconds(1)).expect("a whole second");
    set_expiry(&app, &id, soon).await;
    for path in ["/favicon.svg", "/pkg/portal.css", "/pkg/portal.wasm", "/.well-known/gpc.json"] {
        let reply = agent.get(path).await;
        assert!(reply.status.as_u16() < 500, "{path}: {}", reply.status);
        assert!(reply.headers.get(header::SET_COOKIE).is_none(), "{path} set a cookie");
        assert_eq!(expires_at(&app, &id).await, Some(soon), "{path} touched the session");
    }
    assert_eq!(agent.get("/staff").await.status, StatusCode::OK);
    let pushed = expires_at(&app, &id).await.expect("the session is live");
    assert!(pushed > Utc::now() + Duration::minutes(25), "a staff page refreshes the idle expiry: {pushed}");
}

on_both_databases!(
    a_session_ended_while_a_slow_request_holds_it_stays_ended,
    a_cookie_nobody_issued_creates_no_session,
    static_files_leave_the_session_store_alone,
);
