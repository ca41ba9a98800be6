//! The language a request was made in: the one its requester's browser
//! asked for first among those the portal speaks. Staff pages stay in
//! English and show it, on the case and in the queue, so staff know which
//! language to answer in.

use crate::common;

use app::domain::Role;
use axum::http::StatusCode;
use common::{COMPLAINT, TestApp, reference_in};

async fn a_request_records_the_browser_s_language_and_staff_see_it(app: TestApp) {
    let spanish = app.post_form_with("/complaint", COMPLAINT, &[("accept-language", "es-MX,es;q=0.9,en;q=0.8")]).await;
    assert_eq!(spanish.status, StatusCode::SEE_OTHER, "{}", spanish.main_text());
    let english = app.post_form_with("/complaint", COMPLAINT, &[("accept-language", "en-US,en;q=0.9")]).await;
    assert_eq!(english.status, StatusCode::SEE_OTHER);
    let spanish = reference_in(&app.get(spanish.location()).await.main_text());
    let english = reference_in(&app.get(english.location()).await.main_text());

    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let case = agent.get(&format!("/staff/requests/{spanish}")).await;
    assert_eq!(case.text_of("case-language").as_deref(), Some("Spanish"), "{}", case.main_text());
    let case = agent.get(&format!("/staff/requests/{english}")).await;
    assert_eq!(case.text_of("case-language").as_deref(), Some("English"));
    let queue = agent.get("/staff?status=all&unverified=1").await;
    let rows: Vec<&str> = queue.body.split("<tr").filter(|row| row.contains("badge language")).collect();
    assert_eq!(rows.len(), 1, "one Spanish request badged in the queue: {}", queue.main_text());
    assert!(rows[0].contains(&spanish));
}

on_both_databases!(a_request_records_the_browser_s_language_and_staff_see_it);
