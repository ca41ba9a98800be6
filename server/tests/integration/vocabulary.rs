//! One vocabulary, on SQLite and PostgreSQL: each right and each outcome is
//! called by its one name on every page, letter and export that shows it,
//! in the customer's words on the customer's side and the staff's words on
//! theirs, as `app::domain` spells them.

use crate::common;

use app::domain::metrics::OutcomeClass;
use app::domain::{EventKind, Language, RequestKind, RequestStatus, Role};
use axum::http::StatusCode;
use common::{COMPLAINT, OPT_OUT, TestApp, WAIT};

const AMENDMENT: &[(&str, &str)] = &[
    ("full_name", "Alan Turing"),
    ("email", "alan@example.com"),
    ("category", "insurance"),
    ("current_information", "Member number 1234"),
    ("corrected_information", "Member number 4321"),
    ("reason", "The digits were swapped."),
];

/// The `<title>` of a page, without the organisation's suffix.
fn title(body: &str) -> String {
    let start = body.find("<title>").map(|at| at + "<title>".len()).unwrap_or(0);
    let end = body[start..].find("</title>").map_or(body.len(), |at| start + at);
    body[start..end].split(" | ").next().unwrap_or_default().to_owned()
}

fn reference(text: &str) -> String {
    let at = text.find("PR-").expect("a reference");
    text[at..at + 12].to_owned()
}

async fn each_right_has_one_name_on_every_page_letter_and_export(app: TestApp) {
    let home = app.get("/").await;
    let rights = [
        (RequestKind::OptOut, "/opt-out", OPT_OUT),
        (RequestKind::Amendment, "/amendment", AMENDMENT),
        (RequestKind::Complaint, "/complaint", COMPLAINT),
    ];
    let mut references = Vec::new();
    for (kind, path, form) in rights {
        let label = kind.label();
        // Home (its card and the navigation) and the form's own title.
        assert!(home.body.contains(&format!("href=\"{path}\"")), "{path}");
        assert_eq!(home.main_text().matches(label).count(), 1, "{label} on the home page: {}", home.main_text());
        let nav = &home.body[home.body.find("<nav").expect("a navigation")..];
        assert!(nav[..nav.find("</nav>").expect("its end")].contains(label), "{label} in the navigation");
        let page = app.get(path).await;
        assert_eq!(title(&page.body), label);
        assert!(page.main_text().contains(label), "{label} as the heading");

        let tracking = app.submit(path, form).await;
        let tracked = app.get(&tracking).await.main_text();
        assert!(tracked.contains(label), "{label} on the tracking page: {tracked}");
        references.push((kind, reference(&tracked)));
    }
    let inbox = app.mail.wait_for(3, WAIT).await;
    for (kind, reference) in &references {
        let receipt = format!("We received your request {reference}: {}", kind.label());
        assert!(inbox.iter().any(|letter| letter.subject() == receipt), "{receipt}");
    }

    // Staff read their own words: the short name, and what the customer
    // did told about the customer, not to them.
    let manager = app.staff_member("ann@example.com", Role::Manager).await;
    let queue = manager.get("/staff?status=all&unverified=1").await.main_text();
    for (kind, reference) in &references {
        let case = manager.get(&format!("/staff/requests/{reference}")).await;
        assert_eq!(case.status, StatusCode::OK);
        let text = case.main_text();
        assert!(text.contains(kind.staff_label()), "{text}");
        // The conversation, less the subjects of the emails in it, which
        // are the customer's own words by design.
        let receipt = format!("Email: We received your request {reference}: {}", kind.label());
        let conversation = text[text.find("Conversation").expect("a conversation")..].replace(&receipt, "");
        let timeline = conversation.as_str();
        assert!(timeline.contains(EventKind::Submitted.staff_title()), "{timeline}");
        assert!(
            !timeline.contains(EventKind::Submitted.customer_title(Language::En)),
            "no customer words for staff: {timeline}"
        );
        assert!(queue.contains(kind.staff_label()), "{queue}");
    }

    // The customer confirms; staff are told so in the third person.
    let (_, amendment) = &references[1];
    let verify = inbox
        .iter()
        .find(|letter| letter.subject().contains(amendment.as_str()))
        .and_then(|letter| letter.link("http://portal.test/verify/"))
        .expect("the verification link");
    let confirmed = app.post_form(verify.trim_start_matches("http://portal.test"), &[]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    let case = manager.get(&format!("/staff/requests/{amendment}")).await.main_text();
    assert!(case.contains(EventKind::Verified.staff_title()), "{case}");
    assert_eq!(EventKind::Verified.staff_title(), "The customer confirmed their email address");
    assert!(!case.contains("You confirmed"), "{case}");

    // The requests export uses the screens' words, with the codes beside.
    let csv = manager.get("/staff/dashboard/requests.csv?range=7d").await.body;
    let (_, opt_out) = &references[0];
    let row = csv.lines().find(|line| line.starts_with(opt_out.as_str())).expect("the opt-out's row");
    assert!(row.contains(",Opt-out,Received,Web form,"), "{row}");
    assert!(row.ends_with(",opt_out,received,web,"), "{row}");
}

async fn an_outcome_has_one_name_for_staff_customer_letter_and_export(app: TestApp) {
    let tracking = app.submit("/amendment", AMENDMENT).await;
    let reference = reference(&app.get(&tracking).await.main_text());
    app.mail.wait_for(1, WAIT).await;
    let manager = app.staff_member("ann@example.com", Role::Manager).await;
    let path = |what: &str| format!("/staff/requests/{reference}/{what}");
    for pairs in [
        vec![("step", "mark_verified")],
        vec![("step", "start_work")],
        vec![
            ("step", "resolve"),
            ("outcome", "partly_accepted"),
            ("records_changed", "Member number"),
            ("reason", "The plan name was right."),
        ],
    ] {
        let version = manager.case(&reference).await.version.to_string();
        let mut all = vec![("version", version.as_str())];
        all.extend_from_slice(&pairs);
        let reply = manager.post_confirmed(&path("step"), &all).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{pairs:?}: {}", reply.main_text());
    }
    let name = OutcomeClass::AmendmentPartlyAccepted.label();
    assert_eq!(name, "Amendment accepted in part");

    let case = manager.get(&format!("/staff/requests/{reference}")).await.main_text();
    assert!(case.contains(&format!("Outcome: {name}")), "{case}");
    let form = manager.get(&format!("/staff/requests/{}", app_reference_of_open(&app, &manager).await)).await.body;
    assert!(form.contains(&format!(">{name}</option>")), "the outcome form offers the same words");

    let tracked = app.get(&tracking).await.main_text();
    assert!(tracked.contains(name), "{tracked}");
    let letters = app.mail.wait_for(2, WAIT).await;
    let subject = format!("{name}: request {reference}");
    assert!(letters.iter().any(|letter| letter.subject() == subject), "{subject}");

    let csv = manager.get("/staff/dashboard/requests.csv?range=7d").await.body;
    let row = csv.lines().find(|line| line.starts_with(reference.as_str())).expect("the row");
    assert!(row.contains(&format!(",{name},")), "{row}");
    assert!(row.contains(&format!(",{},", RequestStatus::Completed.staff_label())), "{row}");
    let outcomes = manager.get("/staff/dashboard/outcomes.csv?range=7d").await.body;
    assert!(outcomes.lines().any(|line| line == format!("{name},1")), "{outcomes}");
}

/// A second amendment, still open, whose case page carries the outcome form.
async fn app_reference_of_open(app: &TestApp, manager: &common::staff::StaffBrowser<'_>) -> String {
    let tracking = app.submit("/amendment", AMENDMENT).await;
    let reference = reference(&app.get(&tracking).await.main_text());
    for step in ["mark_verified", "start_work"] {
        let version = manager.case(&reference).await.version.to_string();
        let reply =
            manager.post(&format!("/staff/requests/{reference}/step"), &[("version", &version), ("step", step)]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{step}");
    }
    reference
}

on_both_databases!(
    each_right_has_one_name_on_every_page_letter_and_export,
    an_outcome_has_one_name_for_staff_customer_letter_and_export,
);
