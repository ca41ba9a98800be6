//! Amendment notices (45 CFR 164.526(c)(3)) on SQLite and PostgreSQL: the
//! persons a customer names and the business associates administrators list
//! are each sent one notice through the real SMTP server when staff accept
//! an amendment, the case page shows each notice's delivery, and the
//! customer's letter says who was told. Also the joint holders an opt-out
//! names, answered per person by the register.

use crate::common;

use std::time::Duration;

use app::domain::Role;
use app::domain::case::LetterStatus;
use app::domain::request::OptOutScope;
use axum::http::StatusCode;
use chrono::Utc;
use common::smtp::{Delivered, Mode};
use common::staff::StaffBrowser;
use common::{TestApp, WAIT};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use server::db::entities::{audit_entry, request};
use server::register::Lookup;

const NOTICE: &str = "Notice of an amended record";
const CHANGED: &str = "Insurance member number on the claims record";

/// An amendment as the customer types it, naming whom to tell.
fn amendment<'a>(name: &'a str, email: &'a str, tell: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("full_name", name),
        ("email", email),
        ("category", "insurance"),
        ("current_information", "Member 1234"),
        ("corrected_information", "Member 4321"),
        ("reason", "The digits were swapped."),
    ];
    let fields =
        [("notify_1_name", "notify_1_email"), ("notify_2_name", "notify_2_email"), ("notify_3_name", "notify_3_email")];
    for ((name_field, email_field), (name, email)) in fields.into_iter().zip(tell) {
        form.extend([(name_field, *name), (email_field, *email)]);
    }
    form
}

async fn latest_reference(app: &TestApp) -> String {
    request::Entity::find()
        .order_by_desc(request::Column::Id)
        .one(app.app.database())
        .await
        .expect("the database answers")
        .expect("a request")
        .reference
}

async fn add_associate(admin: &StaffBrowser<'_>, name: &str, email: &str) {
    let added =
        admin.post("/staff/associates", &[("name", name), ("email", email), ("relies_on", "Insurance claims")]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.main_text());
}

/// Takes a step from the case page's status form, as a browser sends it.
async fn step(agent: &StaffBrowser<'_>, reference: &str, answers: &[(&str, &str)]) -> common::Reply {
    let version = agent.case(reference).await.version.to_string();
    let mut pairs = vec![("version", version.as_str())];
    pairs.extend_from_slice(answers);
    agent.post_confirmed(&format!("/staff/requests/{reference}/step"), &pairs).await
}

/// The notices delivered so far, once `count` of them have arrived and a
/// little longer, so that one too many would be seen.
async fn notices(app: &TestApp, count: usize) -> Vec<Delivered> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let arrived: Vec<Delivered> =
            app.mail.inbox().into_iter().filter(|letter| letter.subject().starts_with(NOTICE)).collect();
        if arrived.len() >= count {
            tokio::time::sleep(Duration::from_millis(300)).await;
            return app.mail.inbox().into_iter().filter(|letter| letter.subject().starts_with(NOTICE)).collect();
        }
        assert!(tokio::time::Instant::now() < deadline, "expected {count} notices, got {}", arrived.len());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn an_accepted_amendment_tells_each_named_person_and_associate_once(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    add_associate(&admin, "Claims Clearing Co", "notices@claims.example.com").await;
    let far = format!("notices@{}example.com", "sub.".repeat(62));
    for (email, why) in [("claims@gmail", "did you mean"), (far.as_str(), "")] {
        let refused =
            admin.post("/staff/associates", &[("name", "Bad Co"), ("email", email), ("relies_on", "Claims")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{email}: {}", refused.main_text());
        assert!(refused.main_text().contains(why), "{}", refused.main_text());
    }
    let listed = admin.get("/staff/associates").await.main_text();
    assert!(!listed.contains("Bad Co"), "{listed}");
    assert!(listed.contains("Claims Clearing Co") && listed.contains("Insurance claims"), "{listed}");

    let tell = [("Dr Joan Clarke", "joan@clinic.example.com"), ("Max Newman", "max@insurer.example.com")];
    app.submit("/amendment", &amendment("Alan Turing", "alan@example.com", &tell)).await;
    let alan = latest_reference(&app).await;
    // Another customer's request, which no notice may mention.
    let other = [("Dr Other", "other@clinic.example.com")];
    app.submit("/amendment", &amendment("Grace Hopper", "grace@example.com", &other)).await;
    let grace = latest_reference(&app).await;

    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let shown = agent.get(&format!("/staff/requests/{alan}")).await.main_text();
    assert!(shown.contains("Dr Joan Clarke <joan@clinic.example.com>"), "{shown}");
    assert_eq!(step(&agent, &alan, &[("step", "mark_verified")]).await.status, StatusCode::SEE_OTHER);
    let form = agent.get(&format!("/staff/requests/{alan}")).await.body;
    for field in ["notify_person_0", "notify_person_1", "notify_associate_1"] {
        assert!(form.contains(&format!("name=\"{field}\" checked")), "{field} is offered, ticked: {form}");
    }
    let accepted = step(
        &agent,
        &alan,
        &[
            ("step", "resolve"),
            ("outcome", "accepted"),
            ("records_changed", CHANGED),
            ("notices_offered", "1"),
            ("notify_person_0", "on"),
            ("notify_person_1", "on"),
            ("notify_associate_1", "on"),
        ],
    )
    .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.main_text());

    let sent = notices(&app, 3).await;
    assert_eq!(sent.len(), 3, "one notice each, and no more");
    let mut to: Vec<String> = sent.iter().flat_map(|letter| letter.recipients.clone()).collect();
    to.sort();
    assert_eq!(to, ["joan@clinic.example.com", "max@insurer.example.com", "notices@claims.example.com"]);
    for letter in &sent {
        let text = letter.text();
        assert!(letter.subject().contains(&alan), "{}", letter.subject());
        for expected in [alan.as_str(), CHANGED, "Alan Turing", "Example Medical Supply", "1-800-555-0199"] {
            assert!(text.contains(expected), "{expected:?} in {text}");
        }
        for foreign in [grace.as_str(), "Grace Hopper", "grace@example.com", "Dr Other", "Member 4321"] {
            assert!(!text.contains(foreign) && !letter.html().contains(foreign), "{foreign:?} in {text}");
        }
    }

    // The customer's letter names who was told, never their addresses.
    let deadline = tokio::time::Instant::now() + WAIT;
    let outcome = loop {
        let inbox = app.mail.inbox();
        let found = inbox.into_iter().find(|letter| {
            letter.recipients == ["alan@example.com"] && letter.subject().starts_with("Amendment accepted: request")
        });
        if let Some(letter) = found {
            break letter;
        }
        assert!(tokio::time::Instant::now() < deadline, "the customer's outcome letter never came");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let text = outcome.text();
    for told in ["Dr Joan Clarke", "Max Newman", "Claims Clearing Co"] {
        assert!(text.contains(told), "{told} in {text}");
    }
    assert!(!text.contains("joan@clinic.example.com") && !text.contains("notices@claims.example.com"), "{text}");

    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("request.status_changed"))
        .order_by_desc(audit_entry::Column::Id)
        .one(app.app.database())
        .await
        .expect("the audit log")
        .expect("the acceptance is audited");
    let detail: serde_json::Value = serde_json::from_str(&audited.detail).expect("JSON");
    assert_eq!(detail["notices"], 3, "the audit log counts the notices: {detail}");
    assert!(!audited.detail.contains("joan"), "and names nobody");

    let case = agent.case(&alan).await;
    let states: Vec<LetterStatus> = case.letters.iter().filter(|l| l.notice).map(|l| l.status).collect();
    assert_eq!(states, [LetterStatus::Sent; 3], "the case reads each notice's delivery from the outbox");
    let page = agent.get(&format!("/staff/requests/{alan}")).await;
    let section = page.text_of("notices").expect("the notices section");
    assert!(section.contains("To notices@claims.example.com") && section.contains("Sent"), "{section}");
}

async fn staff_choose_whom_to_tell_and_a_partial_acceptance_needs_its_records(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    add_associate(&admin, "Claims Clearing Co", "notices@claims.example.com").await;
    add_associate(&admin, "Lab Results Inc", "records@lab.example.com").await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let received = (Utc::now() - chrono::Duration::days(1)).date_naive().to_string();
    let typed = "<script>alert(1)</script> Clarke";
    let mut form = amendment("Alan Turing", "alan@example.com", &[(typed, "joan@clinic.example.com")]);
    form.extend([("channel", "phone"), ("received_on", received.as_str())]);
    let entered = agent.post("/staff/new/amendment", &form).await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.main_text());
    let reference = latest_reference(&app).await;

    let refused = step(
        &agent,
        &reference,
        &[
            ("step", "resolve"),
            ("outcome", "partly_accepted"),
            ("reason", "The address was right."),
            ("notices_offered", "1"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let beside = refused.text_of("resolve-records-changed-error").expect("a message beside the field");
    assert!(beside.contains("List the records that were changed"), "{beside}");
    assert!(app.mail.inbox().iter().all(|letter| !letter.subject().starts_with(NOTICE)), "nothing was sent");

    let accepted = step(
        &agent,
        &reference,
        &[
            ("step", "resolve"),
            ("outcome", "partly_accepted"),
            ("records_changed", CHANGED),
            ("reason", "The address was right."),
            ("notices_offered", "1"),
            ("notify_person_0", "on"),
            ("notify_associate_2", "on"),
        ],
    )
    .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.main_text());
    let sent = notices(&app, 2).await;
    let mut to: Vec<String> = sent.iter().flat_map(|letter| letter.recipients.clone()).collect();
    to.sort();
    assert_eq!(to, ["joan@clinic.example.com", "records@lab.example.com"], "only those ticked");
    let joan = sent.iter().find(|letter| letter.recipients == ["joan@clinic.example.com"]).expect("Joan's");
    assert!(joan.html().contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; Clarke"), "{}", joan.html());
    assert!(!joan.html().contains("<script>"), "{}", joan.html());
}

/// A JSON request to the API with a token of an agent's, its status and body.
async fn api_post(app: &TestApp, token: &str, path: &str, body: serde_json::Value) -> (StatusCode, serde_json::Value) {
    let request = axum::http::Request::post(path)
        .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .expect("a request");
    let reply = app.send(request).await;
    (reply.status, serde_json::from_str(&reply.body).unwrap_or_default())
}

/// The request's version, as the API reads it.
async fn version_by_api(app: &TestApp, token: &str, reference: &str) -> i64 {
    let request = axum::http::Request::get(format!("/api/v1/requests/{reference}"))
        .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .expect("a request");
    let read: serde_json::Value = serde_json::from_str(&app.send(request).await.body).expect("JSON");
    read["version"].as_i64().expect("a version")
}

/// Accepts the amendment through the API, naming whom to tell (`None`
/// leaves `notify` out).
async fn accept_by_api(
    app: &TestApp,
    token: &str,
    reference: &str,
    notify: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let version = version_by_api(app, token, reference).await;
    let mut body = serde_json::json!({
        "version": version, "step": "resolve", "outcome": "amendment_accepted", "records_changed": CHANGED,
    });
    if let Some(notify) = notify {
        body["notify"] = notify;
    }
    api_post(app, token, &format!("/api/v1/requests/{reference}/steps"), body).await
}

async fn an_api_step_tells_only_the_addresses_it_names(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    add_associate(&admin, "Claims Clearing Co", "notices@claims.example.com").await;
    add_associate(&admin, "Lab Results Inc", "records@lab.example.com").await;
    app.create_staff("case-system@example.com", "Case system", Role::Agent).await;
    let token = server::staff::tokens::ApiTokens::new(app.app.database().clone())
        .issue(&server::audit::Actor::System("test"), "case-system@example.com", "cases", Default::default())
        .await
        .expect("issued")
        .expect("an account");
    let tell = [("Dr Joan Clarke", "joan@clinic.example.com"), ("Max Newman", "max@insurer.example.com")];
    app.submit("/amendment", &amendment("Alan Turing", "alan@example.com", &tell)).await;
    let alan = latest_reference(&app).await;
    let version = version_by_api(&app, &token, &alan).await;
    // Another step than an acceptance sends no notice, whatever it names.
    let verify = serde_json::json!({ "version": version, "step": "mark_verified", "notify": [] });
    let (status, verified) = api_post(&app, &token, &format!("/api/v1/requests/{alan}/steps"), verify).await;
    assert_eq!(status, StatusCode::OK, "{verified}");

    for (notify, field) in [
        (serde_json::json!(["max@insurer.example.com", "eve@example.com"]), "eve@example.com is neither"),
        (serde_json::Value::Null, "expected a sequence"),
    ] {
        let (status, problem) = accept_by_api(&app, &token, &alan, Some(notify)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        let message = problem["fields"]["notify"].as_str().unwrap_or_default();
        assert!(message.contains(field), "{field:?} in {problem}");
    }
    assert!(app.mail.inbox().iter().all(|letter| !letter.subject().starts_with(NOTICE)), "nothing was sent");

    let chosen = serde_json::json!([" Max@Insurer.example.com", "records@lab.example.com"]);
    let (status, accepted) = accept_by_api(&app, &token, &alan, Some(chosen)).await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    let sent = notices(&app, 2).await;
    let mut to: Vec<String> = sent.iter().flat_map(|letter| letter.recipients.clone()).collect();
    to.sort();
    assert_eq!(to, ["max@insurer.example.com", "records@lab.example.com"], "only the addresses named");

    // Without `notify`, everyone who may be told is, as before.
    app.submit(
        "/amendment",
        &amendment("Grace Hopper", "grace@example.com", &[("Dr Other", "other@clinic.example.com")]),
    )
    .await;
    let grace = latest_reference(&app).await;
    let version = version_by_api(&app, &token, &grace).await;
    let verify = serde_json::json!({ "version": version, "step": "mark_verified" });
    assert_eq!(api_post(&app, &token, &format!("/api/v1/requests/{grace}/steps"), verify).await.0, StatusCode::OK);
    let (status, accepted) = accept_by_api(&app, &token, &grace, None).await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    let sent = notices(&app, 5).await;
    let mut to: Vec<String> = sent
        .iter()
        .filter(|letter| letter.subject().contains(&grace))
        .flat_map(|letter| letter.recipients.clone())
        .collect();
    to.sort();
    assert_eq!(to, ["notices@claims.example.com", "other@clinic.example.com", "records@lab.example.com"]);
}

async fn a_notice_that_fails_is_shown_failed_and_sent_again(backend: common::Backend) {
    let sink = common::smtp::SmtpSink::start().await;
    let Some(app) = TestApp::start_with(backend, sink, |config| config.mail_max_attempts = 1).await else { return };
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let received = (Utc::now() - chrono::Duration::days(1)).date_naive().to_string();
    let mut form = amendment("Alan Turing", "alan@example.com", &[("Max Newman", "max@insurer.example.com")]);
    form.extend([("channel", "mail"), ("received_on", received.as_str())]);
    assert_eq!(agent.post("/staff/new/amendment", &form).await.status, StatusCode::SEE_OTHER);
    let reference = latest_reference(&app).await;
    app.mail.set_mode(Mode::Permanent);
    let accepted =
        step(&agent, &reference, &[("step", "resolve"), ("outcome", "accepted"), ("records_changed", CHANGED)]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.main_text());
    let deadline = tokio::time::Instant::now() + WAIT;
    let failed = loop {
        let case = agent.case(&reference).await;
        if let Some(notice) = case.letters.iter().find(|l| l.notice && l.status == LetterStatus::Failed) {
            break notice.id;
        }
        assert!(tokio::time::Instant::now() < deadline, "the notice never failed: {:?}", case.letters);
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let page = agent.get(&format!("/staff/requests/{reference}")).await;
    let section = page.text_of("notices").expect("the notices section");
    assert!(section.contains("Failed") && section.contains("max@insurer.example.com"), "{section}");
    assert!(page.body.contains(&format!("/staff/mail/{failed}/retry")), "a retry button");

    app.mail.set_mode(Mode::Accept);
    let retried = agent
        .post(&format!("/staff/mail/{failed}/retry"), &[("return_to", &format!("/staff/requests/{reference}"))])
        .await;
    assert_eq!(retried.status, StatusCode::SEE_OTHER, "{}", retried.main_text());
    let sent = notices(&app, 1).await;
    assert_eq!(sent[0].recipients, ["max@insurer.example.com"]);
}

async fn joint_holders_named_on_the_form_are_covered_only_for_all_holders(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let joint = |name: &'static str, email: &'static str, joint: &'static str, others: &'static str| {
        vec![
            ("full_name", name),
            ("email", email),
            ("postal_address", "12 St James's Square, London"),
            ("scope", "all_sharing"),
            ("joint_account", joint),
            ("other_holders", others),
        ]
    };
    let form = app.get("/opt-out").await.main_text();
    assert!(form.contains("one name a line, up to nine"), "the form says how many names it takes: {form}");
    let refused = app.post_form("/opt-out", &joint("Ada Lovelace", "ada@example.com", "not_joint", "Byron")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.main_text().contains("only for a joint account"), "{}", refused.main_text());

    app.submit("/opt-out", &joint("Ada Lovelace", "ada@example.com", "all_holders", "Byron Lovelace\nAnne Milbanke"))
        .await;
    let all = latest_reference(&app).await;
    app.submit("/opt-out", &joint("Grace Hopper", "grace@example.com", "just_me", "Vincent Hopper")).await;
    let only_me = latest_reference(&app).await;
    for reference in [&all, &only_me] {
        for answers in [&[("step", "start_work")][..], &[("step", "resolve"), ("effective_on", "2026-01-05")][..]] {
            assert_eq!(step(&agent, reference, answers).await.status, StatusCode::SEE_OTHER);
        }
    }

    let register = app.app.register();
    let today = register.today();
    let answer = async |name: &str| {
        register.check(&Lookup::Name(name.into()), OptOutScope::AllSharing, today).await.expect("an answer").opted_out
    };
    assert!(answer("Ada Lovelace").await);
    assert!(answer("Byron Lovelace").await, "a holder named, for all holders");
    assert!(answer("anne milbanke").await);
    assert!(answer("Grace Hopper").await);
    assert!(!answer("Vincent Hopper").await, "a holder named, but the opt-out was only for Grace");

    let listed = agent.get("/staff/opt-outs").await.main_text();
    assert!(listed.contains("Ada Lovelace, Byron Lovelace, Anne Milbanke"), "{listed}");
    let case = agent.get(&format!("/staff/requests/{only_me}")).await.main_text();
    assert!(case.contains("Vincent Hopper"), "the case shows the holders named: {case}");
}

on_both_databases!(
    an_accepted_amendment_tells_each_named_person_and_associate_once,
    staff_choose_whom_to_tell_and_a_partial_acceptance_needs_its_records,
    joint_holders_named_on_the_form_are_covered_only_for_all_holders,
    an_api_step_tells_only_the_addresses_it_names,
);

#[tokio::test]
async fn a_notice_that_fails_is_shown_failed_and_sent_again_on_sqlite() {
    a_notice_that_fails_is_shown_failed_and_sent_again(common::Backend::Sqlite).await;
}

#[tokio::test]
async fn a_notice_that_fails_is_shown_failed_and_sent_again_on_postgres() {
    a_notice_that_fails_is_shown_failed_and_sent_again(common::Backend::Postgres).await;
}
