//! What someone on the open internet can make the portal do: how many
//! letters they can make it send, to one address or from one connection;
//! which address counts behind a proxy; and how far a flood of wrong
//! passwords gets, without locking colleagues out or reaching the log.

use crate::common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{LazyLock, Mutex, Once};
use std::thread::ThreadId;
use std::time::Duration;

use app::domain::Role;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use chrono::Utc;
use common::smtp::SmtpSink;
use common::staff::PASSWORD;
use common::{AMENDMENT, Backend, COMPLAINT, Reply, TestApp, WAIT};
use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, PaginatorTrait};
use server::config::Config;
use server::db::entities::request;
use tower::ServiceExt;

/// Runs each `async fn(Backend)` once per database.
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $( #[tokio::test] async fn $name() { super::$name(crate::common::Backend::Sqlite).await; } )+
        }
        mod postgres {
            $( #[tokio::test] async fn $name() { super::$name(crate::common::Backend::Postgres).await; } )+
        }
    };
}

fn opt_out(email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("full_name", "Pat Doe".into()),
        ("email", email.into()),
        ("postal_address", "1 Test Road, Springfield".into()),
        ("scope", "all_sharing".into()),
        ("joint_account", "just_me".into()),
    ]
}

async fn start(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
    TestApp::start_with(backend, SmtpSink::start().await, adjust).await
}

/// A form post as it arrives over a connection from `peer`.
fn form_from(peer: &str, path: &str, pairs: &[(&str, &str)], headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut request =
        request.body(Body::from(serde_urlencoded::to_string(pairs).expect("pairs encode"))).expect("a request");
    let peer: SocketAddr = format!("{peer}:40000").parse().expect("a peer address");
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

async fn post_from(app: &TestApp, peer: &str, path: &str, pairs: &[(&str, String)]) -> Reply {
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(name, value)| (*name, value.as_str())).collect();
    app.send(form_from(peer, path, &pairs, &[])).await
}

/// The answer to an opt-out for `email` through the proxy at 127.0.0.1,
/// which says it forwarded it for `forwarded`.
async fn opt_out_forwarded(app: &TestApp, peer: &str, forwarded: &str, email: &str) -> StatusCode {
    let pairs = opt_out(email);
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(name, value)| (*name, value.as_str())).collect();
    app.send(form_from(peer, "/opt-out", &pairs, &[("x-forwarded-for", forwarded)])).await.status
}

async fn stored_requests(app: &TestApp) -> u64 {
    request::Entity::find().count(app.app.database()).await.expect("count requests")
}

/// The calm answer over a limit: 429, when to come back, and the phone.
fn assert_offers_the_phone(reply: &Reply) {
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{}", reply.main_text());
    assert!(reply.headers.contains_key(header::RETRY_AFTER));
    let text = reply.main_text();
    assert!(text.contains("1-800-555-0199") && text.contains("1-800-555-0142"), "{text}");
    assert!(text.contains("nothing more was sent or saved"), "{text}");
}

async fn one_address_cannot_flood_the_public_forms(backend: Backend) {
    let Some(app) = start(backend, |c| c.submissions_per_hour = 3.try_into().expect("non-zero")).await else {
        return;
    };
    let flooder = "198.51.100.7";
    for i in 0..3 {
        let reply = post_from(&app, flooder, "/opt-out", &opt_out(&format!("person{i}@example.com"))).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.main_text());
    }
    let refused = post_from(&app, flooder, "/opt-out", &opt_out("person3@example.com")).await;
    assert_offers_the_phone(&refused);
    let complaint: Vec<(&str, String)> = COMPLAINT.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    assert_offers_the_phone(&post_from(&app, flooder, "/complaint", &complaint).await);
    let tracking = app.submit("/amendment", AMENDMENT).await;
    assert_offers_the_phone(&post_from(&app, flooder, &format!("{tracking}/resend"), &[]).await);

    // A customer who chose Spanish is told in Spanish, phones and all.
    let pairs = opt_out("persona@example.com");
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let spanish = app.send(form_from(flooder, "/opt-out", &pairs, &[("cookie", "lang=es")])).await;
    assert_eq!(spanish.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(spanish.body.contains("lang=\"es\""), "{}", spanish.body);
    let text = spanish.main_text();
    assert!(text.contains("no se envió ni se guardó nada más"), "{text}");
    assert!(text.contains("1-800-555-0199") && text.contains("1-800-555-0142"), "{text}");

    let neighbour = post_from(&app, "198.51.100.8", "/opt-out", &opt_out("person4@example.com")).await;
    assert_eq!(neighbour.status, StatusCode::SEE_OTHER, "another address has its own count");
    assert_eq!(stored_requests(&app).await, 5, "three from the flooder, the amendment, the neighbour's");
}

async fn one_recipient_gets_only_a_few_letters_a_day(backend: Backend) {
    let Some(app) = start(backend, |c| c.letters_per_recipient = 3.try_into().expect("non-zero")).await else {
        return;
    };
    for i in 0..3 {
        let reply = post_from(&app, &format!("198.51.100.{i}"), "/opt-out", &opt_out("victim@example.com")).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.main_text());
    }
    let from_elsewhere = post_from(&app, "203.0.113.50", "/opt-out", &opt_out("victim@example.com")).await;
    assert_offers_the_phone(&from_elsewhere);
    let respelt = post_from(&app, "203.0.113.51", "/opt-out", &opt_out("Victim+again@Example.com")).await;
    assert_offers_the_phone(&respelt);
    assert_eq!(stored_requests(&app).await, 3, "nothing is stored past the allowance");
    app.mail.wait_for(3, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.mail.inbox().len(), 3, "three letters, however many were asked for");

    let other = post_from(&app, "203.0.113.50", "/opt-out", &opt_out("someone.else@example.com")).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "the allowance is per recipient");
}

/// Submissions that arrive together are written in one transaction: the
/// allowance is still counted submission by submission, and refusing one
/// recipient's extra submissions refuses nobody else's.
async fn an_allowance_spent_among_many_submissions_at_once_refuses_only_its_own(backend: Backend) {
    let Some(app) = start(backend, |c| c.letters_per_recipient = 3.try_into().expect("non-zero")).await else {
        return;
    };
    let mut answers = tokio::task::JoinSet::new();
    for i in 0..40 {
        let email = if i % 4 == 0 { "victim@example.com".to_owned() } else { format!("customer{i}@example.com") };
        let router = app.app.router();
        answers.spawn(async move {
            let pairs = opt_out(&email);
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(name, value)| (*name, value.as_str())).collect();
            let reply = router.oneshot(form_from(&format!("198.51.100.{i}"), "/opt-out", &pairs, &[])).await;
            (email, reply.expect("an answer").status())
        });
    }
    let mut refused = 0;
    while let Some(answer) = answers.join_next().await {
        let (email, status) = answer.expect("the task ran");
        match status {
            StatusCode::TOO_MANY_REQUESTS if email == "victim@example.com" => refused += 1,
            StatusCode::SEE_OTHER => {}
            other => panic!("{email} was answered {other}"),
        }
    }
    assert_eq!(refused, 7, "ten from the one address, three let through");
    assert_eq!(stored_requests(&app).await, 33, "thirty customers and three of the ten");
    app.mail.wait_for(33, WAIT).await;
}

/// A request an agent makes is refused whole when the agent's allowance is
/// spent, and the customer's receipt, never sent, counts nothing against
/// the customer's own.
async fn a_request_refused_for_its_agents_allowance_counts_nothing_for_the_customer(backend: Backend) {
    let Some(app) = start(backend, |c| c.letters_per_recipient = 2.try_into().expect("non-zero")).await else {
        return;
    };
    let by_agent = |customer: &str| -> Vec<(&'static str, String)> {
        let agent =
            [("agent_relationship", "parent"), ("agent_name", "Mary Hopper"), ("agent_email", "mary@example.com")];
        AMENDMENT
            .iter()
            .chain(agent.iter())
            .map(|&(name, value)| (name, if name == "email" { customer } else { value }.to_owned()))
            .collect()
    };
    for (i, customer) in ["first@example.com", "second@example.com"].into_iter().enumerate() {
        let reply = post_from(&app, &format!("198.51.100.{i}"), "/amendment", &by_agent(customer)).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.main_text());
    }
    let refused = post_from(&app, "198.51.100.9", "/amendment", &by_agent("grace@example.com")).await;
    assert_offers_the_phone(&refused);
    for i in 0..2 {
        let reply = post_from(&app, &format!("203.0.113.{i}"), "/opt-out", &opt_out("grace@example.com")).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "her own two letters of the day: {}", reply.main_text());
    }
    assert_eq!(stored_requests(&app).await, 4, "two by the agent, two by the customer");
}

async fn a_customer_may_ask_again_the_same_day(backend: Backend) {
    let product = Config::defaults();
    let Some(app) = start(backend, |c| {
        c.submissions_per_hour = product.submissions_per_hour;
        c.letters_per_recipient = product.letters_per_recipient;
    })
    .await
    else {
        return;
    };
    let amendment: Vec<(&str, String)> = AMENDMENT.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    let home = "198.51.100.20";
    for (path, form) in
        [("/amendment", amendment.clone()), ("/amendment", amendment), ("/opt-out", opt_out("grace@example.com"))]
    {
        let reply = post_from(&app, home, path, &form).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}: {}", reply.main_text());
    }
    app.mail.wait_for(3, WAIT).await;
}

async fn verification_resends_are_capped_per_request(backend: Backend) {
    let Some(app) = start(backend, |c| c.verification_resends = 2).await else {
        return;
    };
    let tracking = app.submit("/amendment", AMENDMENT).await;
    let resend = format!("{tracking}/resend");
    let too_soon = app.post_form(&resend, &[]).await;
    assert!(too_soon.location().ends_with("?resend=wait"), "{}", too_soon.location());
    for _ in 0..2 {
        let earlier = Utc::now() - chrono::Duration::minutes(10);
        request::Entity::update_many()
            .col_expr(request::Column::VerificationSentAt, Expr::value(earlier))
            .exec(app.app.database())
            .await
            .expect("an earlier send");
        let sent = app.post_form(&resend, &[]).await;
        assert!(sent.location().ends_with("?resend=sent"), "{}", sent.location());
    }
    let earlier = Utc::now() - chrono::Duration::minutes(10);
    request::Entity::update_many()
        .col_expr(request::Column::VerificationSentAt, Expr::value(earlier))
        .exec(app.app.database())
        .await
        .expect("an earlier send");
    assert_offers_the_phone(&app.post_form(&resend, &[]).await);
    app.mail.wait_for(3, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.mail.inbox().len(), 3, "the receipt with the first link, and two more");
}

async fn only_a_trusted_proxy_says_who_the_client_is(backend: Backend) {
    let Some(app) = start(backend, |c| {
        c.submissions_per_hour = 1.try_into().expect("non-zero");
        c.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
    })
    .await
    else {
        return;
    };
    let proxy = "127.0.0.1";
    assert_eq!(opt_out_forwarded(&app, proxy, "203.0.113.66, 198.51.100.7", "a@example.com").await, 303);
    // The client can write what it likes to the left of what the proxy saw.
    assert_eq!(opt_out_forwarded(&app, proxy, "203.0.113.67, 198.51.100.7", "b@example.com").await, 429);
    assert_eq!(opt_out_forwarded(&app, proxy, "198.51.100.8", "c@example.com").await, 303);

    let direct = "192.0.2.10";
    assert_eq!(opt_out_forwarded(&app, direct, "198.51.100.20", "d@example.com").await, 303);
    assert_eq!(opt_out_forwarded(&app, direct, "198.51.100.21", "e@example.com").await, 429, "not a proxy of ours");
}

async fn sign_in_from(app: &TestApp, peer: &str, email: &str, password: &str) -> Reply {
    app.send(form_from(peer, "/staff/sign-in", &[("email", email), ("password", password)], &[])).await
}

/// Sends every sign-in at once; returns their statuses, in order.
async fn sign_in_together(app: &TestApp, attempts: Vec<(String, String, String)>) -> Vec<StatusCode> {
    let mut pending = tokio::task::JoinSet::new();
    for (i, (peer, email, password)) in attempts.into_iter().enumerate() {
        let router = app.app.router();
        let request = form_from(&peer, "/staff/sign-in", &[("email", &email), ("password", &password)], &[]);
        pending.spawn(async move { (i, router.oneshot(request).await.expect("the router answers").status()) });
    }
    let mut answers = pending.join_all().await;
    answers.sort_by_key(|(i, _)| *i);
    answers.into_iter().map(|(_, status)| status).collect()
}

async fn parallel_wrong_passwords_get_no_more_checks_than_the_limit(backend: Backend) {
    let Some(app) = start(backend, |_| {}).await else {
        return;
    };
    app.create_staff("target@example.com", "Tess", Role::Admin).await;
    let attacker = "198.51.100.66";
    let flood = (0..30).map(|i| (attacker.to_owned(), "target@example.com".to_owned(), format!("guess {i}"))).collect();
    let statuses = sign_in_together(&app, flood).await;
    let mut checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // Whatever slipped through at once, the rest of the limit is used up one by one.
    for _ in 0..6 {
        match sign_in_from(&app, attacker, "target@example.com", "one more guess").await.status {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => break,
            other => panic!("a wrong password answered {other}"),
        }
    }
    assert_eq!(checked, 5, "five wrong passwords are checked for one account from one address, however sent");
    let paused = sign_in_from(&app, attacker, "target@example.com", PASSWORD).await;
    assert_eq!(paused.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits out the pause");
    assert!(paused.main_text().contains("Too many unsuccessful attempts"), "{}", paused.main_text());

    let colleague = sign_in_from(&app, "203.0.113.5", "target@example.com", PASSWORD).await;
    assert_eq!(
        colleague.status,
        StatusCode::SEE_OTHER,
        "the owner elsewhere still signs in: {}",
        colleague.main_text()
    );
}

async fn many_addresses_together_pause_the_account_everywhere(backend: Backend) {
    let Some(app) = start(backend, |c| c.password_checks = 32.try_into().expect("non-zero")).await else {
        return;
    };
    app.create_staff("target@example.com", "Tess", Role::Admin).await;
    let spread = (0..20)
        .map(|i| (format!("198.51.100.{}", i + 100), "target@example.com".to_owned(), format!("guess {i}")))
        .collect();
    let statuses = sign_in_together(&app, spread).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED), "{statuses:?}");
    let owner = sign_in_from(&app, "203.0.113.5", "target@example.com", PASSWORD).await;
    assert_eq!(owner.status, StatusCode::TOO_MANY_REQUESTS, "the account pauses for a few minutes everywhere");
    assert!(owner.main_text().contains("wait 5 minutes"), "{}", owner.main_text());
    let other = sign_in_from(&app, "203.0.113.5", "other@example.com", "not it").await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED, "other accounts are not held");
}

async fn password_checks_beyond_the_bound_are_put_off(backend: Backend) {
    let Some(app) = start(backend, |c| c.password_checks = 1.try_into().expect("non-zero")).await else {
        return;
    };
    let people: Vec<String> = (0..6).map(|i| format!("colleague{i}@example.com")).collect();
    for email in &people {
        app.create_staff(email, "Colleague", Role::Agent).await;
    }
    let at_once =
        people.iter().enumerate().map(|(i, e)| (format!("203.0.113.{i}"), e.clone(), PASSWORD.to_owned())).collect();
    let statuses = sign_in_together(&app, at_once).await;
    let put_off: Vec<usize> = (0..people.len()).filter(|&i| statuses[i] == StatusCode::TOO_MANY_REQUESTS).collect();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert!(!put_off.is_empty(), "one check at a time: {statuses:?}");
    for i in put_off {
        let reply = sign_in_from(&app, &format!("203.0.113.{i}"), &people[i], PASSWORD).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "a moment later it works: {}", reply.main_text());
    }
}

/// What the log would show, at the server's default level and with the
/// portal's own debug lines, kept apart for each test thread that asks
/// (each test runs the server on its own thread). One subscriber for the
/// whole process: per-thread subscribers miss events when tests start and
/// stop theirs at the same time.
static LOGS: LazyLock<Mutex<HashMap<ThreadId, Vec<u8>>>> = LazyLock::new(Mutex::default);

struct ThreadLog;

impl std::io::Write for ThreadLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Some(log) = LOGS.lock().expect("log lock").get_mut(&std::thread::current().id()) {
            log.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_this_threads_log() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("info,sqlx=warn,server=trace,tower_http=trace"))
            .with_writer(|| ThreadLog)
            .with_ansi(false)
            .try_init()
            .expect("no other test sets a global subscriber");
    });
    LOGS.lock().expect("log lock").insert(std::thread::current().id(), Vec::new());
}

fn this_threads_log() -> String {
    let logs = LOGS.lock().expect("log lock");
    String::from_utf8_lossy(logs.get(&std::thread::current().id()).map_or(&[][..], Vec::as_slice)).into_owned()
}

async fn nothing_typed_into_sign_in_reaches_the_log(backend: Backend) {
    capture_this_threads_log();
    let Some(app) = start(backend, |_| {}).await else {
        return;
    };
    app.create_staff("known.person@example.com", "Known", Role::Agent).await;
    let typed = ["known.person@example.com", "typo.of.a.password.hunter2@example.com", "hunter2-typed-secret"];
    let peer = "198.51.100.9";
    assert_eq!(sign_in_from(&app, peer, typed[0], typed[2]).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in_from(&app, peer, typed[1], typed[2]).await.status, StatusCode::UNAUTHORIZED);
    for _ in 0..4 {
        sign_in_from(&app, peer, typed[0], typed[2]).await;
    }
    assert_eq!(sign_in_from(&app, peer, typed[0], PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sign_in_from(&app, "203.0.113.9", typed[0], PASSWORD).await.status, StatusCode::SEE_OTHER);
    let malformed = app.send(form_from(peer, "/staff/sign-in", &[("email", typed[1])], &[])).await;
    assert!(malformed.status.is_client_error(), "{}", malformed.status);

    let log = this_threads_log();
    assert!(log.contains("failed sign-in") && log.contains("sign-in paused"), "the log was captured: {log}");
    for text in typed.iter().chain([&PASSWORD]) {
        assert!(!log.contains(text), "{text:?} reached the log:\n{log}");
    }
}

on_both_backends!(
    one_address_cannot_flood_the_public_forms,
    one_recipient_gets_only_a_few_letters_a_day,
    an_allowance_spent_among_many_submissions_at_once_refuses_only_its_own,
    a_request_refused_for_its_agents_allowance_counts_nothing_for_the_customer,
    a_customer_may_ask_again_the_same_day,
    verification_resends_are_capped_per_request,
    only_a_trusted_proxy_says_who_the_client_is,
    parallel_wrong_passwords_get_no_more_checks_than_the_limit,
    many_addresses_together_pause_the_account_everywhere,
    password_checks_beyond_the_bound_are_put_off,
    nothing_typed_into_sign_in_reaches_the_log,
);
