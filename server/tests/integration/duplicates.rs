//! Likely duplicates: a second open request of the same kind from the same
//! person is marked and linked on both case pages, never held back, and
//! staff merge it (the earlier clock wins) or keep it separate.

use crate::common;

use app::domain::{EventKind, RequestStatus, Role};
use axum::http::StatusCode;
use chrono::{Days, Duration};
use common::staff::StaffBrowser;
use common::{AMENDMENT, OPT_OUT, TestApp, WAIT};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::db::entities::request;

/// The same opt-out again, the address typed differently: the blind index
/// compares it normalised.
fn again(form: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    form.iter()
        .map(|&(name, value)| if name == "email" { (name, " ADA@Example.COM ") } else { (name, value) })
        .collect()
}

async fn submit(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (String, String) {
    let tracking = app.submit(path, form).await;
    let text = app.get(&tracking).await.main_text();
    let at = text.find("PR-").expect("a reference");
    (tracking, text[at..at + 12].to_owned())
}

async fn row(app: &TestApp, reference: &str) -> request::Model {
    request::Entity::find()
        .filter(request::Column::Reference.eq(reference))
        .one(app.app.database())
        .await
        .expect("query")
        .expect("the request")
}

async fn decide(staff: &StaffBrowser<'_>, reference: &str, decision: &str) {
    let version = staff.case(reference).await.version.to_string();
    let path = format!("/staff/requests/{reference}/duplicate");
    let done = staff.post(&path, &[("version", &version), ("decision", decision)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.main_text());
}

async fn a_second_open_opt_out_is_marked_and_linked_on_both_pages_and_still_receipted(app: TestApp) {
    let (_, first) = submit(&app, "/opt-out", OPT_OUT).await;
    let (tracking, second) = submit(&app, "/opt-out", &again(OPT_OUT)).await;
    let letters = app.mail.wait_for(2, WAIT).await;
    assert!(
        letters.iter().any(|letter| letter.subject().contains(&second)),
        "the second request gets its receipt like any other"
    );
    assert_eq!(app.get(&tracking).await.status, StatusCode::OK, "and its tracking page");

    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let marked = agent.get(&format!("/staff/requests/{second}")).await;
    assert!(marked.text_of("duplicate-of").is_some_and(|text| text.contains(&first)), "{}", marked.main_text());
    let earlier = agent.get(&format!("/staff/requests/{first}")).await;
    assert!(earlier.text_of("repeated-by").is_some_and(|text| text.contains(&second)), "{}", earlier.main_text());
    assert!(earlier.text_of("duplicate-of").is_none(), "the earlier request is not the duplicate");
    let queue = agent.get("/staff?status=all").await;
    assert_eq!(queue.body.matches("Possible duplicate").count(), 1, "the queue marks the later one only");
}

async fn a_duplicate_amendment_is_still_verified(app: TestApp) {
    submit(&app, "/amendment", AMENDMENT).await;
    let (_, second) = submit(&app, "/amendment", AMENDMENT).await;
    let letters = app.mail.wait_for(2, WAIT).await;
    let receipt = letters.iter().find(|letter| letter.subject().contains(&second)).expect("its receipt");
    let link = receipt.link("http").filter(|link| link.contains("/verify/")).expect("a verification link");
    let path = &link[link.find("/verify/").expect("a path")..];
    let confirmed = app.post_form(path, &[]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    let found = row(&app, &second).await;
    assert_eq!(found.status, RequestStatus::Received.as_str(), "marked or not, the address is confirmed");
    assert!(found.duplicate_of.is_some(), "and the mark stays for staff to decide");
}

async fn a_joint_holder_with_their_own_address_is_no_duplicate(app: TestApp) {
    submit(&app, "/opt-out", OPT_OUT).await;
    let holder = OPT_OUT
        .iter()
        .map(|&(name, value)| match name {
            "full_name" => (name, "Charles Babbage"),
            "email" => (name, "charles@example.com"),
            _ => (name, value),
        })
        .collect::<Vec<_>>();
    let (_, theirs) = submit(&app, "/opt-out", &holder).await;
    assert_eq!(row(&app, &theirs).await.duplicate_of, None, "the same account, another holder");
    let (_, repeat) = submit(&app, "/opt-out", &holder).await;
    let repeats = row(&app, &repeat).await.duplicate_of;
    assert_eq!(repeats, Some(row(&app, &theirs).await.id), "their own second request still is one, of theirs");
}

async fn another_kind_or_a_finished_request_is_no_duplicate(app: TestApp) {
    let (_, first) = submit(&app, "/opt-out", OPT_OUT).await;
    let complaint = [
        ("full_name", "Ada Lovelace"),
        ("email", "ada@example.com"),
        ("category", "unwanted_marketing"),
        ("occurred_on", "2026-10-01"),
        ("description", "Called twice."),
    ];
    let (_, other_kind) = submit(&app, "/complaint", &complaint).await;
    assert_eq!(row(&app, &other_kind).await.duplicate_of, None);
    request::Entity::update_many()
        .col_expr(request::Column::Status, Expr::value(RequestStatus::Completed.as_str()))
        .filter(request::Column::Reference.eq(first.as_str()))
        .exec(app.app.database())
        .await
        .expect("finished");
    let (_, after) = submit(&app, "/opt-out", OPT_OUT).await;
    assert_eq!(row(&app, &after).await.duplicate_of, None, "only an open request is repeated");
}

async fn a_merge_joins_the_timelines_keeps_the_earlier_deadline_and_tells_the_customer(app: TestApp) {
    let (_, first) = submit(&app, "/opt-out", OPT_OUT).await;
    // The earlier request arrived a week ago, so its deadline comes first.
    let found = row(&app, &first).await;
    request::Entity::update_many()
        .col_expr(request::Column::ReceivedAt, Expr::value(found.received_at - Duration::days(7)))
        .col_expr(request::Column::DueOn, Expr::value(found.due_on.map(|due| due - Days::new(7))))
        .filter(request::Column::Id.eq(found.id))
        .exec(app.app.database())
        .await
        .expect("backdated");
    let (tracking, second) = submit(&app, "/opt-out", &again(OPT_OUT)).await;
    app.mail.wait_for(2, WAIT).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let earlier_due = agent.case(&first).await.clock.expect("a clock").due();
    assert!(earlier_due < agent.case(&second).await.clock.expect("a clock").due());

    let manager = app.staff_member("manager@example.com", Role::Manager).await;
    let merged_before = manager.outcome_this_week("Merged into an earlier request").await;
    decide(&agent, &second, "merge").await;
    assert_eq!(
        manager.outcome_this_week("Merged into an earlier request").await,
        merged_before + 1,
        "counted on the dashboard as its own outcome"
    );

    let merged = agent.case(&second).await;
    assert_eq!(merged.status, RequestStatus::Merged);
    assert_eq!(merged.duplicates.merged_into.as_ref().map(ToString::to_string).as_deref(), Some(first.as_str()));
    assert_eq!(merged.duplicates.repeats, None, "the mark gives way to the merge");
    let survivor = agent.case(&first).await;
    assert_eq!(survivor.clock.expect("a clock").due(), earlier_due, "the earlier clock wins");
    assert_eq!(row(&app, &first).await.due_on, Some(earlier_due));
    assert!(survivor.timeline.iter().any(|event| event.kind == EventKind::MergedHere));
    assert!(
        survivor.timeline.iter().any(|event| event.kind == EventKind::Submitted && event.title.contains(&second)),
        "the merged request's history is on the earlier timeline"
    );
    let page = agent.get(&format!("/staff/requests/{first}")).await;
    assert!(page.text_of("merged-here").is_some_and(|text| text.contains(&second)));

    let letters = app.mail.wait_for(3, WAIT).await;
    let told = letters.iter().find(|letter| letter.subject().contains("is joined with")).expect("a letter");
    assert!(told.text().contains(&format!("Please follow request {first}")), "{}", told.text());
    let tracked = app.get(&tracking).await;
    assert!(tracked.main_text().contains("Joined with your earlier request"), "{}", tracked.main_text());

    let version = agent.case(&second).await.version.to_string();
    let again = agent
        .post(&format!("/staff/requests/{second}/duplicate"), &[("version", &version), ("decision", "merge")])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "merged once");
}

async fn keeping_separate_clears_the_mark_and_says_so(app: TestApp) {
    let (_, first) = submit(&app, "/opt-out", OPT_OUT).await;
    let (_, second) = submit(&app, "/opt-out", OPT_OUT).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let status = agent.case(&second).await.status;

    decide(&agent, &second, "keep_separate").await;

    let kept = agent.case(&second).await;
    assert_eq!(kept.duplicates.repeats, None, "the mark is gone");
    assert_eq!(kept.status, status, "nothing else changes");
    let event = kept.timeline.iter().find(|event| event.kind == EventKind::KeptSeparate).expect("recorded");
    assert!(event.body.as_deref().is_some_and(|body| body.contains(&first)));
    assert_eq!(agent.case(&first).await.duplicates.repeated_by, Vec::new());
    let queue = agent.get("/staff?status=all").await;
    assert!(!queue.body.contains("Possible duplicate"), "no marker in the queue");
}

on_both_databases!(
    a_second_open_opt_out_is_marked_and_linked_on_both_pages_and_still_receipted,
    a_duplicate_amendment_is_still_verified,
    another_kind_or_a_finished_request_is_no_duplicate,
    a_joint_holder_with_their_own_address_is_no_duplicate,
    a_merge_joins_the_timelines_keeps_the_earlier_deadline_and_tells_the_customer,
    keeping_separate_clears_the_mark_and_says_so,
);
