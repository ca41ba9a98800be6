//! Appeals of a refused request (Va. Code 59.1-577(C), C.R.S.
//! 6-1-1306(3), CTDPA 42-518(d)): offered on the tracking page and in the
//! refusal's letter where a state law in force gives one; a case of its
//! own with its own clock; decided by someone other than the refuser; a
//! denial names the customer's Attorney General.

use crate::common;

use app::domain::{RequestKind, RequestStatus, Role};
use axum::http::StatusCode;
use common::staff::StaffBrowser;
use common::{AMENDMENT, Backend, TestApp, WAIT, reference_in};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::db::entities::request;

async fn step(staff: &StaffBrowser<'_>, reference: &str, pairs: &[(&str, &str)]) {
    let version = staff.case(reference).await.version.to_string();
    let mut all = vec![("version", version.as_str())];
    all.extend_from_slice(pairs);
    let done = staff.post_confirmed(&format!("/staff/requests/{reference}/step"), &all).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{pairs:?}: {}", done.main_text());
}

/// An amendment denied by the agent "refuser"; its tracking path,
/// reference and the refuser's session.
async fn denied<'a>(app: &'a TestApp) -> (String, String, StaffBrowser<'a>) {
    let refuser = app.staff_member("refuser@example.com", Role::Agent).await;
    let (tracking, reference) = denied_by(app, &refuser).await;
    (tracking, reference, refuser)
}

/// An amendment from Grace, denied by `refuser`.
async fn denied_by(app: &TestApp, refuser: &StaffBrowser<'_>) -> (String, String) {
    let tracking = app.submit("/amendment", AMENDMENT).await;
    let reference = reference_in(&app.get(&tracking).await.main_text());
    step(refuser, &reference, &[("step", "mark_verified")]).await;
    step(
        refuser,
        &reference,
        &[
            ("step", "resolve"),
            ("outcome", "denied"),
            ("ground", "accurate_and_complete"),
            ("explanation", "Our records match the insurer's."),
        ],
    )
    .await;
    (tracking, reference)
}

async fn a_refusal_is_appealed_once_and_decided_by_a_colleague_who_names_the_attorney_general(app: TestApp) {
    let (tracking, reference, refuser) = denied(&app).await;
    let inbox = app.mail.wait_for(2, WAIT).await;
    let denial = inbox.iter().find(|m| m.subject().contains("Amendment denied")).expect("the denial letter");
    assert!(denial.text().contains("YOUR RIGHT TO APPEAL"), "{}", denial.text());
    assert!(denial.html().contains("Appeal this decision"), "the letter says where");

    let page = app.get(&tracking).await;
    assert!(page.text_of("appeal-heading").is_some(), "{}", page.main_text());
    let path = format!("{tracking}/appeal");
    let empty = app.post_form(&path, &[("state", "va_cdpa"), ("grounds", "  ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text_of("f-grounds-error").is_some(), "{}", empty.main_text());
    assert!(empty.body.contains(r#"<option value="va_cdpa" selected"#), "the state chosen is kept");

    let grounds = "My insurer <b>confirmed</b> 4321.";
    let filed = app.post_form(&path, &[("state", "va_cdpa"), ("grounds", grounds)]).await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.main_text());
    assert!(filed.location().ends_with("?new=1"), "the appeal's own receipt page");
    let receipt = app.get(filed.location()).await;
    let appeal = reference_in(&receipt.main_text());
    assert_ne!(appeal, reference, "a request of its own: {}", receipt.main_text());
    assert!(receipt.main_text().contains(&format!("Appeal of our decision on request {reference}")));
    let stored = app.row(&appeal).await;
    assert_eq!(stored.kind, RequestKind::Appeal.as_str());
    assert_eq!(stored.status, RequestStatus::Received.as_str(), "the original's address was confirmed already");
    assert_eq!(stored.appeal_of, Some(app.row(&reference).await.id));
    // Its own clock: 45 days, Colorado's, the earliest of the laws in force,
    // from the day it was received where the business is (between midnight
    // UTC and midnight there, the UTC date is a day later).
    let due = stored.due_on.expect("a deadline");
    let received_on = app.config.clocks().expect("the clocks").local_date(stored.received_at);
    assert_eq!((due - received_on).num_days(), 45, "{due}");
    assert!(receipt.text_of("answer-by").is_some());

    let inbox = app.mail.wait_for(3, WAIT).await;
    let receipt_letter = inbox.iter().find(|m| m.subject().contains(&appeal)).expect("the appeal's receipt");
    assert!(receipt_letter.subject().contains("Appeal of our decision"), "{}", receipt_letter.subject());
    assert!(receipt_letter.text().contains("did not make the decision"), "{}", receipt_letter.text());

    let original = app.get(&tracking).await;
    assert!(original.text_of("appeal-filed").is_some_and(|t| t.contains(&appeal)), "{}", original.main_text());
    assert!(original.text_of("f-grounds").is_none(), "appealed once");
    let again = app.post_form(&path, &[("state", "co_cpa"), ("grounds", "Again")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text_of("f-grounds-error").is_some_and(|t| t.contains("cannot be appealed")));

    let case = refuser.get(&format!("/staff/requests/{appeal}")).await;
    assert!(case.text_of("appeal-of").is_some_and(|t| t.contains(&reference)), "{}", case.main_text());
    assert!(case.text_of("refused-by").is_some_and(|t| t.contains("refuser")));
    assert!(case.text_of("f-grounds").is_none() && case.main_text().contains("My insurer <b>confirmed</b> 4321."));
    let version = refuser.case(&appeal).await.version.to_string();
    let decide = [
        ("version", version.as_str()),
        ("step", "resolve"),
        ("outcome", "denied"),
        ("explanation", "The insurer's file says 1234."),
    ];
    let own = refuser.post(&format!("/staff/requests/{appeal}/step"), &decide).await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "the refuser may not decide the appeal");
    assert!(own.main_text().contains("a colleague must decide"), "{}", own.main_text());
    assert_eq!(app.row(&appeal).await.status, RequestStatus::Received.as_str());

    let reviewer = app.staff_member("reviewer@example.com", Role::Agent).await;
    let before = app.mail.wait_for(3, WAIT).await.len();
    step(
        &reviewer,
        &appeal,
        &[("step", "resolve"), ("outcome", "denied"), ("explanation", "The insurer's file says 1234.")],
    )
    .await;
    assert_eq!(app.row(&appeal).await.status, RequestStatus::Denied.as_str());
    let inbox = app.mail.wait_for(before + 1, WAIT).await;
    let decision = inbox.iter().find(|m| m.subject().contains("Appeal denied")).expect("the decision letter");
    assert_eq!(decision.recipients, vec!["grace@example.com".to_owned()]);
    for part in ["Attorney General of Virginia", "oag.state.va.us", "The insurer's file says 1234.", &reference] {
        assert!(decision.text().contains(part), "{part}: {}", decision.text());
    }
    assert!(!decision.text().contains("Colorado"), "the customer's state only");
    assert!(app.get(&tracking).await.text_of("appeal-filed").is_some_and(|t| t.contains("Denied")));
    let refused = reviewer.get(&format!("/staff/requests/{reference}")).await;
    assert!(refused.text_of("appealed-by").is_some_and(|t| t.contains(&appeal)), "{}", refused.main_text());
}

async fn two_appeals_sent_at_once_make_one(app: TestApp) {
    let (tracking, reference, _) = denied(&app).await;
    let path = format!("{tracking}/appeal");
    let send = || app.post_form(&path, &[("state", "other"), ("grounds", "Sent twice by a double click.")]);
    let (first, second) = tokio::join!(send(), send());
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::UNPROCESSABLE_ENTITY], "one appeal, one told why");
    let original = app.row(&reference).await;
    let appeals =
        request::Entity::find().filter(request::Column::AppealOf.eq(original.id)).count(app.app.database()).await;
    assert_eq!(appeals.expect("count"), 1);
}

async fn appeals_of_two_refusals_are_never_duplicates_of_each_other(app: TestApp) {
    let refuser = app.staff_member("refuser@example.com", Role::Agent).await;
    let mut appeals = Vec::new();
    for _ in 0..2 {
        let (tracking, _) = denied_by(&app, &refuser).await;
        let filed = app.post_form(&format!("{tracking}/appeal"), &[("state", "other"), ("grounds", "Wrong")]).await;
        assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.main_text());
        appeals.push(reference_in(&app.get(filed.location()).await.main_text()));
    }
    let second = app.row(&appeals[1]).await;
    assert_eq!(second.duplicate_of, None, "the same person, two refusals, two appeals");
}

async fn an_acceptance_offers_no_appeal(app: TestApp) {
    let tracking = app.submit("/amendment", AMENDMENT).await;
    let reference = reference_in(&app.get(&tracking).await.main_text());
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    step(&agent, &reference, &[("step", "mark_verified")]).await;
    step(&agent, &reference, &[("step", "resolve"), ("outcome", "accepted"), ("records_changed", "Member number")])
        .await;
    assert!(app.get(&tracking).await.text_of("appeal-heading").is_none());
    let refused = app.post_form(&format!("{tracking}/appeal"), &[("grounds", "Appeal anyway")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A portal answering to federal law only: no state law gives an appeal,
/// so a denial offers none, in the letter or on the page.
async fn without_a_state_law_a_denial_offers_no_appeal(backend: Backend) {
    let mail = common::smtp::SmtpSink::start().await;
    let Some(app) = TestApp::start_with(backend, mail, |config| {
        config.regimes = vec!["glba".into(), "hipaa".into()];
    })
    .await
    else {
        return;
    };
    let (tracking, _, _) = denied(&app).await;
    assert!(app.get(&tracking).await.text_of("appeal-heading").is_none());
    let inbox = app.mail.wait_for(2, WAIT).await;
    let denial = inbox.iter().find(|m| m.subject().contains("Amendment denied")).expect("the denial letter");
    assert!(!denial.text().contains("APPEAL"), "{}", denial.text());
}

#[tokio::test]
async fn without_a_state_law_a_denial_offers_no_appeal_on_sqlite() {
    without_a_state_law_a_denial_offers_no_appeal(Backend::Sqlite).await;
}

#[tokio::test]
async fn without_a_state_law_a_denial_offers_no_appeal_on_postgres() {
    without_a_state_law_a_denial_offers_no_appeal(Backend::Postgres).await;
}

on_both_databases!(
    a_refusal_is_appealed_once_and_decided_by_a_colleague_who_names_the_attorney_general,
    two_appeals_sent_at_once_make_one,
    appeals_of_two_refusals_are_never_duplicates_of_each_other,
    an_acceptance_offers_no_appeal,
);
