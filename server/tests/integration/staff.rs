//! The staff workspace through the real router, on SQLite and PostgreSQL:
//! signing in, who may do what, working a case to its outcome, conflicts,
//! letters staff cause, and the audit log.

use crate::common;

use std::time::Duration;

use app::domain::{RequestStatus, Role};
use axum::http::StatusCode;
use common::staff::{PASSWORD, session_cookie};
use common::{COMPLAINT, OPT_OUT, TestApp, WAIT};
use sea_orm::{ConnectionTrait, Statement};

const AMENDMENT: &[(&str, &str)] = &[
    ("full_name", "Alan <i>Turing</i>"),
    ("email", "alan@example.com"),
    ("category", "insurance"),
    ("current_information", "Member number 1234"),
    ("corrected_information", "Member number 4321"),
    ("reason", "The digits were swapped."),
];

/// Submits a customer form; returns the tracking path and the reference.
async fn submit(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (String, String) {
    let tracking = app.submit(path, form).await;
    let page = app.get(&tracking).await;
    let text = page.main_text();
    let at = text.find("PR-").expect("a reference");
    (tracking, text[at..at + 12].to_owned())
}

async fn sign_in_is_required_and_sets_a_strict_fresh_session(app: TestApp) {
    let away = app.get("/staff?status=all").await;
    assert_eq!(away.status, StatusCode::SEE_OTHER);
    assert_eq!(away.location(), "/staff/sign-in?next=%2Fstaff%3Fstatus%3Dall");

    app.create_staff("agent@example.com", "Ann Agent", Role::Agent).await;
    let wrong =
        app.post_form("/staff/sign-in", &[("email", "agent@example.com"), ("password", "not the password")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.main_text().contains("do not match an active account"), "{}", wrong.main_text());
    assert!(session_cookie(&wrong).is_none_or(|c| c == "portal_staff="), "no session for a failed sign-in");

    let right = app
        .post_form(
            "/staff/sign-in",
            &[("email", " Agent@Example.com "), ("password", PASSWORD), ("next", "/staff?status=all")],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(right.location(), "/staff?status=all");
    let set_cookie = right.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    assert!(!set_cookie.contains("Secure"), "plain http in tests: {set_cookie}");

    let agent = app.sign_in("agent@example.com").await;
    let queue = agent.get("/staff").await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.main_text());

    // Signing out everywhere ends this session too.
    let out = agent.post("/staff/sign-out-everywhere", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(agent.get("/staff").await.status, StatusCode::SEE_OTHER);
}

async fn repeated_wrong_passwords_pause_sign_in(app: TestApp) {
    app.create_staff("target@example.com", "Tess", Role::Admin).await;
    for _ in 0..5 {
        let reply = app.post_form("/staff/sign-in", &[("email", "target@example.com"), ("password", "guess")]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let paused = app.post_form("/staff/sign-in", &[("email", "target@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(paused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(paused.main_text().contains("Too many unsuccessful attempts"), "{}", paused.main_text());
    assert_eq!(paused.input_value("sign-in-email").as_deref(), Some("target@example.com"), "the address is kept");
}

/// The redirect after a form names where it came from; a control character
/// there is refused before the form does anything.
async fn a_control_character_in_a_return_address_is_refused_before_anything_is_done(app: TestApp) {
    let (_, reference) = submit(&app, "/complaint", COMPLAINT).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    for broken in ["status=all\n", "\0"] {
        let selected = format!("{reference}:{}", agent.case(&reference).await.version);
        let bulk = agent
            .post("/staff/bulk", &[("bulk_action", "assign_me"), ("selected", &selected), ("return_to", broken)])
            .await;
        assert_eq!(bulk.status, StatusCode::BAD_REQUEST, "{broken:?}: {}", bulk.main_text());
        assert!(bulk.main_text().contains("We could not read the form"), "{}", bulk.main_text());
        assert!(agent.case(&reference).await.assignee.is_none(), "the case was not taken");
    }

    app.create_staff("new@example.com", "New", Role::Agent).await;
    for broken in ["/staff/requests\n", "/staff/\0"] {
        let sign_in = app
            .post_form("/staff/sign-in", &[("email", "new@example.com"), ("password", PASSWORD), ("next", broken)])
            .await;
        assert_eq!(sign_in.status, StatusCode::BAD_REQUEST, "{broken:?}: {}", sign_in.main_text());
        assert!(session_cookie(&sign_in).is_none_or(|c| c == "portal_staff="), "no session was started");
    }
    let fine = app
        .post_form("/staff/sign-in", &[("email", "new@example.com"), ("password", PASSWORD), ("next", "/staff/")])
        .await;
    assert_eq!(fine.location(), "/staff/");
}

/// Allowed when the answer is neither a refusal nor a trip to sign-in.
async fn a_case_is_worked_to_its_outcome_and_the_customer_hears_of_each_step(app: TestApp) {
    let (tracking, reference) = submit(&app, "/amendment", AMENDMENT).await;
    app.mail.wait_for(1, WAIT).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;

    // Unverified requests stay out of the default queue.
    let queue = agent.server_fn("queue", &[("query", "")]).await;
    assert!(!queue.body.contains(&reference), "unverified requests are hidden by default");
    let with_unverified = agent.server_fn("queue", &[("query", "unverified=1")]).await;
    assert!(with_unverified.body.contains(&reference));

    let case = agent.case(&reference).await;
    assert_eq!(case.status, RequestStatus::Unverified);
    assert!(case.clock.is_some(), "every request carries its deadline");
    let path = |what: &str| format!("/staff/requests/{reference}/{what}");
    let step = async |pairs: &[(&str, &str)]| {
        let version = agent.case(&reference).await.version.to_string();
        let mut all = vec![("version", version.as_str())];
        all.extend_from_slice(pairs);
        agent.post_confirmed(&path("step"), &all).await
    };

    assert_eq!(step(&[("step", "start_work")]).await.status, StatusCode::UNPROCESSABLE_ENTITY, "verify first");
    assert_eq!(step(&[("step", "mark_verified")]).await.status, StatusCode::SEE_OTHER);
    let claim = agent
        .post(&path("assign"), &[("assignee", "me"), ("version", &agent.case(&reference).await.version.to_string())])
        .await;
    assert_eq!(claim.status, StatusCode::SEE_OTHER);
    let mine = agent.server_fn("queue", &[("query", "assignee=me")]).await;
    assert!(mine.body.contains(&reference), "claimed cases are listed under 'me'");

    assert_eq!(agent.post(&path("note"), &[("body", "Insurer confirms <swap>.")]).await.status, StatusCode::SEE_OTHER);
    let message = agent.post(&path("message"), &[("body", "We are checking with your insurer <today>.")]).await;
    assert_eq!(message.status, StatusCode::SEE_OTHER);
    let ask = step(&[("step", "ask_customer"), ("what", "A photo of your insurance card.")]).await;
    assert_eq!(ask.status, StatusCode::SEE_OTHER);
    assert_eq!(step(&[("step", "resume")]).await.status, StatusCode::SEE_OTHER);

    let no_reason = step(&[("step", "resolve"), ("outcome", "denied"), ("ground", "accurate_and_complete")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.main_text().contains("Explain the denial"), "{}", no_reason.main_text());
    let denied = step(&[
        ("step", "resolve"),
        ("outcome", "denied"),
        ("ground", "accurate_and_complete"),
        ("explanation", "Your insurer's records match ours."),
    ])
    .await;
    assert_eq!(denied.status, StatusCode::SEE_OTHER);

    let inbox = app.mail.wait_for(4, WAIT).await;
    let subjects: Vec<String> = inbox.iter().map(|m| m.subject()).collect();
    let find = |needle: &str| {
        inbox.iter().find(|m| m.subject().contains(needle)).unwrap_or_else(|| panic!("{needle} in {subjects:?}"))
    };
    let message = find("A message about your request");
    assert!(message.text().contains("We are checking with your insurer <today>."));
    assert!(message.html().contains("&lt;today&gt;") && !message.html().contains("<today>"));
    assert!(find("We need information").text().contains("A photo of your insurance card."));
    let denial = find("Amendment denied: request");
    for body in [denial.text(), denial.html().replace("&#x27;", "'")] {
        for must in [
            "The information is accurate and complete",
            "Your insurer's records match ours.",
            "statement",
            "future disclosure",
            "Privacy Officer",
            "1-800-555-0199",
            "Health and Human Services",
        ] {
            assert!(body.contains(must), "the denial letter says {must:?}");
        }
    }
    assert!(
        inbox
            .iter()
            .all(|m| m.parsed().to().and_then(|t| t.first()).and_then(|a| a.address()) == Some("alan@example.com"))
    );

    let customer = app.get(&tracking).await.main_text();
    assert!(customer.contains("We are checking with your insurer <today>."), "{customer}");
    assert!(customer.contains("Amendment denied"), "{customer}");
    assert!(!customer.contains("Insurer confirms"), "internal notes stay inside");
    let case = agent.case(&reference).await;
    assert_eq!(case.status, RequestStatus::Denied);
    assert!(case.steps.is_empty(), "a decided request takes no more steps");
    assert!(case.timeline.iter().any(|e| !e.customer_visible && e.body.as_deref() == Some("Insurer confirms <swap>.")));
}

async fn a_second_change_from_an_old_view_is_refused_not_applied(app: TestApp) {
    let (_, reference) = submit(&app, "/complaint", COMPLAINT).await;
    let first = app.staff_member("first@example.com", Role::Manager).await;
    let second = app.staff_member("second@example.com", Role::Agent).await;
    let seen = first.case(&reference).await.version.to_string();
    let path = format!("/staff/requests/{reference}/step");
    let ok = first.post(&path, &[("version", &seen), ("step", "mark_verified")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let late = second
        .post(
            &path,
            &[("version", &seen), ("step", "close"), ("close_reason", "duplicate"), ("note", "Same as PR-ABCD-EFGH")],
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let text = late.main_text();
    assert!(text.contains("Someone else changed this request"), "{text}");
    assert!(late.body.contains("Same as PR-ABCD-EFGH"), "what was typed is kept");
    assert_eq!(first.case(&reference).await.status, RequestStatus::Received, "nothing was overwritten");
}

async fn an_extension_is_granted_once_with_its_notice(app: TestApp) {
    let (tracking, reference) = submit(&app, "/amendment", AMENDMENT).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let before = agent.case(&reference).await;
    let due = before.clock.as_ref().expect("a deadline").due();
    let page = agent.get(&format!("/staff/requests/{reference}")).await;
    assert!(page.body.contains("form-extend"), "HIPAA allows one extension: {}", page.main_text());
    let (_, opt_out) = submit(&app, "/opt-out", OPT_OUT).await;
    let page = agent.get(&format!("/staff/requests/{opt_out}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("form-extend"), "GLBA allows no extension, so none is offered");
    let path = format!("/staff/requests/{reference}/extend");
    let blank = agent.post(&path, &[("version", &before.version.to_string()), ("reason", " ")]).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    let granted =
        agent.post(&path, &[("version", &before.version.to_string()), ("reason", "Records are held off site.")]).await;
    assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.main_text());
    let after = agent.case(&reference).await;
    let extended = after.clock.as_ref().expect("a deadline").due();
    assert_eq!((extended - due).num_days(), 30, "HIPAA allows 30 more days");
    let again = agent.post(&path, &[("version", &after.version.to_string()), ("reason", "Still busy.")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "only one extension");
    let page = agent.get(&format!("/staff/requests/{reference}")).await;
    assert!(!page.body.contains("form-extend"), "a used extension is not offered again");

    // The amendment's receipt (which asks to confirm the address), the
    // opt-out's receipt, the notice.
    let inbox = app.mail.wait_for(3, WAIT).await;
    let notice = inbox.iter().find(|m| m.subject().contains("We need more time")).expect("an extension notice");
    assert!(notice.text().contains("Records are held off site."));
    assert!(notice.text().contains(&extended.format("%-d %B %Y").to_string()));
    let customer = app.get(&tracking).await.main_text();
    assert!(customer.contains("We extended the time to respond"), "{customer}");
}

async fn staff_enter_a_phone_request_with_the_day_it_arrived(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let received = (chrono::Utc::now() - chrono::Duration::days(3)).date_naive().to_string();
    let mut form: Vec<(&str, &str)> = COMPLAINT.to_vec();
    form.extend([("channel", "phone"), ("received_on", received.as_str())]);
    let future = (chrono::Utc::now() + chrono::Duration::days(3)).date_naive().to_string();
    let mut bad = form.clone();
    bad.retain(|(k, _)| *k != "received_on");
    bad.push(("received_on", &future));
    let refused = agent.post("/staff/new/complaint", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.main_text().contains("cannot be in the future"), "{}", refused.main_text());
    assert!(refused.body.contains("I opted out and was still called twice."), "what was typed is kept");

    let entered = agent.post("/staff/new/complaint", &form).await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.main_text());
    let reference =
        entered.location().trim_start_matches("/staff/requests/").split('?').next().unwrap_or_default().to_owned();
    let case = agent.case(&reference).await;
    assert_eq!(case.channel, app::domain::Channel::Phone);
    assert_eq!(case.status, RequestStatus::Received, "staff spoke to the customer: no email verification");
    let clock = case.clock.expect("a deadline");
    assert_eq!(clock.respond_by.counts_from.to_string(), received, "the clock starts the day it arrived");
}

async fn undelivered_letters_are_shown_and_sent_again(backend: common::Backend) {
    let sink = common::smtp::SmtpSink::start().await;
    let Some(app) = TestApp::start_with(backend, sink, |config| config.mail_max_attempts = 1).await else { return };
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    app.mail.set_mode(common::smtp::Mode::Permanent);
    let (_, reference) = submit(&app, "/complaint", COMPLAINT).await;
    let failed = loop {
        let reply = agent.server_fn("mail", &[]).await;
        if reply.body.matches("\"failed\"").count() >= 1 {
            break reply;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(failed.body.contains(&reference));
    let letters: app::services::Answer<Vec<app::domain::case::LetterState>> =
        serde_json::from_str(&failed.body).expect("letters as JSON");
    let letters = letters.expect("allowed");
    app.mail.set_mode(common::smtp::Mode::Accept);
    // A return address with a control character is refused before the
    // letter is queued again, not after.
    for broken in ["/staff/mail\n", "/staff/mail\0"] {
        let retried = agent.post(&format!("/staff/mail/{}/retry", letters[0].id), &[("return_to", broken)]).await;
        assert_eq!(retried.status, StatusCode::BAD_REQUEST, "{broken:?}: {}", retried.main_text());
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app.mail.inbox().is_empty(), "nothing was sent again");
    for letter in letters {
        let retried = agent.post(&format!("/staff/mail/{}/retry", letter.id), &[("return_to", "/staff/mail")]).await;
        assert_eq!(retried.status, StatusCode::SEE_OTHER);
    }
    let inbox = app.mail.wait_for(1, WAIT).await;
    assert!(inbox.iter().any(|m| m.subject().contains(&reference)));
}

async fn the_audit_log_catches_edits_and_removals(app: TestApp) {
    let (_, reference) = submit(&app, "/complaint", COMPLAINT).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    agent.case(&reference).await;
    for body in ["First note", "Second note", "Third note"] {
        agent.post(&format!("/staff/requests/{reference}/note"), &[("body", body)]).await;
    }
    let db = app.app.database();
    // An opening reaches the log through the access log's own writer, just
    // after the page is shown: wait for it rather than race it.
    let opened = async {
        let find = Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM audit_log WHERE action = 'request.opened'",
        );
        while db.query_one_raw(find.clone()).await.expect("readable").is_none() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), opened).await.expect("the opening is logged");
    let entries = match server::audit::verify(db).await.expect("readable") {
        server::audit::Verdict::Intact { entries } => entries,
        other => panic!("a fresh log is intact, not {other:?}"),
    };
    assert!(entries >= 5, "sign-up, opening and three notes: {entries}");

    let backend = db.get_database_backend();
    let run = async |sql: &str| db.execute_raw(Statement::from_string(backend, sql)).await.expect("raw SQL runs");
    // The log keeps a digest of each note, not the note.
    let id_of = async |note: &str| {
        let digest = app.app.vault().digest(note);
        db.query_one_raw(Statement::from_string(
            backend,
            format!("SELECT id FROM audit_log WHERE detail LIKE '%{digest}%'"),
        ))
        .await
        .expect("query")
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .expect("an id")
    };
    let second = id_of("Second note").await;
    run(&format!("UPDATE audit_log SET detail = '{{\"note\":\"Nothing to see\"}}' WHERE id = {second}")).await;
    assert_eq!(server::audit::verify(db).await.expect("readable"), server::audit::Verdict::Altered { id: second });

    run(&format!("DELETE FROM audit_log WHERE id = {second}")).await;
    let third = id_of("Third note").await;
    assert_eq!(server::audit::verify(db).await.expect("readable"), server::audit::Verdict::Broken { id: third });
}

/// The last minute of today in the organisation's time zone, after the
/// digest's hour in tests.
fn digest_hour(app: &TestApp) -> chrono::DateTime<chrono::Utc> {
    let tz: chrono_tz::Tz = app.config.time_zone;
    chrono::TimeZone::from_local_datetime(
        &tz,
        &chrono::Utc::now().with_timezone(&tz).date_naive().and_hms_opt(23, 59, 30).unwrap(),
    )
    .earliest()
    .expect("the minute exists")
    .with_timezone(&chrono::Utc)
}

/// Every instance looks for the digest each minute; once the day's is
/// claimed, the others stop at the claim: they finish even while the
/// requests cannot be read at all.
async fn a_claimed_digest_day_is_left_before_anything_is_read(app: TestApp) {
    app.create_staff("manager@example.com", "Manager", Role::Manager).await;
    let at = digest_hour(&app);
    assert!(app.app.digest().send_if_due(at).await.expect("runs"), "the first instance sends it");

    let other = app.another_instance().await;
    let db = app.app.database();
    let run = async |sql: &str| {
        db.execute_raw(Statement::from_string(db.get_database_backend(), sql.to_owned())).await.expect("runs");
    };
    run("ALTER TABLE requests RENAME TO requests_away").await;
    let again = other.digest().send_if_due(at).await;
    run("ALTER TABLE requests_away RENAME TO requests").await;
    assert_eq!(again.map_err(|e| e.to_string()), Ok(false), "the day was claimed, so nothing else is read");
}

async fn the_daily_digest_goes_out_once_to_each_who_has_work(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    app.staff_member("manager@example.com", Role::Manager).await;
    app.create_staff("idle@example.com", "Idle", Role::Agent).await;
    let received = (chrono::Utc::now() - chrono::Duration::days(100)).date_naive().to_string();
    let mut form: Vec<(&str, &str)> = COMPLAINT.to_vec();
    form.extend([("channel", "mail"), ("received_on", received.as_str())]);
    let entered = agent.post("/staff/new/complaint", &form).await;
    let reference =
        entered.location().trim_start_matches("/staff/requests/").split('?').next().unwrap_or_default().to_owned();
    let version = agent.case(&reference).await.version.to_string();
    agent.post(&format!("/staff/requests/{reference}/assign"), &[("assignee", "me"), ("version", &version)]).await;
    app.mail.wait_for(1, WAIT).await;

    let tz: chrono_tz::Tz = app.config.time_zone;
    let noon = digest_hour(&app);
    let before =
        chrono::TimeZone::from_local_datetime(&tz, &noon.with_timezone(&tz).date_naive().and_hms_opt(6, 0, 0).unwrap())
            .earliest()
            .expect("six exists")
            .with_timezone(&chrono::Utc);
    assert!(!app.app.digest().send_if_due(before).await.expect("runs"), "not before its hour");
    let other = app.another_instance().await;
    let (first, second) = tokio::join!(app.app.digest().send_if_due(noon), other.digest().send_if_due(noon));
    assert!(first.expect("runs") ^ second.expect("runs"), "exactly one instance sends the day's digest");
    assert!(!app.app.digest().send_if_due(noon).await.expect("runs"), "once a day");

    let inbox = app.mail.wait_for(3, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let digests: Vec<_> =
        app.mail.inbox().into_iter().filter(|m| m.subject().starts_with("Privacy requests for")).collect();
    let recipients: Vec<String> = digests
        .iter()
        .filter_map(|m| m.parsed().to().and_then(|t| t.first()).and_then(|a| a.address()).map(str::to_owned))
        .collect();
    assert_eq!(digests.len(), 2, "one each for the assignee and the manager: {recipients:?} of {}", inbox.len());
    assert!(
        recipients.contains(&"agent@example.com".to_owned()) && recipients.contains(&"manager@example.com".to_owned())
    );
    for digest in &digests {
        assert!(digest.subject().contains("1 overdue"), "{}", digest.subject());
        assert!(digest.text().contains(&reference));
        assert!(!digest.text().contains("Grace Hopper"), "no customer details in a digest");
    }
}

on_both_databases!(
    the_daily_digest_goes_out_once_to_each_who_has_work,
    a_claimed_digest_day_is_left_before_anything_is_read,
    sign_in_is_required_and_sets_a_strict_fresh_session,
    repeated_wrong_passwords_pause_sign_in,
    a_control_character_in_a_return_address_is_refused_before_anything_is_done,
    a_case_is_worked_to_its_outcome_and_the_customer_hears_of_each_step,
    a_second_change_from_an_old_view_is_refused_not_applied,
    an_extension_is_granted_once_with_its_notice,
    staff_enter_a_phone_request_with_the_day_it_arrived,
    the_audit_log_catches_edits_and_removals,
);

#[tokio::test]
async fn undelivered_letters_are_shown_and_sent_again_on_sqlite() {
    undelivered_letters_are_shown_and_sent_again(common::Backend::Sqlite).await;
}

#[tokio::test]
async fn undelivered_letters_are_shown_and_sent_again_on_postgres() {
    undelivered_letters_are_shown_and_sent_again(common::Backend::Postgres).await;
}
