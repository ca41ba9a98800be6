//! A Spanish-speaking customer's pages: the choice is remembered in a
//! cookie, and everything answered to it is in Spanish, down to the error
//! beside a field when JavaScript is off and the plain page that refuses an
//! oversize form.

use crate::common;

use axum::http::{StatusCode, header};
use common::{Reply, TestApp};

const SPANISH: &[(&str, &str)] = &[("cookie", "lang=es")];

fn header_of(reply: &Reply, name: header::HeaderName) -> &str {
    reply.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

async fn get_in_spanish(app: &TestApp, path: &str) -> Reply {
    let request = axum::http::Request::get(path).header(header::COOKIE, "lang=es");
    app.send(request.body(axum::body::Body::empty()).expect("a request")).await
}

async fn the_link_again_page_and_its_errors_are_in_spanish(app: TestApp) {
    let page = get_in_spanish(&app, "/my-link").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"<html lang="es""#), "{}", &page.body[..page.body.len().min(300)]);
    assert!(page.main_text().contains("Enviarme otra vez mi enlace"), "{}", page.main_text());
    let vary: Vec<&str> = page.headers.get_all(header::VARY).iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(vary.iter().any(|v| v.contains("Cookie")), "a cache must not show it to an English visitor: {vary:?}");

    let refused = app.post_form_with("/my-link", &[("reference", "12"), ("email", "ada@example.com")], SPANISH).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(r#"<html lang="es""#));
    let beside = refused.text_of("f-reference-error").expect("the error beside the reference");
    assert!(beside.contains("Escriba el número de referencia"), "{beside}");
    assert_eq!(refused.input_value("f-reference").as_deref(), Some("12"), "what was typed is kept");
    assert_eq!(refused.input_value("f-email").as_deref(), Some("ada@example.com"));
    assert!(refused.text_of("f-email-error").is_none(), "a readable address is not marked");
}

async fn an_oversize_form_is_refused_in_spanish(app: TestApp) {
    let huge = "a".repeat(70 * 1024);
    let refused = app.post_form_with("/my-link", &[("reference", &huge)], SPANISH).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(refused.body.contains(r#"<html lang="es""#), "{}", refused.body);
    assert!(refused.main_text().contains("Lo que envió es demasiado grande"), "{}", refused.main_text());
    assert!(refused.main_text().contains("Volver a sus opciones de privacidad"));

    let english = app.post_form("/my-link", &[("reference", &huge)]).await;
    assert!(english.body.contains(r#"<html lang="en""#));
    assert!(english.main_text().contains("That was too much to send"));
}

async fn a_link_from_an_email_lands_on_a_spanish_page(app: TestApp) {
    let expired = get_in_spanish(&app, "/verify/not-a-token?result=expired").await;
    assert!(expired.main_text().contains("Este enlace ha caducado"), "{}", expired.main_text());
    assert!(expired.body.contains(r#"href="/my-link""#), "the way to a fresh link is still offered");
    let revoke = get_in_spanish(&app, "/revoke/not-a-token").await;
    assert!(revoke.main_text().contains("Revocar mi exclusión voluntaria"), "{}", revoke.main_text());
}

async fn the_switch_remembers_the_language_and_stays_on_this_site(app: TestApp) {
    let switched = app.get("/lang/es?next=/my-link").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location(), "/my-link");
    let cookie = header_of(&switched, header::SET_COOKIE);
    let attributes: Vec<&str> = cookie.split(';').map(str::trim).collect();
    assert_eq!(attributes.first(), Some(&"lang=es"), "{cookie}");
    assert!(attributes.contains(&"Path=/") && attributes.contains(&"HttpOnly"), "{cookie}");

    let elsewhere = app.get("/lang/es?next=//evil.example").await;
    assert_eq!(elsewhere.status, StatusCode::SEE_OTHER);
    assert_eq!(elsewhere.location(), "/", "a path to another host is not followed");
}

on_both_databases!(
    the_link_again_page_and_its_errors_are_in_spanish,
    an_oversize_form_is_refused_in_spanish,
    a_link_from_an_email_lands_on_a_spanish_page,
    the_switch_remembers_the_language_and_stays_on_this_site,
);
