//! The staff queue as a person at the desk reads it: how many requests a
//! view matches, a reference found by the first characters read out on the
//! phone, names typed surname first, and dates typed the wrong way round.

use crate::common;

use app::domain::Role;
use common::TestApp;
use sea_orm::{EntityTrait, QueryOrder};
use server::db::entities::request;

/// `count` opt-outs, each from its own address.
async fn opt_outs(app: &TestApp, count: usize) -> Vec<String> {
    for n in 0..count {
        let email = format!("customer{n}@example.com");
        let mut form = common::OPT_OUT.to_vec();
        form.retain(|(name, _)| *name != "email");
        form.push(("email", email.as_str()));
        app.submit("/opt-out", &form).await;
    }
    let rows =
        request::Entity::find().order_by_asc(request::Column::Id).all(app.app.database()).await.expect("the requests");
    rows.into_iter().map(|row| row.reference).collect()
}

async fn the_queue_says_how_many_requests_match(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    opt_outs(&app, 53).await;

    let first = agent.get("/staff?unverified=1").await;
    assert_eq!(first.text_of("queue-count").as_deref(), Some("53 requests"), "counted beyond the first page");
    let before_link = first.body.split(">Next page</a>").next().expect("a page");
    let next = before_link.rsplit("href=\"/staff?").next().and_then(|rest| rest.split('"').next());
    let next = next.expect("a link to the next page").replace("&amp;", "&");
    let second = agent.get(&format!("/staff?{next}")).await;
    assert!(second.main_text().contains("First page"), "{}", second.main_text());
    assert_eq!(
        second.text_of("queue-count").as_deref(),
        Some("53 requests"),
        "the count is the view's, not the page's"
    );

    let one = agent.get("/staff?unverified=1&q=customer7%40example.com").await;
    assert_eq!(one.text_of("queue-count").as_deref(), Some("1 request"));
}

async fn a_reference_is_found_by_its_first_characters(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let references = opt_outs(&app, 3).await;
    let wanted = &references[1];
    // What a caller reads out: the first group, in lower case, no prefix.
    let typed = wanted["PR-".len()..wanted.len() - 2].to_lowercase();
    let found = agent.get(&format!("/staff?unverified=1&status=all&q={typed}")).await;
    assert!(found.body.contains(wanted.as_str()), "{typed} finds {wanted}: {}", found.main_text());
    for other in [&references[0], &references[2]] {
        let shares_beginning = other.starts_with(&wanted[..wanted.len() - 2]);
        assert_eq!(found.body.contains(other.as_str()), shares_beginning, "{typed} leaves {other} out");
    }
    // Surname first, with a comma, as staff often type a name.
    let by_name = agent.get("/staff?unverified=1&status=all&q=Lovelace%2C+Ada").await;
    assert_eq!(by_name.text_of("queue-count").as_deref(), Some("3 requests"));
}

async fn dates_the_wrong_way_round_are_explained_beside_them(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let plain = agent.get("/staff").await;
    assert!(plain.body.contains("<details class=\"more-filters\">"), "folded when nothing is filtered");

    let reversed = agent.get("/staff?from=2026-03-01&to=2026-02-01").await;
    let message = reversed.text_of("filter-dates-error").expect("a message beside the dates");
    assert!(message.contains("after"), "{message}");
    assert!(reversed.body.contains("from=2026-02-01&amp;to=2026-03-01"), "a link that swaps them");
    let details = reversed.body.split("<details").nth(1).and_then(|tag| tag.split('>').next()).unwrap_or_default();
    assert!(details.contains("open"), "the filters are open to correct them: {details}");
    assert_eq!(reversed.input_value("filter-from").as_deref(), Some("2026-03-01"), "the dates as typed");
}

async fn the_views_a_desk_opens_most_are_one_click_away(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let mine = agent.get("/staff?assignee=me").await;
    assert!(mine.body.contains(r#"<a href="/staff?assignee=me" aria-current="page">My open</a>"#), "{}", mine.body);
    assert!(mine.body.contains(r#"<a href="/staff">All open</a>"#));
    let overdue = agent.get("/staff?due=overdue").await;
    assert!(overdue.body.contains(r#"aria-current="page">Overdue</a>"#));
}

on_both_databases!(
    the_views_a_desk_opens_most_are_one_click_away,
    the_queue_says_how_many_requests_match,
    a_reference_is_found_by_its_first_characters,
    dates_the_wrong_way_round_are_explained_beside_them,
);
