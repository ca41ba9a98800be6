//! After a denial (45 CFR 164.526(d); 11 CCR 7023(f)(3)): the customer's
//! statement of disagreement within the word limit of the rules in force,
//! or their wish that the denial go with future disclosures; staff's
//! rebuttal, mailed to them; all of it shown with the denial.

use crate::common;

use app::domain::{EventKind, RequestStatus, Role};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::staff::StaffBrowser;
use common::{AMENDMENT, Backend, TestApp, WAIT};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::db::entities::{request, request_event};

/// The portal answering to the CCPA as well, whose rule limits a statement
/// to 250 words.
async fn with_ccpa(backend: Backend) -> Option<TestApp> {
    let mail = common::smtp::SmtpSink::start().await;
    TestApp::start_with(backend, mail, |config| {
        config.regimes = vec!["glba".into(), "hipaa".into(), "ccpa".into()];
    })
    .await
}

fn words(n: usize) -> String {
    (1..=n).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ")
}

async fn row(app: &TestApp, reference: &str) -> request::Model {
    request::Entity::find()
        .filter(request::Column::Reference.eq(reference))
        .one(app.app.database())
        .await
        .expect("query")
        .expect("the request")
}

async fn step(staff: &StaffBrowser<'_>, reference: &str, pairs: &[(&str, &str)]) {
    let version = staff.case(reference).await.version.to_string();
    let mut all = vec![("version", version.as_str())];
    all.extend_from_slice(pairs);
    // An outcome's letter is previewed and confirmed, as at the desk.
    let done = staff.post_confirmed(&format!("/staff/requests/{reference}/step"), &all).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{pairs:?}: {}", done.main_text());
}

/// An amendment, confirmed and denied by staff; its tracking path and
/// reference.
async fn denied<'a>(app: &'a TestApp) -> (String, String, StaffBrowser<'a>) {
    let tracking = app.submit("/amendment", AMENDMENT).await;
    let text = app.get(&tracking).await.main_text();
    let at = text.find("PR-").expect("a reference");
    let reference = text[at..at + 12].to_owned();
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    step(&agent, &reference, &[("step", "mark_verified")]).await;
    step(
        &agent,
        &reference,
        &[
            ("step", "resolve"),
            ("outcome", "denied"),
            ("ground", "accurate_and_complete"),
            ("explanation", "Our records match the insurer's."),
        ],
    )
    .await;
    assert_eq!(row(app, &reference).await.status, RequestStatus::Denied.as_str());
    (tracking, reference, agent)
}

async fn a_statement_over_the_ccpa_limit_is_refused_and_kept_and_one_within_it_shown_with_the_denial(app: TestApp) {
    let (tracking, reference, agent) = denied(&app).await;
    let page = app.get(&tracking).await;
    assert!(page.text_of("disagreement-heading").is_some(), "the tracking page offers it after a denial");
    assert!(page.text_of("statement-limit").is_some_and(|t| t.contains("250 words")), "{}", page.main_text());

    let too_long = format!("<b>{}</b>", words(251));
    let refused = app.post_form(&format!("{tracking}/disagree"), &[("statement", &too_long)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = refused.text_of("f-statement-error").unwrap_or_default();
    assert!(error.contains("250 words") && error.contains("251"), "{}", refused.main_text());
    assert_eq!(refused.text_of("f-statement").as_deref(), Some(too_long.as_str()), "what was typed is kept");
    assert!(!refused.body.contains("<b>w1"), "typed markup stays text");

    let statement = format!("The record <i>is</i> wrong: {}", words(245));
    let sent = app.post_form(&format!("{tracking}/disagree"), &[("statement", &statement)]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main_text());
    assert_eq!(sent.location(), format!("{tracking}?statement=sent#disagreement"));
    let page = app.get(&format!("{tracking}?statement=sent")).await;
    assert!(page.text_of("statement-sent").is_some());
    assert!(page.text_of("your-statement").is_some_and(|t| t.starts_with("The record <i>is</i> wrong")));
    assert!(page.text_of("f-statement").is_none(), "one statement");

    let case = agent.get(&format!("/staff/requests/{reference}")).await;
    let shown = case.text_of("disagreement").unwrap_or_default();
    assert!(shown.contains("The record <i>is</i> wrong"), "{}", case.main_text());
    assert!(case.text_of("outcome-title").is_some_and(|t| t.contains("denied")), "beside the denial");
    assert!(!case.body.contains("<i>is</i>"), "shown as text");

    let found = row(&app, &reference).await;
    let event = request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(found.id))
        .filter(request_event::Column::Kind.eq(EventKind::DisagreementStated.as_str()))
        .one(app.app.database())
        .await
        .expect("query")
        .expect("the statement");
    assert!(!format!("{:?}", event.body).contains("wrong"), "the statement is sealed at rest");
}

async fn a_rebuttal_is_mailed_to_the_customer_and_shown_with_the_statement(app: TestApp) {
    let (tracking, reference, agent) = denied(&app).await;
    let record = format!("/staff/requests/{reference}/disclosure.txt");
    assert_eq!(agent.get(&record).await.status, StatusCode::NOT_FOUND, "nothing goes with disclosures yet");
    let path = format!("/staff/requests/{reference}/rebut");
    let version = agent.case(&reference).await.version.to_string();
    let early = agent.post(&path, &[("version", &version), ("rebuttal", "Nothing to rebut")]).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "no statement, no rebuttal");

    let sent = app.post_form(&format!("{tracking}/disagree"), &[("statement", "My card says 4321.")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main_text());
    // The receipt, the denial, and the team told of the statement.
    let inbox = app.mail.wait_for(3, WAIT).await;
    let told = inbox.iter().find(|m| m.subject().contains("disagrees with the denial")).expect("the team is told");
    assert_eq!(told.recipients, vec!["privacy@example.com".to_owned()], "nobody holds the case");
    assert!(told.text().contains(&format!("/staff/requests/{reference}")), "{}", told.text());
    assert!(!told.text().contains("4321"), "the statement stays sealed in the portal");
    let before = inbox.len();
    let version = agent.case(&reference).await.version.to_string();
    let rebuttal = "The insurer confirmed 1234 & <nothing> else.";
    let done = agent.post(&path, &[("version", &version), ("rebuttal", rebuttal)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.main_text());

    let inbox = app.mail.wait_for(before + 1, WAIT).await;
    let letter = inbox.iter().find(|m| m.subject().contains("statement of disagreement")).expect("mailed");
    assert_eq!(letter.recipients, vec!["grace@example.com".to_owned()]);
    assert!(letter.text().contains(rebuttal), "{}", letter.text());
    assert!(letter.html().contains("&lt;nothing&gt;"), "escaped in the letter");

    let case = agent.case(&reference).await;
    let disagreement = case.disagreement.expect("after a denial");
    assert_eq!(disagreement.statement.as_deref(), Some("My card says 4321."));
    assert_eq!(disagreement.rebuttal.as_deref(), Some(rebuttal));
    let page = app.get(&tracking).await;
    assert!(page.text_of("our-rebuttal").is_some_and(|t| t.contains("The insurer confirmed")));

    let record = agent.get(&format!("/staff/requests/{reference}/disclosure.txt")).await;
    assert_eq!(record.status, StatusCode::OK);
    for part in ["Member number 4321", "Our records match the insurer's.", "My card says 4321.", rebuttal] {
        assert!(record.body.contains(part), "the export carries {part:?}: {}", record.body);
    }
}

async fn without_a_statement_the_customer_may_ask_that_the_denial_go_with_disclosures(app: TestApp) {
    let (tracking, reference, agent) = denied(&app).await;
    let asked = app.post_form(&format!("{tracking}/denial-with-disclosures"), &[]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert_eq!(asked.location(), format!("{tracking}?disclosures=recorded#disagreement"));
    let page = app.get(&tracking).await;
    assert!(page.text_of("with-disclosures").is_some(), "{}", page.main_text());
    let case = agent.case(&reference).await;
    assert!(case.disagreement.expect("after a denial").with_disclosures, "recorded");
    assert!(case.timeline.iter().any(|event| event.kind == EventKind::DenialWithDisclosures), "on the case's timeline");
    let shown = agent.get(&format!("/staff/requests/{reference}")).await;
    assert!(shown.text_of("disagreement").is_some_and(|t| t.contains("future disclosure")));
    let record = agent.get(&format!("/staff/requests/{reference}/disclosure.txt")).await;
    assert!(record.body.contains("Our records match the insurer's."), "the denial goes with disclosures");
    let inbox = app.mail.wait_for(3, WAIT).await;
    assert!(inbox.iter().any(|m| m.subject().contains("sent with future disclosures")), "the team is told");
    let twice = app.post_form(&format!("{tracking}/denial-with-disclosures"), &[]).await;
    assert_eq!(twice.location(), format!("{tracking}?disclosures=refused#disagreement"), "recorded once");
}

async fn a_statement_through_an_old_link_waits_for_the_fresh_email_link(app: TestApp) {
    let (tracking, reference, _) = denied(&app).await;
    request::Entity::update_many()
        .col_expr(request::Column::CreatedAt, Expr::value(Utc::now() - Duration::days(31)))
        .filter(request::Column::Reference.eq(reference.as_str()))
        .exec(app.app.database())
        .await
        .expect("aged");
    let before = app.mail.wait_for(2, WAIT).await.len();
    let asked = app.post_form(&format!("{tracking}/disagree"), &[("statement", "Forwarded statement")]).await;
    assert_eq!(asked.location(), format!("{tracking}?confirm=sent"));
    let inbox = app.mail.wait_for(before + 1, WAIT).await;
    let link = inbox
        .iter()
        .find(|m| m.text().contains("statement of disagreement"))
        .and_then(|m| m.link("http://portal.test/confirm/"))
        .expect("a confirmation link");
    let path = link.trim_start_matches("http://portal.test").to_owned();
    assert!(app.get(&tracking).await.text_of("your-statement").is_none(), "not taken yet");
    let confirmed = app.post_form(&path, &[]).await;
    assert_eq!(confirmed.location(), format!("{path}?result=ok"));
    let page = app.get(&tracking).await;
    assert!(page.text_of("your-statement").is_some_and(|t| t.contains("Forwarded statement")));
}

async fn without_the_ccpa_the_configurable_limit_applies(app: TestApp) {
    let (tracking, _, _) = denied(&app).await;
    let sent = app.post_form(&format!("{tracking}/disagree"), &[("statement", &words(251))]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "HIPAA's limit here is the organisation's 1000 words");
}

/// Each test on each database, with the CCPA in force.
macro_rules! with_ccpa_on_both {
    ($($name:ident),+ $(,)?) => {
        mod ccpa_sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = super::with_ccpa(super::Backend::Sqlite).await.expect("SQLite is always available");
                    super::$name(app).await;
                }
            )+
        }
        mod ccpa_postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(app) = super::with_ccpa(super::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            )+
        }
    };
}

with_ccpa_on_both!(
    a_statement_over_the_ccpa_limit_is_refused_and_kept_and_one_within_it_shown_with_the_denial,
    a_rebuttal_is_mailed_to_the_customer_and_shown_with_the_statement,
    without_a_statement_the_customer_may_ask_that_the_denial_go_with_disclosures,
    a_statement_through_an_old_link_waits_for_the_fresh_email_link,
);

on_both_databases!(without_the_ccpa_the_configurable_limit_applies);
