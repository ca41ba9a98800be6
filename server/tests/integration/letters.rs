//! How letters read, through a real SMTP server on loopback, on SQLite and
//! PostgreSQL: on a 375 px phone (long links wrap, the reference stays on
//! one line), signed by the organisation, one letter at submission, the
//! opt-out's holders, one greeting, and staff letters without the
//! customers' phone lines. Customer-typed text stays escaped throughout.

use crate::common;

use std::time::Duration;

use app::domain::Role;
use axum::http::StatusCode;
use common::smtp::Delivered;
use common::{TestApp, WAIT};
use sea_orm::EntityTrait;
use server::db::entities::outbox;

const AMENDMENT: &[(&str, &str)] = &[
    ("full_name", "Alan <i>Turing</i>"),
    ("email", "alan@example.com"),
    ("category", "insurance"),
    ("current_information", "Member number 1234"),
    ("corrected_information", "Member number 4321"),
    ("reason", "The digits were swapped."),
];

const JOINT_OPT_OUT: &[(&str, &str)] = &[
    ("full_name", "Ada Lovelace"),
    ("email", "ada@example.com"),
    ("postal_address", "12 St James's Square, London"),
    ("account_number", "A-1001"),
    ("scope", "all_sharing"),
    ("joint_account", "all_holders"),
    ("other_holders", "Byron <b>Lovelace</b>"),
];

fn reference_in(text: &str) -> String {
    let at = text.find("PR-").expect("a reference");
    text[at..at + 12].to_owned()
}

async fn submit(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (String, String) {
    let tracking = app.submit(path, form).await;
    let reference = reference_in(&app.get(&tracking).await.main_text());
    (tracking, reference)
}

/// The HTML letter's body, without its `<head>` (whose title repeats the
/// subject).
fn body_of(letter: &Delivered) -> String {
    let html = letter.html();
    html[html.find("<body").unwrap_or(0)..].to_owned()
}

/// What a phone needs of a letter: every reference shown unbroken, every
/// address shown as text allowed to wrap, every button a block that keeps
/// its padding, and nothing wider than the screen.
fn fits_a_phone(letter: &Delivered, reference: &str) {
    let body = body_of(letter);
    let shown = body.matches(reference).count();
    assert!(shown > 0, "{body}");
    let unbroken = body.matches(&format!("white-space:nowrap;\">{reference}</strong>")).count();
    assert_eq!(unbroken, shown, "every reference on one line: {body}");
    for (at, _) in body.match_indices("http://portal.test/") {
        let before = &body[..at];
        assert!(
            before.ends_with("href=\"") || before.ends_with("overflow-wrap:anywhere;\">"),
            "a long address must wrap or sit behind a button: {}",
            &body[at.saturating_sub(80)..(at + 40).min(body.len())]
        );
    }
    for (at, _) in body.match_indices("<a href=\"http://portal.test/") {
        let tag = &body[at..at + body[at..].find('>').expect("the tag ends")];
        assert!(!tag.contains("padding") || tag.contains("display:inline-block"), "{tag}");
    }
    assert!(
        !body.contains("width=\"600\"") && !body.contains(";width:600px") && !body.contains("\"width:600px"),
        "no fixed width, only a maximum"
    );
}

/// The plain-text body with the line ends SMTP gave it made plain.
fn text_of(letter: &Delivered) -> String {
    letter.text().replace("\r\n", "\n")
}

fn signed_by_the_organisation(letter: &Delivered) {
    let text = text_of(letter);
    assert!(text.contains("Sincerely,\nPrivacy Officer\nExample Medical Supply"), "{text}");
    assert!(letter.html().contains("Sincerely,<br>Privacy Officer<br>Example Medical Supply"), "{}", letter.html());
}

async fn an_amendment_sends_one_letter_that_receives_and_asks_to_confirm(app: TestApp) {
    let (tracking, reference) = submit(&app, "/amendment", AMENDMENT).await;
    let inbox = app.mail.wait_for(1, WAIT).await;
    // Long enough for a second letter written in the same transaction to
    // follow: the worker polls every 50 ms in tests.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let rows = outbox::Entity::find().all(app.app.database()).await.expect("the outbox");
    assert_eq!(rows.len(), 1, "one letter at submission, not two");
    assert_eq!(app.mail.inbox().len(), 1);

    let letter = &inbox[0];
    assert!(letter.subject().starts_with(&format!("We received your request {reference}")));
    let link = format!("http://portal.test{tracking}");
    for body in [letter.text(), letter.html()] {
        assert!(body.contains(&link), "the tracking link: {body}");
        assert!(body.contains("http://portal.test/verify/"), "the confirmation link: {body}");
        assert!(!body.contains("separate email"), "{body}");
        assert!(!body.contains("removed after sending"), "both links put back: {body}");
    }
    assert!(letter.html().contains("Alan &lt;i&gt;Turing&lt;&#x2f;i&gt;"), "escaped: {}", letter.html());
    assert!(!letter.html().contains("<i>Turing"));
    fits_a_phone(letter, &reference);
    signed_by_the_organisation(letter);

    // Once sent, the row keeps neither link.
    let sent = outbox::Entity::find().all(app.app.database()).await.expect("the outbox");
    assert!(sent[0].secret.is_none(), "the sealed links are dropped once sent");
    let verify = letter.link("http://portal.test/verify/").expect("a confirmation link");
    let confirmed = app.post_form(verify.trim_start_matches("http://portal.test"), &[]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert!(confirmed.location().ends_with("?result=ok"), "{}", confirmed.location());
    assert!(app.get(&tracking).await.main_text().contains("You confirmed your email address"));
}

async fn the_opt_out_letter_took_effect_and_names_the_holders_it_covers(app: TestApp) {
    let (_, reference) = submit(&app, "/opt-out", JOINT_OPT_OUT).await;
    app.mail.wait_for(1, WAIT).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    // The organisation's day, not UTC's: from midnight UTC until it is midnight in
    // New York, UTC's date is a day the portal calls the future.
    let today = crate::metrics::today().to_string();
    for pairs in [vec![("step", "start_work")], vec![("step", "resolve"), ("effective_on", today.as_str())]] {
        let version = agent.case(&reference).await.version.to_string();
        let mut all = vec![("version", version.as_str())];
        all.extend_from_slice(&pairs);
        let reply = agent.post_confirmed(&format!("/staff/requests/{reference}/step"), &all).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{pairs:?}: {}", reply.main_text());
    }
    let inbox = app.mail.wait_for(2, WAIT).await;
    let letter = inbox.iter().find(|m| m.subject().starts_with("Opt-out applied")).expect("the outcome letter");
    for body in [letter.text(), letter.html()] {
        assert!(body.contains("took effect on"), "{body}");
        assert!(!body.contains("has taken effect"), "{body}");
    }
    // The holders the customer named, typed by them, escaped in HTML.
    let covers = "It covers every holder of your joint account: you and Byron";
    assert!(text_of(letter).contains(&format!("{covers} <b>Lovelace</b>.")), "{}", letter.text());
    assert!(letter.html().contains(&format!("{covers} &lt;b&gt;Lovelace&lt;&#x2f;b&gt;.")), "{}", letter.html());
    fits_a_phone(letter, &reference);
    signed_by_the_organisation(letter);
}

async fn a_staff_message_is_greeted_once(app: TestApp) {
    let (_, reference) = submit(&app, "/amendment", AMENDMENT).await;
    app.mail.wait_for(1, WAIT).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let path = format!("/staff/requests/{reference}/message");
    let greeted = agent.post(&path, &[("body", "Dear Alan,\n\nWe are checking <today>.")]).await;
    assert_eq!(greeted.status, StatusCode::SEE_OTHER);
    let inbox = app.mail.wait_for(2, WAIT).await;
    let letter = inbox.iter().find(|m| m.subject().starts_with("A message about")).expect("the message");
    for body in [letter.text(), body_of(letter)] {
        assert_eq!(body.matches("Dear").count(), 1, "one greeting: {body}");
        assert!(!body.contains("has written to you"), "{body}");
    }
    assert!(letter.html().contains("&lt;today&gt;") && !letter.html().contains("<today>"));
    fits_a_phone(letter, &reference);
    signed_by_the_organisation(letter);

    let plain = agent.post(&path, &[("body", "We are checking with your insurer.")]).await;
    assert_eq!(plain.status, StatusCode::SEE_OTHER);
    let inbox = app.mail.wait_for(3, WAIT).await;
    let letter = inbox.iter().find(|m| m.text().contains("checking with your insurer")).expect("the second");
    assert!(text_of(letter).starts_with("Example Medical Supply\n\nDear Alan <i>Turing</i>,"), "{}", letter.text());
}

async fn the_staff_invitation_carries_no_customer_phone_line(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let invited =
        admin.post("/staff/people", &[("name", "Ivy Invited"), ("email", "ivy@example.com"), ("role", "agent")]).await;
    assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.main_text());
    let inbox = app.mail.wait_for(1, WAIT).await;
    let letter = &inbox[0];
    for body in [letter.text(), letter.html()] {
        assert!(!body.contains("1-800-555-0199") && !body.contains("1-800-555-0142"), "{body}");
        assert!(!body.contains("Opt out by phone"), "{body}");
        assert!(body.contains("Example Medical Supply"), "{body}");
    }
    let body = body_of(letter);
    for (at, _) in body.match_indices("http://portal.test/") {
        let before = &body[..at];
        assert!(before.ends_with("href=\"") || before.ends_with("overflow-wrap:anywhere;\">"), "{body}");
    }
}

on_both_databases!(
    an_amendment_sends_one_letter_that_receives_and_asks_to_confirm,
    the_opt_out_letter_took_effect_and_names_the_holders_it_covers,
    a_staff_message_is_greeted_once,
    the_staff_invitation_carries_no_customer_phone_line,
);
