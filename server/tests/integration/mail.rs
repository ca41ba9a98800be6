//! Letters through a real SMTP server on loopback: what they say, the
//! verification flow they drive, and delivery through outages, refusals,
//! crashes and several server instances.

use crate::common;

use std::collections::HashSet;
use std::time::Duration;

use axum::http::StatusCode;
use chrono::Utc;
use common::smtp::{Mode, SmtpSink};
use common::{Backend, TestApp, WAIT};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};
use server::db::entities::{outbox, request};

const OPT_OUT: &[(&str, &str)] = &[
    ("full_name", "Ada <b>Lovelace</b> & co"),
    ("email", "ada@example.com"),
    ("postal_address", "12 St James's Square, London"),
    ("scope", "marketing_only"),
    ("joint_account", "just_me"),
];

const AMENDMENT: &[(&str, &str)] = &[
    ("full_name", "Alan Turing"),
    ("email", "alan@example.com"),
    ("category", "medical_record"),
    ("current_information", "Allergy: none"),
    ("corrected_information", "Allergy: penicillin"),
    ("reason", "The allergy was missed at intake."),
];

fn path_of(url: &str) -> String {
    url.trim_start_matches("http://portal.test").to_owned()
}

async fn outbox_rows(app: &TestApp) -> Vec<outbox::Model> {
    outbox::Entity::find().all(app.app.database()).await.expect("outbox query")
}

/// A stored letter's text and HTML bodies, opened.
async fn stored_bodies(app: &TestApp, letter: &outbox::Model) -> (String, String) {
    let bodies = server::mail::outbox::bodies(app.app.database(), [letter.id]).await.expect("the bodies read");
    let bodies = &bodies[&letter.id];
    let vault = app.app.vault();
    let body = |column, sealed| {
        let place = server::vault::rows::letter_place(column, &letter.message_id);
        vault.open(sealed, place).expect("a stored body opens")
    };
    (body("text_body", &bodies.text_body), body("html_body", &bodies.html_body))
}

/// Waits until every outbox row satisfies `done`.
async fn wait_for_outbox(app: &TestApp, what: &str, done: impl Fn(&[outbox::Model]) -> bool) -> Vec<outbox::Model> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let rows = outbox_rows(app).await;
        if done(&rows) {
            return rows;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}: {rows:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn receipts_say_what_was_asked_with_the_private_link(app: TestApp) {
    let tracking = app.submit("/opt-out", OPT_OUT).await;
    let page = app.get(&tracking).await;
    let reference = {
        let text = page.main_text();
        let at = text.find("PR-").unwrap_or_else(|| panic!("a reference on the page ({}): {text}", page.status));
        text[at..at + 12].to_owned()
    };
    let inbox = app.mail.wait_for(1, WAIT).await;
    let receipt = &inbox[0];
    assert_eq!(receipt.recipients, vec!["ada@example.com".to_owned()]);
    assert_eq!(receipt.subject(), format!("We received your request {reference}: Opt out of sharing"));
    let link = format!("http://portal.test{tracking}");
    for body in [receipt.text(), receipt.html()] {
        assert!(body.contains(&reference), "{body}");
        assert!(body.contains(&link), "{body}");
        assert!(
            body.contains("Sharing for third parties' own marketing")
                || body.contains("Sharing for third parties&#x27; own marketing"),
            "{body}"
        );
        assert!(body.contains("What happens next") || body.contains("WHAT HAPPENS NEXT"), "{body}");
        assert!(!body.contains("confirm your email address"), "opt-outs need no verification");
    }
    assert!(receipt.text().contains("Dear Ada <b>Lovelace</b> & co,"));
    assert!(receipt.html().contains("Dear Ada &lt;b&gt;Lovelace&lt;&#x2f;b&gt; &amp; co,"), "{}", receipt.html());
    assert!(!receipt.html().contains("<b>Lovelace"));
    assert!(receipt.message_id().contains("@example.com"));

    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.mail.inbox().len(), 1, "one submission, one letter");
    let token = tracking.trim_start_matches("/track/");
    let stored = wait_for_outbox(&app, "the letter marked sent", |rows| rows.iter().all(|r| r.status == "sent")).await;
    let (text, html) = stored_bodies(&app, &stored[0]).await;
    assert!(!text.contains(token) && !html.contains(token), "sent letters keep no link");
    assert!(text.contains("[private link, removed after sending]"));
    assert!(stored[0].secret.is_none(), "nor the link's secret");
}

async fn verification_link_confirms_once(app: TestApp) {
    let tracking = app.submit("/amendment", AMENDMENT).await;
    let before = app.get(&tracking).await;
    assert!(before.main_text().contains("Waiting for you to confirm your email address"));
    assert!(before.main_text().contains("Please confirm your email address"));

    // The receipt asks for the confirmation itself: one letter, not two.
    let inbox = app.mail.wait_for(1, WAIT).await;
    let verification = inbox.iter().find(|m| m.subject().starts_with("We received")).expect("a receipt");
    assert!(verification.text().contains("First, please confirm your email address"));
    assert_eq!(verification.recipients, vec!["alan@example.com".to_owned()]);
    let link = verification.link("http://portal.test/verify/").expect("a verification link");
    assert!(verification.html().contains(&link));
    assert!(verification.text().contains("expires in 72 hours"));
    assert!(verification.text().contains(tracking.trim_start_matches("/track/")), "and the tracking link");

    let landing = app.get(&path_of(&link)).await;
    assert_eq!(landing.status, StatusCode::OK);
    assert!(landing.main_text().contains("Confirm my email address"));
    let still = app.get(&tracking).await;
    assert!(still.main_text().contains("Waiting for you to confirm"), "opening the link alone changes nothing");

    let confirmed = app.post_form(&path_of(&link), &[]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert!(confirmed.location().ends_with("?result=ok"));
    let after = app.get(&tracking).await.main_text();
    assert!(after.contains("You confirmed your email address"), "{after}");
    assert!(after.contains("Received") && !after.contains("Waiting for you to confirm"), "{after}");

    let again = app.post_form(&path_of(&link), &[]).await;
    assert!(again.location().ends_with("?result=unknown"), "the link works once");
    let stored = request::Entity::find().one(app.app.database()).await.expect("query").expect("a request");
    assert!(stored.verified_at.is_some());
    assert_eq!(stored.verification_hash, None);
}

async fn expired_links_are_refused_and_a_new_one_can_be_asked_for(app: TestApp) {
    let tracking = app.submit("/amendment", AMENDMENT).await;
    let inbox = app.mail.wait_for(1, WAIT).await;
    let first = inbox.iter().find(|m| m.subject().starts_with("We received")).expect("the receipt");
    let first_link = path_of(&first.link("http://portal.test/verify/").expect("link"));

    let too_soon = app.post_form(&format!("{tracking}/resend"), &[]).await;
    assert!(too_soon.location().ends_with("?resend=wait"), "{}", too_soon.location());
    assert!(app.get(too_soon.location()).await.main_text().contains("We sent one moments ago"));

    // An hour later, the first link has run out.
    let an_hour_ago = Utc::now() - chrono::Duration::hours(1);
    request::Entity::update_many()
        .col_expr(request::Column::VerificationSentAt, Expr::value(an_hour_ago))
        .col_expr(request::Column::VerificationExpiresAt, Expr::value(an_hour_ago))
        .exec(app.app.database())
        .await
        .expect("update");
    let expired = app.post_form(&first_link, &[]).await;
    assert!(expired.location().ends_with("?result=expired"));
    assert!(app.get(expired.location()).await.main_text().contains("This link has expired"));

    let resent = app.post_form(&format!("{tracking}/resend"), &[]).await;
    assert!(resent.location().ends_with("?resend=sent"));
    let inbox = app.mail.wait_for(2, WAIT).await;
    let second = inbox.iter().rev().find(|m| m.subject().starts_with("Please confirm")).expect("a new letter");
    let second_link = path_of(&second.link("http://portal.test/verify/").expect("link"));
    assert_ne!(first_link, second_link);
    assert!(app.post_form(&second_link, &[]).await.location().ends_with("?result=ok"));
    assert!(app.get(&tracking).await.main_text().contains("We sent you a new email to confirm your address"));
}

async fn unconfirmed_requests_close_themselves_with_a_letter(app: TestApp) {
    let amendment = app.submit("/amendment", AMENDMENT).await;
    let opt_out = app.submit("/opt-out", OPT_OUT).await;
    app.mail.wait_for(2, WAIT).await;
    assert_eq!(app.app.store().close_unverified(chrono::Duration::days(30)).await.expect("sweep"), 0, "too recent");
    assert_eq!(app.app.store().close_unverified(chrono::Duration::zero()).await.expect("sweep"), 1);
    assert_eq!(app.app.store().close_unverified(chrono::Duration::zero()).await.expect("sweep"), 0, "closed once");

    let inbox = app.mail.wait_for(3, WAIT).await;
    let closed = inbox.iter().find(|m| m.subject().contains("has been closed")).expect("a closing letter");
    assert_eq!(closed.recipients, vec!["alan@example.com".to_owned()]);
    assert!(closed.text().contains("was not confirmed within 0 days"));
    let page = app.get(&amendment).await.main_text();
    assert!(page.contains("Closed because the email address was not confirmed"), "{page}");
    assert!(app.get(&opt_out).await.main_text().contains("Received"), "opt-outs are never closed this way");
}

async fn letters_written_while_smtp_is_down_arrive_when_it_returns(app: TestApp) {
    let mut app = app;
    app.mail.go_down();
    app.submit("/opt-out", OPT_OUT).await;
    wait_for_outbox(&app, "a failed attempt", |rows| rows.iter().all(|r| r.attempts >= 1 && r.last_error.is_some()))
        .await;
    assert!(app.mail.inbox().is_empty());
    app.mail.come_up().await;
    let inbox = app.mail.wait_for(1, WAIT).await;
    assert!(inbox[0].subject().starts_with("We received your request"));
    let rows = wait_for_outbox(&app, "the letter marked sent", |rows| rows.iter().all(|r| r.status == "sent")).await;
    assert_eq!(rows[0].message_id, inbox[0].message_id().replace(['<', '>'], "").pipe_wrap());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.mail.inbox().len(), 1, "delivered once");
}

async fn temporary_then_permanent_refusals_are_retried_until_delivered(app: TestApp) {
    app.mail.set_mode(Mode::Temporary);
    app.submit("/opt-out", OPT_OUT).await;
    let rows = wait_for_outbox(&app, "two 4xx refusals", |rows| rows.iter().all(|r| r.attempts >= 2)).await;
    assert!(rows[0].last_error.as_deref().is_some_and(|e| e.contains("451")), "{:?}", rows[0].last_error);
    app.mail.set_mode(Mode::Permanent);
    let rows = wait_for_outbox(&app, "a 5xx refusal", |rows| {
        rows.iter().all(|r| r.last_error.as_deref().is_some_and(|e| e.contains("554")))
    })
    .await;
    assert_eq!(rows[0].status, "pending", "a refusal is retried until the attempts run out");
    app.mail.set_mode(Mode::Accept);
    app.mail.wait_for(1, WAIT).await;
    wait_for_outbox(&app, "the letter marked sent", |rows| rows.iter().all(|r| r.status == "sent")).await;
    assert_eq!(app.mail.inbox().len(), 1);
}

async fn a_letter_claimed_by_a_worker_that_died_is_sent_by_another(app: TestApp) {
    let mut app = app;
    app.mail.go_down();
    app.submit("/opt-out", OPT_OUT).await;
    wait_for_outbox(&app, "a first attempt", |rows| rows.iter().all(|r| r.attempts >= 1)).await;
    // A worker claims the letter and is killed before it sends.
    // The lease runs from the instant the claim names, not from when the
    // claim's answer arrives (which a loaded machine may delay).
    let (claimed, claimed_at) = loop {
        let claimed_at = tokio::time::Instant::now();
        let claimed = server::mail::outbox::claim(
            app.app.database(),
            app.app.database(),
            server::mail::outbox::Channel::Mail,
            "killed-worker",
            Utc::now(),
            chrono::Duration::milliseconds(600),
            10,
        )
        .await
        .expect("claim");
        if !claimed.is_empty() {
            break (claimed, claimed_at);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    app.mail.come_up().await;
    let inbox = app.mail.wait_for(1, WAIT).await;
    assert!(claimed_at.elapsed() >= Duration::from_millis(580), "nobody else sends while the lease holds");
    assert_eq!(inbox[0].message_id(), claimed[0].message_id.trim_matches(['<', '>']), "the same letter, recognisably");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.mail.inbox().len(), 1);
}

async fn letters_that_keep_failing_are_marked_failed_with_the_error(app: TestApp) {
    let backend =
        if app.config.database_url.expose().starts_with("sqlite:") { Backend::Sqlite } else { Backend::Postgres };
    drop(app);
    let sink = SmtpSink::start().await;
    sink.set_mode(Mode::Permanent);
    let Some(app) = TestApp::start_with(backend, sink, |config| config.mail_max_attempts = 3).await else {
        return;
    };
    let tracking = app.submit("/opt-out", OPT_OUT).await;
    let rows =
        wait_for_outbox(&app, "the letter marked failed", |rows| rows.iter().all(|r| r.status == "failed")).await;
    assert_eq!(rows[0].attempts, 3);
    assert!(rows[0].last_error.as_deref().is_some_and(|e| e.contains("554")));
    // Like a sent letter, a failed one keeps no private link.
    let token = tracking.trim_start_matches("/track/");
    assert_eq!(rows[0].secret, None);
    let (text, html) = stored_bodies(&app, &rows[0]).await;
    assert!(!text.contains(token) && !html.contains(token), "{text}");
    assert!(text.contains("[private link, removed after sending]"));
}

/// A letter written before the portal kept bodies apart from the outbox row
/// is sent whole after the upgrade: its sealed bodies move as they are, and
/// still open where they now live.
async fn a_letter_from_before_its_bodies_moved_is_sent_whole_after(app: TestApp) {
    use migrations::{Migrator, MigratorTrait};
    let backend =
        if app.config.database_url.expose().starts_with("sqlite:") { Backend::Sqlite } else { Backend::Postgres };
    drop(app);
    let mut sink = SmtpSink::start().await;
    sink.go_down();
    // One attempt, then the letter waits as failed, untouched by the
    // worker while the schema changes under it.
    let Some(app) = TestApp::start_with(backend, sink, |config| config.mail_max_attempts = 1).await else {
        return;
    };
    app.submit("/opt-out", OPT_OUT).await;
    let failed =
        wait_for_outbox(&app, "the letter marked failed", |rows| rows.iter().all(|r| r.status == "failed")).await;
    let mut app = app;
    let db = app.app.database().clone();
    let db = &db;
    // Back to the version before the move, and through it again.
    Migrator::down(db, Some(steps_back_before_the_move())).await.expect("the steps back run");
    let old = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT text_body, html_body FROM outbox"))
        .await
        .expect("the older outbox reads")
        .expect("its one letter");
    for column in 0..2 {
        let body: String = old.try_get_by_index(column).expect("a body");
        assert!(!body.is_empty() && !body.contains("Lovelace"), "sealed, back in the outbox row: {body}");
    }
    Migrator::up(db, None).await.expect("the upgrade runs");

    app.mail.come_up().await;
    assert!(server::mail::outbox::retry(db, failed[0].id).await.expect("the retry"), "queued again");
    let inbox = app.mail.wait_for(1, WAIT).await;
    assert_eq!(inbox[0].message_id(), failed[0].message_id.trim_matches(['<', '>']), "the same letter");
    assert!(inbox[0].text().contains("Dear Ada <b>Lovelace</b> & co,"), "{}", inbox[0].text());
    assert!(inbox[0].html().contains("Dear Ada &lt;b&gt;Lovelace"), "{}", inbox[0].html());
}

/// How many migrations to step back to the schema before the letters'
/// bodies moved to a table of their own, whatever migrations come after.
fn steps_back_before_the_move() -> u32 {
    use migrations::{Migrator, MigratorTrait};
    let migrations = Migrator::migrations();
    let moved = migrations.iter().position(|m| m.name() == "m20261216_000010_outbox_bodies").expect("the move");
    u32::try_from(migrations.len() - moved).expect("a few steps")
}

/// A rolling upgrade on PostgreSQL: one instance changes the outbox's schema
/// while another claims letters from it. The claim is taken in its two
/// steps, as PostgreSQL takes it in one statement: a share of the outbox
/// while its batch is chosen, then the rows to update, asked for once the
/// upgrade waits on that share. The claim goes first and the upgrade after
/// it; before, PostgreSQL found each waiting on the other and ended one.
#[tokio::test]
async fn a_claim_made_during_an_upgrade_and_the_upgrade_both_go_through_on_postgres() {
    use migrations::{Migrator, MigratorTrait};
    use sea_orm::TransactionTrait;
    let Some((config, _)) = common::fresh_config(Backend::Postgres).await else {
        return;
    };
    let url = config.database_url.expose();
    let db = sea_orm::Database::connect(url).await.expect("the database");
    Migrator::up(&db, None).await.expect("the schema");
    let other_instance = sea_orm::Database::connect(url).await.expect("another instance's connection");
    for step in ["down", "up"] {
        let claim = other_instance.begin().await.expect("a transaction");
        claim
            .execute_unprepared(
                "SELECT id FROM outbox WHERE status = 'pending' ORDER BY next_attempt_at, id LIMIT 20 \
                 FOR UPDATE SKIP LOCKED",
            )
            .await
            .expect("the batch chosen");
        let upgrading = db.clone();
        let upgrade = tokio::spawn(async move {
            match step {
                "down" => Migrator::down(&upgrading, Some(steps_back_before_the_move())).await,
                _ => Migrator::up(&upgrading, None).await,
            }
        });
        let waiting = Statement::from_string(
            db.get_database_backend(),
            "SELECT count(*) FROM pg_locks WHERE locktype = 'relation' AND relation = 'outbox'::regclass \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             AND mode = 'AccessExclusiveLock' AND NOT granted",
        );
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let row = db.query_one_raw(waiting.clone()).await.expect("the locks read").expect("a count");
            if row.try_get_by_index::<i64>(0).expect("a count") > 0 {
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "the {step}grade never waited on the claim");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // No rows: the lock it takes is what counts.
        claim
            .execute_unprepared("UPDATE outbox SET locked_by = 'another instance' WHERE false")
            .await
            .unwrap_or_else(|error| panic!("the claim, during the {step}grade: {error}"));
        claim.commit().await.expect("the claim commits");
        upgrade.await.expect("the task").unwrap_or_else(|error| panic!("the {step}grade: {error}"));
    }
}

async fn two_instances_never_send_a_letter_twice(app: TestApp) {
    let second = app.another_instance().await;
    let mut expected = 0;
    for _ in 0..15 {
        app.submit("/amendment", AMENDMENT).await;
        expected += 1;
    }
    let inbox = app.mail.wait_for(expected, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let inbox_now = app.mail.inbox();
    assert_eq!(inbox_now.len(), inbox.len(), "nothing arrives twice");
    let ids: HashSet<String> = inbox_now.iter().map(|m| m.message_id()).collect();
    assert_eq!(ids.len(), expected, "every Message-ID once");
    let sent =
        outbox::Entity::find().filter(outbox::Column::Status.eq("sent")).all(app.app.database()).await.expect("query");
    assert_eq!(sent.len(), expected);
    drop(second);
}

trait PipeWrap {
    fn pipe_wrap(self) -> String;
}

impl PipeWrap for String {
    /// Message-IDs are stored with their angle brackets.
    fn pipe_wrap(self) -> String {
        format!("<{self}>")
    }
}

/// "Send me my link again": a fresh link goes to the address on file only,
/// the answer is the same whether or not the two match, and the first link
/// keeps working.
async fn a_lost_link_is_sent_again_to_the_address_on_file_only(app: TestApp) {
    let tracking = app.submit("/opt-out", OPT_OUT).await;
    let text = app.get(&tracking).await.main_text();
    let at = text.find("PR-").expect("a reference");
    let reference = text[at..at + 12].to_owned();
    app.mail.wait_for(1, WAIT).await;

    let confirmed = app.get("/verify/not-a-token?result=ok").await;
    assert!(confirmed.body.contains(r#"href="/my-link""#), "the confirmation offers the link again");

    let asked = async |reference: &str, email: &str| {
        app.post_form("/my-link", &[("reference", reference), ("email", email)]).await
    };
    for (reference, email) in [(reference.as_str(), "someone@example.com"), ("PR-2345-6789", "ada@example.com")] {
        let answer = asked(reference, email).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.main_text());
        assert_eq!(answer.location(), "/my-link?sent=1", "the same answer, matched or not");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.mail.inbox().len(), 1, "nothing goes out when they do not match");

    let answer = asked(&reference.to_lowercase(), " ADA@example.com ").await;
    assert_eq!(answer.location(), "/my-link?sent=1");
    let page = app.get(answer.location()).await.main_text();
    assert!(page.contains("we have sent its private link to that address"), "{page}");
    let inbox = app.mail.wait_for(2, WAIT).await;
    let letter =
        inbox.iter().find(|m| m.subject() == format!("Your private link for request {reference}")).expect("the link");
    assert_eq!(letter.recipients, vec!["ada@example.com".to_owned()]);
    let fresh = path_of(&letter.link("http://portal.test/track/").expect("a tracking link"));
    assert_ne!(fresh, tracking);
    assert!(app.get(&fresh).await.main_text().contains(&reference), "the fresh link opens the request");
    assert!(app.get(&tracking).await.main_text().contains(&reference), "and the first still does");

    let unreadable = asked("12", "ada@example.com").await;
    assert_eq!(unreadable.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unreadable.main_text().contains("like PR-ABCD-EFGH"), "{}", unreadable.main_text());
}

on_both_databases!(
    a_lost_link_is_sent_again_to_the_address_on_file_only,
    receipts_say_what_was_asked_with_the_private_link,
    verification_link_confirms_once,
    expired_links_are_refused_and_a_new_one_can_be_asked_for,
    unconfirmed_requests_close_themselves_with_a_letter,
    letters_written_while_smtp_is_down_arrive_when_it_returns,
    temporary_then_permanent_refusals_are_retried_until_delivered,
    a_letter_claimed_by_a_worker_that_died_is_sent_by_another,
    a_letter_from_before_its_bodies_moved_is_sent_whole_after,
    letters_that_keep_failing_are_marked_failed_with_the_error,
    two_instances_never_send_a_letter_twice,
);
