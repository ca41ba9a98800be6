//! A final letter goes out only once staff have seen it: the step form's
//! post shows the letter as the customer will receive it, and only "Send
//! and close", carrying that preview's token, sends it. On SQLite and
//! PostgreSQL, through the real SMTP server on loopback.

use crate::common;

use app::domain::{RequestStatus, Role};
use axum::http::StatusCode;
use common::{TestApp, WAIT};
use sea_orm::{EntityTrait, PaginatorTrait};
use server::db::entities::outbox;

const AMENDMENT: &[(&str, &str)] = &[
    ("full_name", "Alan <i>Turing</i>"),
    ("email", "alan@example.com"),
    ("category", "insurance"),
    ("current_information", "Member number 1234"),
    ("corrected_information", "Member number 4321"),
    ("reason", "The digits were swapped."),
];

const EXPLANATION: &str = "Your insurer's records match ours <exactly>.";

fn reference_in(text: &str) -> String {
    let at = text.find("PR-").expect("a reference");
    text[at..at + 12].to_owned()
}

async fn letters_written(app: &TestApp) -> u64 {
    outbox::Entity::find().count(app.app.database()).await.expect("the outbox counts")
}

/// Line ends as the mail server's transfer leaves them aside.
fn plain(text: &str) -> String {
    text.replace("\r\n", "\n").trim_end().to_owned()
}

async fn a_denial_goes_only_after_its_preview_and_is_the_letter_previewed(app: TestApp) {
    let tracking = app.submit("/amendment", AMENDMENT).await;
    let reference = reference_in(&app.get(&tracking).await.main_text());
    app.mail.wait_for(1, WAIT).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let path = format!("/staff/requests/{reference}/step");
    for step in ["mark_verified", "start_work"] {
        let version = agent.case(&reference).await.version.to_string();
        let reply = agent.post(&path, &[("version", &version), ("step", step)]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{step}: {}", reply.main_text());
    }
    let version = agent.case(&reference).await.version.to_string();
    let before = letters_written(&app).await;
    let denial = |explanation: &'static str| {
        vec![
            ("version", version.clone()),
            ("step", "resolve".to_owned()),
            ("outcome", "denied".to_owned()),
            ("ground", "accurate_and_complete".to_owned()),
            ("explanation", explanation.to_owned()),
        ]
    };
    let post = async |mut pairs: Vec<(&'static str, String)>, extra: &[(&'static str, &str)]| {
        pairs.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        agent.post(&path, &borrowed).await
    };

    // "Send" pressed on a form whose letter nobody has seen: the preview,
    // with everything typed still in the form, and nothing sent.
    let skipped = post(denial("First draft."), &[("intent", "send")]).await;
    assert_eq!(skipped.status, StatusCode::OK, "{}", skipped.main_text());
    assert_eq!(skipped.text_of("resolve-explanation").as_deref(), Some("First draft."));
    assert!(skipped.text_of("letter-preview-text").is_some_and(|text| text.contains("First draft.")));
    assert_eq!(agent.case(&reference).await.status, RequestStatus::InProgress);
    assert_eq!(letters_written(&app).await, before, "a final letter is not sent without its preview");

    // The explanation changed after that preview: its token does not send
    // the new letter, which is shown instead.
    let first_token = skipped.input_value("letter-preview-token").expect("the preview's token");
    let changed = post(denial(EXPLANATION), &[("preview", &first_token), ("intent", "send")]).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(changed.main_text().contains("Not sent."), "{}", changed.main_text());
    assert_eq!(letters_written(&app).await, before, "a letter other than the one previewed is not sent");

    // Confirmed: the letter the customer receives is the one previewed.
    let token = changed.input_value("letter-preview-token").expect("a fresh token");
    let sent = post(denial(EXPLANATION), &[("preview", &token), ("intent", "send")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main_text());
    assert_eq!(agent.case(&reference).await.status, RequestStatus::Denied);
    let inbox = app.mail.wait_for(2, WAIT).await;
    let letter = inbox.iter().find(|m| m.subject().starts_with("Amendment denied")).expect("the denial letter");
    assert_eq!(Some(letter.subject()), changed.text_of("letter-preview-subject"));
    assert_eq!(plain(&letter.text()), plain(&changed.text_of("letter-preview-text").expect("the text shown")));
    let shown_html = changed.attribute_of("letter-preview-html", "srcdoc").expect("the formatted letter shown");
    assert_eq!(plain(&letter.html()), plain(&shown_html));
    assert!(shown_html.contains("Alan &lt;i&gt;Turing&lt;&#x2f;i&gt;"), "what the customer typed stays escaped");
    assert!(shown_html.contains("&lt;exactly&gt;"), "what staff typed stays escaped");
    assert_eq!(letters_written(&app).await, before + 1, "one letter, once");
}

on_both_databases!(a_denial_goes_only_after_its_preview_and_is_the_letter_previewed);
