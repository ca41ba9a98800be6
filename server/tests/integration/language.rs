//! The language a request was made in: the one its requester's browser
//! asked for first among those the portal speaks. Staff pages stay in
//! English and show it, on the case and in the queue, so staff know which
//! language to answer in.

use crate::common;

use app::domain::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
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

/// A form sent back with JavaScript off, to a visitor who chose Spanish:
/// every error beside its field in Spanish, everything typed kept.
async fn a_spanish_form_is_refused_in_spanish_and_keeps_what_was_typed(app: TestApp) {
    let typed = [("full_name", ""), ("email", "ana@gmail"), ("postal_address", "Calle Luna 5, Phoenix AZ")];
    let page = app.post_form_with("/opt-out", &typed, &[("cookie", "lang=es")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("<html lang=\"es\""), "the page says it is Spanish");
    assert_eq!(page.text_of("f-full_name-error").as_deref(), Some("Error: Escriba su nombre completo."));
    assert_eq!(
        page.text_of("f-email-error").as_deref(),
        Some("Error: Revise la dirección: ¿quiso decir ana@gmail.com?")
    );
    assert_eq!(page.text_of("f-scope-error").as_deref(), Some("Error: Elija qué abarca la exclusión voluntaria."));
    assert_eq!(page.input_value("f-postal_address").as_deref(), Some("Calle Luna 5, Phoenix AZ"));
    assert!(page.main_text().contains("Revise el formulario"), "{}", page.main_text());
    assert!(page.main_text().contains("Enviar mi exclusión voluntaria"));

    let english = app.post_form_with("/opt-out", &typed, &[("accept-language", "en-US")]).await;
    assert_eq!(english.text_of("f-full_name-error").as_deref(), Some("Error: Please enter your full name."));
    assert!(english.body.contains("<html lang=\"en\""));
}

/// The switch is remembered over the browser's own wish, and the request
/// made after it records the language chosen; staff pages stay English.
async fn the_chosen_language_wins_and_staff_pages_stay_english(app: TestApp) {
    let switched = app.get("/lang/es?next=%2Fcomplaint").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location(), "/complaint");
    let cookie = switched.headers.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(cookie.starts_with("lang=es;") && cookie.contains("HttpOnly"), "{cookie}");

    let chosen = [("cookie", "lang=es"), ("accept-language", "en-US,en;q=0.9")];
    let form = app
        .send(
            Request::get("/complaint")
                .header(header::COOKIE, "lang=es")
                .header(header::ACCEPT_LANGUAGE, "en-US")
                .body(Body::empty())
                .expect("a request"),
        )
        .await;
    assert!(form.body.contains("<html lang=\"es\""));
    assert!(form.main_text().contains("Queja de privacidad"), "{}", form.main_text());
    let vary = form.headers.get_all(header::VARY).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(", ");
    assert!(vary.contains("Cookie") && vary.contains("Accept-Language"), "{vary}");

    let sent = app.post_form_with("/complaint", COMPLAINT, &chosen).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main_text());
    let reference = reference_in(&app.get(sent.location()).await.main_text());
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let case = agent.get(&format!("/staff/requests/{reference}")).await;
    assert_eq!(case.text_of("case-language").as_deref(), Some("Spanish"));
    let sign_in = app
        .send(Request::get("/staff/sign-in").header(header::COOKIE, "lang=es").body(Body::empty()).expect("a request"))
        .await;
    assert!(sign_in.body.contains("<html lang=\"en\""), "staff pages stay English");
    assert!(!sign_in.body.contains("Español"), "and offer no switch");
}

on_both_databases!(
    a_request_records_the_browser_s_language_and_staff_see_it,
    a_spanish_form_is_refused_in_spanish_and_keeps_what_was_typed,
    the_chosen_language_wins_and_staff_pages_stay_english,
);
