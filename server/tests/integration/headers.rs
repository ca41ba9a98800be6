//! What every answer tells the browser, through the real router on SQLite
//! and PostgreSQL: only the page's own scripts may run, pages with personal
//! data are never kept, static files keep their caching, and over HTTPS the
//! session cookie and HSTS hold the browser to TLS. And the command line's
//! help never shows a password.

use crate::common;

use std::collections::BTreeSet;

use app::domain::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::staff::PASSWORD;
use common::{COMPLAINT, Reply, TestApp};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Statement};
use server::config::Config;
use tower::ServiceExt;

/// The one folder of script files allowed besides the nonce: this build's
/// compiled site at the test app's public address (`/v/{stamp}/pkg/`).
fn is_compiled_site(source: &str) -> bool {
    source
        .strip_prefix("http://portal.test/v/")
        .and_then(|rest| rest.strip_suffix("/pkg/"))
        .is_some_and(|stamp| stamp.len() == 16 && stamp.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Areas whose answers must never be stored, as the issue lists them.
const PRIVATE: [&str; 6] = ["/track/", "/verify/", "/revoke/", "/confirm/", "/staff", "/api/"];

fn header(reply: &Reply, name: header::HeaderName) -> &str {
    reply.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The script nonce the answer's policy allows, after checking that the
/// policy is the strict one.
fn policy_nonce(reply: &Reply, what: &str) -> String {
    let policy = header(reply, header::CONTENT_SECURITY_POLICY);
    for directive in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(directive), "{what}: {directive} missing from {policy:?}");
    }
    assert!(!policy.contains("unsafe-inline"), "{what}: {policy}");
    let script_src = policy.split(';').map(str::trim).find(|d| d.starts_with("script-src ")).unwrap_or_default();
    let sources: Vec<&str> = script_src.split_whitespace().skip(1).collect();
    let nonce = sources.iter().find_map(|s| s.strip_prefix("'nonce-")?.strip_suffix('\'')).unwrap_or_default();
    assert!(nonce.len() >= 16, "{what}: no nonce in {policy:?}");
    let others: Vec<&str> = sources.iter().copied().filter(|s| !s.starts_with("'nonce-")).collect();
    assert!(
        matches!(others.as_slice(), ["'wasm-unsafe-eval'", site] if is_compiled_site(site)),
        "{what}: scripts allowed by more than their nonce: {others:?}"
    );
    nonce.to_owned()
}

/// Every `<script …>` opening tag in the page.
fn script_tags(body: &str) -> Vec<&str> {
    body.match_indices("<script").filter_map(|(at, _)| body[at..].find('>').map(|end| &body[at..=at + end])).collect()
}

/// The page may run its scripts, and only those: each carries the nonce of
/// this answer's policy, and nothing is styled inline.
fn assert_only_own_scripts(reply: &Reply, what: &str) -> String {
    let nonce = policy_nonce(reply, what);
    let scripts = script_tags(&reply.body);
    assert!(!scripts.is_empty(), "{what}: a page that never hydrates");
    for tag in scripts {
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{what}: a script the policy blocks: {tag}");
    }
    assert!(!reply.body.contains(" style=") && !reply.body.contains("<style"), "{what}: inline style");
    nonce
}

async fn first_reference(app: &TestApp) -> String {
    let db = app.app.database();
    db.query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT reference FROM requests"))
        .await
        .expect("a query")
        .expect("a row")
        .try_get_by_index::<String>(0)
        .expect("a reference")
}

/// Every address the router declares for GET, with its parameters filled
/// in: what a browser can open.
async fn every_get_address(app: &TestApp) -> Vec<(String, String)> {
    let tracking = app.submit("/complaint", COMPLAINT).await;
    let token = tracking.trim_start_matches("/track/").to_owned();
    let reference = first_reference(app).await;
    let stamp = stamped_style_sheet(&app.get("/").await).split('/').nth(2).unwrap_or_default().to_owned();
    let routes: BTreeSet<String> =
        server::http::route_table().into_iter().filter(|(method, _)| method == "GET").map(|(_, route)| route).collect();
    assert!(routes.contains("/track/{token}") && routes.contains("/staff/requests/{reference}"));
    routes
        .into_iter()
        .map(|route| {
            let path = route
                .replace("{token}", &token)
                .replace("{reference}", &reference)
                .replace("{file}", "requests.csv")
                .replace("{*file}", "portal.css")
                .replace("{stamp}", &stamp);
            (route, path)
        })
        .collect()
}

async fn every_page_runs_only_its_own_scripts(app: TestApp) {
    let addresses = every_get_address(&app).await;
    // Read as an administrator, who may open every page (customers' pages
    // look the same to anyone).
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    for (route, path) in &addresses {
        let reply = admin.get(path).await;
        assert!(reply.status.as_u16() < 500, "GET {path}: {} {}", reply.status, reply.body);
        if header(&reply, header::CONTENT_TYPE).starts_with("text/html") {
            assert_only_own_scripts(&reply, &format!("GET {route}"));
            assert_script_where_islands(&reply, route);
        } else {
            policy_nonce(&reply, &format!("GET {route}"));
        }
    }

    let (_, tracking) = addresses.iter().find(|(route, _)| route == "/track/{token}").expect("a tracking page");
    let receipt = app.get(&format!("{tracking}?new=1")).await;
    assert!(receipt.body.contains("<leptos-island"), "the receipt's copy buttons are islands");
    assert_script_where_islands(&receipt, "/track/{token}?new=1");
    assert!(!app.get("/").await.body.contains("/pkg/portal.js"), "the home page has nothing to run");

    // Each answer has a nonce of its own.
    let first = assert_only_own_scripts(&app.get(tracking).await, "tracking");
    let second = assert_only_own_scripts(&app.get(tracking).await, "tracking again");
    assert_ne!(first, second, "a nonce used twice");

    // Pages rendered outside the app's routes: a form sent back with its
    // errors, and an address that matches nothing.
    let refused = app.post_form("/complaint", &[("full_name", "Grace Hopper")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_only_own_scripts(&refused, "a form sent back");
    let missing = app.get("/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_only_own_scripts(&missing, "page not found");

    // The plain error pages, which have no scripts, are under the policy too.
    let forged = app.post_form_with("/opt-out", &[], &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    policy_nonce(&forged, "the forged-form page");
    assert!(script_tags(&forged.body).is_empty() && !forged.body.contains(" style="), "{}", forged.body);
}

async fn private_answers_are_never_stored(app: TestApp) {
    let addresses = every_get_address(&app).await;
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    for (route, path) in &addresses {
        let reply = admin.get(path).await;
        let private = PRIVATE.iter().any(|area| path.starts_with(area));
        let cache = header(&reply, header::CACHE_CONTROL);
        assert_eq!(cache == "no-store", private, "GET {route} answered Cache-Control: {cache:?}");
    }
    // A form sent back shows what was typed; the API answers even a refusal
    // under the rule.
    let refused = app.post_form("/complaint", &[("full_name", "Grace Hopper")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(header(&refused, header::CACHE_CONTROL), "no-store");
    let (_, api) = addresses.iter().find(|(route, _)| route.starts_with("/api/v1/requests/")).expect("the API");
    let api = app.get(api).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_eq!(header(&api, header::CACHE_CONTROL), "no-store");
}

/// A GET as a browser that takes gzip sends it, signed in with `cookie`.
async fn get_gzip(app: &TestApp, path: &str, cookie: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let request = Request::get(path)
        .header(header::ACCEPT_ENCODING, "gzip")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("a request");
    let (parts, body) = app.app.router().oneshot(request).await.expect("the router answers").into_parts();
    (parts.status, parts.headers, body.collect().await.expect("a readable body").to_bytes().to_vec())
}

/// Customer pages travel compressed (a phone downloads a quarter of the
/// amendment form's page), and nothing private does: a page carrying a
/// lasting secret beside what someone else can put on it would give the
/// secret away to anyone who can see its compressed size (BREACH).
async fn only_public_pages_travel_compressed(app: TestApp) {
    let addresses = every_get_address(&app).await;
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let mut compressed = 0;
    for (route, path) in &addresses {
        let (status, headers, _) = get_gzip(&app, path, &admin.cookie).await;
        let said = |name| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let private = PRIVATE.iter().any(|area| path.starts_with(area));
        if private {
            assert_eq!(said(header::CONTENT_ENCODING), "", "GET {route} ({status}) is private");
        } else if said(header::CONTENT_TYPE).starts_with("text/html") {
            assert_eq!(said(header::CONTENT_ENCODING), "gzip", "GET {route} ({status})");
            let vary: Vec<&str> = headers.get_all(header::VARY).iter().filter_map(|v| v.to_str().ok()).collect();
            assert!(vary.contains(&"accept-encoding"), "GET {route}: Vary {vary:?}");
            compressed += 1;
        }
    }
    assert!(compressed >= 5, "the home page, the three forms and the link request: {compressed} compressed");

    let (status, headers, body) = get_gzip(&app, "/amendment", "").await;
    assert_eq!(
        (status, headers.get(header::CONTENT_ENCODING).map(|v| v.as_bytes())),
        (StatusCode::OK, Some(&b"gzip"[..]))
    );
    let mut page = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut page).expect("gzip");
    assert!(page.contains("<form id=\"request-form\"") && page.contains("name=\"corrected_information\""), "{page}");

    // A form sent back shows what was typed.
    let refused = app
        .send(
            Request::post("/complaint")
                .header(header::ACCEPT_ENCODING, "gzip")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("full_name=Grace+Hopper"))
                .expect("a request"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(header(&refused, header::CONTENT_ENCODING), "");
    assert!(refused.body.contains("Grace Hopper"));
}

/// Signs in on a router that may not be the test app's own; returns the
/// session cookie as the browser receives it.
async fn sign_in_cookie(router: axum::Router, email: &str) -> (Reply, String) {
    let body = serde_urlencoded::to_string([("email", email), ("password", PASSWORD), ("next", "/staff")])
        .expect("form pairs encode");
    let request = Request::post("/staff/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("a request");
    let reply = Reply::read(router.oneshot(request).await.expect("the router answers")).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.main_text());
    let cookie = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("portal_staff="))
        .expect("signing in sets the session cookie")
        .to_owned();
    (reply, cookie)
}

async fn over_https_the_session_cookie_and_hsts_hold_the_browser_to_tls(app: TestApp) {
    app.create_staff("agent@example.com", "Agent", Role::Agent).await;
    let https = server::Application::build(Config {
        public_url: Some("https://privacy.example.com".into()),
        ..app.config.clone()
    })
    .await
    .expect("an instance behind a TLS proxy starts");

    let (reply, cookie) = sign_in_cookie(https.router(), "agent@example.com").await;
    let attributes: Vec<&str> = cookie.split(';').map(str::trim).collect();
    assert!(attributes[0].starts_with("__Host-portal_staff="), "{cookie}");
    for wanted in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(attributes.contains(&wanted), "{wanted} missing from {cookie}");
    }
    assert!(!cookie.to_ascii_lowercase().contains("domain="), "{cookie}");
    assert_eq!(header(&reply, header::STRICT_TRANSPORT_SECURITY), "max-age=31536000");

    // The browser sends the cookie back under its new name, and is let in.
    let queue = Request::get("/staff").header(header::COOKIE, attributes[0]).body(Body::empty()).expect("a request");
    let queue = Reply::read(https.router().oneshot(queue).await.expect("the router answers")).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.main_text());
    assert_eq!(header(&queue, header::STRICT_TRANSPORT_SECURITY), "max-age=31536000");

    // Over plain HTTP (the test app's own address) neither.
    let (reply, cookie) = sign_in_cookie(app.app.router(), "agent@example.com").await;
    assert!(cookie.starts_with("portal_staff="), "{cookie}");
    assert!(!cookie.split(';').any(|a| a.trim() == "Secure"), "{cookie}");
    assert!(reply.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
    assert!(app.get("/").await.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
}

on_both_databases!(
    every_page_runs_only_its_own_scripts,
    private_answers_are_never_stored,
    only_public_pages_travel_compressed,
    over_https_the_session_cookie_and_hsts_hold_the_browser_to_tls,
);

/// An app serving a compiled site of these files (path, contents); the
/// folder lasts as long as the second value.
async fn serving(files: &[(&str, &str)]) -> (TestApp, tempfile::TempDir) {
    let site = tempfile::tempdir().expect("a temporary folder");
    for (path, contents) in files {
        let path = site.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("the file's folder");
        std::fs::write(path, contents).expect("a site file");
    }
    let root = site.path().to_owned();
    let app = TestApp::start_with(common::Backend::Sqlite, common::smtp::SmtpSink::start().await, |config| {
        config.site_root = root;
    })
    .await
    .expect("SQLite is always available");
    (app, site)
}

/// The compiled files are not personal: they keep their own caching, as
/// does the icon.
#[tokio::test]
async fn static_files_keep_their_cache_headers() {
    let (app, _site) = serving(&[("pkg/portal.css", "body {}"), ("favicon.svg", "<svg/>")]).await;
    let css = app.get("/pkg/portal.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(header(&css, header::CACHE_CONTROL), "public, max-age=0, must-revalidate");
    assert_eq!(header(&css, header::VARY), "accept-encoding");
    let icon = app.get("/favicon.svg").await;
    assert_eq!(header(&icon, header::CACHE_CONTROL), "public, max-age=86400");
}

/// Where a page links its style sheet from.
fn stamped_style_sheet(page: &Reply) -> String {
    let end = page.body.find("/pkg/portal.css\"").expect("a style sheet") + "/pkg/portal.css".len();
    let start = page.body[..end].rfind('"').expect("its href") + 1;
    page.body[start..end].to_owned()
}

/// A page links the compiled files under its build's stamp, which browsers
/// keep for a year, compressed when they ask for it; the stamp of another
/// build finds nothing.
#[tokio::test]
async fn compiled_files_are_named_by_their_build_and_kept_a_year() {
    let (app, _site) =
        serving(&[("pkg/portal.css", "body { color: black }"), ("pkg/portal.css.br", "brotli bytes")]).await;
    let home = app.get("/").await;
    let sheet = stamped_style_sheet(&home);
    assert!(sheet.starts_with("/v/"), "{sheet}");
    let stamp = sheet.split('/').nth(2).unwrap_or_default();
    let form = app.get("/opt-out").await;
    assert!(form.body.contains(&format!("/v/{stamp}/pkg/portal.js")), "the script is not stamped alike");

    let css = app.get(&sheet).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.body, "body { color: black }");
    assert_eq!(header(&css, header::CACHE_CONTROL), "public, max-age=31536000, immutable");

    let compressed = app
        .send(Request::get(&sheet).header(header::ACCEPT_ENCODING, "gzip, br").body(Body::empty()).expect("a request"))
        .await;
    assert_eq!(header(&compressed, header::CONTENT_ENCODING), "br");
    assert_eq!(compressed.body, "brotli bytes");
    assert_eq!(header(&compressed, header::VARY), "accept-encoding");
    assert_eq!(header(&compressed, header::CACHE_CONTROL), "public, max-age=31536000, immutable");

    let stale = app.get(&sheet.replace(stamp, "0123456789abcdef")).await;
    assert_eq!(stale.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/v/{stamp}/pkg/missing.css")).await.status, StatusCode::NOT_FOUND);
}

/// The WebAssembly is fetched by every page with a part for it to run (an
/// island), and by no customer's page without one: those are read on
/// phones. Staff pages always fetch it.
fn assert_script_where_islands(page: &Reply, route: &str) {
    let islands = page.body.contains("<leptos-island");
    let script = page.body.contains("/pkg/portal.js");
    let staff = route.starts_with("/staff");
    assert!(script == islands || (staff && script), "GET {route}: islands {islands}, WebAssembly linked {script}");
}

/// `server --help` shows which variables it reads, never what is in them.
#[test]
fn help_never_shows_a_password() {
    for args in [&["--help"][..], &["serve", "--help"], &["migrate", "--help"]] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("DATABASE_URL", "postgres://portal:db-hunter2@db.internal/portal")
            .env("SMTP_URL", "smtps://mailer:smtp-hunter2@mail.internal")
            .output()
            .expect("the server binary runs");
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success() && help.contains("DATABASE_URL"), "{args:?}: {help}");
        assert!(!help.contains("hunter2"), "{args:?} printed a password:\n{help}");
    }
}

/// A configuration printed for debugging hides the passwords in its URLs.
#[test]
fn a_printed_configuration_hides_passwords() {
    let mut config = Config::for_tests("postgres://portal:db-hunter2@db.internal/portal");
    config.smtp_url = Some("smtps://mailer:smtp-hunter2@mail.internal".into());
    let printed = format!("{config:?}");
    assert!(printed.contains("db.internal") && printed.contains("mail.internal"), "{printed}");
    assert!(!printed.contains("hunter2"), "{printed}");
}
