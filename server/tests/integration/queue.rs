//! The staff queue as a person at the desk reads it: how many requests a
//! view matches, a reference found by the first characters read out on the
//! phone, names typed surname first, and dates typed the wrong way round.

use crate::common;

use app::domain::Role;
use common::TestApp;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, Statement};
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

/// An opt-out from `name` at `email`.
async fn opt_out_from(app: &TestApp, name: &str, email: &str) {
    let mut form = common::OPT_OUT.to_vec();
    form.retain(|(field, _)| !matches!(*field, "full_name" | "email"));
    form.extend([("full_name", name), ("email", email)]);
    app.submit("/opt-out", &form).await;
}

/// The database keeps a table of each request's name words from the
/// request's name index; whatever rewrites that index (key rotation, the
/// purge) must leave the search finding the request by its name now, and by
/// no name it held before.
async fn a_name_is_found_by_its_words_while_the_request_holds_it(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    opt_out_from(&app, "Ada Lovelace", "ada@example.com").await;
    opt_out_from(&app, "Grace Brewster Hopper", "grace@example.com").await;
    let count = async |words: &str| {
        let page = agent.get(&format!("/staff?unverified=1&status=all&q={words}")).await;
        page.text_of("queue-count").unwrap_or_else(|| panic!("a count for {words}: {}", page.main_text()))
    };
    assert_eq!(count("hopper").await, "1 request");
    assert_eq!(count("HOPPER+grace").await, "1 request", "any order, any case");
    assert_eq!(count("grace+lovelace").await, "0 requests", "every word must match");
    assert_eq!(count("brew").await, "0 requests", "whole words only");

    let db = app.app.database();
    let backend = db.get_database_backend();
    let run = async |sql: &str| db.execute_raw(Statement::from_string(backend, sql.to_owned())).await.expect("runs");
    // Ada's request takes Grace's name index, as a rewrite of the column would.
    run("UPDATE requests SET name_index = (SELECT name_index FROM requests WHERE email_index IS NOT NULL \
         ORDER BY id DESC LIMIT 1) WHERE id = (SELECT min(id) FROM requests)")
    .await;
    assert_eq!(count("lovelace").await, "0 requests", "the old words are gone");
    assert_eq!(count("hopper").await, "2 requests", "the new ones are found");
    // The purge empties the column.
    run("UPDATE requests SET name_index = NULL").await;
    assert_eq!(count("hopper").await, "0 requests");
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
    a_name_is_found_by_its_words_while_the_request_holds_it,
    dates_the_wrong_way_round_are_explained_beside_them,
);
