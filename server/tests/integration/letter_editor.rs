//! Administrators reword the customer letters in the portal: a saved
//! wording writes the next letter, a wording that drops what the rules
//! require is refused beside its field, earlier versions are restored, only
//! administrators reach the editor, and what customers and staff type stays
//! escaped whatever the template says. On SQLite and PostgreSQL, through
//! the real SMTP server on loopback.

use crate::common;

use app::domain::Role;
use app::domain::wording::LetterEditing;
use app::services::Answer;
use axum::http::StatusCode;
use common::staff::StaffBrowser;
use common::{TestApp, WAIT};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::db::entities::audit_entry;

const AMENDMENT: &[(&str, &str)] = &[
    ("full_name", "Alan <i>Turing</i>"),
    ("email", "alan@example.com"),
    ("category", "insurance"),
    ("current_information", "Member number 1234"),
    ("corrected_information", "Member number 4321"),
    ("reason", "The digits were swapped."),
];

async fn editing(admin: &StaffBrowser<'_>, letter: &str) -> LetterEditing {
    let reply = admin.server_fn("letter", &[("letter", letter)]).await;
    let answer: Answer<LetterEditing> = serde_json::from_str(&reply.body).expect("the letter as JSON");
    answer.expect("the editor is open to an administrator")
}

/// Posts a wording to the editor with `intent` ("save" or "preview").
async fn post_wording(
    admin: &StaffBrowser<'_>,
    letter: &str,
    intent: &str,
    (subject, text, html): (&str, &str, &str),
) -> common::Reply {
    let based_on = editing(admin, letter).await.number.to_string();
    let form = [("subject", subject), ("text", text), ("html", html), ("based_on", &based_on), ("intent", intent)];
    admin.post(&format!("/staff/letters/{letter}"), &form).await
}

async fn audited_saves(app: &TestApp) -> u64 {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("letter.saved"))
        .count(app.app.database())
        .await
        .expect("the audit log counts")
}

/// An amendment taken to its denial, through the preview and its confirm.
async fn deny(app: &TestApp, agent: &StaffBrowser<'_>) {
    let tracking = app.submit("/amendment", AMENDMENT).await;
    let text = app.get(&tracking).await.main_text();
    let at = text.find("PR-").expect("a reference");
    let reference = &text[at..at + 12];
    let path = format!("/staff/requests/{reference}/step");
    for step in [
        &[("step", "mark_verified")][..],
        &[("step", "start_work")],
        &[
            ("step", "resolve"),
            ("outcome", "denied"),
            ("ground", "accurate_and_complete"),
            ("explanation", "Your insurer's records match ours."),
        ],
    ] {
        let version = agent.case(reference).await.version.to_string();
        let mut pairs = vec![("version", version.as_str())];
        pairs.extend_from_slice(step);
        let reply = agent.post_confirmed(&path, &pairs).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.main_text());
    }
}

async fn an_edited_denial_letter_is_the_next_one_sent(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let default = editing(&admin, "amendment_denied").await;
    assert_eq!(default.number, 0, "no version saved yet: the default words");
    let text = default.text.replace("We have denied", "After a careful second review, we have denied");
    let html = default.html.replace("We have denied", "After a careful second review, we have denied");
    let subject = "Our decision on your request {{ reference }}";

    let preview = post_wording(&admin, "amendment_denied", "preview", (subject, &text, &html)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.main_text());
    let shown = preview.text_of("letter-preview-text").expect("the sample letter");
    assert!(shown.contains("After a careful second review"), "{shown}");
    assert_eq!(audited_saves(&app).await, 0, "a preview saves nothing");

    let saved = post_wording(&admin, "amendment_denied", "save", (subject, &text, &html)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.main_text());
    assert_eq!(saved.location(), "/staff/letters/amendment_denied?done=letter_saved");
    assert_eq!(editing(&admin, "amendment_denied").await.number, 1);
    assert_eq!(audited_saves(&app).await, 1, "the change is in the audit log");

    deny(&app, &agent).await;
    let inbox = app.mail.wait_for(2, WAIT).await;
    let letter =
        inbox.iter().find(|m| m.subject().starts_with("Our decision on your request PR-")).unwrap_or_else(|| {
            panic!("the reworded subject in {:?}", inbox.iter().map(|m| m.subject()).collect::<Vec<_>>())
        });
    assert!(letter.text().contains("After a careful second review"), "{}", letter.text());
    assert!(letter.html().contains("After a careful second review"));
}

async fn a_denial_that_drops_a_required_part_is_refused_beside_the_field(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let default = editing(&admin, "amendment_denied").await;
    let hhs = default.html.lines().find(|line| line.contains("Health and Human Services")).expect("the HHS line");
    let html = default.html.replace(hhs, "<p>Thank you.</p>");
    let refused = post_wording(&admin, "amendment_denied", "save", ("{{ subject }}", &default.text, &html)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = refused.text_of("letter-html-error").expect("a message beside the HTML letter");
    assert!(error.contains("Secretary of Health and Human Services"), "{error}");
    assert!(refused.text_of("letter-text-error").is_none(), "the plain-text letter was fine");
    let kept = refused.text_of("letter-html").expect("the HTML letter as typed");
    assert!(kept.contains("<p>Thank you.</p>"), "what was typed is kept: {kept}");
    assert_eq!(editing(&admin, "amendment_denied").await.number, 0, "nothing saved");

    // A template that does not parse is refused with where and why.
    let broken =
        post_wording(&admin, "amendment_denied", "preview", ("{{ subject }}", "{% if %}", &default.html)).await;
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = broken.text_of("letter-text-error").expect("a message beside the plain-text letter");
    assert!(error.contains("does not work on the sample request"), "{error}");
    assert_eq!(audited_saves(&app).await, 0);
}

async fn an_earlier_version_and_the_default_are_restored(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let default = editing(&admin, "case_closed").await;
    for words in ["First wording.", "Second wording."] {
        let html =
            default.html.replace("<p>Dear {{ name }},</p>", &format!("<p>Dear {{{{ name }}}},</p><p>{words}</p>"));
        let saved = post_wording(&admin, "case_closed", "save", ("{{ subject }}", &default.text, &html)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.main_text());
    }
    let second = editing(&admin, "case_closed").await;
    assert!(second.html.contains("Second wording."));
    let restore = async |number: &str, based_on: &str| {
        let form = [("number", number), ("based_on", based_on)];
        admin.post("/staff/letters/case_closed/restore", &form).await
    };
    let restored = restore("1", "2").await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER, "{}", restored.main_text());
    let now = editing(&admin, "case_closed").await;
    assert_eq!(now.number, 3, "a restore is a new version; the history stays whole");
    assert!(now.html.contains("First wording.") && !now.html.contains("Second wording."));
    assert_eq!(now.versions.len(), 3);
    assert_eq!(now.versions[0].note.as_deref(), Some("Restored version 1"));
    assert_eq!(now.versions[0].saved_by, "admin");

    // From a stale page: refused, nothing restored.
    let stale = restore("2", "1").await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(editing(&admin, "case_closed").await.number, 3);

    let to_default = restore("0", "3").await;
    assert_eq!(to_default.status, StatusCode::SEE_OTHER);
    let back = editing(&admin, "case_closed").await;
    assert_eq!((back.number, back.html, back.text), (4, default.html, default.text));
    assert_eq!(audited_saves(&app).await, 4);
}

async fn only_administrators_reach_the_letter_editor(app: TestApp) {
    let manager = app.staff_member("manager@example.com", Role::Manager).await;
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let default = editing(&admin, "case_closed").await;
    let form = [
        ("subject", "Hijacked {{ reference }}"),
        ("text", default.text.as_str()),
        ("html", default.html.as_str()),
        ("based_on", "0"),
        ("intent", "save"),
    ];
    assert_eq!(manager.post("/staff/letters/case_closed", &form).await.status, StatusCode::FORBIDDEN);
    let restore = [("number", "0"), ("based_on", "0")];
    assert_eq!(manager.post("/staff/letters/case_closed/restore", &restore).await.status, StatusCode::FORBIDDEN);
    let read = manager.server_fn("letter", &[("letter", "case_closed")]).await;
    assert!(read.body.contains("\"Err\":\"Forbidden\""), "{}", read.body);
    assert_eq!(manager.get("/staff/letters").await.status, StatusCode::FORBIDDEN);
    assert_eq!(manager.get("/staff/letters/case_closed").await.status, StatusCode::FORBIDDEN);
    assert_eq!(editing(&admin, "case_closed").await.number, 0, "nothing saved");
    assert_eq!(audited_saves(&app).await, 0);
}

async fn customer_and_staff_text_stays_escaped_in_a_reworded_letter(app: TestApp) {
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let text = "{% extends \"base.txt\" %}{% block content %}{{ reference }}: {{ name }} / {{ body }} {{ link_again_url }}{% endblock %}";
    let html = "{% extends \"base.html\" %}{% block content %}<p>{{ reference }}: {{ name }} / {{ body }}</p>\
                <a href=\"{{ link_again_url }}\">Lost your link?</a>{% endblock %}";
    // Unescaping by filter is no way round it...
    let unsafe_html = html.replace("{{ body }}", "{{ body|safe }}");
    let refused = post_wording(&admin, "case_message", "save", ("{{ subject }}", text, &unsafe_html)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text_of("letter-html-error").is_some_and(|e| e.contains("always escaped")));
    // ...nor switching escaping off.
    let off = format!("{{% autoescape false %}}{html}{{% endautoescape %}}");
    let refused = post_wording(&admin, "case_message", "save", ("{{ subject }}", text, &off)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let saved = post_wording(&admin, "case_message", "save", ("{{ subject }}", text, html)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.main_text());

    let tracking = app.submit("/amendment", AMENDMENT).await;
    let page = app.get(&tracking).await.main_text();
    let reference = &page[page.find("PR-").expect("a reference")..][..12];
    let typed = "<script>alert(1)</script> & <b>bold</b>";
    let sent = agent.post(&format!("/staff/requests/{reference}/message"), &[("body", typed)]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main_text());
    let inbox = app.mail.wait_for(2, WAIT).await;
    let letter = inbox.iter().find(|m| m.subject().starts_with("A message about")).expect("the message");
    let html = letter.html();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; &lt;b&gt;bold"), "{html}");
    assert!(html.contains("Alan &lt;i&gt;Turing"), "{html}");
    assert!(!html.contains("<script>") && !html.contains("<b>bold") && !html.contains("<i>Turing"));
    assert!(letter.text().contains(typed), "plain text is as typed");
}

async fn a_version_saved_on_one_instance_writes_the_next_letter_on_another(app: TestApp) {
    // Running before the save, as a second instance behind a load balancer.
    let second = app.another_instance().await;
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let default = editing(&admin, "case_message").await;
    let marker = "Written in the words saved on the first instance.";
    let text = default.text.replacen("{% block content %}", &format!("{{% block content %}}{marker}\n"), 1);
    let html = default.html.replacen("{% block content %}", &format!("{{% block content %}}<p>{marker}</p>"), 1);
    let saved = post_wording(&admin, "case_message", "save", ("{{ subject }}", &text, &html)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.main_text());

    let tracking = app.submit("/amendment", AMENDMENT).await;
    let page = app.get(&tracking).await.main_text();
    let reference = &page[page.find("PR-").expect("a reference")..][..12];
    app.mail.wait_for(1, WAIT).await;
    // The second instance looks for new wording every REFRESH.
    tokio::time::sleep(server::mail::wording::REFRESH + std::time::Duration::from_secs(1)).await;
    let form =
        serde_urlencoded::to_string([("csrf", agent.csrf.as_str()), ("body", "We are on it.")]).expect("encodes");
    let request = axum::http::Request::post(format!("/staff/requests/{reference}/message"))
        .header(axum::http::header::COOKIE, &agent.cookie)
        .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(form))
        .expect("a request");
    let answer = tower::ServiceExt::oneshot(second.router(), request).await.expect("the second instance answers");
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let inbox = app.mail.wait_for(2, WAIT).await;
    let letter = inbox.iter().find(|m| m.subject().starts_with("A message about")).expect("the message");
    assert!(letter.text().contains(marker), "{}", letter.text());
}

on_both_databases!(
    a_version_saved_on_one_instance_writes_the_next_letter_on_another,
    an_edited_denial_letter_is_the_next_one_sent,
    a_denial_that_drops_a_required_part_is_refused_beside_the_field,
    an_earlier_version_and_the_default_are_restored,
    only_administrators_reach_the_letter_editor,
    customer_and_staff_text_stays_escaped_in_a_reworded_letter,
);
