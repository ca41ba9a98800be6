//! A request received by mail from someone without an email address, on
//! SQLite and PostgreSQL: staff enter it answered by post, its letters wait
//! in the print queue with the postal address (sealed like every letter),
//! nothing goes to the mail server, the case says so, and a letter leaves
//! the queue once staff mark it printed.

use crate::common;

use std::time::Duration;

use app::domain::{Language, Role};
use app::text::problems::postal_address_needed;
use axum::http::StatusCode;
use common::{TestApp, WAIT};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use server::db::entities::outbox;

const ADDRESS: &str = "1 Navy Yard\nArlington VA 22202";

fn complaint_by_post<'a>(received: &'a str, reply_by: &'a str, address: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("full_name", "Grace <b>Hopper</b>"),
        ("email", ""),
        ("phone", ""),
        ("postal_address", address),
        ("category", "unwanted_marketing"),
        ("occurred_on", "2026-10-01"),
        ("description", "I opted out and was still called twice."),
        ("channel", "mail"),
        ("received_on", received),
        ("reply_by", reply_by),
    ]
}

/// Every outbox row's sealed columns, as the database holds them.
async fn stored_letters(app: &TestApp) -> String {
    let db = app.app.database();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT recipient, subject, text_body, html_body FROM outbox JOIN outbox_bodies USING (id)",
        ))
        .await
        .expect("the outbox");
    rows.iter()
        .flat_map(|row| (0..4).map(move |i| row.try_get_by_index::<String>(i).unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn a_letter_from_someone_without_email_is_answered_through_the_print_queue(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let received = (chrono::Utc::now() - chrono::Duration::days(2)).date_naive().to_string();

    // By email, the address is still asked for; by post, the postal one.
    let by_email = agent.post("/staff/new/complaint", &complaint_by_post(&received, "email", ADDRESS)).await;
    assert_eq!(by_email.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(by_email.main_text().contains("email address"), "{}", by_email.main_text());
    let no_address = agent.post("/staff/new/complaint", &complaint_by_post(&received, "post", "")).await;
    assert_eq!(no_address.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_address.main_text().contains(postal_address_needed(Language::En)), "{}", no_address.main_text());

    let entered = agent.post("/staff/new/complaint", &complaint_by_post(&received, "post", ADDRESS)).await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.main_text());
    let reference =
        entered.location().trim_start_matches("/staff/requests/").split('?').next().unwrap_or_default().to_owned();

    // The case says how the customer is answered, and where the letters are.
    let case = agent.get(&format!("/staff/requests/{reference}")).await;
    assert_eq!(case.status, StatusCode::OK);
    assert!(case.main_text().contains("Answered by post"), "{}", case.main_text());
    assert!(case.body.contains("href=\"/staff/print\""));
    assert!(case.main_text().contains("Waiting to be printed"), "{}", case.main_text());

    // A message staff write goes the same way.
    let message =
        agent.post(&format!("/staff/requests/{reference}/message"), &[("body", "We are looking into it.")]).await;
    assert_eq!(message.status, StatusCode::SEE_OTHER);

    // Nothing reaches the mail server.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(app.mail.inbox().is_empty(), "{:?}", app.mail.inbox().iter().map(|m| m.subject()).collect::<Vec<_>>());

    // The print queue shows both letters with the envelope's address,
    // escaped, and the letter itself.
    let queue = agent.get("/staff/print").await;
    assert_eq!(queue.status, StatusCode::OK);
    let text = queue.main_text();
    assert!(text.contains(&format!("We received your request {reference}")), "{text}");
    assert!(text.contains(&format!("A message about your request {reference}")), "{text}");
    assert!(text.contains("Grace <b>Hopper</b>\n1 Navy Yard\nArlington VA 22202"), "{text}");
    assert!(queue.body.contains("Grace &lt;b&gt;Hopper&lt;/b&gt;") && !queue.body.contains("<b>Hopper"));
    assert!(text.contains("We are looking into it."), "{text}");
    assert!(text.contains("/track/"), "the printed receipt carries the private link: {text}");
    assert!(text.contains("Please keep this letter.") && !text.contains("this email"), "a letter says so: {text}");

    // Sealed like every letter: neither the address nor the name is stored
    // in clear.
    let stored = stored_letters(&app).await;
    assert!(!stored.contains("Navy Yard") && !stored.contains("Hopper"), "{stored}");

    // Printed: it leaves the queue, its link is dropped, the case says so.
    let rows = outbox::Entity::find().all(app.app.database()).await.expect("the outbox");
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|row| row.channel == "print" && row.status == "pending"), "{rows:#?}");
    for row in &rows {
        let printed = agent.post(&format!("/staff/print/{}/printed", row.id), &[]).await;
        assert_eq!(printed.status, StatusCode::SEE_OTHER);
        assert_eq!(printed.location(), "/staff/print?done=printed");
    }
    let again = agent.post(&format!("/staff/print/{}/printed", rows[0].id), &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "a second mark changes nothing");
    let queue = agent.get("/staff/print?done=printed").await.main_text();
    assert!(queue.contains("Nothing to print."), "{queue}");
    assert!(queue.contains("Marked printed"), "{queue}");
    let rows = outbox::Entity::find().all(app.app.database()).await.expect("the outbox");
    assert!(rows.iter().all(|row| row.status == "sent" && row.secret.is_none() && row.sent_at.is_some()));
    let case = agent.get(&format!("/staff/requests/{reference}")).await.main_text();
    assert!(case.contains("Printed") && !case.contains("Waiting to be printed"), "{case}");
    assert!(app.mail.inbox().is_empty());

    // A customer with an email address is still emailed, and the queue
    // stays empty.
    let mut by_mail = complaint_by_post(&received, "email", "");
    by_mail[1] = ("email", "grace@example.com");
    let emailed = agent.post("/staff/new/complaint", &by_mail).await;
    assert_eq!(emailed.status, StatusCode::SEE_OTHER, "{}", emailed.main_text());
    app.mail.wait_for(1, WAIT).await;
    assert!(agent.get("/staff/print").await.main_text().contains("Nothing to print."));
}

/// An opt-out answered by post is applied like any other, its letters
/// printed; its tracking page offers phone and mail to revoke it, and a
/// revocation asked for online anyway mails nothing to a blank address.
async fn an_opt_out_answered_by_post_is_never_mailed(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    // The organisation's day, not UTC's: from midnight UTC until it is midnight in
    // New York, UTC's date is a day the portal calls the future.
    let today = crate::metrics::today().to_string();
    let form = [
        ("full_name", "Ada Lovelace"),
        ("email", ""),
        ("phone", ""),
        ("postal_address", "12 St James's Square\nLondon"),
        ("account_number", "A-1001"),
        ("scope", "all_sharing"),
        ("joint_account", "just_me"),
        ("channel", "mail"),
        ("received_on", today.as_str()),
        ("reply_by", "post"),
    ];
    let entered = agent.post("/staff/new/opt-out", &form).await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.main_text());
    let reference =
        entered.location().trim_start_matches("/staff/requests/").split('?').next().unwrap_or_default().to_owned();
    for pairs in [vec![("step", "start_work")], vec![("step", "resolve"), ("effective_on", today.as_str())]] {
        let version = agent.case(&reference).await.version.to_string();
        let mut all = vec![("version", version.as_str())];
        all.extend_from_slice(&pairs);
        let reply = agent.post_confirmed(&format!("/staff/requests/{reference}/step"), &all).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{pairs:?}: {}", reply.main_text());
    }
    let queue = agent.get("/staff/print").await.main_text();
    assert!(queue.contains(&format!("Opt-out applied: request {reference}")), "{queue}");
    assert!(queue.contains("It covers you only"), "{queue}");
    let at = queue.find("http://portal.test/track/").expect("the printed receipt's link");
    let tracking = queue[at..].split_whitespace().next().expect("the link").trim_start_matches("http://portal.test");
    // The tracking page offers phone and mail, not a link to email.
    let page = app.get(tracking).await;
    assert!(page.main_text().contains("To revoke it, call us toll-free"), "{}", page.main_text());
    assert!(!page.body.contains("revoke-opt-out\""), "no emailed link offered");
    let asked = app.post_form(&format!("{tracking}/revoke-opt-out"), &[]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert!(!asked.location().contains("revoke=sent"), "{}", asked.location());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rows = outbox::Entity::find().all(app.app.database()).await.expect("the outbox");
    assert!(rows.iter().all(|row| row.channel == "print"), "{rows:#?}");
    assert!(app.mail.inbox().is_empty());
}

on_both_databases!(
    a_letter_from_someone_without_email_is_answered_through_the_print_queue,
    an_opt_out_answered_by_post_is_never_mailed,
);
