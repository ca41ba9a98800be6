//! API tokens that end, through the real router on SQLite and PostgreSQL:
//! after the lifetime chosen when they were issued, with their owner's
//! sessions, and never behind their owner's back.

use crate::common;

use app::domain::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, Utc};
use clap::Parser;
use common::TestApp;
use common::staff::StaffBrowser;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use server::db::entities::{api_token, audit_entry};

/// Whether the API lets `token` in.
async fn lets_in(app: &TestApp, token: &str) -> bool {
    let request = Request::get("/api/v1/requests/PR-2222-2222")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("a request");
    let reply = app.send(request).await;
    assert!(reply.status == StatusCode::NOT_FOUND || reply.status == StatusCode::UNAUTHORIZED, "{}", reply.status);
    reply.status == StatusCode::NOT_FOUND
}

/// Issues a token through the administrator's form; the page shows it once.
async fn issue(admin: &StaffBrowser<'_>, email: &str, days: &str) -> common::Reply {
    admin.post("/staff/tokens", &[("name", "Phone system"), ("email", email), ("days", days)]).await
}

/// The cookie the form's answer sets to carry the new token to its page.
fn carried(reply: &common::Reply) -> Option<String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_new_token="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// Issues a token and follows the answer to the page that shows it.
async fn issued(admin: &StaffBrowser<'_>, email: &str, days: &str) -> String {
    let answer = issue(admin, email, days).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.main_text());
    assert_eq!(answer.location(), "/staff/tokens");
    let cookie = format!("{}; {}", admin.cookie, carried(&answer).expect("the token is carried to its page"));
    let page = admin
        .app
        .send(Request::get("/staff/tokens").header(header::COOKIE, cookie).body(Body::empty()).expect("a request"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(carried(&page).as_deref(), Some("portal_new_token="), "the page clears what carried the token");
    page.input_value("issued-token").expect("the new token is shown")
}

/// Post, redirect, get: refreshing the page that shows a new token neither
/// shows it again nor issues another.
async fn refreshing_the_page_of_a_new_token_issues_no_second_one(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let token = issued(&admin, "admin@example.com", "30").await;
    assert!(lets_in(&app, &token).await);
    let refreshed = admin.get("/staff/tokens").await;
    assert_eq!(refreshed.status, StatusCode::OK);
    assert_eq!(refreshed.input_value("issued-token"), None, "shown once");
    assert!(!refreshed.body.contains(&token));
    let count = api_token::Entity::find().count(app.app.database()).await.expect("count");
    assert_eq!(count, 1, "one form, one token");
}

/// The owner of API tokens is a system, not a colleague to hand cases to;
/// a person invited shows as such until they accept.
async fn service_accounts_take_no_cases_and_the_invited_show_as_invited(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let invited =
        admin.post("/staff/people", &[("name", "Ivy Invited"), ("email", "ivy@example.com"), ("role", "agent")]).await;
    assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.main_text());
    let ivr =
        admin.post("/staff/people", &[("name", "IVR system"), ("email", "ivr@example.com"), ("role", "agent")]).await;
    assert_eq!(ivr.status, StatusCode::SEE_OTHER);
    issued(&admin, "ivr@example.com", "90").await;

    let people = admin.get("/staff/people").await.main_text();
    // What a row says of an account, between its two buttons.
    let row = |name: &str| {
        let after = people.split(&format!("Change role for {name}")).nth(1).unwrap_or_default();
        after.split(&format!("Disable {name}")).next().unwrap_or_default().to_owned()
    };
    assert_eq!(row("Ivy Invited"), "Invited", "{people}");
    assert_eq!(row("IVR system"), "API account", "{people}");

    let tracking = app.submit("/complaint", common::COMPLAINT).await;
    let text = app.get(&tracking).await.main_text();
    let at = text.find("PR-").expect("a reference");
    let reference = &text[at..at + 12];
    let case = admin.get(&format!("/staff/requests/{reference}")).await;
    let options = case.text_of("assign-assignee").expect("the assignment choices");
    assert!(options.contains("Ivy Invited"), "{options}");
    assert!(!options.contains("IVR system"), "a system is not offered: {options}");

    let ivr_id = id_of(&app, "ivr@example.com").await.to_string();
    let version = admin.case(reference).await.version.to_string();
    let path = format!("/staff/requests/{reference}/assign");
    let refused = admin.post(&path, &[("assignee", &ivr_id), ("version", &version)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "nor can it be chosen by hand");
    assert!(admin.case(reference).await.assignee.is_none());
}

async fn a_token_works_for_the_days_it_was_issued_for_and_a_year_at_most(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    for refused in ["366", "0", "forever"] {
        let reply = issue(&admin, "admin@example.com", refused).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(reply.main_text().contains("from 1 to 365"), "{}", reply.main_text());
        assert_eq!(reply.input_value("token-days").as_deref(), Some(refused), "what was typed is kept");
    }

    let token = issued(&admin, "admin@example.com", "30").await;
    assert!(lets_in(&app, &token).await);
    let row = api_token::Entity::find().one(app.app.database()).await.expect("a query").expect("the token");
    let days = (row.expires_at - row.created_at).num_days();
    assert_eq!(days, 30, "expires {} after issue", row.expires_at);
    let listed = admin.get("/staff/tokens").await.main_text();
    let expires_on = row.expires_at.with_timezone(&app.config.time_zone).date_naive();
    assert!(listed.contains(&app::domain::format::long_date(expires_on)), "the list says when: {listed}");

    api_token::Entity::update_many()
        .col_expr(api_token::Column::ExpiresAt, Expr::value(Utc::now() - Duration::seconds(1)))
        .exec(app.app.database())
        .await
        .expect("the token runs out");
    assert!(!lets_in(&app, &token).await, "an expired token is refused");
    assert!(!admin.get("/staff/tokens").await.main_text().contains("Phone system"), "and is no longer in force");

    let default = issued(&admin, "admin@example.com", "").await;
    assert!(lets_in(&app, &default).await);
    let newest = api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .one(app.app.database())
        .await
        .expect("a query")
        .expect("the token");
    assert_eq!((newest.expires_at - newest.created_at).num_days(), 90, "the default lifetime");
}

async fn a_token_ends_when_its_owner_signs_out_everywhere_or_is_disabled(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let agents_own = issued(&admin, "agent@example.com", "90").await;
    assert!(lets_in(&app, &agents_own).await);
    agent.post("/staff/sign-out-everywhere", &[]).await;
    assert!(!lets_in(&app, &agents_own).await, "signing out everywhere ends the owner's tokens");

    let second = issued(&admin, "agent@example.com", "90").await;
    assert!(lets_in(&app, &second).await, "a token issued afterwards works");
    let agent_id = id_of(&app, "agent@example.com").await;
    let disabled = admin.post(&format!("/staff/people/{agent_id}/disable"), &[]).await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER, "{}", disabled.main_text());
    assert!(!lets_in(&app, &second).await, "a disabled owner's token is refused");
    admin.post(&format!("/staff/people/{agent_id}/enable"), &[]).await;
    assert!(!lets_in(&app, &second).await, "and stays ended when the account is enabled again");
}

async fn id_of(app: &TestApp, email: &str) -> i64 {
    use server::db::entities::staff_user;
    staff_user::Entity::find()
        .filter(staff_user::Column::Email.eq(email))
        .one(app.app.database())
        .await
        .expect("a query")
        .expect("the account")
        .id
}

async fn a_token_in_someone_elses_name_is_in_the_audit_log_and_on_their_account_page(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let before = agent.get("/staff/account").await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.main_text());
    assert!(before.main_text().contains("No API token has been issued in your name"), "{}", before.main_text());

    issued(&admin, "agent@example.com", "7").await;
    let entry = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("api_token.issued"))
        .one(app.app.database())
        .await
        .expect("a query")
        .expect("the issue is in the audit log");
    assert!(entry.actor.contains("admin@example.com"), "{}", entry.actor);
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).expect("JSON detail");
    assert_eq!(detail["owner"], "agent@example.com");
    assert_eq!(detail["in_someone_elses_name"], true);

    let page = agent.get("/staff/account").await;
    let tokens = page.text_of("own-tokens").expect("the agent's tokens are listed");
    assert!(tokens.contains("Phone system") && tokens.contains("admin"), "who issued it: {tokens}");
    assert!(tokens.contains("In force"), "{tokens}");

    // Revoking it afterwards does not hide that it was issued.
    let id = api_token::Entity::find().one(app.app.database()).await.expect("a query").expect("the token").id;
    admin.post(&format!("/staff/tokens/{id}/revoke"), &[]).await;
    let tokens = agent.get("/staff/account").await.text_of("own-tokens").expect("still listed");
    assert!(tokens.contains("Phone system") && tokens.contains("Revoked"), "{tokens}");

    let admins_page = admin.get("/staff/account").await;
    assert!(admins_page.main_text().contains("No API token has been issued in your name"), "only one's own");
}

/// `server token create --days N` takes the same lifetimes as the form.
#[test]
fn the_command_line_takes_a_lifetime_of_a_year_at_most() {
    let create = |days: &str| {
        server::cli::Cli::try_parse_from(["server", "token", "create", "--email", "ivr@example.com", "--days", days])
    };
    assert!(create("365").is_ok());
    let refused = create("366").expect_err("more than a year is refused");
    assert!(refused.to_string().contains("from 1 to 365"), "{refused}");
    assert!(create("0").is_err());
}

on_both_databases!(
    refreshing_the_page_of_a_new_token_issues_no_second_one,
    service_accounts_take_no_cases_and_the_invited_show_as_invited,
    a_token_works_for_the_days_it_was_issued_for_and_a_year_at_most,
    a_token_ends_when_its_owner_signs_out_everywhere_or_is_disabled,
    a_token_in_someone_elses_name_is_in_the_audit_log_and_on_their_account_page,
);
