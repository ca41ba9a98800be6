//! Who may do what, through the real router on SQLite and PostgreSQL: every
//! route and server function the portal serves, tried as somebody signed
//! out, an agent, a manager and an admin, and with an API token of each
//! role. The expectations are written out by hand from the rule book; the
//! list of routes is the router's own, so a route added without a line here
//! fails the test.

use crate::common;

use std::collections::BTreeSet;

use app::domain::Role;
use app::domain::accounts::TokenLifetime;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::staff::StaffBrowser;
use common::{COMPLAINT, Reply, TestApp};
use sea_orm::{ConnectionTrait, Statement};
use server::audit::Actor;
use server::staff::tokens::ApiTokens;

/// (signed out, agent, manager, admin)
type Expect = [bool; 4];
const EVERYONE: Expect = [true, true, true, true];
const AGENTS: Expect = [false, true, true, true];
const MANAGERS: Expect = [false, false, true, true];
const ADMINS: Expect = [false, false, false, true];

/// One route tried with every role.
struct Probe {
    method: &'static str,
    /// The route as the router declares it.
    route: &'static str,
    /// A path it answers.
    path: String,
    form: Vec<(&'static str, String)>,
    expect: Expect,
}

fn get(route: &'static str, path: impl Into<String>, expect: Expect) -> Probe {
    Probe { method: "GET", route, path: path.into(), form: Vec::new(), expect }
}

fn post(route: &'static str, path: impl Into<String>, form: &[(&'static str, &str)], expect: Expect) -> Probe {
    let form = form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    Probe { method: "POST", route, path: path.into(), form, expect }
}

/// Whether the reply did what was asked (or refused only the input), as
/// opposed to refusing the person.
fn allowed(reply: &Reply) -> bool {
    if reply.body.contains("\"Err\":\"Forbidden\"") || reply.body.contains("\"Err\":\"SignedOut\"") {
        return false;
    }
    match reply.status {
        StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED => false,
        StatusCode::SEE_OTHER | StatusCode::FOUND => !reply.location().starts_with("/staff/sign-in"),
        _ => true,
    }
}

async fn id_of(app: &TestApp, sql: &str) -> String {
    let db = app.app.database();
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("a query")
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .expect("an id")
        .to_string()
}

/// Every (method, route) the server declares, from the router's own table:
/// its areas' routes, the Leptos pages and the server functions.
fn declared_routes() -> BTreeSet<(String, String)> {
    server::http::route_table().into_iter().map(|(method, path)| (method.as_str().to_owned(), path)).collect()
}

async fn every_route_answers_each_role_as_the_rule_book_says(app: TestApp) {
    let submitted = app.post_form("/complaint", COMPLAINT).await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER, "{}", submitted.main_text());
    let tracking = submitted.location().trim_end_matches("?new=1").to_owned();
    let token = tracking.trim_start_matches("/track/").to_owned();
    let too_long = "x".repeat(2001);
    app.create_staff("colleague@example.com", "Cole", Role::Agent).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let manager = app.staff_member("manager@example.com", Role::Manager).await;
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let reference = id_reference(&app).await;
    let colleague = id_of(&app, "SELECT id FROM staff_users WHERE email = 'colleague@example.com'").await;
    let tokens = ApiTokens::new(app.app.database().clone());
    tokens
        .issue(&Actor::System("test"), "colleague@example.com", "to be revoked", TokenLifetime::default())
        .await
        .expect("issued");
    let api_token = id_of(&app, "SELECT MAX(id) FROM api_tokens").await;

    // The case's version as shown: only a manager's assignment goes through,
    // so the admin's after it is refused as stale, which is not a refusal of
    // the person.
    let version = id_of(&app, "SELECT version FROM requests").await;
    let case = format!("/staff/requests/{reference}");
    let probes = vec![
        // Customers' pages and forms are open to all; the tracking link is the key.
        get("/", "/", EVERYONE),
        get("/opt-out", "/opt-out", EVERYONE),
        get("/amendment", "/amendment", EVERYONE),
        get("/complaint", "/complaint", EVERYONE),
        get("/my-link", "/my-link", EVERYONE),
        get("/lang/{code}", "/lang/es?next=%2F", EVERYONE),
        get("/track/{token}", tracking.clone(), EVERYONE),
        get("/verify/{token}", "/verify/not-a-token", EVERYONE),
        get("/.well-known/gpc.json", "/.well-known/gpc.json", EVERYONE),
        get("/favicon.svg", "/favicon.svg", EVERYONE),
        get("/pkg/{*file}", "/pkg/portal.css", EVERYONE),
        get("/v/{stamp}/pkg/{*file}", "/v/0123456789abcdef/pkg/portal.css", EVERYONE),
        post("/opt-out", "/opt-out", &[], EVERYONE),
        post("/amendment", "/amendment", &[], EVERYONE),
        post("/complaint", "/complaint", &[], EVERYONE),
        post("/my-link", "/my-link", &[], EVERYONE),
        post("/verify/{token}", "/verify/not-a-token", &[], EVERYONE),
        post("/track/{token}/resend", format!("{tracking}/resend"), &[], EVERYONE),
        post("/track/{token}/revoke-opt-out", format!("{tracking}/revoke-opt-out"), &[], EVERYONE),
        post("/track/{token}/reply", format!("{tracking}/reply"), &[("message", "Hello")], EVERYONE),
        // Not a multipart form, so refused for its input; the rule book is asked all the same.
        post("/track/{token}/documents", format!("{tracking}/documents"), &[], EVERYONE),
        // Refused for its length, so that the request the other probes use
        // stays open; the rule book is asked all the same.
        post("/track/{token}/withdraw", format!("{tracking}/withdraw"), &[("reason", &too_long)], EVERYONE),
        // Not denied: refused by the state machine, the rule book asked first.
        post("/track/{token}/disagree", format!("{tracking}/disagree"), &[("statement", "I disagree")], EVERYONE),
        post("/track/{token}/denial-with-disclosures", format!("{tracking}/denial-with-disclosures"), &[], EVERYONE),
        // Not refused: the workflow says no, the rule book asked first.
        post("/track/{token}/appeal", format!("{tracking}/appeal"), &[("grounds", "Wrong")], EVERYONE),
        get("/revoke/{token}", "/revoke/not-a-token", EVERYONE),
        get("/confirm/{token}", "/confirm/not-a-token", EVERYONE),
        post("/confirm/{token}", "/confirm/not-a-token", &[], EVERYONE),
        post("/revoke/{token}", "/revoke/not-a-token", &[], EVERYONE),
        post("/api/track", "/api/track", &[("token", &token)], EVERYONE),
        // Signing in, and an invitation, need no session.
        get("/staff/sign-in", "/staff/sign-in", EVERYONE),
        get("/staff/welcome/{token}", "/staff/welcome/not-a-token", EVERYONE),
        post("/staff/welcome/{token}", "/staff/welcome/not-a-token", &[("password", "x")], EVERYONE),
        post("/api/staff/viewer", "/api/staff/viewer", &[], EVERYONE),
        // Agents work cases.
        get("/staff", "/staff", AGENTS),
        get("/staff/requests/{reference}", case.clone(), AGENTS),
        get("/staff/new", "/staff/new", AGENTS),
        get("/staff/new/opt-out", "/staff/new/opt-out", AGENTS),
        get("/staff/new/amendment", "/staff/new/amendment", AGENTS),
        get("/staff/new/complaint", "/staff/new/complaint", AGENTS),
        get("/staff/mail", "/staff/mail", AGENTS),
        get("/staff/print", "/staff/print", AGENTS),
        get("/staff/account", "/staff/account", AGENTS),
        post("/api/staff/account", "/api/staff/account", &[], AGENTS),
        post("/api/staff/today", "/api/staff/today", &[], AGENTS),
        post("/api/staff/queue", "/api/staff/queue", &[("query", "")], AGENTS),
        post("/api/staff/case", "/api/staff/case", &[("reference", &reference)], AGENTS),
        post("/api/staff/mail", "/api/staff/mail", &[], AGENTS),
        post("/api/staff/print", "/api/staff/print", &[], AGENTS),
        post("/staff/requests/{reference}/note", format!("{case}/note"), &[("body", "Called back.")], AGENTS),
        post("/staff/requests/{reference}/message", format!("{case}/message"), &[("body", "")], AGENTS),
        post("/staff/requests/{reference}/step", format!("{case}/step"), &[("version", "-1")], AGENTS),
        post("/staff/requests/{reference}/extend", format!("{case}/extend"), &[("version", "-1")], AGENTS),
        get("/staff/requests/{reference}/disclosure.txt", format!("{case}/disclosure.txt"), AGENTS),
        get("/staff/requests/{reference}/documents/{id}", format!("{case}/documents/999999"), AGENTS),
        post("/staff/requests/{reference}/duplicate", format!("{case}/duplicate"), &[("version", "-1")], AGENTS),
        post("/staff/requests/{reference}/rebut", format!("{case}/rebut"), &[("version", "-1")], AGENTS),
        post("/staff/requests/{reference}/verify-agent", format!("{case}/verify-agent"), &[("version", "-1")], AGENTS),
        post("/staff/bulk", "/staff/bulk", &[("action", "start")], AGENTS),
        // Everyone at the queue keeps views of it; a nameless one is refused by name.
        post("/staff/views", "/staff/views", &[("name", "")], AGENTS),
        post("/staff/views/{id}/remove", "/staff/views/999999/remove", &[], AGENTS),
        post("/staff/new/opt-out", "/staff/new/opt-out", &[], AGENTS),
        post("/staff/new/amendment", "/staff/new/amendment", &[], AGENTS),
        post("/staff/new/complaint", "/staff/new/complaint", &[], AGENTS),
        post("/staff/mail/{id}/retry", "/staff/mail/999999/retry", &[], AGENTS),
        post("/staff/print/{id}/printed", "/staff/print/999999/printed", &[], AGENTS),
        // Agents read the opt-out register and write down revocations.
        get("/staff/opt-outs", "/staff/opt-outs", AGENTS),
        get("/staff/opt-outs/{opt_out}", "/staff/opt-outs/unknown", AGENTS),
        get("/staff/opt-outs.csv", "/staff/opt-outs.csv", AGENTS),
        post("/api/staff/opt-outs", "/api/staff/opt-outs", &[("query", "")], AGENTS),
        post("/api/staff/opt-out", "/api/staff/opt-out", &[("opt_out", "unknown")], AGENTS),
        post(
            "/staff/opt-outs/{opt_out}/revoke",
            "/staff/opt-outs/unknown/revoke",
            &[("channel", "phone"), ("reason", "Asked by phone")],
            AGENTS,
        ),
        // Managers assign to others and see the figures.
        post(
            "/staff/requests/{reference}/assign",
            format!("{case}/assign"),
            &[("assignee", &colleague), ("version", &version)],
            MANAGERS,
        ),
        get("/staff/dashboard", "/staff/dashboard", MANAGERS),
        get("/staff/dashboard/{file}", "/staff/dashboard/requests.csv", MANAGERS),
        get("/staff/disclosure", "/staff/disclosure", MANAGERS),
        get("/staff/disclosure.csv", "/staff/disclosure.csv", MANAGERS),
        post("/api/staff/dashboard", "/api/staff/dashboard", &[("query", "")], MANAGERS),
        post("/api/staff/disclosure", "/api/staff/disclosure", &[], MANAGERS),
        // A stale version is refused as stale, which is no refusal of the person.
        post(
            "/staff/requests/{reference}/hold",
            format!("{case}/hold"),
            &[("version", "-1"), ("reason", "x")],
            MANAGERS,
        ),
        post("/staff/requests/{reference}/release", format!("{case}/release"), &[("version", "-1")], MANAGERS),
        // Admins manage people and API tokens.
        get("/staff/people", "/staff/people", ADMINS),
        get("/staff/tokens", "/staff/tokens", ADMINS),
        post("/api/staff/people", "/api/staff/people", &[], ADMINS),
        post("/api/staff/tokens", "/api/staff/tokens", &[], ADMINS),
        post(
            "/staff/people",
            "/staff/people",
            &[("name", "New"), ("email", "new@example.com"), ("role", "agent")],
            ADMINS,
        ),
        post("/staff/people/{id}/role", format!("/staff/people/{colleague}/role"), &[("role", "manager")], ADMINS),
        post("/staff/people/{id}/disable", format!("/staff/people/{colleague}/disable"), &[], ADMINS),
        post("/staff/people/{id}/enable", format!("/staff/people/{colleague}/enable"), &[], ADMINS),
        post("/staff/tokens", "/staff/tokens", &[("email", "colleague@example.com"), ("name", "Scanner")], ADMINS),
        post("/staff/tokens/{id}/revoke", format!("/staff/tokens/{api_token}/revoke"), &[], ADMINS),
        // And the webhook endpoints other systems are told through.
        get("/staff/webhooks", "/staff/webhooks", ADMINS),
        post("/api/staff/webhooks", "/api/staff/webhooks", &[], ADMINS),
        post(
            "/staff/webhooks",
            "/staff/webhooks",
            &[("url", "https://hooks.example.com/x"), ("events", "request.received")],
            ADMINS,
        ),
        post("/staff/webhooks/{id}", "/staff/webhooks/1", &[("change", "rotate")], ADMINS),
        // And the business associates told of accepted amendments.
        get("/staff/associates", "/staff/associates", ADMINS),
        post("/api/staff/associates", "/api/staff/associates", &[], ADMINS),
        post(
            "/staff/associates",
            "/staff/associates",
            &[("name", "Claims Co"), ("email", "notices@claims.example.com"), ("relies_on", "Claims")],
            ADMINS,
        ),
        post("/staff/associates/{id}/remove", "/staff/associates/999999/remove", &[], ADMINS),
        // And the wording of the customer letters: a preview of an empty
        // wording is refused for its input, a restore of a version that
        // is not the newest for its staleness; neither refuses the person.
        get("/staff/letters", "/staff/letters", ADMINS),
        get("/staff/letters/{letter}", "/staff/letters/case_closed", ADMINS),
        post("/api/staff/letters", "/api/staff/letters", &[], ADMINS),
        post("/api/staff/letter", "/api/staff/letter", &[("letter", "case_closed")], ADMINS),
        post("/staff/letters/{letter}", "/staff/letters/case_closed", &[("intent", "preview")], ADMINS),
        post(
            "/staff/letters/{letter}/restore",
            "/staff/letters/case_closed/restore",
            &[("number", "0"), ("based_on", "-1")],
            ADMINS,
        ),
        // The API's description is public; its requests want a token (below).
        get("/api/v1/openapi.json", "/api/v1/openapi.json", EVERYONE),
    ];

    let browsers: [Option<&StaffBrowser>; 4] = [None, Some(&agent), Some(&manager), Some(&admin)];
    for probe in &probes {
        for (who, browser) in browsers.iter().enumerate() {
            let form: Vec<(&str, &str)> = probe.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = match (probe.method, browser) {
                ("GET", Some(browser)) => browser.get(&probe.path).await,
                ("GET", None) => app.get(&probe.path).await,
                (_, Some(browser)) if probe.path.starts_with("/api/staff/") => {
                    browser.server_fn(probe.path.trim_start_matches("/api/staff/"), &form).await
                }
                (_, Some(browser)) => browser.post(&probe.path, &form).await,
                (_, None) if probe.path.starts_with("/api/staff/") => {
                    app.server_fn_signed_out(probe.path.trim_start_matches("/api/staff/"), &form).await
                }
                (_, None) => app.post_form(&probe.path, &form).await,
            };
            assert!(
                reply.status.as_u16() < 500,
                "{} {} as #{who}: {} {}",
                probe.method,
                probe.path,
                reply.status,
                reply.body
            );
            assert_eq!(
                allowed(&reply),
                probe.expect[who],
                "{} {} as #{who}: {} {} {}",
                probe.method,
                probe.path,
                reply.status,
                reply.location(),
                reply.main_text()
            );
        }
    }

    // The JSON API: a token of any staff role; none, or a revoked one, is refused.
    let mut api_tokens = vec![None];
    for email in ["agent@example.com", "manager@example.com", "admin@example.com"] {
        let issued = tokens
            .issue(&Actor::System("test"), email, "probe", TokenLifetime::default())
            .await
            .expect("issued")
            .expect("an account");
        api_tokens.push(Some(issued));
    }
    let api = [
        ("GET", "/api/v1/requests/{reference}", format!("/api/v1/requests/{reference}"), AGENTS),
        ("POST", "/api/v1/requests", "/api/v1/requests".to_owned(), AGENTS),
        ("GET", "/api/v1/requests", "/api/v1/requests?kind=complaint".to_owned(), AGENTS),
        ("POST", "/api/v1/requests/{reference}/steps", format!("/api/v1/requests/{reference}/steps"), AGENTS),
        ("POST", "/api/v1/requests/{reference}/notes", format!("/api/v1/requests/{reference}/notes"), AGENTS),
        ("GET", "/api/v1/requests/{reference}/timeline", format!("/api/v1/requests/{reference}/timeline"), AGENTS),
        ("POST", "/api/v1/requests/{reference}/duplicate", format!("/api/v1/requests/{reference}/duplicate"), AGENTS),
        ("POST", "/api/v1/requests/{reference}/rebuttal", format!("/api/v1/requests/{reference}/rebuttal"), AGENTS),
        (
            "POST",
            "/api/v1/requests/{reference}/agent-verification",
            format!("/api/v1/requests/{reference}/agent-verification"),
            AGENTS,
        ),
        ("GET", "/api/v1/opt-outs", "/api/v1/opt-outs".to_owned(), AGENTS),
        (
            "GET",
            "/api/v1/opt-outs/check",
            "/api/v1/opt-outs/check?email=ada@example.com&scope=all_sharing".to_owned(),
            AGENTS,
        ),
    ];
    for (method, _, path, expect) in &api {
        for (who, token) in api_tokens.iter().enumerate() {
            let mut request = Request::builder().method(*method).uri(path.as_str());
            if let Some(token) = token {
                request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            let body = if *method == "POST" { Body::from("{}") } else { Body::empty() };
            let reply =
                app.send(request.header(header::CONTENT_TYPE, "application/json").body(body).expect("a request")).await;
            assert!(reply.status.as_u16() < 500, "{method} {path} as #{who}: {}", reply.body);
            assert_eq!(allowed(&reply), expect[who], "{method} {path} as #{who}: {} {}", reply.status, reply.body);
        }
    }

    // Signing out needs no permission; afterwards the session opens nothing.
    let session_routes = ["/staff/sign-in", "/staff/sign-out", "/staff/sign-out-everywhere"];
    let leaving = app.sign_in("agent@example.com").await;
    assert!(allowed(&leaving.get("/staff").await));
    leaving.post("/staff/sign-out", &[]).await;
    assert!(!allowed(&leaving.get("/staff").await), "signed out");
    leaving.post("/staff/sign-out-everywhere", &[]).await;
    assert!(!allowed(&app.post_form("/staff/sign-out-everywhere", &[]).await));
    agent.post("/staff/sign-out-everywhere", &[]).await;
    assert!(!allowed(&agent.get("/staff").await), "every session of the agent ended");
    assert!(allowed(&manager.get("/staff").await), "other people stay signed in");

    // Nothing the server declares is left untried.
    let mut tried: BTreeSet<(String, String)> =
        probes.iter().map(|probe| (probe.method.to_owned(), probe.route.to_owned())).collect();
    tried.extend(api.iter().map(|(method, route, _, _)| ((*method).to_owned(), (*route).to_owned())));
    tried.extend(session_routes.iter().map(|route| ("POST".to_owned(), (*route).to_owned())));
    let untried: Vec<_> = declared_routes().difference(&tried).cloned().collect();
    assert!(untried.is_empty(), "routes without an expectation here: {untried:?}");
}

async fn id_reference(app: &TestApp) -> String {
    let db = app.app.database();
    db.query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT reference FROM requests"))
        .await
        .expect("a query")
        .expect("a row")
        .try_get_by_index::<String>(0)
        .expect("a reference")
}

/// Forms carry the session's token; without it, or from another site, even
/// an admin is refused. The customer's link opens their request only.
async fn forged_and_foreign_requests_are_refused(app: TestApp) {
    let submitted = app.post_form("/complaint", COMPLAINT).await;
    let tracking = submitted.location().trim_end_matches("?new=1").to_owned();
    let reference = id_reference(&app).await;
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let note = format!("/staff/requests/{reference}/note");
    assert!(allowed(&admin.post(&note, &[("body", "Called the customer back.")]).await));

    let customer = app.get(&tracking).await;
    assert_eq!(customer.status, StatusCode::OK);
    assert!(!customer.main_text().contains("Called the customer back"), "internal notes stay inside");
    let as_customer = app.get(&format!("/staff/requests/{reference}")).await;
    assert_eq!(as_customer.status, StatusCode::SEE_OTHER);

    let forged = app.post_form_with(&note, &[("csrf", ""), ("body", "x")], &[("cookie", &admin.cookie)]).await;
    assert!(!allowed(&forged) || forged.status == StatusCode::UNPROCESSABLE_ENTITY, "{}", forged.status);
    let cross_site = app
        .post_form_with(
            &note,
            &[("csrf", &admin.csrf), ("body", "x")],
            &[("cookie", &admin.cookie), ("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
}

on_both_databases!(every_route_answers_each_role_as_the_rule_book_says, forged_and_foreign_requests_are_refused);
