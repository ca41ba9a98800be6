//! Encryption at rest, through the real forms, API and staff desk, on SQLite
//! and PostgreSQL: nothing a customer typed is found in the database files,
//! yet the portal shows and finds it; keys rotate in slices while it serves;
//! and a wrong or missing key stops it from starting.

use crate::common;

use app::domain::Role;
use app::domain::accounts::TokenLifetime;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestApp;
use sea_orm::{ConnectionTrait, Statement};
use server::audit::Actor;
use server::config::Config;
use server::vault::KeyEncryptionKey;
use server::vault::rotate::{Rotation, rotate};
use server::vault::rows::ClockColumn;
use server::{Application, StartError};

/// What the customer types, each field with a marker in it. The digits of
/// the phone and account numbers are a marker of their own.
const MARKER: &str = "Zqxvmarker";
const DIGITS: &str = "86420975";
const BIRTH: &str = "1931-07-14";
/// What staff write on the cases, each with the marker.
const EXTENSION: &str = "Zqxvmarker records are off site";
const HOLD: &str = "Zqxvmarker litigation, matter 7";
const CHANGED: &str = "Zqxvmarker member number";
const PART_REFUSED: &str = "Zqxvmarker plan name is right";
const DENIAL: &str = "Zqxvmarker records match the insurer";

fn opt_out() -> Vec<(&'static str, String)> {
    vec![
        ("full_name", format!("{MARKER} Quill")),
        ("email", format!("{}@example.org", MARKER.to_lowercase())),
        ("phone", format!("+1 {DIGITS}")),
        ("postal_address", format!("12 {MARKER} Lane, Springfield")),
        ("account_number", format!("ZQ-{DIGITS}")),
        ("scope", "all_sharing".into()),
        ("joint_account", "all_holders".into()),
        ("other_holders", format!("{MARKER} Byron")),
    ]
}

async fn api_token(app: &TestApp) -> String {
    app.create_staff("intake@example.com", "Intake", Role::Agent).await;
    server::staff::tokens::ApiTokens::new(app.app.database().clone())
        .issue(&Actor::System("test"), "intake@example.com", "intake", TokenLifetime::default())
        .await
        .expect("issued")
        .expect("an account")
}

/// A mailed amendment entered through the API, with the marker in every field.
async fn enter_amendment(app: &TestApp, token: &str) -> String {
    let body = serde_json::json!({
        "kind": "amendment",
        "channel": "mail",
        // Yesterday in UTC: never a day ahead of the organisation's calendar
        // (New York), as today in UTC is from 7 or 8 in the evening there.
        "received_at": (chrono::Utc::now() - chrono::Duration::days(1)).date_naive().to_string(),
        "full_name": format!("Ada {MARKER}"),
        "email": format!("ada.{}@example.net", MARKER.to_lowercase()),
        "phone": format!("555 {DIGITS}"),
        "account_number": format!("{DIGITS}-7"),
        "date_of_birth": BIRTH,
        "category": "insurance",
        "current_information": format!("Member {MARKER} 1234"),
        "corrected_information": format!("Member {MARKER} 4321"),
        "reason": format!("Swapped digits, says {MARKER}."),
        "supporting_details": format!("Card photo kept by {MARKER}."),
        "notify": [{
            "name": format!("Dr {MARKER}"),
            "email": format!("dr.{}@clinic.example.net", MARKER.to_lowercase()),
        }],
    });
    let reply = app
        .send(
            Request::post("/api/v1/requests")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .expect("a request"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let json: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON");
    json["reference"].as_str().expect("a reference").to_owned()
}

async fn reference_of(app: &TestApp, tracking: &str) -> String {
    let text = app.get(tracking).await.main_text();
    let at = text.find("PR-").expect("a reference");
    text[at..at + 12].to_owned()
}

/// Every byte the database keeps: the SQLite file and its write-ahead log,
/// or a dump of the PostgreSQL database.
fn stored_bytes(app: &TestApp) -> Vec<u8> {
    let url = app.config.database_url.expose();
    match url.strip_prefix("sqlite://") {
        Some(file) => {
            let mut bytes = std::fs::read(file).expect("the database file");
            bytes.extend(std::fs::read(format!("{file}-wal")).unwrap_or_default());
            bytes
        }
        None => {
            let dump = std::process::Command::new("pg_dump").arg(url).output().expect("pg_dump runs");
            assert!(dump.status.success(), "{}", String::from_utf8_lossy(&dump.stderr));
            dump.stdout
        }
    }
}

fn found_in(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.to_lowercase().into_bytes();
    haystack.to_ascii_lowercase().windows(needle.len()).any(|window| window == needle.as_slice())
}

async fn nothing_typed_is_stored_in_clear_yet_all_is_shown_and_found(app: TestApp) {
    let form = opt_out();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let tracking = app.submit("/opt-out", &pairs).await;
    let web = reference_of(&app, &tracking).await;
    let token = api_token(&app).await;
    let mailed = enter_amendment(&app, &token).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    for reference in [&web, &mailed] {
        let note = format!("{MARKER} called");
        let noted = agent.post(&format!("/staff/requests/{reference}/note"), &[("body", &note)]).await;
        assert_eq!(noted.status, StatusCode::SEE_OTHER);
        let message = format!("Dear {MARKER}, we are on it.");
        let sent = agent.post(&format!("/staff/requests/{reference}/message"), &[("body", &message)]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
    }
    // What staff write as they work the amendments: an extension's reason, a
    // legal hold's, what an amendment changed and why part was refused, and
    // a denial's explanation.
    let denied = enter_amendment(&app, &token).await;
    let manager = app.staff_member("manager@example.com", Role::Manager).await;
    let version = async |reference: &str| agent.case(reference).await.version.to_string();
    let case = |reference: &str, what: &str| format!("/staff/requests/{reference}/{what}");
    let written = [
        (case(&mailed, "extend"), vec![("reason", EXTENSION.to_owned())]),
        (case(&mailed, "hold"), vec![("reason", HOLD.to_owned())]),
        (
            case(&mailed, "step"),
            vec![
                ("step", "resolve".into()),
                ("outcome", "partly_accepted".into()),
                ("records_changed", CHANGED.into()),
                ("reason", PART_REFUSED.into()),
            ],
        ),
        (
            case(&denied, "step"),
            vec![
                ("step", "resolve".into()),
                ("outcome", "denied".into()),
                ("ground", "accurate_and_complete".into()),
                ("explanation", DENIAL.into()),
            ],
        ),
    ];
    for (path, pairs) in &written {
        let reference = path.split('/').nth(3).expect("a reference");
        let version = version(reference).await;
        let mut all = vec![("version", version.as_str())];
        all.extend(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        let reply = manager.post_confirmed(path, &all).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}: {}", reply.main_text());
    }

    // The customer's address typed into the staff sign-in by mistake.
    let mistaken = [("email", form[1].1.as_str()), ("password", "not a password"), ("next", "/staff")];
    assert_eq!(app.post_form("/staff/sign-in", &mistaken).await.status, StatusCode::UNAUTHORIZED);
    // Three receipts, two messages, the extension notice, two decisions and
    // the notice to the person named on the partly accepted amendment,
    // delivered: the outbox rows are final.
    let inbox = app.mail.wait_for(9, common::WAIT).await;
    assert!(inbox.iter().any(|letter| letter.text().contains(MARKER)), "the letters themselves say it");

    let stored = stored_bytes(&app);
    assert!(stored.len() > 10_000, "the database was read: {} bytes", stored.len());
    for marker in [MARKER, DIGITS, BIRTH, "12 zqxvmarker lane"] {
        assert!(!found_in(&stored, marker), "{marker:?} is stored in clear");
    }

    let case = agent.get(&format!("/staff/requests/{web}")).await;
    assert_eq!(case.status, StatusCode::OK);
    let shown = case.main_text();
    for field in form.iter().take(5).map(|(_, value)| value) {
        assert!(shown.contains(field.as_str()), "the case page shows {field:?}");
    }
    assert!(shown.contains(&format!("{MARKER} called")), "and the note");
    let amendment = agent.get(&format!("/staff/requests/{mailed}")).await.main_text();
    assert!(amendment.contains(&format!("Member {MARKER} 4321")), "{amendment}");
    assert!(amendment.contains(&format!("Dr {MARKER} <dr.")), "the person to tell: {amendment}");
    assert!(shown.contains(&format!("{MARKER} Byron")), "the other holder: {shown}");
    for typed in [EXTENSION, HOLD, CHANGED, PART_REFUSED] {
        assert!(amendment.contains(typed), "the case page shows {typed:?}: {amendment}");
    }
    let denial = agent.get(&format!("/staff/requests/{denied}")).await.main_text();
    assert!(denial.contains(DENIAL), "{denial}");

    let search = async |q: &str| {
        let query = serde_urlencoded::to_string([("status", "all"), ("unverified", "on"), ("q", q)]).expect("encodes");
        agent.get(&format!("/staff?{query}")).await
    };
    let by_email = search(&format!("{}@Example.ORG", MARKER.to_uppercase())).await;
    assert!(by_email.body.contains(&web), "the address finds it however it is cased");
    assert!(!by_email.body.contains(&mailed));
    let by_name = search(&format!("quill {}", MARKER.to_lowercase())).await;
    assert!(by_name.body.contains(&web) && !by_name.body.contains(&mailed), "whole words of the name, any order");
    let by_part = search(&MARKER[..5]).await;
    assert!(!by_part.body.contains(&web), "part of a word is not searched: the name is sealed");
    let by_account = search(&format!("zq {DIGITS}")).await;
    assert!(by_account.body.contains(&web), "the account number, however it is spaced");

    let tracked = app.get(&tracking).await;
    assert_eq!(tracked.status, StatusCode::OK, "the customer's page still opens");
    assert!(tracked.main_text().contains(&format!("Dear {MARKER}, we are on it.")));
}

/// Every sealed value of the three tables, as stored.
async fn sealed_values(app: &TestApp) -> Vec<String> {
    let db = app.app.database();
    let mut values = Vec::new();
    for sql in [
        "SELECT full_name FROM requests UNION ALL SELECT email FROM requests UNION ALL SELECT details FROM requests \
         UNION ALL SELECT outcome FROM requests WHERE outcome IS NOT NULL UNION ALL SELECT clock FROM requests \
         WHERE clock IS NOT NULL UNION ALL SELECT clock_state FROM requests WHERE clock_state IS NOT NULL \
         UNION ALL SELECT hold_reason FROM requests WHERE hold_reason IS NOT NULL \
         UNION ALL SELECT agent FROM requests WHERE agent IS NOT NULL",
        "SELECT body FROM request_events WHERE body IS NOT NULL",
        "SELECT recipient FROM outbox UNION ALL SELECT text_body FROM outbox_bodies \
         UNION ALL SELECT html_body FROM outbox_bodies",
    ] {
        let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("query");
        values.extend(rows.into_iter().map(|row| row.try_get_by_index::<String>(0).expect("text")));
    }
    values
}

async fn a_rotation_stopped_half_way_goes_on_and_every_row_still_opens(app: TestApp) {
    let mut references = Vec::new();
    for i in 0..6 {
        let mut form = common::COMPLAINT.to_vec();
        let email = format!("grace{i}@example.com");
        form.retain(|(k, _)| *k != "email");
        form.push(("email", &email));
        if i == 0 {
            // An agent's details are sealed like the customer's, and rotate with them.
            form.extend([
                ("agent_relationship", "power_of_attorney"),
                ("agent_name", "Mary Hopper"),
                ("agent_email", "mary@example.com"),
            ]);
        }
        let tracking = app.submit("/complaint", &form).await;
        references.push((tracking.clone(), reference_of(&app, &tracking).await));
    }
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let first = app.app.vault().current_key();
    let keys = app.config.key_source();
    let db = app.app.database();
    let slice = Rotation { batch: 2, stop_after: Some(2), settle: std::time::Duration::ZERO, progress: false };

    let stopped = rotate(db, app.app.vault(), &keys, slice).await.expect("the first slice runs");
    assert!(!stopped.finished);
    assert_eq!(stopped.rows, 4, "two batches of two");
    let new = stopped.key;
    assert!(new > first);
    let keys_in_use = |values: &[String]| {
        let mut ids: Vec<String> = values.iter().filter_map(|v| v.split('.').nth(1).map(str::to_owned)).collect();
        ids.sort();
        ids.dedup();
        ids
    };
    assert_eq!(keys_in_use(&sealed_values(&app).await), [first.to_string(), new.to_string()], "old and new mix");

    // The portal serves meanwhile, reading both and writing under the new key.
    for (tracking, reference) in &references {
        assert_eq!(app.get(tracking).await.status, StatusCode::OK);
        let case = agent.get(&format!("/staff/requests/{reference}")).await;
        assert!(case.main_text().contains("Grace Hopper"), "{reference} opens mid-rotation");
    }
    let late = app.submit("/complaint", common::COMPLAINT).await;

    let rest = Rotation { stop_after: None, ..slice };
    let resumed = rotate(db, app.app.vault(), &keys, rest).await.expect("the rotation goes on");
    assert!(resumed.finished);
    assert_eq!(resumed.key, new, "it carries on with the key it made, not another");
    assert_eq!(keys_in_use(&sealed_values(&app).await), [new.to_string()], "everything is under the new key");
    for (tracking, reference) in &references {
        assert_eq!(app.get(tracking).await.status, StatusCode::OK);
        let case = agent.get(&format!("/staff/requests/{reference}")).await;
        assert!(case.main_text().contains("I opted out and was still called twice."), "{reference} opens after");
    }
    assert_eq!(app.get(&late).await.status, StatusCode::OK);
    let found = agent.get("/staff?status=all&unverified=on&q=grace3%40example.com").await;
    assert!(found.body.contains(&references[3].1), "blind indexes survive rotation");

    // A second instance started afterwards opens everything with the same key.
    let another = app.another_instance().await;
    assert_eq!(another.vault().current_key(), new);
}

async fn a_wrong_or_missing_key_stops_the_portal_from_starting(app: TestApp) {
    app.submit("/complaint", common::COMPLAINT).await;
    let mut wrong = app.config.clone();
    wrong.data_kek = Some(KeyEncryptionKey::generate());
    let refused = Application::build(wrong).await.err().expect("a wrong key is refused");
    assert!(matches!(refused, StartError::Keys(server::vault::KeysError::Wrong(_))), "{refused}");
    assert!(refused.to_string().contains("does not open"), "{refused}");

    let mut garbled = app.config.clone();
    garbled.data_kek = Some(KeyEncryptionKey::from("not a key"));
    let refused = Application::build(garbled).await.err().expect("a malformed key is refused");
    assert!(refused.to_string().contains("32 bytes in base64"), "{refused}");

    let mut none = app.config.clone();
    none.data_kek = None;
    if let server::vault::KeySource::Beside(file) = none.key_source() {
        let mode =
            std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&file).expect("a key file").permissions());
        assert_eq!(mode & 0o777, 0o600, "only its owner may read the key file");
        std::fs::rename(&file, file.with_extension("moved")).expect("the key file moves away");
    }
    let refused = Application::build(none).await.err().expect("a missing key is refused");
    assert!(matches!(refused, StartError::Keys(server::vault::KeysError::Missing(_))), "{refused}");
}

async fn a_database_from_before_encryption_is_sealed_when_the_portal_starts(app: TestApp) {
    let tracking = app.submit("/complaint", common::COMPLAINT).await;
    let reference = reference_of(&app, &tracking).await;
    let manager = app.staff_member("manager@example.com", Role::Manager).await;
    let resolved = [("step", "resolve"), ("category", "other"), ("resolution", "Old plain resolution")];
    for step in [&[("step", "mark_verified")][..], &resolved] {
        let version = manager.case(&reference).await.version.to_string();
        let mut pairs = vec![("version", version.as_str())];
        pairs.extend_from_slice(step);
        let reply = manager.post_confirmed(&format!("/staff/requests/{reference}/step"), &pairs).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.main_text());
    }
    let db = app.app.database();
    let backend = db.get_database_backend();
    let run = async |sql: String| db.execute_raw(Statement::from_string(backend, sql)).await.expect("raw SQL runs");
    let row = <server::db::entities::request::Entity as sea_orm::EntityTrait>::find()
        .one(db)
        .await
        .expect("query")
        .expect("the request");
    let vault = app.app.vault();
    let details = vault.open_details(&row).expect("opens");
    let outcome = vault.open_outcome(&row).expect("opens").expect("an outcome");
    let clock = vault.open_clock(&row, ClockColumn::Clock).expect("opens").expect("a clock");
    let state = serde_json::json!({ "pauses": { "closed": [] }, "extension_reason": "Old plain extension" });
    // As an older portal left it: plain text, no blind indexes.
    let plain = Statement::from_sql_and_values(
        backend,
        "UPDATE requests SET full_name = $1, email = $2, details = $3, email_index = NULL, name_index = NULL, \
         outcome = $4, clock = $5, clock_state = $6, held_at = $7, hold_reason = $8",
        [
            "Grace Hopper".into(),
            "grace@example.com".into(),
            details.into(),
            outcome.into(),
            clock.into(),
            state.to_string().into(),
            chrono::Utc::now().into(),
            "Old plain hold".into(),
        ],
    );
    db.execute_raw(plain).await.expect("the row is written back in clear");
    run("UPDATE request_events SET body = 'Old plain note'".to_owned()).await;
    run("DELETE FROM key_rotations".to_owned()).await;

    let restarted = app.another_instance().await;
    let stored = sealed_values(&app).await;
    assert!(stored.iter().all(|value| value.starts_with("v1.")), "everything is sealed: {stored:?}");
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let case = agent.get(&format!("/staff/requests/{reference}")).await.main_text();
    let description = "I opted out and was still called twice.";
    assert!(case.contains("Grace Hopper") && case.contains(description) && case.contains("Old plain note"), "{case}");
    assert!(case.contains("Old plain resolution") && case.contains("Old plain hold"), "{case}");
    drop(restarted);

    // A database sealed by the version before, whose outcome, clock and hold
    // reason were still plain, has those sealed at the next start.
    let plain = Statement::from_sql_and_values(
        backend,
        "UPDATE requests SET outcome = $1, clock_state = $2, hold_reason = $3",
        [
            r#"{"outcome":"complaint_resolved","category":"other","resolution":"Later plain resolution"}"#.into(),
            state.to_string().into(),
            "Later plain hold".into(),
        ],
    );
    db.execute_raw(plain).await.expect("written back in clear");
    run("DELETE FROM key_rotations".to_owned()).await;
    let sealed_before = Statement::from_sql_and_values(
        backend,
        "INSERT INTO key_rotations (key_id, table_name, after_id, done) VALUES (0, '*', $1, $2)",
        [i64::MAX.into(), true.into()],
    );
    db.execute_raw(sealed_before).await.expect("the older version's mark");
    let restarted = app.another_instance().await;
    let stored = sealed_values(&app).await;
    assert!(stored.iter().all(|value| value.starts_with("v1.")), "the new columns are sealed too: {stored:?}");
    let case = agent.get(&format!("/staff/requests/{reference}")).await.main_text();
    assert!(case.contains("Later plain resolution") && case.contains("Later plain hold"), "{case}");
    let found = agent.get("/staff?status=all&unverified=on&q=Grace%40Example.com").await;
    assert!(found.body.contains(&reference), "the blind indexes were made too");
    drop(restarted);
}

on_both_databases!(
    a_database_from_before_encryption_is_sealed_when_the_portal_starts,
    nothing_typed_is_stored_in_clear_yet_all_is_shown_and_found,
    a_rotation_stopped_half_way_goes_on_and_every_row_still_opens,
    a_wrong_or_missing_key_stops_the_portal_from_starting,
);

#[tokio::test]
async fn eml_files_are_marked_and_refused_behind_https_unless_forced() {
    let dir = tempfile::tempdir().expect("a folder");
    let mut config = Config::for_tests(format!("sqlite://{}", dir.path().join("portal.db").display()));
    config.smtp_url = None;
    config.mail_poll_seconds = 0.05;
    config.public_url = Some("https://privacy.example.com".into());
    let refused = Application::build(config.clone()).await.err().expect("https with .eml files is refused");
    assert!(matches!(refused, StartError::MailFilesOverHttps), "{refused}");
    assert!(refused.to_string().contains("MAIL_FILES_FORCE"), "the message says how: {refused}");

    config.mail_files_force = true;
    let app = Application::build(config.clone()).await.expect("forced, it starts");
    let body = serde_urlencoded::to_string(common::COMPLAINT).expect("pairs");
    let reply = tower::ServiceExt::oneshot(
        app.router(),
        Request::post("/complaint")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("a request"),
    )
    .await
    .expect("an answer");
    assert_eq!(reply.status(), StatusCode::SEE_OTHER);
    let folder = config.mail_dir();
    let deadline = std::time::Instant::now() + common::WAIT;
    let letter = loop {
        let written = std::fs::read_dir(&folder)
            .into_iter()
            .flatten()
            .flatten()
            .find(|entry| entry.file_name().to_string_lossy().ends_with(".eml"));
        if let Some(entry) = written {
            break std::fs::read_to_string(entry.path()).expect("the letter reads");
        }
        assert!(std::time::Instant::now() < deadline, "no .eml file was written");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(letter.contains("X-Portal-Warning: development copy, not encrypted"), "{letter}");
}
