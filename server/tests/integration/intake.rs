//! Customer intake through the real router, on SQLite and PostgreSQL: each
//! kind of request, validation, tracking and Global Privacy Control.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{COMPLAINT, OPT_OUT, Reply, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::db::entities::{request, request_event};

const AMENDMENT: &[(&str, &str)] = &[
    ("full_name", "Alan Turing"),
    ("email", "alan@example.com"),
    ("date_of_birth", "1912-06-23"),
    ("category", "insurance"),
    ("current_information", "Member number 1234"),
    ("corrected_information", "Member number 4321"),
    ("reason", "The digits were swapped when my card was entered."),
];

/// Submits a form, follows the redirect and returns the receipt page.
async fn submit(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (String, Reply) {
    let reply = app.post_form(path, form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}: {}", reply.main_text());
    let location = reply.location().to_owned();
    assert!(location.starts_with("/track/") && location.ends_with("?new=1"), "{location}");
    let receipt = app.get(&location).await;
    assert_eq!(receipt.status, StatusCode::OK);
    let link = location.trim_end_matches("?new=1").to_owned();
    (link, receipt)
}

fn reference_in(page: &Reply) -> String {
    let text = page.main_text();
    let at = text.find("PR-").expect("the page shows a reference");
    text[at..at + "PR-XXXX-XXXX".len()].to_owned()
}

async fn each_kind_is_received_stored_and_trackable(app: TestApp) {
    for (path, form, label) in [
        ("/opt-out", OPT_OUT, "Opt out of sharing"),
        ("/amendment", AMENDMENT, "Amendment of your records"),
        ("/complaint", COMPLAINT, "Privacy complaint"),
    ] {
        let (link, receipt) = submit(&app, path, form).await;
        let reference = reference_in(&receipt);
        assert!(receipt.main_text().contains("Request received"));
        assert_eq!(receipt.input_value("tracking-link"), Some(format!("http://portal.test{link}")));

        let tracking = app.get(&link).await;
        assert_eq!(tracking.status, StatusCode::OK);
        let text = tracking.main_text();
        assert!(text.contains(&reference), "{text}");
        assert!(text.contains(label), "{text}");
        assert!(text.contains("We received your request"), "{text}");
        assert!(!text.contains("Request received"), "the banner is for the first visit only");

        let stored = request::Entity::find()
            .filter(request::Column::Reference.eq(reference.clone()))
            .one(app.app.database())
            .await
            .expect("query")
            .expect("the acknowledged request is stored");
        let expected_status = if path == "/opt-out" { "received" } else { "unverified" };
        assert_eq!(stored.status, expected_status);
        assert_eq!(stored.channel, "web");
        assert!(!stored.tracking_hash.contains(link.trim_start_matches("/track/")), "only a hash is stored");
        let events = request_event::Entity::find()
            .filter(request_event::Column::RequestId.eq(stored.id))
            .count(app.app.database())
            .await
            .expect("query");
        assert_eq!(events, 1, "the first history event is stored with the request");
    }
}

async fn references_differ_and_are_not_sequential(app: TestApp) {
    let mut seen = Vec::new();
    for _ in 0..10 {
        let (_, receipt) = submit(&app, "/opt-out", OPT_OUT).await;
        seen.push(reference_in(&receipt));
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "{seen:?}");
    assert_ne!(unique, seen, "ten random codes come in ascending order once in 3.6 million runs");
}

async fn invalid_forms_come_back_with_errors_and_what_was_typed(app: TestApp) {
    let typed = [("full_name", "  "), ("email", "ada@"), ("postal_address", "1 Way"), ("scope", "all_sharing")];
    let reply = app.post_form("/opt-out", &typed).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.text_of("f-full_name-error").as_deref(), Some("Error: Please enter your full name."));
    assert_eq!(
        reply.text_of("f-email-error").as_deref(),
        Some("Error: Please enter an email address like name@example.com.")
    );
    assert_eq!(
        reply.text_of("f-joint_account-error").as_deref(),
        Some("Error: Please say whether this is a joint account.")
    );
    assert_eq!(reply.text_of("f-postal_address-error").as_deref(), Some(""));
    assert_eq!(reply.input_value("f-email").as_deref(), Some("ada@"));
    assert_eq!(reply.input_value("f-postal_address").as_deref(), Some("1 Way"));
    assert!(reply.body.contains(r#"value="all_sharing" checked"#), "the chosen radio stays chosen");
    assert!(reply.main_text().contains("3 answers need your attention"));

    let count = request::Entity::find().count(app.app.database()).await.expect("query");
    assert_eq!(count, 0, "nothing is stored from an invalid form");

    let long = "x".repeat(2001);
    let mut amendment = AMENDMENT.to_vec();
    amendment.retain(|(k, _)| *k != "reason");
    amendment.push(("reason", &long));
    let reply = app.post_form("/amendment", &amendment).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.text_of("f-reason-error").as_deref(),
        Some("Error: Please keep this to 2000 characters or fewer.")
    );
    assert!(reply.body.contains(&long), "the long text is kept for the person to shorten");

    let mut complaint = COMPLAINT.to_vec();
    complaint.retain(|(k, _)| *k != "occurred_on");
    complaint.push(("occurred_on", "2999-01-01"));
    let reply = app.post_form("/complaint", &complaint).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text_of("f-occurred_on-error").is_some_and(|e| e.contains("future")));
}

async fn markup_is_stored_as_typed_and_shown_escaped(app: TestApp) {
    let script = r#"<script>alert("x")</script><img src=x onerror=alert(1)>"#;
    let reply = app.post_form("/complaint", &[("full_name", script), ("description", script)]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!reply.body.contains("<script>alert"), "markup must never be rendered raw");
    assert!(!reply.body.contains("<img src=x"), "markup must never be rendered raw");
    assert_eq!(reply.input_value("f-full_name").as_deref(), Some(script));
    assert!(reply.body.contains("&lt;script&gt;alert"), "the text is shown, escaped");

    let mut complaint = COMPLAINT.to_vec();
    complaint.retain(|(k, _)| *k != "description");
    complaint.push(("description", script));
    submit(&app, "/complaint", &complaint).await;
    let stored = request::Entity::find().one(app.app.database()).await.expect("query").expect("stored");
    let details = app.app.vault().open_details(&stored).expect("the details open");
    assert!(details.contains(r#"<script>alert(\"x\")</script>"#), "{details}");
}

async fn unknown_and_malformed_tokens_look_the_same(app: TestApp) {
    let (link, _) = submit(&app, "/opt-out", OPT_OUT).await;
    let real = link.trim_start_matches("/track/");
    let mut altered = real.to_owned();
    let last = if altered.ends_with('A') { "B" } else { "A" };
    altered.replace_range(altered.len() - 1.., last);

    let wrong = app.get(&format!("/track/{altered}")).await;
    let malformed = app.get("/track/not-a-token").await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(malformed.status, StatusCode::NOT_FOUND);
    assert!(wrong.main_text().contains("We could not find a request at this link"));
    assert_eq!(wrong.main_text(), malformed.main_text());
}

async fn tracking_data_is_served_to_the_browser_by_token_only(app: TestApp) {
    let (link, _) = submit(&app, "/opt-out", OPT_OUT).await;
    let token = link.trim_start_matches("/track/");
    let call = |token: String| {
        Request::post("/api/track")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("token={token}")))
            .expect("a request")
    };
    let found = app.send(call(token.to_owned())).await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.body.contains("\"kind\":\"opt_out\""), "{}", found.body);
    assert!(!found.body.contains("ada@example.com"), "the tracking data carries no contact details");
    let missing = app.send(call("x".repeat(43))).await;
    assert_eq!(missing.body, "null");
}

async fn gpc_signal_is_shown_and_recorded(app: TestApp) {
    let with = app.send(Request::get("/opt-out").header("Sec-GPC", "1").body(Body::empty()).expect("a request")).await;
    assert!(with.main_text().contains("Your browser's privacy signal was detected"));
    let without = app.get("/opt-out").await;
    assert!(!without.main_text().contains("privacy signal was detected"));
    let not_one =
        app.send(Request::get("/opt-out").header("Sec-GPC", "true").body(Body::empty()).expect("a request")).await;
    assert!(!not_one.main_text().contains("privacy signal was detected"), "only the exact value 1 counts");

    let signalled = app.post_form_with("/opt-out", OPT_OUT, &[("Sec-GPC", "1")]).await;
    assert_eq!(signalled.status, StatusCode::SEE_OTHER);
    let plain = app.post_form("/opt-out", OPT_OUT).await;
    assert_eq!(plain.status, StatusCode::SEE_OTHER);
    let recorded =
        request::Entity::find().filter(request::Column::Gpc.eq(true)).count(app.app.database()).await.expect("query");
    assert_eq!(recorded, 1);

    let document = app.get("/.well-known/gpc.json").await;
    assert_eq!(document.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&document.body).expect("JSON");
    assert_eq!(json["gpc"], serde_json::Value::Bool(true));
    assert!(json["lastUpdate"].as_str().is_some_and(|d| d.len() == 10));
}

async fn oversized_and_malformed_bodies_are_refused_politely(app: TestApp) {
    let huge = "a".repeat(70 * 1024);
    let reply = app.post_form("/opt-out", &[("full_name", &huge)]).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.main_text().contains("too much to send"));

    let json = app
        .send(
            Request::post("/complaint")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .expect("a request"),
        )
        .await;
    assert_eq!(json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(json.main_text().contains("We could not read the form"));

    let garbage = app
        .send(
            Request::post("/amendment")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(vec![0xff, 0xfe, b'=', b'%', b'&', b'&', b'=']))
                .expect("a request"),
        )
        .await;
    assert!(garbage.status.is_client_error(), "{}", garbage.status);
}

async fn pages_render_and_unknown_addresses_are_404(app: TestApp) {
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    for link in ["/opt-out", "/amendment", "/complaint"] {
        assert!(home.body.contains(&format!("href=\"{link}\"")), "{link}");
    }
    assert!(home.main_text().contains("1-800-555-0142"), "the phone alternative is shown");
    for page in ["/opt-out", "/amendment", "/complaint"] {
        assert_eq!(app.get(page).await.status, StatusCode::OK, "{page}");
    }
    let missing = app.get("/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.main_text().contains("Page not found"));
}

/// Submissions arriving together are written in one batch; each must still
/// get its own history event and its own receipt.
async fn simultaneous_submissions_are_each_stored_with_their_history(app: TestApp) {
    use tower::ServiceExt;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..60 {
        let router = app.app.router();
        // Sixty different customers, each with an account of their own: one
        // account or address twice would be marked as a likely duplicate.
        let email = format!("customer{i}@example.com");
        let account = format!("A-{i}");
        let form: Vec<(&str, &str)> = OPT_OUT
            .iter()
            .map(|&(k, v)| match k {
                "email" => (k, email.as_str()),
                "account_number" => (k, account.as_str()),
                _ => (k, v),
            })
            .collect();
        let body = serde_urlencoded::to_string(form).expect("encodes");
        tasks.spawn(async move {
            let request = Request::post("/opt-out")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("a request");
            router.oneshot(request).await.expect("an answer").status()
        });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.expect("the task ran"), StatusCode::SEE_OTHER);
    }
    let db = app.app.database();
    let stored = request::Entity::find().all(db).await.expect("query");
    assert_eq!(stored.len(), 60);
    let events = request_event::Entity::find().all(db).await.expect("query");
    let letters = server::db::entities::outbox::Entity::find().all(db).await.expect("query");
    assert_eq!((events.len(), letters.len()), (60, 60), "one event and one receipt each");
    for row in &stored {
        assert_eq!(events.iter().filter(|e| e.request_id == row.id).count(), 1, "{}", row.reference);
        let receipt: Vec<_> = letters.iter().filter(|l| l.request_id == Some(row.id)).collect();
        assert_eq!(receipt.len(), 1, "{}", row.reference);
        let vault = app.app.vault();
        let recipient = vault.open_recipient(receipt[0]).expect("the recipient opens");
        assert_eq!(
            recipient,
            vault.open_email(row).expect("the address opens"),
            "the receipt goes to its own customer"
        );
        let subject = vault.open_subject(receipt[0]).expect("the subject opens");
        assert!(subject.contains(&row.reference), "{subject}");
        let bodies = server::mail::outbox::bodies(db, [receipt[0].id]).await.expect("the bodies read");
        let place = server::vault::rows::letter_place("text_body", &receipt[0].message_id);
        let text = vault.open(&bodies[&receipt[0].id].text_body, place).expect("its own body opens");
        assert!(text.contains(&row.reference), "{text}");
    }
}

/// `name@gmail` reaches nobody: refused, with the address it was probably
/// meant to be; a near miss at a common domain is a hint beside the field.
async fn an_address_without_a_dot_in_its_domain_is_refused_and_near_misses_are_hinted(app: TestApp) {
    let mut complaint = COMPLAINT.to_vec();
    complaint.retain(|(k, _)| *k != "email");
    complaint.push(("email", "grace@gmail"));
    let reply = app.post_form("/complaint", &complaint).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.text_of("f-email-error").as_deref(),
        Some("Error: Please check the address: did you mean grace@gmail.com?")
    );
    let count = request::Entity::find().count(app.app.database()).await.expect("query");
    assert_eq!(count, 0, "no request and no receipt for an address mail cannot reach");

    complaint.retain(|(k, _)| *k != "email" && *k != "description");
    complaint.push(("email", "grace@gmial.com"));
    let reply = app.post_form("/complaint", &complaint).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "the description is missing");
    assert_eq!(reply.text_of("f-email-error").as_deref(), Some(""), "a near miss is not an error");
    assert_eq!(reply.text_of("f-email-suggestion").as_deref(), Some("Did you mean grace@gmail.com?"));

    complaint.push(("description", "Called twice after opting out."));
    let (_, receipt) = submit(&app, "/complaint", &complaint).await;
    assert!(receipt.main_text().contains("Request received"), "the hint refuses nothing");
}

on_both_databases!(
    an_address_without_a_dot_in_its_domain_is_refused_and_near_misses_are_hinted,
    simultaneous_submissions_are_each_stored_with_their_history,
    each_kind_is_received_stored_and_trackable,
    references_differ_and_are_not_sequential,
    invalid_forms_come_back_with_errors_and_what_was_typed,
    markup_is_stored_as_typed_and_shown_escaped,
    unknown_and_malformed_tokens_look_the_same,
    tracking_data_is_served_to_the_browser_by_token_only,
    gpc_signal_is_shown_and_recorded,
    oversized_and_malformed_bodies_are_refused_politely,
    pages_render_and_unknown_addresses_are_404,
);

/// "In the future" is decided by the organisation's calendar, as it is for
/// staff and the API, not by the server's clock in UTC. The zone is chosen
/// so that its date differs from UTC's when the test runs (14 hours ahead
/// from 10:00 UTC, 11 behind before), where the two rules disagree.
#[tokio::test]
async fn a_customer_date_is_in_the_future_by_the_organisations_calendar() {
    let zone =
        if chrono::Timelike::hour(&chrono::Utc::now()) >= 10 { "Pacific/Kiritimati" } else { "Pacific/Pago_Pago" };
    let zone: chrono_tz::Tz = zone.parse().expect("a zone");
    let app = TestApp::start_with(common::Backend::Sqlite, common::smtp::SmtpSink::start().await, |config| {
        config.time_zone = zone;
    })
    .await
    .expect("SQLite is always available");
    let org_today = chrono::Utc::now().with_timezone(&zone).date_naive();
    let on = |day: chrono::NaiveDate| {
        let day = day.to_string();
        COMPLAINT
            .iter()
            .map(|(name, value)| (*name, if *name == "occurred_on" { day.clone() } else { (*value).to_owned() }))
            .collect::<Vec<_>>()
    };
    let today: Vec<(&str, String)> = on(org_today);
    let today: Vec<(&str, &str)> = today.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let reply = app.post_form("/complaint", &today).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "today where the organisation is: {}", reply.main_text());
    let tomorrow: Vec<(&str, String)> = on(org_today.succ_opt().expect("a tomorrow"));
    let tomorrow: Vec<(&str, &str)> = tomorrow.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let reply = app.post_form("/complaint", &tomorrow).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.main_text().contains("This date is in the future."), "{}", reply.main_text());
}
