//! The rule book's finer points through the real router, on SQLite and
//! PostgreSQL: who may take or drop a case (one at a time and in bulk),
//! the last administrator, and what a tracking link opens.

use crate::common;

use app::domain::Role;
use axum::http::StatusCode;
use common::staff::StaffBrowser;
use common::{COMPLAINT, TestApp};

/// Submits a complaint; returns its tracking path and reference.
async fn complaint(app: &TestApp, name: &str) -> (String, String) {
    let mut form = COMPLAINT.to_vec();
    form.retain(|(field, _)| *field != "full_name");
    form.push(("full_name", name));
    let tracking = app.submit("/complaint", &form).await;
    let text = app.get(&tracking).await.main_text();
    let at = text.find("PR-").expect("a reference");
    (tracking, text[at..at + 12].to_owned())
}

async fn assign(browser: &StaffBrowser<'_>, reference: &str, to: &str) -> StatusCode {
    let version = browser.case(reference).await.version.to_string();
    let path = format!("/staff/requests/{reference}/assign");
    browser.post(&path, &[("assignee", to), ("version", &version)]).await.status
}

async fn holder(browser: &StaffBrowser<'_>, reference: &str) -> Option<String> {
    browser.case(reference).await.assignee.map(|member| member.email)
}

/// A bulk change to these cases; returns (changed, skipped).
async fn bulk(browser: &StaffBrowser<'_>, action: &str, references: &[&str]) -> (String, String) {
    let mut selected = Vec::new();
    for reference in references {
        selected.push(format!("{reference}:{}", browser.case(reference).await.version));
    }
    let mut form = vec![("bulk_action", action), ("return_to", "")];
    form.extend(selected.iter().map(|row| ("selected", row.as_str())));
    let reply = browser.post("/staff/bulk", &form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.main_text());
    let query = reply.location().split_once('?').map(|(_, query)| query.to_owned()).unwrap_or_default();
    let value = |name: &str| {
        query.split('&').find_map(|pair| pair.strip_prefix(&format!("{name}="))).unwrap_or_default().to_owned()
    };
    (value("changed"), value("skipped"))
}

async fn agents_take_free_cases_and_hand_back_their_own_but_not_a_colleagues(app: TestApp) {
    let ann = app.staff_member("ann@example.com", Role::Agent).await;
    let cole = app.staff_member("cole@example.com", Role::Agent).await;
    let manager = app.staff_member("manager@example.com", Role::Manager).await;
    let (_, held) = complaint(&app, "Grace Hopper").await;
    let (_, free) = complaint(&app, "Ada Lovelace").await;

    assert_eq!(assign(&cole, &held, "me").await, StatusCode::SEE_OTHER, "an agent takes an unassigned case");
    assert_eq!(assign(&ann, &held, "me").await, StatusCode::FORBIDDEN, "but not a colleague's");
    assert_eq!(assign(&ann, &held, "none").await, StatusCode::FORBIDDEN, "nor drops it");
    assert_eq!(holder(&ann, &held).await.as_deref(), Some("cole@example.com"));
    let page = ann.get(&format!("/staff/requests/{held}")).await;
    assert!(page.text_of("assign-held").is_some_and(|t| t.contains("Assigned to cole")), "{}", page.main_text());
    assert!(!page.body.contains("id=\"form-assign\""), "no form offering what would be refused");

    assert_eq!(assign(&ann, &free, "me").await, StatusCode::SEE_OTHER);
    assert_eq!(assign(&ann, &free, "none").await, StatusCode::SEE_OTHER, "an agent hands their own case back");
    assert_eq!(holder(&ann, &free).await, None);

    // In bulk: the colleague's case is skipped, the free one taken.
    assert_eq!(bulk(&ann, "assign_me", &[&held, &free]).await, ("1".to_owned(), "1".to_owned()));
    assert_eq!(holder(&ann, &held).await.as_deref(), Some("cole@example.com"));
    assert_eq!(holder(&ann, &free).await.as_deref(), Some("ann@example.com"));
    assert_eq!(bulk(&ann, "unassign", &[&held, &free]).await, ("1".to_owned(), "1".to_owned()));
    assert_eq!(holder(&ann, &held).await.as_deref(), Some("cole@example.com"), "a colleague's case is not dropped");
    assert_eq!(holder(&ann, &free).await, None);
    let cole_id = manager.case(&held).await.assignee.expect("assigned").id.to_string();
    assert_eq!(bulk(&ann, &format!("assign:{cole_id}"), &[&free]).await, ("0".to_owned(), "1".to_owned()));
    assert_eq!(holder(&ann, &free).await, None, "nor given to one");

    // Those who may assign to others may take and drop a colleague's case.
    assert_eq!(assign(&manager, &held, "me").await, StatusCode::SEE_OTHER);
    assert_eq!(holder(&manager, &held).await.as_deref(), Some("manager@example.com"));
    assert_eq!(bulk(&manager, &format!("assign:{cole_id}"), &[&held, &free]).await, ("2".to_owned(), "0".to_owned()));
    assert_eq!(bulk(&manager, "unassign", &[&held]).await, ("1".to_owned(), "0".to_owned()));
    assert_eq!(holder(&manager, &held).await, None);
}

async fn the_last_administrator_cannot_demote_or_disable_themselves(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    app.create_staff("second@example.com", "Second", Role::Agent).await;
    let me = account(&app, "admin@example.com").await.id;
    let second = account(&app, "second@example.com").await.id;

    let demoted = admin.post(&format!("/staff/people/{me}/role"), &[("role", "manager")]).await;
    assert_eq!(demoted.status, StatusCode::CONFLICT);
    assert!(demoted.main_text().contains("You are the only administrator"), "{}", demoted.main_text());
    let disabled = admin.post(&format!("/staff/people/{me}/disable"), &[]).await;
    assert_eq!(disabled.status, StatusCode::CONFLICT);
    assert!(disabled.main_text().contains("cannot disable your own account"), "{}", disabled.main_text());
    let unchanged = account(&app, "admin@example.com").await;
    assert!(unchanged.active && unchanged.role == "admin", "nothing changed");
    assert_eq!(admin.get("/staff/people").await.status, StatusCode::OK, "still signed in, still an administrator");

    // With a second administrator, either may step down.
    let promoted = admin.post(&format!("/staff/people/{second}/role"), &[("role", "admin")]).await;
    assert_eq!(promoted.status, StatusCode::SEE_OTHER, "{}", promoted.main_text());
    let stepped_down = admin.post(&format!("/staff/people/{me}/role"), &[("role", "manager")]).await;
    assert_eq!(stepped_down.status, StatusCode::SEE_OTHER, "{}", stepped_down.main_text());
    assert_eq!(account(&app, "admin@example.com").await.role, "manager");

    let last = app.sign_in("second@example.com").await;
    let refused = last.post(&format!("/staff/people/{second}/disable"), &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.main_text());
    assert!(account(&app, "second@example.com").await.active);
}

async fn account(app: &TestApp, email: &str) -> server::db::entities::staff_user::Model {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use server::db::entities::staff_user;
    staff_user::Entity::find()
        .filter(staff_user::Column::Email.eq(email))
        .one(app.app.database())
        .await
        .expect("a query")
        .expect("the account")
}

/// A tracking link opens its own request and nothing else; a made-up one
/// opens nothing and sends nothing.
async fn a_tracking_link_opens_its_own_request_only(app: TestApp) {
    let (grace, grace_ref) = complaint(&app, "Grace Hopper").await;
    let (_, ada_ref) = complaint(&app, "Ada Lovelace").await;
    let page = app.get(&grace).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.main_text().contains(&grace_ref) && !page.main_text().contains(&ada_ref));

    let made_up = format!("/track/{}", "A".repeat(43));
    assert_eq!(app.get(&made_up).await.status, StatusCode::NOT_FOUND);
    let settle = std::time::Duration::from_millis(500);
    app.mail.wait_for(2, common::WAIT).await;
    tokio::time::sleep(settle).await;
    let letters = app.mail.inbox().len();
    let resend = app.post_form(&format!("{made_up}/resend"), &[]).await;
    assert_eq!(resend.status, StatusCode::SEE_OTHER);
    assert_eq!(resend.location(), made_up, "nothing to say about a link that opens nothing");
    tokio::time::sleep(settle).await;
    assert_eq!(app.mail.inbox().len(), letters, "no letter for a made-up link");
}

on_both_databases!(
    agents_take_free_cases_and_hand_back_their_own_but_not_a_colleagues,
    the_last_administrator_cannot_demote_or_disable_themselves,
    a_tracking_link_opens_its_own_request_only,
);
