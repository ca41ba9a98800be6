//! Supporting documents on SQLite and PostgreSQL: sent from the tracking
//! page as a plain multipart form, told apart by their bytes rather than
//! their names, sealed at rest, downloaded only by staff who may open the
//! case, and removed with the request's personal data.

use crate::common;

use app::domain::documents::DocumentKind;
use app::domain::{EventKind, RequestStatus, Role};
use axum::http::{StatusCode, header};
use chrono::Utc;
use common::{COMPLAINT, TestApp, WAIT};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::db::entities::{request, request_document};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Submits a complaint; returns its tracking path and reference.
async fn submit(app: &TestApp) -> (String, String) {
    let tracking = app.submit("/complaint", COMPLAINT).await;
    let text = app.get(&tracking).await.main_text();
    let at = text.find("PR-").expect("a reference");
    (tracking, text[at..at + 12].to_owned())
}

async fn stored(app: &TestApp) -> Vec<request_document::Model> {
    request_document::Entity::find().all(app.app.database()).await.expect("query")
}

async fn real_pdf_bytes_named_jpg_are_taken_as_pdf_and_downloaded_by_staff(app: TestApp) {
    let (tracking, reference) = submit(&app).await;
    let sent = app.post_files(&format!("{tracking}/documents"), &[("documents", "card.jpg", PDF)]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main_text());
    assert_eq!(sent.location(), format!("{tracking}?documents=sent#documents"));

    let page = app.get(&format!("{tracking}?documents=sent")).await;
    assert!(page.text_of("documents-sent").is_some(), "the customer is told they arrived");
    assert!(page.text_of("documents-list").is_some_and(|list| list.contains("card.jpg")), "{}", page.main_text());

    let rows = stored(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].kind, DocumentKind::Pdf.as_str(), "the bytes decide, not the name");
    let plain = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, PDF);
    assert!(!rows[0].content.as_stored().contains(&plain), "the bytes are sealed at rest");
    assert!(!rows[0].content.as_stored().contains("%PDF"));
    assert!(!rows[0].name.as_stored().contains("card"), "so is the name");

    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let case = agent.case(&reference).await;
    assert_eq!(case.documents.len(), 1);
    assert_eq!(case.documents[0].name, "card.jpg");
    let told = case.timeline.iter().find(|event| event.kind == EventKind::DocumentsSent).expect("on the timeline");
    assert_eq!(told.body.as_deref(), Some("1 document: card.jpg"));
    assert!(agent.get(&format!("/staff/requests/{reference}")).await.body.contains("card.jpg"));

    let download = agent.get(&format!("/staff/requests/{reference}/documents/{}", case.documents[0].id)).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.body.as_bytes(), PDF, "the same bytes");
    let header = |name| download.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header(header::CONTENT_TYPE), "application/pdf");
    assert_eq!(header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(header(header::CACHE_CONTROL), "no-store");
    assert!(header(header::CONTENT_DISPOSITION).starts_with("attachment; filename=\"card.pdf\""));
}

async fn a_script_named_like_an_image_is_refused_beside_the_field(app: TestApp) {
    let (tracking, _) = submit(&app).await;
    let script: &[u8] = b"<script>alert('owned')</script>";
    let refused = app
        .post_files(
            &format!("{tracking}/documents"),
            &[("documents", "a.pdf", PDF), ("documents", "photo.png", script)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = refused.text_of("f-documents-error").expect("the reason beside the field");
    assert!(error.starts_with("photo.png is not a PDF, JPEG or PNG file"), "{error}");
    assert!(!refused.body.contains("<script>alert"), "nothing sent is echoed as markup");
    assert!(stored(&app).await.is_empty(), "one refused file refuses the sending");

    let named = app.post_files(&format!("{tracking}/documents"), &[("documents", "<b>x</b>.png", script)]).await;
    assert!(!named.body.contains("<b>x</b>"), "a name stays text");
}

async fn an_oversized_document_is_refused_calmly(app: TestApp) {
    let (tracking, _) = submit(&app).await;
    let mut big = PDF.to_vec();
    big.resize(app.config.document_max_bytes as usize + 1, b' ');
    let refused = app.post_files(&format!("{tracking}/documents"), &[("documents", "scan.pdf", &big)]).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(refused.text_of("f-documents-error").is_some_and(|e| e.contains("scan.pdf is larger than")));
    assert!(stored(&app).await.is_empty());
}

async fn a_document_opens_for_nobody_but_staff_of_its_case(app: TestApp) {
    let (tracking, reference) = submit(&app).await;
    let (other_tracking, other_reference) = submit(&app).await;
    let sent = app.post_files(&format!("{tracking}/documents"), &[("documents", "card.pdf", PDF)]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main_text());
    let id = stored(&app).await[0].id;
    let url = format!("/staff/requests/{reference}/documents/{id}");

    let signed_out = app.get(&url).await;
    let to_sign_in = signed_out.status == StatusCode::SEE_OTHER && signed_out.location().starts_with("/staff/sign-in");
    assert!(to_sign_in || signed_out.status == StatusCode::FORBIDDEN, "{}", signed_out.status);
    assert!(!signed_out.body.contains("%PDF"));
    for path in [format!("{other_tracking}/documents/{id}"), format!("{other_tracking}/documents")] {
        let other = app.get(&path).await;
        assert_ne!(other.status, StatusCode::OK, "{path}");
        assert!(!other.body.contains("%PDF"), "{path}");
    }
    let other_page = app.get(&other_tracking).await;
    assert!(!other_page.body.contains("card.pdf"), "another customer's page lists nothing of it");

    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let elsewhere = agent.get(&format!("/staff/requests/{other_reference}/documents/{id}")).await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND, "only through its own case");
    assert_eq!(agent.get(&url).await.status, StatusCode::OK);
}

async fn a_purge_removes_the_documents(app: TestApp) {
    let (tracking, reference) = submit(&app).await;
    let sent = app.post_files(&format!("{tracking}/documents"), &[("documents", "card.pdf", PDF)]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main_text());
    request::Entity::update_many()
        .col_expr(request::Column::Status, Expr::value(RequestStatus::Closed.as_str()))
        .col_expr(request::Column::ResolvedAt, Expr::value(Utc::now()))
        .filter(request::Column::Reference.eq(&reference))
        .exec(app.app.database())
        .await
        .expect("closed");
    let purged = app.app.purge().run(Utc::now() + chrono::Duration::days(7 * 366)).await.expect("runs").purged;
    assert_eq!(purged, [reference]);
    assert!(stored(&app).await.is_empty(), "the documents went with the personal data");
}

/// Ages the request's first tracking link past the age at which it acts
/// by itself.
async fn age_link(app: &TestApp, reference: &str) {
    request::Entity::update_many()
        .col_expr(request::Column::CreatedAt, Expr::value(Utc::now() - chrono::Duration::days(31)))
        .filter(request::Column::Reference.eq(reference))
        .exec(app.app.database())
        .await
        .expect("aged");
}

async fn documents_through_an_old_link_are_held_unseen_until_the_emailed_link_confirms_them(app: TestApp) {
    let (tracking, reference) = submit(&app).await;
    age_link(&app, &reference).await;
    let before = app.mail.wait_for(1, WAIT).await.len();
    let sent = app.post_files(&format!("{tracking}/documents"), &[("documents", "card.pdf", PDF)]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main_text());
    assert_eq!(sent.location(), format!("{tracking}?confirm=sent"));
    let rows = stored(&app).await;
    assert_eq!(rows.len(), 1, "kept, sealed");
    assert!(rows[0].held_until.is_some());
    assert!(!rows[0].content.as_stored().contains("%PDF"), "sealed while held");

    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    assert!(agent.case(&reference).await.documents.is_empty(), "unseen by staff until confirmed");
    let download = agent.get(&format!("/staff/requests/{reference}/documents/{}", rows[0].id)).await;
    assert_eq!(download.status, StatusCode::NOT_FOUND);
    assert!(app.get(&tracking).await.text_of("documents-list").is_none(), "and by whoever holds the old link");

    let inbox = app.mail.wait_for(before + 1, WAIT).await;
    let link = inbox
        .iter()
        .find(|m| m.text().contains("send the documents you chose"))
        .and_then(|m| m.link("http://portal.test/confirm/"))
        .expect("a confirmation link");
    let path = link.trim_start_matches("http://portal.test").to_owned();
    let confirmed = app.post_form(&path, &[]).await;
    assert_eq!(confirmed.location(), format!("{path}?result=ok"));
    let case = agent.case(&reference).await;
    assert_eq!(case.documents.len(), 1, "arrived once confirmed");
    assert_eq!(case.documents[0].name, "card.pdf");
    assert!(case.timeline.iter().any(|event| event.kind == EventKind::DocumentsSent));
    assert!(app.get(&tracking).await.text_of("documents-list").is_some_and(|list| list.contains("card.pdf")));
    assert_eq!(app.post_form(&path, &[]).await.location(), format!("{path}?result=unknown"), "the link is spent");
}

async fn a_second_sending_moments_after_the_first_is_refused_and_one_link_releases_what_was_kept(app: TestApp) {
    let (tracking, reference) = submit(&app).await;
    age_link(&app, &reference).await;
    let path = format!("{tracking}/documents");
    let first = app.post_files(&path, &[("documents", "front.pdf", PDF)]).await;
    assert_eq!(first.location(), format!("{tracking}?confirm=sent"));
    let second = app.post_files(&path, &[("documents", "back.pdf", PDF)]).await;
    assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY, "nothing kept that no link would release");
    assert!(second.text_of("f-documents-error").is_some_and(|e| e.contains("moments ago")), "{}", second.main_text());
    assert_eq!(stored(&app).await.len(), 1, "the first is still held");
    let inbox = app.mail.wait_for(2, WAIT).await;
    let link = inbox.iter().find_map(|m| m.link("http://portal.test/confirm/")).expect("the confirmation link");
    let confirmed = app.post_form(link.trim_start_matches("http://portal.test"), &[]).await;
    assert!(confirmed.location().ends_with("?result=ok"));
    let listed = app.get(&tracking).await.text_of("documents-list").unwrap_or_default();
    assert!(listed.contains("front.pdf") && !listed.contains("back.pdf"), "{listed}");
}

async fn documents_never_confirmed_are_swept_with_their_link(app: TestApp) {
    let (tracking, reference) = submit(&app).await;
    age_link(&app, &reference).await;
    let sent = app.post_files(&format!("{tracking}/documents"), &[("documents", "card.pdf", PDF)]).await;
    assert_eq!(sent.location(), format!("{tracking}?confirm=sent"));
    let report = app.app.purge().run(Utc::now()).await.expect("runs");
    assert_eq!(report.unconfirmed_documents, 0, "kept while the link works");
    let later = Utc::now() + chrono::Duration::days(4);
    let report = app.app.purge().run(later).await.expect("runs");
    assert_eq!(report.unconfirmed_documents, 1);
    assert!(stored(&app).await.is_empty(), "nothing unconfirmed is kept past its link");
}

on_both_databases!(
    documents_through_an_old_link_are_held_unseen_until_the_emailed_link_confirms_them,
    a_second_sending_moments_after_the_first_is_refused_and_one_link_releases_what_was_kept,
    documents_never_confirmed_are_swept_with_their_link,
    real_pdf_bytes_named_jpg_are_taken_as_pdf_and_downloaded_by_staff,
    a_script_named_like_an_image_is_refused_beside_the_field,
    an_oversized_document_is_refused_calmly,
    a_document_opens_for_nobody_but_staff_of_its_case,
    a_purge_removes_the_documents,
);
