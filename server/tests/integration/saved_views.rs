//! Views of the queue each staff member saves for themselves: listed after
//! the fixed ones as links that show the same rows, seen and removed by
//! their owner alone, with a name refused beside its field when it is
//! already used or one view too many.

use crate::common;

use app::domain::Role;
use axum::http::StatusCode;
use common::TestApp;
use common::staff::StaffBrowser;

/// One opt-out from each of `count` addresses.
async fn opt_outs(app: &TestApp, count: usize) {
    for n in 0..count {
        let email = format!("customer{n}@example.com");
        let mut form = common::OPT_OUT.to_vec();
        form.retain(|(name, _)| *name != "email");
        form.push(("email", email.as_str()));
        app.submit("/opt-out", &form).await;
    }
}

async fn save(browser: &StaffBrowser<'_>, name: &str, query: &str) -> common::Reply {
    browser.post("/staff/views", &[("form", "save_view"), ("name", name), ("query", query)]).await
}

/// The references of the rows a queue page lists, in order.
fn references(page: &common::Reply) -> Vec<String> {
    page.body
        .split("href=\"/staff/requests/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// Where the "Remove" form of the view listed as `name` posts to.
fn remove_action(page: &common::Reply, name: &str) -> Option<String> {
    let item =
        page.body.split("<li class=\"saved-view\">").skip(1).find(|item| item.contains(&format!(">{name}</a>")))?;
    let action = item.split("action=\"").nth(1)?.split('"').next()?;
    Some(action.to_owned())
}

const VIEW: &str = "kind=opt_out&status=all&sort=newest";

async fn a_saved_view_is_listed_and_shows_the_same_rows(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    opt_outs(&app, 3).await;
    let filtered = agent.get(&format!("/staff?{VIEW}")).await;
    assert!(filtered.input_value("save-view-name").is_some(), "a view that is not listed can be saved");
    assert!(agent.get("/staff?assignee=me").await.input_value("save-view-name").is_none(), "a fixed view is listed");

    // The page it was on is not kept: the view opens at the top.
    let saved = save(&agent, "  Every opt-out ", &format!("{VIEW}&after=r.1.2")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.main_text());
    assert_eq!(saved.location(), format!("/staff?{VIEW}&done=view_saved"));

    let shown = agent.get(saved.location()).await;
    assert!(shown.main_text().contains("View saved"), "{}", shown.main_text());
    let link = r#"<a href="/staff?kind=opt_out&amp;status=all&amp;sort=newest" aria-current="page">Every opt-out</a>"#;
    assert!(shown.body.contains(link), "listed as the view showing: {}", shown.body);
    assert!(shown.input_value("save-view-name").is_none(), "once saved, it is not offered again");

    let elsewhere = agent.get("/staff").await;
    let listed = r#"<a href="/staff?kind=opt_out&amp;status=all&amp;sort=newest">Every opt-out</a>"#;
    assert!(elsewhere.body.contains(listed), "listed, not current, elsewhere");
    let opened = agent.get(&format!("/staff?{VIEW}")).await;
    assert_eq!(references(&opened).len(), 3, "{}", opened.main_text());
    assert_eq!(references(&opened), references(&filtered), "the same rows as the queue it was saved from");
}

async fn nobody_else_sees_or_removes_a_saved_view(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let colleague = app.staff_member("colleague@example.com", Role::Manager).await;
    assert_eq!(save(&agent, "Mine alone", VIEW).await.status, StatusCode::SEE_OTHER);
    let own = agent.get("/staff").await;
    let action = remove_action(&own, "Mine alone").expect("a Remove form beside the view");

    let theirs = colleague.get(&format!("/staff?{VIEW}")).await;
    assert!(!theirs.body.contains("Mine alone"), "another person's views are not listed");
    assert!(theirs.input_value("save-view-name").is_some(), "to them it is a view still to save");
    let refused = colleague.post(&action, &[("form", "remove_view"), ("return_to", "")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.main_text());
    assert!(agent.get("/staff").await.body.contains(">Mine alone</a>"), "still there for its owner");

    // The same name is theirs to use.
    assert_eq!(save(&colleague, "Mine alone", "status=all").await.status, StatusCode::SEE_OTHER);
}

async fn a_name_already_used_is_refused_beside_the_field(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    assert_eq!(save(&agent, "Due this week", "due=soon&assignee=me").await.status, StatusCode::SEE_OTHER);

    let again = save(&agent, "DUE this week", VIEW).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = again.text_of("save-view-name-error").expect("a message beside the name");
    assert!(error.contains("already have a view called “Due this week”"), "{error}");
    assert_eq!(again.input_value("save-view-name").as_deref(), Some("DUE this week"), "what was typed is kept");
    assert_eq!(again.attribute_of("save-view-name", "aria-invalid").as_deref(), Some("true"));
    assert!(again.body.contains(r#"name="query" value="kind=opt_out&amp;status=all&amp;sort=newest""#));
    assert_eq!(again.body.matches("<li class=\"saved-view\">").count(), 1, "nothing more was saved");

    let long = save(&agent, &"x".repeat(61), VIEW).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.text_of("save-view-name-error").unwrap_or_default().contains("60 characters"));
    let blank = save(&agent, "   ", VIEW).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_twenty_first_view_is_refused(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    for n in 1..=20 {
        let saved = save(&agent, &format!("View {n}"), &format!("q=customer{n}")).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "view {n}: {}", saved.main_text());
    }
    let one_too_many = save(&agent, "View 21", "q=customer21").await;
    assert_eq!(one_too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = one_too_many.text_of("save-view-name-error").expect("a message beside the name");
    assert!(error.contains("20 saved views"), "{error}");
    assert_eq!(one_too_many.input_value("save-view-name").as_deref(), Some("View 21"));
    assert_eq!(agent.get("/staff").await.body.matches("<li class=\"saved-view\">").count(), 20);
}

async fn its_owner_removes_a_view(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    assert_eq!(save(&agent, "Complaints", "kind=complaint").await.status, StatusCode::SEE_OTHER);
    let page = agent.get("/staff?kind=complaint").await;
    let action = remove_action(&page, "Complaints").expect("a Remove form beside the view");

    let removed = agent.post(&action, &[("form", "remove_view"), ("return_to", "kind=complaint")]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.main_text());
    assert_eq!(removed.location(), "/staff?kind=complaint&done=view_removed");
    let after = agent.get(removed.location()).await;
    assert!(after.main_text().contains("View removed"), "{}", after.main_text());
    assert!(!after.body.contains(">Complaints</a>"), "no longer listed");
    assert!(after.input_value("save-view-name").is_some(), "the view can be saved again");

    // Sent again from a stale page: nothing to remove, nothing said.
    let stale = agent.post(&action, &[("form", "remove_view"), ("return_to", "kind=complaint")]).await;
    assert_eq!(stale.location(), "/staff?kind=complaint");
}

on_both_databases!(
    a_saved_view_is_listed_and_shows_the_same_rows,
    nobody_else_sees_or_removes_a_saved_view,
    a_name_already_used_is_refused_beside_the_field,
    the_twenty_first_view_is_refused,
    its_owner_removes_a_view,
);
