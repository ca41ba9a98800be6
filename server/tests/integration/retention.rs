//! Retention on SQLite and PostgreSQL: each rule's purge day, legal holds,
//! the dry run, the daily claim, and what a purge leaves behind (the
//! figures, the audit chain, a calm page). The purge is handed the moment
//! it runs at, so a request finished today is judged as it will be years
//! from now.

use crate::common;
use app::domain::Contact;
use server::vault::rows::{ClockColumn, request_place};

use std::sync::Arc;

use app::domain::metrics::{Dashboard, Disclosure, PeriodError};
use app::domain::request::ComplaintCategory;
use app::domain::workflow::{DenialGround, Outcome};
use app::domain::{Channel, RequestDetails, RequestKind, RequestStatus, Role};
use app::services::Answer;
use axum::http::StatusCode;
use chrono::{DateTime, Days, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use common::staff::StaffBrowser;
use common::{COMPLAINT, TestApp};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    Statement,
};
use server::audit::Verdict;
use server::db::entities::{audit_entry, outbox, request, request_event};
use server::purge::Purge;

const OPT_OUT: &[(&str, &str)] = &[
    ("full_name", "Ada Lovelace"),
    ("email", "ada@example.com"),
    ("postal_address", "12 St James's Square, London"),
    ("scope", "marketing_only"),
    ("joint_account", "just_me"),
];

const AMENDMENT: &[(&str, &str)] = &[
    ("full_name", "Alan Turing"),
    ("email", "alan@example.com"),
    ("category", "medical_record"),
    ("current_information", "Allergy: none"),
    ("corrected_information", "Allergy: penicillin"),
    ("reason", "The allergy was missed at intake."),
];

fn zone() -> chrono_tz::Tz {
    chrono_tz::America::New_York
}

fn today() -> NaiveDate {
    Utc::now().with_timezone(&zone()).date_naive()
}

/// Noon of `day` in the organisation's calendar.
fn noon(day: NaiveDate) -> DateTime<Utc> {
    zone().from_local_datetime(&day.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon"))).unwrap().to_utc()
}

fn months_on(months: u32) -> NaiveDate {
    today().checked_add_months(Months::new(months)).expect("a date")
}

/// Submits a customer form and returns the request's reference and its
/// private tracking path.
async fn submit(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (String, String) {
    let tracking = app.submit(path, form).await;
    let row = request::Entity::find()
        .order_by_desc(request::Column::Id)
        .one(app.app.database())
        .await
        .expect("a query")
        .expect("the request");
    (row.reference, tracking)
}

/// Finishes a request today, as staff would have.
async fn finish(app: &TestApp, reference: &str, status: RequestStatus, outcome: Option<Outcome>) {
    let outcome = app.app.vault().seal_outcome(reference, outcome.as_ref()).expect("sealed");
    request::Entity::update_many()
        .col_expr(request::Column::Status, Expr::value(status.as_str()))
        .col_expr(request::Column::ResolvedAt, Expr::value(Utc::now()))
        .col_expr(request::Column::Outcome, Expr::value(outcome.outcome))
        .col_expr(request::Column::OutcomeTag, Expr::value(outcome.tag))
        .col_expr(request::Column::OutcomeCategory, Expr::value(outcome.category))
        .filter(request::Column::Reference.eq(reference))
        .exec(app.app.database())
        .await
        .expect("finished");
}

async fn row(app: &TestApp, reference: &str) -> request::Model {
    request::Entity::find()
        .filter(request::Column::Reference.eq(reference))
        .one(app.app.database())
        .await
        .expect("a query")
        .expect("the request")
}

/// Everything stored about a request that a person typed or that names them.
/// Everything personal the database holds for a request, opened.
async fn personal_text(app: &TestApp, reference: &str) -> String {
    let found = row(app, reference).await;
    let db = app.app.database();
    let vault = app.app.vault();
    let contact = vault.open_contact(&found).expect("the contact opens");
    let details = vault.open(&found.details, request_place("details", &found.reference)).expect("details open");
    let events = request_event::Entity::find().filter(request_event::Column::RequestId.eq(found.id)).all(db).await;
    let bodies: Vec<String> = events
        .expect("events")
        .iter()
        .map(|event| vault.open_event_body(event).expect("a body opens").unwrap_or_default())
        .collect();
    let letters = outbox::Entity::find().filter(outbox::Column::RequestId.eq(found.id)).all(db).await;
    let letters = letters.expect("letters");
    let texts = server::mail::outbox::bodies(db, letters.iter().map(|letter| letter.id)).await.expect("bodies");
    let letters: Vec<String> = letters
        .iter()
        .map(|letter| {
            let at = |column| server::vault::rows::letter_place(column, &letter.message_id);
            let text = vault.open(&texts[&letter.id].text_body, at("text_body")).expect("a letter opens");
            format!("{} {text}", vault.open(&letter.recipient, at("recipient")).expect("opens"))
        })
        .collect();
    let outcome = vault.open_outcome(&found).expect("the outcome opens");
    let clock = vault.open_clock(&found, ClockColumn::Clock).expect("the clock opens");
    let state = vault.open_clock(&found, ClockColumn::State).expect("the clock state opens");
    format!("{contact:?} {details} {bodies:?} {letters:?} {outcome:?} {clock:?} {state:?}")
}

async fn is_purged(app: &TestApp, reference: &str) -> bool {
    row(app, reference).await.purged_at.is_some()
}

/// The purge as an instance configured for `regimes` would run it.
fn purge_for(app: &TestApp, regimes: &[&str]) -> Purge {
    let mut config = app.config.clone();
    config.regimes = regimes.iter().map(|r| (*r).to_owned()).collect();
    Purge::new(
        app.app.database().clone(),
        app.app.vault().clone(),
        Arc::new(config.clocks().expect("clocks")),
        config.housekeeping(),
        config.purge_time,
    )
}

async fn each_rule_purges_on_its_day_and_not_the_day_before(app: TestApp) {
    let (complaint, complaint_link) = submit(&app, "/complaint", COMPLAINT).await;
    let (amendment, _) = submit(&app, "/amendment", AMENDMENT).await;
    let (withdrawn, _) = submit(&app, "/opt-out", OPT_OUT).await;
    let (applied, _) = submit(&app, "/opt-out", OPT_OUT).await;
    let manager = app.staff_member("manager@example.com", Role::Manager).await;
    let version = row(&app, &amendment).await.version.to_string();
    let extension = [("version", version.as_str()), ("reason", "Records are in the Zurich archive")];
    let extended = manager.post(&format!("/staff/requests/{amendment}/extend"), &extension).await;
    assert_eq!(extended.status, StatusCode::SEE_OTHER, "{}", extended.main_text());
    let resolved =
        Outcome::ComplaintResolved { category: ComplaintCategory::Other, resolution: "Called Grace.".into() };
    finish(&app, &complaint, RequestStatus::Completed, Some(resolved)).await;
    finish(&app, &amendment, RequestStatus::Closed, None).await;
    finish(&app, &withdrawn, RequestStatus::Closed, None).await;
    finish(&app, &applied, RequestStatus::Completed, Some(Outcome::OptOutApplied { effective_on: today() })).await;
    assert!(personal_text(&app, &amendment).await.contains("Zurich"), "the extension's reason is kept until then");
    let purge = app.app.purge();

    // GLBA: 24 months after an opt-out that never took effect.
    let glba_day = months_on(24);
    assert!(purge.run(noon(glba_day - Days::new(1))).await.expect("runs").purged.is_empty(), "a day early");
    assert_eq!(purge.run(noon(glba_day)).await.expect("runs").purged, [withdrawn.as_str()], "on the day");
    assert!(!personal_text(&app, &withdrawn).await.contains("Lovelace"));

    // HIPAA: six years after the last action.
    let hipaa_day = months_on(72);
    assert!(purge.run(noon(hipaa_day - Days::new(1))).await.expect("runs").purged.is_empty());
    let page = manager.get(&format!("/staff/requests/{complaint}")).await;
    assert!(page.main_text().contains("Grace Hopper"), "the case is whole the day before");
    let mut purged = purge.run(noon(hipaa_day)).await.expect("runs").purged;
    purged.sort();
    let mut expected = vec![complaint.clone(), amendment.clone()];
    expected.sort();
    assert_eq!(purged, expected);

    // An applied opt-out is in force, so it is kept however long it stands.
    assert!(purge.run(noon(months_on(1200))).await.expect("runs").purged.is_empty());
    assert!(!is_purged(&app, &applied).await);
    assert!(personal_text(&app, &applied).await.contains("Lovelace"));

    for (reference, typed) in [(&complaint, ["Grace Hopper", "grace@example.com", "called twice", "Called Grace"])] {
        let left = personal_text(&app, reference).await;
        for text in typed {
            assert!(!left.contains(text), "{text:?} is gone from {reference}");
        }
    }
    let left = personal_text(&app, &amendment).await;
    for text in ["Alan Turing", "alan@example.com", "penicillin", "missed at intake", "Zurich"] {
        assert!(!left.contains(text), "{text:?} is gone");
    }
    let letters = outbox::Entity::find()
        .filter(outbox::Column::RequestId.eq(row(&app, &complaint).await.id))
        .count(app.app.database())
        .await
        .expect("a count");
    assert_eq!(letters, 0, "its letters are gone");
    let db = app.app.database();
    let orphans = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) FROM outbox_bodies WHERE id NOT IN (SELECT id FROM outbox)",
        ))
        .await
        .expect("a count")
        .and_then(|row| row.try_get_by_index::<i64>(0).ok());
    assert_eq!(orphans, Some(0), "and their bodies with them");

    // What staff and the customer see of what is left.
    let page = manager.get(&format!("/staff/requests/{complaint}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let notice = page.text_of("purged-notice").expect("the notice");
    assert!(notice.contains("Personal data removed on") && notice.contains("HIPAA 45 CFR 164.530(j)(2)"), "{notice}");
    assert!(!page.main_text().contains("Grace Hopper"));
    let tracking = app.get(&complaint_link).await;
    assert_eq!(tracking.status, StatusCode::OK, "a calm page, not an error");
    assert!(tracking.main_text().contains("its details were removed"), "{}", tracking.main_text());
    assert!(tracking.main_text().contains(&complaint));
    let refused = manager.post(&format!("/staff/requests/{complaint}/note"), &[("body", "Too late")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "a tombstone takes no more changes");

    // CCPA: 24 months for request records.
    let (correction, _) = submit(&app, "/amendment", AMENDMENT).await;
    finish(&app, &correction, RequestStatus::Denied, None).await;
    let ccpa = purge_for(&app, &["ccpa"]);
    let ccpa_day = months_on(24);
    assert!(ccpa.run(noon(ccpa_day - Days::new(1))).await.expect("runs").purged.is_empty());
    assert_eq!(ccpa.run(noon(ccpa_day)).await.expect("runs").purged, [correction.as_str()], "not the applied opt-out");
    assert_eq!(row(&app, &correction).await.purged_under.as_deref(), Some("CCPA 11 CCR 7101(a)"));
}

async fn a_held_request_is_kept_until_the_hold_is_lifted(app: TestApp) {
    let (complaint, _) = submit(&app, "/complaint", COMPLAINT).await;
    finish(&app, &complaint, RequestStatus::Closed, None).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let manager = app.staff_member("manager@example.com", Role::Manager).await;
    let case = format!("/staff/requests/{complaint}");
    let version = row(&app, &complaint).await.version.to_string();

    let page = agent.get(&case).await;
    assert!(!page.body.contains("id=\"form-hold\""), "agents are not offered the hold");
    let refused = agent.post(&format!("{case}/hold"), &[("version", &version), ("reason", "Litigation")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let page = manager.get(&case).await;
    assert!(page.body.contains("id=\"form-hold\""), "managers are");
    let blank = manager.post(&format!("{case}/hold"), &[("version", &version), ("reason", " ")]).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY, "a hold needs its reason");
    let held =
        manager.post(&format!("{case}/hold"), &[("version", &version), ("reason", "Litigation hold, matter 42")]).await;
    assert_eq!(held.status, StatusCode::SEE_OTHER, "{}", held.main_text());
    let page = manager.get(&case).await;
    let hold = page.text_of("legal-hold").expect("the hold fact");
    assert!(hold.contains("On hold since") && hold.contains("matter 42"), "{hold}");
    assert!(page.main_text().contains("Legal hold placed"), "on the timeline");
    let held_queue = manager.get("/staff?held=1").await;
    assert!(held_queue.main_text().contains(&complaint), "the queue lists held requests, finished ones too");
    assert!(held_queue.main_text().contains("Legal hold"));

    let purge = app.app.purge();
    let long_after = noon(months_on(100));
    assert!(purge.due(long_after).await.expect("listed").is_empty(), "a held request is never due");
    assert!(purge.run(long_after).await.expect("runs").purged.is_empty());
    assert!(personal_text(&app, &complaint).await.contains("Grace Hopper"));

    let version = row(&app, &complaint).await.version.to_string();
    let lifted = manager.post(&format!("{case}/release"), &[("version", &version)]).await;
    assert_eq!(lifted.status, StatusCode::SEE_OTHER, "{}", lifted.main_text());
    assert!(manager.get(&case).await.main_text().contains("Legal hold lifted"));
    assert!(!manager.get("/staff?held=1").await.main_text().contains(&complaint), "no longer held");
    assert_eq!(purge.run(long_after).await.expect("runs").purged, [complaint.as_str()]);

    let actions: Vec<String> = audit_entry::Entity::find()
        .order_by_asc(audit_entry::Column::Id)
        .all(app.app.database())
        .await
        .expect("the audit log")
        .into_iter()
        .map(|entry| entry.action)
        .filter(|action| action.starts_with("request.hold") || action == "request.purged")
        .collect();
    assert_eq!(actions, ["request.hold_placed", "request.hold_lifted", "request.purged"]);
}

/// Requests of 2018 and 2019, finished, with every kind of outcome.
async fn old_requests(app: &TestApp) {
    let details = [
        RequestDetails::Complaint {
            category: ComplaintCategory::SecurityConcern,
            occurred_on: NaiveDate::from_ymd_opt(2018, 3, 1).expect("a date"),
            description: "Someone read my file".into(),
        },
        RequestDetails::Amendment {
            category: app::domain::request::AmendmentCategory::Insurance,
            date_of_birth: NaiveDate::from_ymd_opt(1950, 1, 2),
            current_information: "Plan A".into(),
            corrected_information: "Plan B".into(),
            reason: "Changed plans".into(),
            supporting_details: None,
            notify: Vec::new(),
        },
    ];
    let outcomes = [
        (
            RequestStatus::Completed,
            Some(Outcome::ComplaintResolved {
                category: ComplaintCategory::SecurityConcern,
                resolution: "Apologised".into(),
            }),
        ),
        (
            RequestStatus::Denied,
            Some(Outcome::AmendmentDenied {
                ground: DenialGround::AccurateAndComplete,
                explanation: "It is right".into(),
            }),
        ),
        (RequestStatus::Completed, Some(Outcome::AmendmentAccepted { records_changed: "Plan".into() })),
        (RequestStatus::Closed, None),
    ];
    for i in 0..24_u32 {
        let received = noon(NaiveDate::from_ymd_opt(2018 + (i % 2) as i32, 1 + i % 12, 1 + i).expect("a date"));
        let (status, outcome) = outcomes[(i % 4) as usize].clone();
        let details = match &outcome {
            Some(Outcome::ComplaintResolved { .. }) => details[0].clone(),
            _ => details[1].clone(),
        };
        let reference = format!("PR-OLD{i:02}-AAAA");
        let contact = Contact {
            full_name: format!("Old Customer {i}"),
            email: format!("old{i}@example.com"),
            phone: None,
            postal_address: None,
            account_number: None,
        };
        let sealed = app
            .app
            .vault()
            .seal_request(&reference, &contact, &serde_json::to_string(&details).expect("JSON"))
            .expect("sealed");
        let sealed_outcome = app.app.vault().seal_outcome(&reference, outcome.as_ref()).expect("sealed");
        request::ActiveModel {
            reference: Set(reference),
            kind: Set(details.kind().as_str().to_owned()),
            status: Set(status.as_str().to_owned()),
            channel: Set(if i % 3 == 0 { Channel::Phone } else { Channel::Web }.as_str().to_owned()),
            tracking_hash: Set(format!("{i:064}")),
            full_name: Set(sealed.full_name),
            email: Set(sealed.email),
            details: Set(sealed.details),
            email_index: Set(sealed.email_index),
            name_index: Set(sealed.name_index),
            gpc: Set(false),
            received_at: Set(received),
            created_at: Set(received),
            updated_at: Set(received),
            verified_at: Set(Some(received)),
            version: Set(0),
            outcome: Set(sealed_outcome.outcome),
            outcome_tag: Set(sealed_outcome.tag),
            outcome_category: Set(sealed_outcome.category),
            resolved_at: Set(Some(received + chrono::Duration::days(i64::from(5 + i)))),
            due_on: Set(Some(received.date_naive() + Days::new(30))),
            ..Default::default()
        }
        .insert(app.app.database())
        .await
        .expect("a request row");
    }
}

async fn disclosure(manager: &StaffBrowser<'_>, year: &str) -> Disclosure {
    let reply = manager.server_fn("disclosure", &[("year", year)]).await;
    let answer: Answer<Disclosure> = serde_json::from_str(&reply.body).expect("the disclosure as JSON");
    answer.expect("managers may see it")
}

async fn dashboard(manager: &StaffBrowser<'_>) -> Dashboard {
    let reply = manager.server_fn("dashboard", &[("query", "range=custom&from=2018-01-01&to=2019-12-31")]).await;
    let answer: Answer<Result<Dashboard, PeriodError>> = serde_json::from_str(&reply.body).expect("JSON");
    answer.expect("managers may see it").expect("a period")
}

async fn the_figures_are_the_same_after_old_requests_are_purged(app: TestApp) {
    old_requests(&app).await;
    let manager = app.staff_member("manager@example.com", Role::Manager).await;
    let before = (disclosure(&manager, "2018").await, disclosure(&manager, "2019").await, dashboard(&manager).await);
    assert!(before.0.lines.iter().any(|line| line.received > 0), "there is something to count");

    let report = app.app.purge().run(Utc::now()).await.expect("runs");
    assert_eq!(report.purged.len(), 24, "six years have passed for all of them");
    let left = request::Entity::find().all(app.app.database()).await.expect("rows");
    let vault = app.app.vault();
    assert!(
        left.iter().all(|row| row.full_name.as_stored().is_empty()
            && row.email_index.is_none()
            && !vault.open(&row.details, request_place("details", &row.reference)).expect("opens").contains("Plan")),
        "{left:?}"
    );

    let after = (disclosure(&manager, "2018").await, disclosure(&manager, "2019").await, dashboard(&manager).await);
    assert_eq!(after.0, before.0, "the 2018 disclosure");
    assert_eq!(after.1, before.1, "the 2019 disclosure");
    assert_eq!(after.2, before.2, "the dashboard");
}

async fn the_audit_chain_survives_a_purge_and_still_finds_an_edit(app: TestApp) {
    let (complaint, _) = submit(&app, "/complaint", COMPLAINT).await;
    finish(&app, &complaint, RequestStatus::Closed, None).await;
    let manager = app.staff_member("manager@example.com", Role::Manager).await;
    manager.post(&format!("/staff/requests/{complaint}/note"), &[("body", "Spoke to Grace")]).await;
    assert_eq!(app.app.purge().run(noon(months_on(72))).await.expect("runs").purged, [complaint]);

    let db = app.app.database();
    assert!(matches!(server::audit::verify(db).await.expect("readable"), Verdict::Intact { .. }));
    let purged = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("request.purged"))
        .one(db)
        .await
        .expect("a query")
        .expect("the purge is in the log");
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        format!("UPDATE audit_log SET detail = '{{}}' WHERE id = {}", purged.id),
    ))
    .await
    .expect("an edit by hand");
    assert_eq!(server::audit::verify(db).await.expect("readable"), Verdict::Altered { id: purged.id });
}

async fn a_dry_run_lists_what_would_go_and_changes_nothing(app: TestApp) {
    let (complaint, _) = submit(&app, "/complaint", COMPLAINT).await;
    let (open, _) = submit(&app, "/amendment", AMENDMENT).await;
    finish(&app, &complaint, RequestStatus::Closed, None).await;
    // Finished seven years ago: due for the command line's own "now".
    let db = app.app.database();
    let long_ago = Utc::now() - chrono::Duration::days(7 * 366);
    request::Entity::update_many()
        .col_expr(request::Column::ReceivedAt, Expr::value(long_ago))
        .col_expr(request::Column::ResolvedAt, Expr::value(long_ago))
        .filter(request::Column::Reference.eq(complaint.as_str()))
        .exec(db)
        .await
        .expect("backdated");
    request_event::Entity::update_many()
        .col_expr(request_event::Column::At, Expr::value(long_ago))
        .filter(request_event::Column::RequestId.eq(row(&app, &complaint).await.id))
        .exec(db)
        .await
        .expect("backdated");
    // The receipts go out meanwhile, and blank their links when they do.
    let letters = app.mail.wait_for(2, common::WAIT).await.len();
    while outbox::Entity::find().filter(outbox::Column::Status.ne("sent")).count(db).await.expect("a count") > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before = (personal_text(&app, &complaint).await, personal_text(&app, &open).await);
    let audit_before = audit_entry::Entity::find().count(db).await.expect("a count");

    let due = app.app.purge().due(Utc::now()).await.expect("listed");
    let listed: Vec<(&str, RequestKind, &str)> =
        due.iter().map(|due| (due.reference.as_str(), due.kind, due.purge.rule.as_str())).collect();
    assert_eq!(listed, [(complaint.as_str(), RequestKind::Complaint, "hipaa_complaint_records")]);
    let cli = |verb: &[&str]| {
        let mut args = vec!["server", "--database-url", app.config.database_url.expose()];
        if let Some(key) = &app.config.data_kek {
            args.extend_from_slice(&["--data-kek", key.expose()]);
        }
        args.extend_from_slice(verb);
        <server::cli::Cli as clap::Parser>::parse_from(args)
    };
    server::cli::run(cli(&["purge", "--dry-run"])).await.expect("the dry run");
    assert_eq!((personal_text(&app, &complaint).await, personal_text(&app, &open).await), before, "nothing changed");
    assert_eq!(audit_entry::Entity::find().count(db).await.expect("a count"), audit_before);
    assert_eq!(app.mail.inbox().len(), letters, "and nobody was written to");

    server::cli::run(cli(&["purge"])).await.expect("the purge");
    assert!(is_purged(&app, &complaint).await, "`server purge` runs it now");
    assert!(!is_purged(&app, &open).await);
}

async fn two_instances_run_the_daily_purge_once(app: TestApp) {
    let other = app.another_instance().await;
    // Tomorrow, so that no background run of today's has claimed it.
    let day = today() + Days::new(1);
    let at = |hour| zone().from_local_datetime(&day.and_hms_opt(hour, 59, 30).expect("a time")).unwrap().to_utc();
    assert!(app.app.purge().run_if_due(at(22)).await.expect("runs").is_none(), "not before its time");
    let (first, second) = tokio::join!(app.app.purge().run_if_due(at(23)), other.purge().run_if_due(at(23)));
    let (first, second) = (first.expect("runs"), second.expect("runs"));
    assert!(first.is_some() ^ second.is_some(), "exactly one instance runs the day's purge");
    assert!(app.app.purge().run_if_due(at(23)).await.expect("runs").is_none(), "once a day");
}

on_both_databases!(
    each_rule_purges_on_its_day_and_not_the_day_before,
    a_held_request_is_kept_until_the_hold_is_lifted,
    the_figures_are_the_same_after_old_requests_are_purged,
    the_audit_chain_survives_a_purge_and_still_finds_an_edit,
    a_dry_run_lists_what_would_go_and_changes_nothing,
    two_instances_run_the_daily_purge_once,
);
