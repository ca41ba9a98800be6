//! The customer's side of a request's life, from the tracking page: a
//! reply to staff that resumes a paused clock and tells the assignee.

use crate::common;

use app::domain::clock::{ClockInput, Holidays, Pause, Pauses, Receipt, Regime, RequestClock, Rules};
use app::domain::{EventKind, RequestKind, RequestStatus, Role};
use axum::http::StatusCode;
use chrono::{Days, Duration, Utc};
use common::staff::StaffBrowser;
use common::{AMENDMENT, COMPLAINT, TestApp, WAIT};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::clocks::ClockState;
use server::db::entities::{request, request_event, revocation_link};
use server::vault::rotate::{Rotation, rotate};
use server::vault::rows::ClockColumn;

/// The organisation's time zone in the tests' configuration.
const ZONE: chrono_tz::Tz = chrono_tz::America::New_York;

/// Submits a request; returns its tracking path and reference.
async fn submit_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (String, String) {
    let tracking = app.submit(path, form).await;
    let text = app.get(&tracking).await.main_text();
    let at = text.find("PR-").expect("a reference");
    (tracking, text[at..at + 12].to_owned())
}

async fn submit(app: &TestApp) -> (String, String) {
    submit_form(app, "/amendment", AMENDMENT).await
}

/// Takes a staff step on the case at its current version.
async fn step(staff: &StaffBrowser<'_>, reference: &str, pairs: &[(&str, &str)]) {
    let version = staff.case(reference).await.version.to_string();
    let mut all = vec![("version", version.as_str())];
    all.extend_from_slice(pairs);
    let done = staff.post_confirmed(&format!("/staff/requests/{reference}/step"), &all).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{pairs:?}: {}", done.main_text());
}

async fn row(app: &TestApp, reference: &str) -> request::Model {
    request::Entity::find()
        .filter(request::Column::Reference.eq(reference))
        .one(app.app.database())
        .await
        .expect("query")
        .expect("the request")
}

/// Moves the request's receipt and the day staff asked back in time, as if
/// it had arrived `received` days ago and waited on the customer for the
/// last `waited` days.
async fn backdate(app: &TestApp, reference: &str, received: u64, waited: u64) {
    let today = Utc::now().with_timezone(&ZONE).date_naive();
    let mut state: ClockState = {
        let found = row(app, reference).await;
        let json = app.app.vault().open_clock(&found, ClockColumn::State).expect("opens").expect("a state");
        serde_json::from_str(&json).expect("a clock state")
    };
    assert!(state.pauses.open_since.is_some(), "asking the customer pauses the clock");
    state.pauses.open_since = Some(today - Days::new(waited));
    let sealed = app
        .app
        .vault()
        .seal_clock(reference, ClockColumn::State, &serde_json::to_string(&state).expect("json"))
        .expect("seals");
    request::Entity::update_many()
        .col_expr(request::Column::ReceivedAt, Expr::value(Utc::now() - Duration::days(received as i64)))
        .col_expr(request::Column::ClockState, Expr::value(sealed))
        .filter(request::Column::Reference.eq(reference))
        .exec(app.app.database())
        .await
        .expect("backdated");
}

/// The deadline the rules give a complaint, with the given waits: HIPAA's
/// complaint clock is one that stops while the customer is waited on.
fn due_with(found: &request::Model, closed: Vec<Pause>) -> chrono::NaiveDate {
    let pauses = Pauses { closed, open_since: None };
    let input = ClockInput {
        kind: RequestKind::Complaint,
        received: found.received_at.with_timezone(&ZONE).naive_local(),
        receipt: Receipt::ArrivalDay,
        pauses: &pauses,
        extension_reason: None,
        today: Utc::now().with_timezone(&ZONE).date_naive(),
    };
    let rules = Rules::default().for_regimes(&[Regime::Glba, Regime::Hipaa]);
    RequestClock::compute(&rules, &Holidays::default(), &input).expect("a rule covers complaints").due()
}

async fn a_reply_resumes_a_paused_clock_by_exactly_the_paused_days(app: TestApp) {
    let (tracking, reference) = submit_form(&app, "/complaint", COMPLAINT).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    step(&agent, &reference, &[("step", "mark_verified")]).await;
    let version = agent.case(&reference).await.version.to_string();
    let path = format!("/staff/requests/{reference}/assign");
    assert_eq!(agent.post(&path, &[("assignee", "me"), ("version", &version)]).await.status, StatusCode::SEE_OTHER);
    step(&agent, &reference, &[("step", "ask_customer"), ("what", "A photo of your insurance card.")]).await;
    backdate(&app, &reference, 20, 10).await;
    let asked = app.mail.wait_for(2, WAIT).await;
    let letters_before = asked.len();
    let question = asked.iter().find(|m| m.subject().contains("We need information")).expect("the question");
    assert!(question.text().contains("send documents such as a photo"), "{}", question.text());
    let again = format!("http://portal.test{}", app::pages::LINK_AGAIN);
    assert!(question.link(&again).is_some(), "it says how to answer on the tracking page: {}", question.text());

    let reply = "My new card says <b>4321</b> & the group is 77.";
    let sent = app.post_form(&format!("{tracking}/reply"), &[("message", reply)]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main_text());
    assert_eq!(sent.location(), format!("{tracking}?reply=sent#reply"));

    let found = row(&app, &reference).await;
    assert_eq!(found.status, RequestStatus::InProgress.as_str(), "the reply ends the wait");
    let today = Utc::now().with_timezone(&ZONE).date_naive();
    let unpaused = due_with(&found, Vec::new());
    let paused = Pause { asked: today - Days::new(10), answered: today };
    assert_eq!(found.due_on, Some(unpaused + Days::new(10)), "moved by exactly the ten days waited");
    assert_eq!(found.due_on, Some(due_with(&found, vec![paused])));

    let page = app.get(&format!("{tracking}?reply=sent")).await;
    assert!(page.text_of("reply-sent").is_some(), "the customer is told the reply arrived");
    let answer_by = app::domain::format::long_date(unpaused + Days::new(10));
    assert_eq!(page.text_of("answer-by").as_deref(), Some(answer_by.as_str()));
    assert!(page.main_text().contains("Your message to us"), "{}", page.main_text());
    assert!(page.main_text().contains(reply), "the reply is on the timeline as typed");
    assert!(!page.body.contains("<b>4321</b>"), "typed markup stays text");

    let case = agent.case(&reference).await;
    let theirs = case.timeline.iter().find(|event| event.kind == EventKind::CustomerReplied).expect("on the case");
    assert_eq!(theirs.title, "Message from the customer");
    assert_eq!(theirs.body.as_deref(), Some(reply));
    assert_eq!(theirs.actor, None, "no staff member wrote it");

    let event = request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(found.id))
        .filter(request_event::Column::Kind.eq(EventKind::CustomerReplied.as_str()))
        .one(app.app.database())
        .await
        .expect("query")
        .expect("the event");
    assert!(!format!("{:?}", event.body).contains("4321"), "the reply is sealed at rest");

    let inbox = app.mail.wait_for(letters_before + 1, WAIT).await;
    let told = inbox.iter().find(|m| m.subject().contains("The customer replied")).expect("the assignee is told");
    assert_eq!(told.recipients, vec!["agent@example.com".to_owned()]);
    assert!(told.text().contains(&format!("/staff/requests/{reference}")), "{}", told.text());
    assert!(!told.text().contains("4321"), "the letter carries no personal text");
}

/// Documents sent while staff wait on the customer answer them as a reply
/// does: the wait ends today and the deadline moves by the days it lasted.
async fn documents_sent_while_waited_on_resume_the_clock(app: TestApp) {
    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let (tracking, reference) = submit_form(&app, "/complaint", COMPLAINT).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    step(&agent, &reference, &[("step", "mark_verified")]).await;
    step(&agent, &reference, &[("step", "ask_customer"), ("what", "A photo of your insurance card.")]).await;
    backdate(&app, &reference, 20, 10).await;

    let sent = app.post_files(&format!("{tracking}/documents"), &[("documents", "card.pdf", PDF)]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main_text());

    let found = row(&app, &reference).await;
    assert_eq!(found.status, RequestStatus::InProgress.as_str(), "the documents end the wait");
    let today = Utc::now().with_timezone(&ZONE).date_naive();
    let paused = Pause { asked: today - Days::new(10), answered: today };
    assert_eq!(found.due_on, Some(due_with(&found, Vec::new()) + Days::new(10)), "moved by the ten days waited");
    assert_eq!(found.due_on, Some(due_with(&found, vec![paused])));

    // Documents sent while the request is worked change nothing but the list.
    let version = found.version;
    let more = app.post_files(&format!("{tracking}/documents"), &[("documents", "back.pdf", PDF)]).await;
    assert_eq!(more.status, StatusCode::SEE_OTHER, "{}", more.main_text());
    let after = row(&app, &reference).await;
    assert_eq!((after.status.as_str(), after.due_on), (RequestStatus::InProgress.as_str(), found.due_on));
    assert_eq!(after.version, version, "an event only: the row is left alone");
    assert_eq!(agent.case(&reference).await.documents.len(), 2);
}

async fn a_reply_on_an_unassigned_case_tells_the_team(app: TestApp) {
    let (tracking, reference) = submit(&app).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    step(&agent, &reference, &[("step", "mark_verified")]).await;
    let sent = app.post_form(&format!("{tracking}/reply"), &[("message", "One more thing.")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main_text());
    assert_eq!(row(&app, &reference).await.status, RequestStatus::Received.as_str(), "nothing was waiting");
    let inbox = app.mail.wait_for(2, WAIT).await;
    let told = inbox.iter().find(|m| m.subject().contains("The customer replied")).expect("the team is told");
    assert_eq!(told.recipients, vec!["privacy@example.com".to_owned()]);
}

async fn a_bad_reply_is_refused_beside_the_field_and_kept(app: TestApp) {
    let (tracking, reference) = submit(&app).await;
    let early = app.post_form(&format!("{tracking}/reply"), &[("message", "Before confirming")]).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "an unconfirmed request takes no reply");
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    step(&agent, &reference, &[("step", "mark_verified")]).await;

    let long = format!("<i>{}</i>", "x".repeat(4000));
    let refused = app.post_form(&format!("{tracking}/reply"), &[("message", &long)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text_of("f-reply-error").is_some_and(|e| e.contains("under 4000")), "{}", refused.main_text());
    assert_eq!(refused.text_of("f-reply").as_deref(), Some(long.as_str()), "what was typed is kept");
    assert!(!refused.body.contains("<i>xxx"), "typed markup stays text");

    let empty = app.post_form(&format!("{tracking}/reply"), &[("message", "  ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text_of("f-reply-error").is_some_and(|e| e.contains("write your reply")));
    let unknown = app.post_form("/track/not-a-real-token/reply", &[("message", "Hello")]).await;
    assert_eq!(unknown.status, StatusCode::SEE_OTHER, "an unknown link is sent to its (unknown) page");
}

async fn a_withdrawal_closes_the_request_tells_the_customer_and_is_counted(app: TestApp) {
    let (tracking, reference) = submit(&app).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    step(&agent, &reference, &[("step", "mark_verified")]).await;
    let manager = app.staff_member("boss@example.com", Role::Manager).await;
    let before = manager.outcome_this_week("Withdrawn by the customer").await;
    assert!(app.get(&tracking).await.text_of("withdraw-heading").is_some(), "an open request offers it");

    let reason = "Sorted <b>by phone</b> & thanks";
    let long = "y".repeat(2001);
    let refused = app.post_form(&format!("{tracking}/withdraw"), &[("reason", &long)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text_of("f-withdraw-reason-error").is_some_and(|e| e.contains("under 2000")));
    assert_eq!(refused.text_of("f-withdraw-reason").as_deref(), Some(long.as_str()), "what was typed is kept");
    assert_eq!(row(&app, &reference).await.status, RequestStatus::Received.as_str(), "nothing changed");

    let done = app.post_form(&format!("{tracking}/withdraw"), &[("reason", reason)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.main_text());
    assert_eq!(done.location(), format!("{tracking}?withdrawn=1"));
    let found = row(&app, &reference).await;
    assert_eq!(found.status, RequestStatus::Withdrawn.as_str());
    assert_eq!(found.outcome_tag.as_deref(), Some("withdrawn"));
    assert!(found.resolved_at.is_some());

    let page = app.get(&format!("{tracking}?withdrawn=1")).await;
    assert!(page.text_of("withdrawn-notice").is_some());
    let text = page.main_text();
    assert!(text.contains("Withdrawn at your request") && text.contains("You withdrew your request"), "{text}");
    assert!(text.contains(reason), "the reason is on the timeline as typed: {text}");
    assert!(!page.body.contains("<b>by phone</b>"), "typed markup stays text");
    assert!(page.text_of("withdraw-heading").is_none() && page.text_of("reply-heading").is_none(), "finished");

    let again = app.post_form(&format!("{tracking}/withdraw"), &[("reason", "")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "a finished request is not withdrawn twice");

    let case = agent.case(&reference).await;
    assert_eq!(case.status, RequestStatus::Withdrawn);
    let theirs = case.timeline.iter().find(|event| event.kind == EventKind::Withdrawn).expect("on the case");
    assert_eq!((theirs.title.as_str(), theirs.body.as_deref()), ("Withdrawn by the customer", Some(reason)));

    let inbox = app.mail.wait_for(2, WAIT).await;
    let letter =
        inbox.iter().find(|m| m.subject() == format!("Your request {reference} is withdrawn")).expect("a letter");
    assert_eq!(letter.recipients, vec!["grace@example.com".to_owned()]);
    assert!(letter.text().contains(reason), "{}", letter.text());
    assert!(letter.html().contains("&lt;b&gt;by phone") && !letter.html().contains("<b>by phone"), "{}", letter.html());

    assert_eq!(manager.outcome_this_week("Withdrawn by the customer").await, before + 1, "counted as its own outcome");
    let csv = manager.get("/staff/dashboard/requests.csv?range=7d").await;
    let line = csv.body.lines().find(|line| line.starts_with(&reference)).expect("the request in the export");
    assert!(line.contains(",withdrawn,") && line.contains("Withdrawn by the customer"), "{line}");
}

async fn an_applied_opt_out_is_revoked_not_withdrawn(app: TestApp) {
    let (tracking, reference) = submit_form(&app, "/opt-out", common::OPT_OUT).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let today = Utc::now().with_timezone(&ZONE).date_naive().to_string();
    step(&agent, &reference, &[("step", "resolve"), ("effective_on", &today)]).await;
    let page = app.get(&tracking).await;
    assert!(page.text_of("withdraw-heading").is_none(), "no withdrawal of an applied opt-out");
    assert!(page.text_of("withdraw-opt-out").is_some_and(|t| t.contains("Revoke my opt-out")));
    assert!(page.text_of("revoke-heading").is_some(), "the register's own way is offered");
    let refused = app.post_form(&format!("{tracking}/withdraw"), &[("reason", "Changed my mind")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(row(&app, &reference).await.status, RequestStatus::Completed.as_str());
}

/// Moves when the request was written (and so its first tracking link
/// issued) `days` back.
async fn age_link(app: &TestApp, reference: &str, days: i64) {
    request::Entity::update_many()
        .col_expr(request::Column::CreatedAt, Expr::value(Utc::now() - Duration::days(days)))
        .filter(request::Column::Reference.eq(reference))
        .exec(app.app.database())
        .await
        .expect("aged");
}

async fn events_of(app: &TestApp, reference: &str, kind: EventKind) -> usize {
    let found = row(app, reference).await;
    request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(found.id))
        .filter(request_event::Column::Kind.eq(kind.as_str()))
        .all(app.app.database())
        .await
        .expect("query")
        .len()
}

async fn an_old_link_acts_only_once_the_fresh_email_link_is_followed(app: TestApp) {
    let (tracking, reference) = submit(&app).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    step(&agent, &reference, &[("step", "mark_verified")]).await;
    age_link(&app, &reference, 31).await;
    let letters = app.mail.wait_for(1, WAIT).await.len();

    let asked = app.post_form(&format!("{tracking}/reply"), &[("message", "Forwarded-email reply")]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.main_text());
    assert_eq!(asked.location(), format!("{tracking}?confirm=sent"));
    assert_eq!(events_of(&app, &reference, EventKind::CustomerReplied).await, 0, "an old link does not act by itself");
    let page = app.get(&format!("{tracking}?confirm=sent")).await;
    assert!(page.text_of("confirm-notice").is_some_and(|t| t.contains("emailed you a link")));

    let withdraw = app.post_form(&format!("{tracking}/withdraw"), &[("reason", "")]).await;
    assert_eq!(withdraw.location(), format!("{tracking}?confirm=sent"));
    assert_eq!(row(&app, &reference).await.status, RequestStatus::Received.as_str(), "not withdrawn either");

    let inbox = app.mail.wait_for(letters + 2, WAIT).await;
    let asks: Vec<_> = inbox.iter().filter(|m| m.subject().starts_with("Please confirm your action")).collect();
    assert_eq!(asks.len(), 2, "one fresh link per action");
    assert!(asks.iter().all(|m| m.recipients == vec!["grace@example.com".to_owned()]), "to the address on file");
    let reply_link = asks
        .iter()
        .find(|m| m.text().contains("send the reply"))
        .and_then(|m| m.link("http://portal.test/confirm/"))
        .expect("a confirmation link");
    let path = reply_link.trim_start_matches("http://portal.test").to_owned();
    assert!(!asks.iter().any(|m| m.text().contains("Forwarded-email reply")), "the letter carries no reply text");

    let opened = app.get(&path).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert_eq!(events_of(&app, &reference, EventKind::CustomerReplied).await, 0, "opening the link changes nothing");

    let confirmed = app.post_form(&path, &[]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert_eq!(confirmed.location(), format!("{path}?result=ok"));
    assert!(app.get(&format!("{path}?result=ok")).await.text_of("confirmed").is_some());
    assert_eq!(events_of(&app, &reference, EventKind::CustomerReplied).await, 1, "taken once followed");
    let case = agent.case(&reference).await;
    let theirs = case.timeline.iter().find(|e| e.kind == EventKind::CustomerReplied).expect("on the case");
    assert_eq!(theirs.body.as_deref(), Some("Forwarded-email reply"));

    let again = app.post_form(&path, &[]).await;
    assert_eq!(again.location(), format!("{path}?result=unknown"), "the link works once");
    assert_eq!(events_of(&app, &reference, EventKind::CustomerReplied).await, 1);
    assert_eq!(row(&app, &reference).await.status, RequestStatus::Received.as_str(), "withdrawal still waits");
}

async fn a_link_sent_again_is_fresh_and_acts_at_once(app: TestApp) {
    let (_, reference) = submit(&app).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    step(&agent, &reference, &[("step", "mark_verified")]).await;
    age_link(&app, &reference, 31).await;
    let letters = app.mail.wait_for(1, WAIT).await.len();
    let asked = app.post_form("/my-link", &[("reference", &reference), ("email", "grace@example.com")]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let inbox = app.mail.wait_for(letters + 1, WAIT).await;
    let fresh = inbox
        .iter()
        .find(|m| m.subject().starts_with("Your private link"))
        .and_then(|m| m.link("http://portal.test/track/"))
        .expect("a fresh tracking link");
    let fresh = fresh.trim_start_matches("http://portal.test").to_owned();
    let sent = app.post_form(&format!("{fresh}/reply"), &[("message", "From the new link")]).await;
    assert_eq!(sent.location(), format!("{fresh}?reply=sent#reply"), "a fresh link acts by itself");
    assert_eq!(events_of(&app, &reference, EventKind::CustomerReplied).await, 1);
}

async fn an_action_waiting_on_its_link_is_sealed_and_survives_a_key_rotation(app: TestApp) {
    let (tracking, reference) = submit(&app).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    step(&agent, &reference, &[("step", "mark_verified")]).await;
    age_link(&app, &reference, 31).await;
    let letters = app.mail.wait_for(1, WAIT).await.len();
    let reply = "My member number is 4321";
    let asked = app.post_form(&format!("{tracking}/reply"), &[("message", reply)]).await;
    assert_eq!(asked.location(), format!("{tracking}?confirm=sent"));
    let pending = || async {
        revocation_link::Entity::find()
            .filter(revocation_link::Column::Purpose.eq("reply"))
            .one(app.app.database())
            .await
            .expect("query")
            .and_then(|link| link.pending)
            .expect("the action waits on the link")
            .as_stored()
            .to_owned()
    };
    let before = pending().await;
    assert!(!before.contains("4321"), "sealed at rest: {before}");

    let keys = app.config.key_source();
    let all = Rotation { batch: 100, stop_after: None, settle: std::time::Duration::ZERO, progress: false };
    let rotated = rotate(app.app.database(), app.app.vault(), &keys, all).await.expect("rotates");
    let after = pending().await;
    assert_eq!(after.split('.').nth(1), Some(rotated.key.to_string().as_str()), "re-sealed under the new key");

    let link = app.mail.wait_for(letters + 1, WAIT).await.iter().find_map(|m| m.link("http://portal.test/confirm/"));
    let path = link.expect("a confirmation link").trim_start_matches("http://portal.test").to_owned();
    assert_eq!(app.post_form(&path, &[]).await.location(), format!("{path}?result=ok"));
    let theirs = agent.case(&reference).await.timeline.into_iter().find(|e| e.kind == EventKind::CustomerReplied);
    assert_eq!(theirs.and_then(|e| e.body).as_deref(), Some(reply), "opens after the rotation");
}

on_both_databases!(
    an_action_waiting_on_its_link_is_sealed_and_survives_a_key_rotation,
    an_old_link_acts_only_once_the_fresh_email_link_is_followed,
    a_link_sent_again_is_fresh_and_acts_at_once,
    a_reply_resumes_a_paused_clock_by_exactly_the_paused_days,
    documents_sent_while_waited_on_resume_the_clock,
    a_reply_on_an_unassigned_case_tells_the_team,
    a_bad_reply_is_refused_beside_the_field_and_kept,
    a_withdrawal_closes_the_request_tells_the_customer_and_is_counted,
    an_applied_opt_out_is_revoked_not_withdrawn,
);
