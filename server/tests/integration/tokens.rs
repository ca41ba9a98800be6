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
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
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

async fn issued(admin: &StaffBrowser<'_>, email: &str, days: &str) -> String {
    let page = issue(admin, email, days).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.main_text());
    page.input_value("issued-token").expect("the new token is shown")
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
    a_token_works_for_the_days_it_was_issued_for_and_a_year_at_most,
    a_token_ends_when_its_owner_signs_out_everywhere_or_is_disabled,
    a_token_in_someone_elses_name_is_in_the_audit_log_and_on_their_account_page,
);
