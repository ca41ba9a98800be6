//! Issue 18: each request records the language it was made in, and every
//! letter its customer receives is written in that language, whichever
//! language staff use; staff pages stay English. An administrator's
//! Spanish rewording writes the Spanish letter and leaves the English one
//! as it was. On SQLite and PostgreSQL, through the real SMTP server on
//! loopback.

use crate::common;

use app::domain::Language;
use app::domain::Role;
use app::domain::format::long_date_in;
use app::domain::wording::LetterEditing;
use app::services::Answer;
use axum::http::StatusCode;
use common::smtp::Delivered;
use common::staff::StaffBrowser;
use common::{OPT_OUT, TestApp, WAIT, reference_in};

const SPANISH_BROWSER: &[(&str, &str)] = &[("accept-language", "es-MX,es;q=0.9")];
const ENGLISH_BROWSER: &[(&str, &str)] = &[("accept-language", "en-US,en;q=0.9")];

/// Submits the opt-out form from a browser that asks for a language, and
/// answers the new request's reference.
async fn opt_out_from(app: &TestApp, browser: &[(&str, &str)]) -> String {
    let reply = app.post_form_with("/opt-out", OPT_OUT, browser).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.main_text());
    reference_in(&app.get(reply.location()).await.main_text())
}

/// The one letter in the inbox whose subject names `reference` and starts
/// with `start`.
fn letter<'a>(inbox: &'a [Delivered], reference: &str, start: &str) -> &'a Delivered {
    inbox.iter().find(|mail| mail.subject().starts_with(start) && mail.subject().contains(reference)).unwrap_or_else(
        || {
            let subjects: Vec<String> = inbox.iter().map(Delivered::subject).collect();
            panic!("no letter {start:?} about {reference} in {subjects:?}")
        },
    )
}

/// Words only an English letter has: a Spanish letter with one left in it
/// was not wholly translated.
fn assert_no_english(body: &str) {
    for english in ["Dear ", " the ", "your ", "Sincerely", "We have"] {
        assert!(!body.contains(english), "{english:?} in a Spanish letter: {body}");
    }
}

/// The organisation's day, as the letters date it.
fn today_in(lang: Language) -> String {
    long_date_in(crate::metrics::today(), lang)
}

async fn a_spanish_request_gets_its_receipt_in_spanish_and_an_english_one_in_english(app: TestApp) {
    let spanish = opt_out_from(&app, SPANISH_BROWSER).await;
    let english = opt_out_from(&app, ENGLISH_BROWSER).await;
    let inbox = app.mail.wait_for(2, WAIT).await;

    let receipt = letter(&inbox, &spanish, "Hemos recibido su solicitud");
    assert_eq!(
        receipt.subject(),
        format!("Hemos recibido su solicitud {spanish}: Exclusión voluntaria del intercambio de datos")
    );
    for body in [receipt.text(), receipt.html()] {
        assert!(body.contains("Estimado(a) Ada Lovelace:"), "{body}");
        assert!(body.contains(&today_in(Language::Es)), "dated in Spanish: {body}");
        assert!(body.contains("Dejaremos de compartir su información"), "next steps in Spanish: {body}");
        assert!(body.contains("Atentamente,"), "{body}");
        assert_no_english(&body);
    }
    assert!(receipt.html().contains("<html lang=\"es\">"));

    let receipt = letter(&inbox, &english, "We received your request");
    for body in [receipt.text(), receipt.html()] {
        assert!(body.contains("Dear Ada Lovelace,"), "{body}");
        assert!(body.contains(&today_in(Language::En)), "{body}");
        assert!(!body.contains("Estimado"), "{body}");
    }
}

/// Takes an opt-out to its outcome, as staff do, effective today.
async fn apply_opt_out(agent: &StaffBrowser<'_>, reference: &str) {
    let today = crate::metrics::today().to_string();
    for pairs in [vec![("step", "start_work")], vec![("step", "resolve"), ("effective_on", today.as_str())]] {
        let version = agent.case(reference).await.version.to_string();
        let mut all = vec![("version", version.as_str())];
        all.extend_from_slice(&pairs);
        let reply = agent.post_confirmed(&format!("/staff/requests/{reference}/step"), &all).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{pairs:?}: {}", reply.main_text());
    }
}

async fn a_staff_sent_outcome_on_a_spanish_request_is_spanish_while_staff_pages_stay_english(app: TestApp) {
    let reference = opt_out_from(&app, SPANISH_BROWSER).await;
    app.mail.wait_for(1, WAIT).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    apply_opt_out(&agent, &reference).await;

    let inbox = app.mail.wait_for(2, WAIT).await;
    let outcome = letter(&inbox, &reference, "Exclusión voluntaria aplicada");
    assert_eq!(outcome.subject(), format!("Exclusión voluntaria aplicada: solicitud {reference}"));
    for body in [outcome.text(), outcome.html()] {
        assert!(body.contains("entró en vigor el") && body.contains(&today_in(Language::Es)), "{body}");
        assert!(body.contains("Se aplica a todos los titulares de su cuenta conjunta"), "whom it covers: {body}");
        assert_no_english(&body);
    }

    let case = agent.get(&format!("/staff/requests/{reference}")).await;
    assert_eq!(case.status, StatusCode::OK);
    assert!(case.body.contains("<html lang=\"en\">"), "staff pages are English");
    assert_eq!(case.text_of("case-language").as_deref(), Some("Spanish"));
    assert!(case.main_text().contains("What the customer asked"), "{}", case.main_text());
}

async fn editing(admin: &StaffBrowser<'_>, letter: &str, lang: &str) -> LetterEditing {
    let reply = admin.server_fn("letter", &[("letter", letter), ("lang", lang)]).await;
    let answer: Answer<LetterEditing> = serde_json::from_str(&reply.body).expect("the letter as JSON");
    answer.expect("the editor is open to an administrator")
}

async fn a_spanish_rewording_leaves_the_english_letter_alone(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let spanish = editing(&admin, "receipt", "es").await;
    assert_eq!((spanish.language, spanish.number), (Language::Es, 0));
    assert!(spanish.text.contains("Estimado(a)"), "the Spanish default words: {}", spanish.text);
    let (before, after) = ("Hemos recibido su solicitud.", "Su solicitud nos ha llegado bien.");
    assert!(spanish.text.contains(before) && spanish.html.contains(before));
    let form = [
        ("subject", spanish.subject.as_str()),
        ("text", &spanish.text.replace(before, after)),
        ("html", &spanish.html.replace(before, after)),
        ("based_on", "0"),
        ("intent", "save"),
    ];
    let saved = admin.post("/staff/letters/receipt?lang=es", &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.main_text());
    assert!(saved.location().starts_with("/staff/letters/receipt?lang=es&done="), "{}", saved.location());

    assert_eq!(editing(&admin, "receipt", "es").await.number, 1);
    let english = editing(&admin, "receipt", "en").await;
    assert_eq!((english.language, english.number), (Language::En, 0), "English keeps its default words");
    let page = admin.get("/staff/letters/receipt").await;
    assert_eq!(page.status, StatusCode::OK);
    let languages = page.text_of("letter-language").expect("the language line");
    assert!(languages.contains("English version") && languages.contains("Spanish version"), "{languages}");
    let page = admin.get("/staff/letters/receipt?lang=es").await;
    assert_eq!(page.input_value("letter-subject").as_deref(), Some(spanish.subject.as_str()));

    let spanish = opt_out_from(&app, SPANISH_BROWSER).await;
    let english = opt_out_from(&app, ENGLISH_BROWSER).await;
    let inbox = app.mail.wait_for(2, WAIT).await;
    let receipt = letter(&inbox, &spanish, "Hemos recibido su solicitud");
    for body in [receipt.text(), receipt.html()] {
        assert!(body.contains(after) && !body.contains(before), "the Spanish rewording: {body}");
    }
    let receipt = letter(&inbox, &english, "We received your request");
    for body in [receipt.text(), receipt.html()] {
        assert!(body.contains("We have received your request.") && !body.contains(after), "{body}");
    }
}

on_both_databases!(
    a_spanish_request_gets_its_receipt_in_spanish_and_an_english_one_in_english,
    a_staff_sent_outcome_on_a_spanish_request_is_spanish_while_staff_pages_stay_english,
    a_spanish_rewording_leaves_the_english_letter_alone,
);
