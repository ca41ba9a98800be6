//! The private tracking page in Spanish, for a customer whose browser asks
//! for it or who chose it: its status, dates and history, and a refused
//! reply sent without JavaScript, told beside the field in Spanish.

use crate::common;

use app::domain::Language;
use app::domain::format::long_date_in;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{AMENDMENT, OPT_OUT, Reply, TestApp, reference_in};

const SPANISH: (&str, &str) = ("cookie", "lang=es");

async fn get_in_spanish(app: &TestApp, path: &str) -> Reply {
    let request = Request::get(path).header(header::COOKIE, SPANISH.1);
    app.send(request.body(Body::empty()).expect("a request")).await
}

async fn the_tracking_page_speaks_spanish_to_a_spanish_customer(app: TestApp) {
    let sent = app.post_form_with("/opt-out", OPT_OUT, &[("accept-language", "es-MX,es;q=0.9")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main_text());
    let today = app.config.clocks().expect("clocks").today();

    let page = get_in_spanish(&app, sent.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html lang=\"es\""), "the document says its language");
    let text = page.main_text();
    assert!(text.contains("Solicitud recibida"), "{text}");
    assert!(text.contains(&format!("Su número de referencia es {}", reference_in(&text))), "{text}");
    assert!(text.contains("EstadoRecibida"), "the status, after its name: {text}");
    assert!(text.contains("Le responderemos a más tardar el"), "{text}");
    assert!(text.contains("Exclusión voluntaria del intercambio de datos"), "the kind: {text}");
    assert!(text.contains("Todo intercambio con terceros no afiliados"), "what was asked: {text}");
    assert!(text.contains(&long_date_in(today, Language::Es)), "a Spanish date: {text}");
    assert!(text.contains("Recibimos su solicitud"), "the history: {text}");
    assert!(!text.contains("Your request"), "nothing left in English: {text}");

    let english = app.get(sent.location()).await;
    assert!(english.body.contains("<html lang=\"en\""), "English without a choice");
    assert!(english.main_text().contains("StatusReceived"), "{}", english.main_text());
}

async fn a_reply_sent_without_javascript_is_refused_in_spanish(app: TestApp) {
    let tracking = app.submit("/amendment", AMENDMENT).await;
    let reference = reference_in(&app.get(&tracking).await.main_text());
    let agent = app.staff_member("agent@example.com", app::domain::Role::Agent).await;
    let version = agent.case(&reference).await.version.to_string();
    let step = [("version", version.as_str()), ("step", "mark_verified")];
    let verified = agent.post_confirmed(&format!("/staff/requests/{reference}/step"), &step).await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER, "{}", verified.main_text());

    let empty = app.post_form_with(&format!("{tracking}/reply"), &[("message", "  ")], &[SPANISH]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("<html lang=\"es\""));
    assert_eq!(empty.text_of("reply-heading").as_deref(), Some("Respóndanos"));
    let error = empty.text_of("f-reply-error").unwrap_or_default();
    assert!(error.contains("Escriba su respuesta."), "{}", empty.main_text());
    assert!(empty.main_text().contains("Rectificar: información del seguro"), "{}", empty.main_text());

    let long = "x".repeat(4001);
    let refused = app.post_form_with(&format!("{tracking}/reply"), &[("message", &long)], &[SPANISH]).await;
    let error = refused.text_of("f-reply-error").unwrap_or_default();
    assert!(error.contains("menos de 4000 caracteres"), "{}", refused.main_text());
    assert_eq!(refused.text_of("f-reply").as_deref(), Some(long.as_str()), "what was typed is kept");
}

on_both_databases!(
    the_tracking_page_speaks_spanish_to_a_spanish_customer,
    a_reply_sent_without_javascript_is_refused_in_spanish
);
