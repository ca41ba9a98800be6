//! Webhooks, delivered to a real HTTP receiver on loopback: registered by an
//! administrator, written with the event that causes them, signed, retried
//! through an outage and a 500 until accepted, sent once by two instances,
//! and never to a private address or through a redirect.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::domain::Role;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::{OPT_OUT, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::db::entities::outbox;
use tokio::net::TcpListener;

use crate::common;

/// What the receiver answers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
    Status(u16),
    /// A redirect to another host, which must not be followed.
    Elsewhere,
}

/// One delivery as it arrived.
#[derive(Clone, Debug)]
struct Arrival {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

#[derive(Clone)]
struct Receiver {
    answer: Arc<Mutex<Answer>>,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
}

impl Receiver {
    fn new(answer: Answer) -> Self {
        Self { answer: Arc::new(Mutex::new(answer)), arrivals: Arc::default() }
    }

    /// Listens on `listener` until the test ends.
    fn serve(&self, listener: TcpListener) {
        let receiver = self.clone();
        let app = axum::Router::new().route(
            "/hook",
            post(move |headers: HeaderMap, body: String| {
                let receiver = receiver.clone();
                async move {
                    let header =
                        |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                    receiver.arrivals.lock().expect("not poisoned").push(Arrival {
                        id: header("webhook-id"),
                        timestamp: header("webhook-timestamp"),
                        signature: header("webhook-signature"),
                        body,
                    });
                    match *receiver.answer.lock().expect("not poisoned") {
                        Answer::Status(code) => {
                            (StatusCode::from_u16(code).expect("a status"), HeaderMap::new()).into_response_parts()
                        }
                        Answer::Elsewhere => {
                            let mut headers = HeaderMap::new();
                            headers.insert("location", "http://203.0.113.9/elsewhere".parse().expect("a header"));
                            (StatusCode::TEMPORARY_REDIRECT, headers).into_response_parts()
                        }
                    }
                }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
    }

    fn set(&self, answer: Answer) {
        *self.answer.lock().expect("not poisoned") = answer;
    }

    fn arrivals(&self) -> Vec<Arrival> {
        self.arrivals.lock().expect("not poisoned").clone()
    }
}

trait IntoParts {
    fn into_response_parts(self) -> axum::response::Response;
}

impl IntoParts for (StatusCode, HeaderMap) {
    fn into_response_parts(self) -> axum::response::Response {
        use axum::response::IntoResponse;
        self.into_response()
    }
}

/// Registers an endpoint through the staff form, as a new administrator
/// each time.
async fn register(app: &TestApp, url: &str, events: &[&str]) -> common::Reply {
    static ADMINS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = ADMINS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let admin = app.staff_member(&format!("admin-{n}@example.com"), Role::Admin).await;
    let mut form = vec![("form", "webhook"), ("url", url), ("description", "Suppression list")];
    form.extend(events.iter().map(|event| ("events", *event)));
    admin.post("/staff/webhooks", &form).await
}

async fn deliveries(app: &TestApp) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::Channel.eq("webhook"))
        .all(app.app.database())
        .await
        .expect("the outbox reads")
}

/// Waits until `done` holds, for at most 20 s.
async fn until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..400 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("gave up waiting: {what}");
}

fn expected_signature(secret: &str, arrival: &Arrival) -> String {
    let timestamp: i64 = arrival.timestamp.parse().expect("a numeric timestamp");
    server::webhooks::signature(&[secret], &arrival.id, timestamp, &arrival.body)
}

async fn secret_of(app: &TestApp) -> String {
    let admin = app.staff_member("reader@example.com", Role::Admin).await;
    let reply = admin.server_fn("webhooks", &[]).await;
    let answer: app::services::Answer<Vec<app::domain::webhooks::EndpointInfo>> =
        serde_json::from_str(&reply.body).expect("the endpoints as JSON");
    answer.expect("admins see endpoints").first().expect("one endpoint").secret.clone()
}

/// The receiver is down, then answers 500, then 200: the delivery is kept
/// through all of it, arrives under one `webhook-id` every time, signed
/// with the endpoint's secret, and is recorded as delivered with the 200.
async fn a_delivery_survives_an_outage_and_a_500_and_arrives_signed(app: TestApp) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let address = listener.local_addr().expect("bound");
    drop(listener);
    let url = format!("http://{address}/hook");
    let registered = register(&app, &url, &["request.received"]).await;
    assert_eq!(registered.status, StatusCode::SEE_OTHER, "{}", registered.main_text());

    app.submit("/opt-out", OPT_OUT).await;
    until("a failed attempt while the receiver is down", async || {
        deliveries(&app).await.first().is_some_and(|row| row.attempts >= 2 && row.status == "pending")
    })
    .await;
    let down = deliveries(&app).await.remove(0);
    assert!(down.last_error.as_deref().is_some_and(|e| e.contains("could not be reached")), "{down:?}");
    assert_eq!(down.response_status, None);

    let receiver = Receiver::new(Answer::Status(500));
    receiver.serve(TcpListener::bind(address).await.expect("the same port again"));
    until("a 500 from the receiver", async || deliveries(&app).await[0].response_status == Some(500)).await;
    receiver.set(Answer::Status(200));
    until("the delivery accepted", async || deliveries(&app).await[0].status == "sent").await;

    let row = deliveries(&app).await.remove(0);
    assert_eq!(row.response_status, Some(200));
    let arrivals = receiver.arrivals();
    assert!(arrivals.len() >= 2, "the 500 and then the 200");
    assert!(arrivals.iter().all(|arrival| arrival.id == row.message_id), "one webhook-id for every attempt");
    let secret = secret_of(&app).await;
    for arrival in &arrivals {
        assert_eq!(arrival.signature, expected_signature(&secret, arrival), "signed with the endpoint's secret");
        let body: serde_json::Value = serde_json::from_str(&arrival.body).expect("JSON");
        assert_eq!(body["type"], "request.received");
        assert_eq!(body["data"]["kind"], "opt_out");
        assert!(body["data"]["reference"].as_str().is_some_and(|r| r.starts_with("PR-")));
        assert!(body["data"].get("person").is_none(), "a received request names nobody");
    }
}

/// Two instances share one outbox: every event reaches the receiver once.
async fn two_instances_send_each_delivery_once(app: TestApp) {
    let receiver = Receiver::new(Answer::Status(204));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let url = format!("http://{}/hook", listener.local_addr().expect("bound"));
    receiver.serve(listener);
    assert_eq!(register(&app, &url, &["request.received"]).await.status, StatusCode::SEE_OTHER);
    let _second = app.another_instance().await;
    const EVENTS: usize = 12;
    for n in 0..EVENTS {
        let email = format!("twice-{n}@example.com");
        let form: Vec<(&str, &str)> = OPT_OUT
            .iter()
            .map(|&(name, value)| if name == "email" { (name, email.as_str()) } else { (name, value) })
            .collect();
        app.submit("/opt-out", &form).await;
    }
    until("every delivery accepted", async || {
        let rows = deliveries(&app).await;
        rows.len() == EVENTS && rows.iter().all(|row| row.status == "sent")
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut ids: Vec<String> = receiver.arrivals().into_iter().map(|arrival| arrival.id).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, EVENTS, "each delivery arrived exactly once");
    assert_eq!(ids.len(), EVENTS);
}

/// A private address is refused when it is registered; a name that
/// resolves to one is refused when sending, and nothing arrives.
async fn private_addresses_are_never_reached(app: TestApp) {
    for private in ["http://10.0.0.5/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]:9/hook"] {
        let refused = register(&app, private, &["request.received"]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{private}");
        assert!(refused.main_text().contains("will not send there"), "{}", refused.main_text());
        assert!(refused.body.contains(&private.replace('&', "&amp;")), "what was typed is kept");
    }
    let receiver = Receiver::new(Answer::Status(200));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let port = listener.local_addr().expect("bound").port();
    receiver.serve(listener);
    let by_name = format!("http://localhost:{port}/hook");
    assert_eq!(register(&app, &by_name, &["request.received"]).await.status, StatusCode::SEE_OTHER);
    app.submit("/opt-out", OPT_OUT).await;
    until("an attempt refused", async || deliveries(&app).await.first().is_some_and(|row| row.attempts >= 1)).await;
    let row = deliveries(&app).await.remove(0);
    assert!(row.last_error.as_deref().is_some_and(|e| e.contains("private")), "{row:?}");
    assert!(receiver.arrivals().is_empty(), "nothing reached the loopback receiver through a name");
}

/// A receiver that answers with a redirect has not taken the delivery.
async fn a_redirect_is_not_followed_and_not_a_delivery(app: TestApp) {
    let receiver = Receiver::new(Answer::Elsewhere);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let url = format!("http://{}/hook", listener.local_addr().expect("bound"));
    receiver.serve(listener);
    assert_eq!(register(&app, &url, &["request.received"]).await.status, StatusCode::SEE_OTHER);
    app.submit("/opt-out", OPT_OUT).await;
    until("an attempt answered", async || deliveries(&app).await.first().is_some_and(|row| row.attempts >= 1)).await;
    let row = deliveries(&app).await.remove(0);
    assert_eq!(row.status, "pending", "kept for another attempt");
    assert_eq!(row.response_status, Some(307));
    assert!(row.last_error.as_deref().is_some_and(|e| e.contains("redirect")), "{row:?}");
}

/// An applied opt-out tells the sharing systems whom to stop sharing about;
/// an endpoint that did not ask for an event gets nothing of it.
async fn an_applied_opt_out_names_the_person_only_to_those_who_asked(app: TestApp) {
    let receiver = Receiver::new(Answer::Status(200));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let url = format!("http://{}/hook", listener.local_addr().expect("bound"));
    receiver.serve(listener);
    assert_eq!(register(&app, &url, &["opt_out.applied"]).await.status, StatusCode::SEE_OTHER);
    let tracking = app.submit("/opt-out", OPT_OUT).await;
    let text = app.get(&tracking).await.main_text();
    let at = text.find("PR-").expect("a reference");
    let reference = text[at..at + 12].to_owned();
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let version = agent.case(&reference).await.version.to_string();
    // The organisation's day, not UTC's: from midnight UTC until it is midnight in
    // New York, UTC's date is a day the portal calls the future.
    let today = crate::metrics::today().to_string();
    let resolved = agent
        .post_confirmed(
            &format!("/staff/requests/{reference}/step"),
            &[("form", "step"), ("version", &version), ("step", "resolve"), ("effective_on", &today)],
        )
        .await;
    assert_eq!(resolved.status, StatusCode::SEE_OTHER, "{}", resolved.main_text());
    until("the opt-out delivered", async || !receiver.arrivals().is_empty()).await;
    let arrivals = receiver.arrivals();
    assert_eq!(arrivals.len(), 1, "only opt_out.applied was asked for");
    let body: serde_json::Value = serde_json::from_str(&arrivals[0].body).expect("JSON");
    assert_eq!(body["type"], "opt_out.applied");
    assert_eq!(body["data"]["reference"], reference.as_str());
    let email = OPT_OUT.iter().find(|(name, _)| *name == "email").expect("an email").1;
    assert_eq!(body["data"]["person"]["email"], email);
    assert!(body["data"]["opt_out"]["scope"].is_string());
}

/// An accepted amendment tells the record systems which records changed,
/// and nothing of whom the customer asked to be told.
async fn an_accepted_amendment_carries_the_records_changed_and_no_one_told(app: TestApp) {
    let receiver = Receiver::new(Answer::Status(200));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let url = format!("http://{}/hook", listener.local_addr().expect("bound"));
    receiver.serve(listener);
    assert_eq!(register(&app, &url, &["amendment.accepted"]).await.status, StatusCode::SEE_OTHER);
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let received = (chrono::Utc::now() - chrono::Duration::days(1)).date_naive().to_string();
    let form = [
        ("full_name", "Alan Turing"),
        ("email", "alan@example.com"),
        ("category", "insurance"),
        ("current_information", "Member 1234"),
        ("corrected_information", "Member 4321"),
        ("reason", "Swapped digits."),
        ("notify_1_name", "Dr Joan Clarke"),
        ("notify_1_email", "joan@clinic.example.com"),
        ("channel", "phone"),
        ("received_on", &received),
    ];
    let entered = agent.post("/staff/new/amendment", &form).await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.main_text());
    let reference = entered.location().trim_start_matches("/staff/requests/").split('?').next().expect("a reference");
    let version = agent.case(reference).await.version.to_string();
    let resolved = agent
        .post_confirmed(
            &format!("/staff/requests/{reference}/step"),
            &[
                ("version", &version),
                ("step", "resolve"),
                ("outcome", "partly_accepted"),
                ("records_changed", "Claims record: member number"),
                ("reason", "The plan name was right."),
            ],
        )
        .await;
    assert_eq!(resolved.status, StatusCode::SEE_OTHER, "{}", resolved.main_text());
    until("the amendment delivered", async || !receiver.arrivals().is_empty()).await;
    let arrival = receiver.arrivals().remove(0);
    let body: serde_json::Value = serde_json::from_str(&arrival.body).expect("JSON");
    assert_eq!(body["type"], "amendment.accepted");
    assert_eq!(body["data"]["reference"], reference);
    assert_eq!(body["data"]["amendment"]["records_changed"], "Claims record: member number");
    assert_eq!(body["data"]["amendment"]["accepted"], "part");
    for private in ["Joan", "joan@clinic", "Member 4321", "Alan", "plan name"] {
        assert!(!arrival.body.contains(private), "{private:?} in {}", arrival.body);
    }
}

/// A step that sends the customer no letter still rings the webhook
/// worker at its commit: with the worker's poll set to an hour, the status
/// change arrives at once rather than at the next poll.
#[tokio::test]
async fn a_status_change_without_a_letter_is_delivered_at_its_commit() {
    let app = TestApp::start_with(common::Backend::Sqlite, common::smtp::SmtpSink::start().await, |config| {
        config.mail_poll_seconds = 3600.0;
    })
    .await
    .expect("SQLite is always available");
    let receiver = Receiver::new(Answer::Status(200));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let url = format!("http://{}/hook", listener.local_addr().expect("bound"));
    receiver.serve(listener);
    assert_eq!(register(&app, &url, &["request.status_changed"]).await.status, StatusCode::SEE_OTHER);
    let tracking = app.submit("/opt-out", OPT_OUT).await;
    let text = app.get(&tracking).await.main_text();
    let at = text.find("PR-").expect("a reference");
    let reference = text[at..at + 12].to_owned();
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let version = agent.case(&reference).await.version.to_string();
    let started = agent
        .post(
            &format!("/staff/requests/{reference}/step"),
            &[("form", "step"), ("version", &version), ("step", "start_work")],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.main_text());
    until("the status change delivered without waiting for a poll", async || !receiver.arrivals().is_empty()).await;
    let body: serde_json::Value = serde_json::from_str(&receiver.arrivals()[0].body).expect("JSON");
    assert_eq!(body["type"], "request.status_changed");
    assert_eq!(body["data"]["reference"], reference.as_str());
}

on_both_databases!(
    an_accepted_amendment_carries_the_records_changed_and_no_one_told,
    a_delivery_survives_an_outage_and_a_500_and_arrives_signed,
    two_instances_send_each_delivery_once,
    private_addresses_are_never_reached,
    a_redirect_is_not_followed_and_not_a_delivery,
    an_applied_opt_out_names_the_person_only_to_those_who_asked,
);
