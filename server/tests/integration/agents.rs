//! Authorised agents (11 CCR 7063): any form may be sent for someone else;
//! the request is about the customer, letters go to both, the customer
//! confirms unless the agent holds a power of attorney, and staff verify
//! the agent's authority before work starts.

use crate::common;

use app::domain::{RequestStatus, Role};
use axum::http::StatusCode;
use common::staff::StaffBrowser;
use common::{AMENDMENT, OPT_OUT, TestApp, WAIT, reference_in};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn amendment_by(relationship: &str) -> Vec<(&str, &str)> {
    let mut form = AMENDMENT.to_vec();
    form.extend([
        ("agent_relationship", relationship),
        ("agent_name", "Mary <b>Hopper</b>"),
        ("agent_email", "mary@example.com"),
    ]);
    form
}

async fn step(staff: &StaffBrowser<'_>, reference: &str, pairs: &[(&str, &str)]) -> common::Reply {
    let version = staff.case(reference).await.version.to_string();
    let mut all = vec![("version", version.as_str())];
    all.extend_from_slice(pairs);
    staff.post_confirmed(&format!("/staff/requests/{reference}/step"), &all).await
}

fn path_of(link: &str) -> String {
    link.trim_start_matches("http://portal.test").to_owned()
}

async fn an_agent_for_a_parent_is_confirmed_by_the_customer_and_verified_by_staff_before_work(app: TestApp) {
    let tracking = app.submit("/amendment", &amendment_by("parent")).await;
    let page = app.get(&tracking).await;
    let reference = reference_in(&page.main_text());
    assert!(page.text_of("agent-notice").is_some_and(|t| t.contains("Mary <b>Hopper</b>")), "{}", page.main_text());
    assert!(!page.body.contains("<b>Hopper"), "typed markup stays text");
    assert_eq!(app.row(&reference).await.status, RequestStatus::Unverified.as_str());

    let inbox = app.mail.wait_for(2, WAIT).await;
    let to = |address: &str| inbox.iter().find(|m| m.recipients == vec![address.to_owned()]).expect(address).clone();
    let customer = to("grace@example.com");
    assert!(
        customer.text().contains("Mary <b>Hopper</b> (parent of a child under 18) asked for this"),
        "{}",
        customer.text()
    );
    assert!(customer.html().contains("Mary &lt;b&gt;Hopper"), "escaped in the letter");
    let verify = customer.link("http://portal.test/verify/").expect("the customer confirms");
    let agent = to("mary@example.com");
    assert!(agent.text().contains("the request you made for Grace Hopper"), "{}", agent.text());
    assert!(agent.text().contains("signed permission"));
    assert!(agent.link("http://portal.test/verify/").is_none(), "the customer confirms, not the agent");
    let agents_page = path_of(&agent.link("http://portal.test/track/").expect("the agent's own link"));
    assert_ne!(agents_page, tracking, "a link of the agent's own");

    let confirmed = app.post_form(&path_of(&verify), &[]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.row(&reference).await.status, RequestStatus::Received.as_str());
    let sent = app.post_files(&format!("{agents_page}/documents"), &[("documents", "permission.pdf", PDF)]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "the agent sends the permission: {}", sent.main_text());

    let staff = app.staff_member("agent@example.com", Role::Agent).await;
    let case = staff.get(&format!("/staff/requests/{reference}")).await;
    assert!(case.text_of("agent").is_some_and(|t| t.contains("Parent of a child under 18")), "{}", case.main_text());
    assert!(case.text_of("agent-unverified").is_some());
    assert!(case.main_text().contains("permission.pdf"), "the permission is among the documents");
    let early = step(&staff, &reference, &[("step", "start_work")]).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "no work before the authority is verified");
    assert!(early.main_text().contains("Verify the agent's authority"), "{}", early.main_text());

    // Until their authority is verified the agent is sent nothing more
    // than their receipt: a stranger naming themselves agent learns nothing.
    let before = app.mail.wait_for(2, WAIT).await.len();
    let asked = step(&staff, &reference, &[("step", "ask_customer"), ("what", "A copy of the insurance card")]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "asking is allowed before: {}", asked.main_text());
    let inbox = app.mail.wait_for(before + 1, WAIT).await;
    let asked: Vec<_> = inbox.iter().filter(|m| m.subject().contains("We need information")).collect();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].recipients, vec!["grace@example.com".to_owned()], "no copy to an unverified agent");
    let version = staff.case(&reference).await.version.to_string();
    let verified = staff.post(&format!("/staff/requests/{reference}/verify-agent"), &[("version", &version)]).await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER, "{}", verified.main_text());
    assert!(staff.get(&format!("/staff/requests/{reference}")).await.text_of("agent-verified").is_some());
    let again = staff.post(&format!("/staff/requests/{reference}/verify-agent"), &[("version", &version)]).await;
    assert_ne!(again.status, StatusCode::SEE_OTHER, "verified once");

    let before = app.mail.wait_for(2, WAIT).await.len();
    let done =
        step(&staff, &reference, &[("step", "resolve"), ("outcome", "accepted"), ("records_changed", "Member number")])
            .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.main_text());
    let inbox = app.mail.wait_for(before + 2, WAIT).await;
    let outcome: Vec<Vec<String>> =
        inbox.iter().filter(|m| m.subject().contains("Amendment accepted")).map(|m| m.recipients.clone()).collect();
    assert!(outcome.contains(&vec!["grace@example.com".to_owned()]), "{outcome:?}");
    assert!(outcome.contains(&vec!["mary@example.com".to_owned()]), "the agent is sent a copy: {outcome:?}");
    // The outbox sends in order: the request for information went before
    // the outcome, so had the agent been copied, it would be here by now.
    let to_agent: Vec<String> =
        inbox.iter().filter(|m| m.recipients == vec!["mary@example.com".to_owned()]).map(|m| m.subject()).collect();
    assert_eq!(to_agent.len(), 2, "the receipt and the outcome, nothing from before verification: {to_agent:?}");
}

async fn a_power_of_attorney_confirms_their_own_address_and_the_customer_is_not_asked(app: TestApp) {
    let mut form = OPT_OUT.to_vec();
    form.extend([
        ("agent_relationship", "power_of_attorney"),
        ("agent_name", "Ada's Attorney"),
        ("agent_email", "attorney@example.com"),
    ]);
    let tracking = app.submit("/opt-out", &form).await;
    let reference = reference_in(&app.get(&tracking).await.main_text());
    assert_eq!(app.row(&reference).await.status, RequestStatus::Unverified.as_str(), "even an opt-out waits");
    let inbox = app.mail.wait_for(2, WAIT).await;
    let customer = inbox.iter().find(|m| m.recipients == vec!["ada@example.com".to_owned()]).expect("the customer");
    assert!(customer.link("http://portal.test/verify/").is_none(), "a power of attorney needs no confirmation");
    let attorney =
        inbox.iter().find(|m| m.recipients == vec!["attorney@example.com".to_owned()]).expect("the attorney");
    let verify = attorney.link("http://portal.test/verify/").expect("the attorney confirms their own address");
    app.post_form(&path_of(&verify), &[]).await;
    assert_eq!(app.row(&reference).await.status, RequestStatus::Received.as_str());
}

async fn an_agent_half_given_is_refused_beside_the_fields_with_everything_kept(app: TestApp) {
    let mut form = amendment_by("other");
    form.retain(|(field, _)| *field != "agent_name");
    form.push(("agent_email", "mary@example"));
    form.retain(|pair| *pair != ("agent_email", "mary@example.com"));
    let refused = app.post_form("/amendment", &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text_of("f-agent_name-error").is_some_and(|t| t.contains("your own full name")),
        "{}",
        refused.main_text()
    );
    assert!(refused.text_of("f-agent_email-error").is_some());
    assert!(refused.body.contains(r#"value="mary@example""#), "what was typed is kept");
    assert!(refused.body.contains("Member number 4321"));
    let myself = app.post_form("/amendment", &amendment_by("")[..6]).await;
    assert_eq!(myself.status, StatusCode::SEE_OTHER, "asking for oneself leaves it all blank");
}

on_both_databases!(
    an_agent_for_a_parent_is_confirmed_by_the_customer_and_verified_by_staff_before_work,
    a_power_of_attorney_confirms_their_own_address_and_the_customer_is_not_asked,
    an_agent_half_given_is_refused_beside_the_fields_with_everything_kept,
);
