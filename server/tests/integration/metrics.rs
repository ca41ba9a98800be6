//! The managers' figures against numbers worked out by hand, on SQLite and
//! PostgreSQL. Rows are written straight into the table so every date, due
//! day and outcome is exactly as the case needs: requests on both sides of
//! the period's edges (late in the evening, when the UTC date is already
//! the next day), requests still open, and one closed without an outcome.

use crate::common;

use app::domain::metrics::{AgeBucket, Dashboard, Disclosure, PeriodError, TableSlug, Timeliness, Workload};
use app::domain::request::ComplaintCategory;
use app::domain::workflow::{DenialGround, Outcome};
use app::domain::{Channel, RequestKind, RequestStatus, Role};
use app::services::Answer;
use axum::http::StatusCode;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use common::TestApp;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    Statement, TransactionTrait,
};
use server::db::entities::{request, staff_user};

use RequestKind::{Amendment, Appeal, Complaint, OptOut};

/// One hand-made request.
pub(crate) struct Row {
    kind: RequestKind,
    channel: Channel,
    status: RequestStatus,
    received: DateTime<Utc>,
    verified: bool,
    resolved: Option<DateTime<Utc>>,
    due_on: Option<NaiveDate>,
    outcome: Option<Outcome>,
    assignee: Option<i64>,
}

impl Row {
    pub(crate) fn new(kind: RequestKind, channel: Channel, status: RequestStatus, received: DateTime<Utc>) -> Self {
        Self {
            kind,
            channel,
            status,
            received,
            verified: false,
            resolved: None,
            due_on: None,
            outcome: None,
            assignee: None,
        }
    }
    fn verified(self) -> Self {
        Self { verified: true, ..self }
    }
    pub(crate) fn resolved(self, at: DateTime<Utc>) -> Self {
        Self { resolved: Some(at), ..self }
    }
    pub(crate) fn due(self, day: NaiveDate) -> Self {
        Self { due_on: Some(day), ..self }
    }
    fn outcome(self, outcome: Outcome) -> Self {
        Self { outcome: Some(outcome), ..self }
    }
    fn by(self, id: i64) -> Self {
        Self { assignee: Some(id), ..self }
    }
}

pub(crate) async fn insert(app: &TestApp, rows: Vec<Row>) {
    for (i, row) in rows.into_iter().enumerate() {
        let reference = format!("PR-TEST-{i:04}");
        let contact = app::domain::Contact {
            full_name: format!("Customer {i}"),
            email: format!("customer{i}@example.com"),
            phone: None,
            postal_address: None,
            account_number: None,
        };
        let sealed = app.app.vault().seal_request(&reference, &contact, "{}").expect("seals");
        let outcome = app.app.vault().seal_outcome(&reference, row.outcome.as_ref()).expect("seals");
        request::ActiveModel {
            reference: Set(reference),
            kind: Set(row.kind.as_str().to_owned()),
            status: Set(row.status.as_str().to_owned()),
            channel: Set(row.channel.as_str().to_owned()),
            tracking_hash: Set(format!("{i:064}")),
            full_name: Set(sealed.full_name),
            email: Set(sealed.email),
            details: Set(sealed.details),
            email_index: Set(sealed.email_index),
            name_index: Set(sealed.name_index),
            gpc: Set(false),
            received_at: Set(row.received),
            created_at: Set(row.received),
            updated_at: Set(row.received),
            verified_at: Set(row.verified.then_some(row.received)),
            assignee_id: Set(row.assignee),
            version: Set(0),
            outcome: Set(outcome.outcome),
            outcome_tag: Set(outcome.tag),
            outcome_category: Set(outcome.category),
            resolved_at: Set(row.resolved),
            due_on: Set(row.due_on),
            ..Default::default()
        }
        .insert(app.app.database())
        .await
        .expect("a request row");
    }
}

/// The organisation's calendar: America/New_York, the default.
pub(crate) fn local(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour, minute, 0).expect("a time");
    chrono_tz::America::New_York.from_local_datetime(&day.and_time(time)).earliest().expect("a local time").to_utc()
}

pub(crate) fn today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::America::New_York).date_naive()
}

pub(crate) async fn staff_id(app: &TestApp, email: &str) -> i64 {
    staff_user::Entity::find()
        .filter(staff_user::Column::Email.eq(email))
        .one(app.app.database())
        .await
        .expect("a query")
        .expect("the account")
        .id
}

pub(crate) async fn dashboard(browser: &common::staff::StaffBrowser<'_>, query: &str) -> Dashboard {
    let reply = browser.server_fn("dashboard", &[("query", query)]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer: Answer<Result<Dashboard, PeriodError>> =
        serde_json::from_str(&reply.body).expect("the dashboard as JSON");
    answer.expect("managers may see the dashboard").expect("a period the dashboard counts")
}

/// How many day parts the dashboard keeps between views.
async fn kept_days(app: &TestApp) -> i64 {
    kept_days_before(app, "9999-12-31").await
}

/// How many day parts before `day` the dashboard keeps.
async fn kept_days_before(app: &TestApp, day: &str) -> i64 {
    let db = app.app.database();
    db.query_one_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        "SELECT CAST(COUNT(*) AS BIGINT) FROM metrics_days WHERE day < $1",
        [NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("a date").into()],
    ))
    .await
    .expect("a count")
    .expect("a row")
    .try_get_by_index::<i64>(0)
    .expect("a number")
}

fn line(kind: Option<RequestKind>, answered: u64, on_time: u64, without: u64, closed: u64, overdue: u64) -> Timeliness {
    Timeliness {
        kind,
        answered,
        on_time,
        without_deadline: without,
        closed_without_outcome: closed,
        overdue_now: overdue,
    }
}

pub(crate) fn work(assignee: Option<&str>, open: u64, answered: u64, closed: u64) -> Workload {
    Workload { assignee: assignee.map(str::to_owned), open, answered, closed_without_outcome: closed }
}

fn csv_lines(body: &str) -> Vec<String> {
    body.lines().map(str::to_owned).collect()
}

async fn every_figure_matches_the_hand_count(app: TestApp) {
    let manager = app.staff_member("ann@example.com", Role::Manager).await;
    app.create_staff("bob@example.com", "=Bob", Role::Agent).await;
    let (ann, bob) = (staff_id(&app, "ann@example.com").await, staff_id(&app, "bob@example.com").await);
    let t = today();
    let day = |n: u64| t - Days::new(n);
    let at = |n: u64, hour: u32, minute: u32| local(day(n), hour, minute);
    let applied = || Outcome::OptOutApplied { effective_on: t };
    use RequestStatus::*;
    insert(
        &app,
        vec![
            // 0. Received before the period, answered in it, a day late: 10 days.
            Row::new(OptOut, Channel::Web, Completed, at(25, 10, 0))
                .resolved(at(15, 9, 0))
                .due(day(16))
                .outcome(applied())
                .by(ann),
            // 1. The period's first minutes; on time, 2 days.
            Row::new(OptOut, Channel::Phone, Completed, at(20, 0, 30))
                .resolved(at(18, 12, 0))
                .due(day(10))
                .outcome(applied())
                .by(ann),
            // 2. Half an hour before the period (already its first day in UTC);
            //    answered on its due day: on time, 9 days.
            Row::new(Amendment, Channel::Web, Completed, at(21, 23, 30))
                .verified()
                .resolved(at(12, 10, 0))
                .due(day(12))
                .outcome(Outcome::AmendmentPartlyAccepted {
                    records_changed: "Phone".into(),
                    reason: "Rest was right".into(),
                })
                .by(bob),
            // 3. Denied late on the period's last evening (the next day in UTC): late, 8 days.
            Row::new(Amendment, Channel::Web, Denied, at(19, 9, 0))
                .verified()
                .resolved(at(11, 23, 30))
                .due(day(13))
                .outcome(Outcome::AmendmentDenied {
                    ground: DenialGround::AccurateAndComplete,
                    explanation: "Matches".into(),
                })
                .by(bob),
            // 4. Received on the last evening, never verified, open.
            Row::new(Amendment, Channel::Web, Unverified, at(11, 23, 45)),
            // 5. Open and overdue.
            Row::new(Complaint, Channel::Web, InProgress, at(15, 8, 0)).verified().due(day(1)).by(ann),
            // 6. Closed without an outcome, by mail.
            Row::new(Complaint, Channel::Mail, Closed, at(14, 14, 0))
                .resolved(at(13, 10, 0))
                .due(t + Days::new(16))
                .by(bob),
            // 7. Received in the period, answered the day after it ends.
            Row::new(Complaint, Channel::Web, Completed, at(17, 10, 0))
                .verified()
                .resolved(at(10, 9, 0))
                .due(day(10))
                .outcome(Outcome::ComplaintResolved {
                    category: ComplaintCategory::UnwantedMarketing,
                    resolution: "Stopped".into(),
                }),
            // 8. Unassigned, on time, 2 days.
            Row::new(Complaint, Channel::Web, Completed, at(16, 10, 0))
                .verified()
                .resolved(at(14, 16, 0))
                .due(day(10))
                .outcome(Outcome::ComplaintResolved {
                    category: ComplaintCategory::SecurityConcern,
                    resolution: "Fixed".into(),
                }),
            // 9. Long open, long overdue.
            Row::new(OptOut, Channel::Web, Received, at(50, 10, 0)).due(day(40)),
            // 10. Recent, waiting on the customer.
            Row::new(Amendment, Channel::Phone, AwaitingCustomer, at(3, 10, 0)).due(t + Days::new(57)).by(bob),
            // 11. Answered the same day, with no deadline to measure by.
            Row::new(OptOut, Channel::Web, Completed, at(11, 10, 0)).resolved(at(11, 15, 0)).outcome(applied()).by(ann),
        ],
    )
    .await;

    let query = format!("range=custom&from={}&to={}", day(20), day(11));
    let board = dashboard(&manager, &query).await;
    assert_eq!((board.period.from, board.period.to), (day(20), day(11)));
    assert_eq!(board.kinds, [OptOut, Amendment, Complaint, Appeal]);

    // Received per day, by kind (opt-outs, amendments, complaints).
    let received: Vec<(NaiveDate, Vec<u64>)> =
        board.received.iter().filter(|bar| bar.total() > 0).map(|bar| (bar.start, bar.counts.clone())).collect();
    assert_eq!(
        received,
        [
            (day(20), vec![1, 0, 0, 0]),
            (day(19), vec![0, 1, 0, 0]),
            (day(17), vec![0, 0, 1, 0]),
            (day(16), vec![0, 0, 1, 0]),
            (day(15), vec![0, 0, 1, 0]),
            (day(14), vec![0, 0, 1, 0]),
            (day(11), vec![1, 1, 0, 0]),
        ]
    );
    assert_eq!(board.received.len(), 10, "every day of the period has its bar");
    assert_eq!(board.received_total(), 8);

    assert_eq!(board.backlog_by_status, [(Unverified, 1), (Received, 1), (InProgress, 1), (AwaitingCustomer, 1)]);
    assert_eq!(
        board.backlog_by_age,
        [
            (AgeBucket::UpToWeek, 1),
            (AgeBucket::UpToTwoWeeks, 1),
            (AgeBucket::UpToMonth, 1),
            (AgeBucket::UpToSixWeeks, 0),
            (AgeBucket::Older, 1),
        ]
    );

    assert_eq!(
        board.timeliness,
        [
            line(Some(OptOut), 2, 1, 1, 0, 1),
            line(Some(Amendment), 2, 1, 0, 0, 0),
            line(Some(Complaint), 1, 1, 0, 1, 1),
            line(Some(Appeal), 0, 0, 0, 0, 0),
            line(None, 5, 3, 1, 1, 2),
        ]
    );
    assert_eq!(board.overall().and_then(Timeliness::rate), Some(60.0));

    let spreads: Vec<(u64, Option<f64>, Option<i64>)> =
        board.days_to_resolve.iter().map(|l| (l.spread.count, l.spread.median, l.spread.p90)).collect();
    assert_eq!(
        spreads,
        [
            (3, Some(2.0), Some(10)),
            (2, Some(8.5), Some(9)),
            (1, Some(2.0), Some(2)),
            (0, None, None),
            (6, Some(5.0), Some(10))
        ]
    );

    let outcomes: Vec<(&str, u64)> = board.outcomes.iter().map(|(label, n)| (label.as_str(), *n)).collect();
    assert_eq!(
        outcomes,
        [
            ("Opt-out applied", 3),
            ("Amendment accepted", 0),
            ("Amendment accepted in part", 1),
            ("Amendment denied", 1),
            ("Complaint resolved: Information shared without permission", 0),
            ("Complaint resolved: Unwanted marketing contact", 0),
            ("Complaint resolved: A security concern", 1),
            ("Complaint resolved: A request of mine that was refused", 0),
            ("Complaint resolved: Something else", 0),
            ("Appeal granted", 0),
            ("Appeal denied", 0),
            ("Withdrawn by the customer", 0),
            ("Merged into an earlier request", 0),
        ]
    );

    assert_eq!((board.verification.started_unverified, board.verification.verified), (5, 4));
    assert_eq!(board.verification.rate(), Some(80.0));

    assert_eq!(board.workload, [work(Some("=Bob"), 1, 2, 1), work(Some("ann"), 1, 3, 0), work(None, 2, 1, 0)]);

    // One kind: the other kinds disappear from every figure.
    let complaints = dashboard(&manager, &format!("{query}&kind=complaint")).await;
    assert_eq!(complaints.received_total(), 4);
    assert_eq!(complaints.timeliness, [line(Some(Complaint), 1, 1, 0, 1, 1)]);
    assert_eq!(complaints.backlog_by_status.iter().map(|(_, n)| n).sum::<u64>(), 1);
    assert_eq!(complaints.verification.started_unverified, 3);

    // The same numbers as CSV, and the requests behind them.
    let on_time = manager.get(&format!("/staff/dashboard/on-time.csv?{query}")).await;
    assert_eq!(on_time.status, StatusCode::OK);
    assert_eq!(on_time.headers["content-type"], "text/csv; charset=utf-8");
    let disposition = on_time.headers["content-disposition"].to_str().expect("a header");
    assert_eq!(disposition, format!("attachment; filename=\"on-time-{}-to-{}.csv\"", day(20), day(11)));
    assert_eq!(
        csv_lines(&on_time.body),
        [
            "Kind,Answered with a deadline,On time,On-time rate,Answered without a deadline,Closed without an outcome,Overdue now",
            "Opt-outs,2,1,50.0%,1,0,1",
            "Amendments,2,1,50.0%,0,0,0",
            "Complaints,1,1,100.0%,0,1,1",
            "Appeals,0,0,–,0,0,0",
            "All kinds,5,3,60.0%,1,1,2",
        ]
    );
    let workload = manager.get(&format!("/staff/dashboard/workload.csv?{query}")).await;
    assert_eq!(csv_lines(&workload.body)[1], "'=Bob,1,2,1", "a name that looks like a formula is quoted");

    let requests = manager.get(&format!("/staff/dashboard/requests.csv?{query}")).await;
    assert_eq!(requests.status, StatusCode::OK);
    let lines = csv_lines(&requests.body);
    assert_eq!(
        lines[0],
        "Reference,Kind,Status,Channel,Received,Due,Resolved,Outcome,Assigned to,\
         Kind code,Status code,Channel code,Outcome code"
    );
    assert_eq!(lines.len(), 1 + 8, "{lines:#?}");
    assert_eq!(
        lines[1],
        format!(
            "PR-TEST-0001,Opt-out,Completed,Phone,{},{},{},Opt-out applied,ann,opt_out,completed,phone,opt_out_applied",
            day(20),
            day(10),
            day(18)
        )
    );
    assert!(
        lines.contains(&format!(
            "PR-TEST-0006,Complaint,Closed,Mail,{},{},{},Closed without an outcome,'=Bob,complaint,closed,mail,",
            day(14),
            t + Days::new(16),
            day(13)
        )),
        "{lines:#?}"
    );
    assert_eq!(
        lines[8],
        format!("PR-TEST-0004,Amendment,Unverified,Web form,{},,,,,amendment,unverified,web,", day(11))
    );

    let page = manager.get(&format!("/staff/dashboard?{query}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("role=\"img\""), "charts are images with a name");
    assert!(page.main_text().contains("60.0%"), "{}", page.main_text());
}

async fn the_disclosure_counts_a_calendar_year(app: TestApp) {
    let manager = app.staff_member("ann@example.com", Role::Manager).await;
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
    let at = |y, m, d, hour, minute| local(date(y, m, d), hour, minute);
    use RequestStatus::*;
    let applied = || Outcome::OptOutApplied { effective_on: date(2025, 1, 3) };
    let accepted = || Outcome::AmendmentAccepted { records_changed: "Address".into() };
    insert(
        &app,
        vec![
            // Received the evening before the year, answered in it: 3 days.
            Row::new(OptOut, Channel::Web, Completed, at(2024, 12, 31, 23, 30))
                .resolved(at(2025, 1, 3, 10, 0))
                .outcome(applied()),
            // The year's first minutes: 1 day.
            Row::new(OptOut, Channel::Web, Completed, at(2025, 1, 1, 0, 10))
                .resolved(at(2025, 1, 2, 10, 0))
                .outcome(applied()),
            Row::new(Amendment, Channel::Web, Denied, at(2025, 6, 1, 10, 0))
                .verified()
                .resolved(at(2025, 7, 1, 10, 0))
                .outcome(Outcome::AmendmentDenied {
                    ground: DenialGround::NotCreatedByUs,
                    explanation: "Not ours".into(),
                }),
            // Received on the year's last evening, answered in the next year.
            Row::new(Amendment, Channel::Web, Completed, at(2025, 12, 31, 23, 50))
                .verified()
                .resolved(at(2026, 1, 1, 0, 30))
                .outcome(accepted()),
            Row::new(Amendment, Channel::Phone, Completed, at(2025, 3, 1, 10, 0))
                .resolved(at(2025, 3, 11, 10, 0))
                .outcome(Outcome::AmendmentPartlyAccepted {
                    records_changed: "Name".into(),
                    reason: "Date was right".into(),
                }),
            Row::new(Complaint, Channel::Web, Closed, at(2025, 5, 5, 10, 0)).resolved(at(2025, 5, 6, 10, 0)),
            Row::new(Complaint, Channel::Mail, InProgress, at(2025, 2, 2, 10, 0)),
        ],
    )
    .await;

    let reply = manager.server_fn("disclosure", &[("year", "2025")]).await;
    let disclosure: Answer<Disclosure> = serde_json::from_str(&reply.body).expect("the disclosure as JSON");
    let disclosure = disclosure.expect("managers may see it");
    assert!(!disclosure.partial);
    let lines: Vec<(RequestKind, u64, u64, u64, Option<f64>)> =
        disclosure.lines.iter().map(|l| (l.kind, l.received, l.complied, l.denied, l.median_days)).collect();
    assert_eq!(
        lines,
        [
            (OptOut, 1, 2, 0, Some(2.0)),
            (Amendment, 3, 1, 1, Some(20.0)),
            (Complaint, 2, 0, 0, None),
            (Appeal, 0, 0, 0, None)
        ]
    );

    let csv = manager.get("/staff/disclosure.csv?year=2025").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        csv.headers["content-disposition"].to_str().expect("a header"),
        "attachment; filename=\"request-metrics-2025.csv\""
    );
    // Labelled by the regimes in force (the default: GLBA, HIPAA and the
    // state laws with an appeal), each
    // row saying what it counts and under which rule.
    assert_eq!(
        csv_lines(&csv.body),
        [
            "Kind of request,What it counts,Under,Received,Complied with in whole or in part,Denied,\
             Median days to respond",
            "Opt-outs,Requests to opt out of sharing personal information with unaffiliated third parties,\
             GLBA Reg P 12 CFR 1016.7(e),1,2,0,2",
            "Amendments,Requests to amend (correct) the records we hold about a person,\
             HIPAA 45 CFR 164.526(b)(2),3,1,1,20",
            "Complaints,Complaints about how we handled personal information,HIPAA 45 CFR 164.530(d),2,0,0,–",
            "Appeals,Appeals of a request we refused in whole or in part,\
             Va. Code 59.1-577(C); C.R.S. 6-1-1306(3); CTDPA Conn. Gen. Stat. 42-518(d),0,0,0,–",
        ]
    );
    let page = manager.get("/staff/disclosure?year=2025").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.main_text();
    let regimes = "GLBA, HIPAA, Virginia CDPA, Colorado CPA and Connecticut CTDPA";
    assert!(text.contains(&format!("Request metrics for 2025 under {regimes}")), "{text}");
    assert!(text.contains(&format!("The regimes in force ({regimes}) ask for no published figures")), "{text}");
}

async fn only_managers_and_admins_see_the_figures(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let manager = app.staff_member("manager@example.com", Role::Manager).await;
    let admin = app.staff_member("admin@example.com", Role::Admin).await;
    let paths = [
        "/staff/dashboard",
        "/staff/dashboard?range=year",
        "/staff/dashboard/requests.csv",
        "/staff/dashboard/outcomes.csv?range=7d",
        "/staff/disclosure",
        "/staff/disclosure.csv?year=2026",
    ];
    for path in paths {
        assert_eq!(agent.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(manager.get(path).await.status, StatusCode::OK, "{path}");
        assert_eq!(admin.get(path).await.status, StatusCode::OK, "{path}");
        let away = app.get(path).await;
        assert_eq!(away.status, StatusCode::SEE_OTHER, "{path}");
        assert!(away.location().starts_with("/staff/sign-in"), "{path}");
    }
    let refused = agent.server_fn("dashboard", &[("query", "")]).await;
    assert!(refused.body.contains("\"Err\":\"Forbidden\""), "{}", refused.body);
    assert_eq!(manager.get("/staff/dashboard/nonsense.csv").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        manager.get(&format!("/staff/dashboard/{}.csv", TableSlug::Disclosure.as_str())).await.status,
        StatusCode::NOT_FOUND
    );

    // The agent's header has no link to the dashboard; a manager's has.
    assert!(!agent.get("/staff").await.body.contains("href=\"/staff/dashboard\""));
    assert!(manager.get("/staff").await.body.contains("href=\"/staff/dashboard\""));
}

/// Days before today are counted once and kept; a later change to a request
/// they count must show all the same, whichever part of the day it touches.
async fn kept_day_counts_follow_later_changes(app: TestApp) {
    let manager = app.staff_member("ann@example.com", Role::Manager).await;
    app.create_staff("bob@example.com", "Bob", Role::Agent).await;
    let t = today();
    let day = |n: u64| t - Days::new(n);
    use RequestStatus::*;
    insert(
        &app,
        vec![
            // 0. Waiting for the customer to confirm their address.
            Row::new(Amendment, Channel::Web, Unverified, local(day(3), 11, 0)),
            // 1. Answered four days ago by nobody in particular.
            Row::new(Complaint, Channel::Phone, Completed, local(day(9), 11, 0))
                .resolved(local(day(4), 15, 0))
                .due(day(2))
                .outcome(Outcome::ComplaintResolved {
                    category: ComplaintCategory::Other,
                    resolution: "Apologised.".into(),
                }),
        ],
    )
    .await;
    let received = |board: &Dashboard| -> u64 { board.received.iter().flat_map(|bar| &bar.counts).sum() };
    let answered_by = |board: &Dashboard, name: Option<&str>| -> u64 {
        board.workload.iter().find(|line| line.assignee.as_deref() == name).map_or(0, |line| line.answered)
    };

    let before = dashboard(&manager, "range=30d").await;
    assert_eq!(received(&before), 2);
    assert_eq!((before.verification.started_unverified, before.verification.verified), (1, 0));
    assert_eq!(answered_by(&before, None), 1);
    let kept = request::Entity::find().count(app.app.database()).await.expect("a count");
    assert_eq!(kept, 2);
    app.app.metrics().keep_days().await.expect("the days are kept");
    let kept_days = kept_days(&app).await;
    assert!(kept_days >= 29 * 2, "each day before today is kept, both parts: {kept_days}");

    // A letter received by post five days ago, entered today.
    let received_on = day(5).to_string();
    let mut form = common::COMPLAINT.to_vec();
    form.extend([("channel", "mail"), ("received_on", received_on.as_str())]);
    let entered = manager.post("/staff/new/complaint", &form).await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.main_text());
    // The customer confirms their address, and the answered complaint is
    // put down to Bob; each write sets `updated_at`, as the portal's do.
    let bob = staff_id(&app, "bob@example.com").await;
    let now = Utc::now();
    request::Entity::update_many()
        .col_expr(request::Column::VerifiedAt, Expr::value(now))
        .col_expr(request::Column::Status, Expr::value(Received.as_str()))
        .col_expr(request::Column::UpdatedAt, Expr::value(now))
        .filter(request::Column::Reference.eq("PR-TEST-0000"))
        .exec(app.app.database())
        .await
        .expect("verified");
    request::Entity::update_many()
        .col_expr(request::Column::AssigneeId, Expr::value(bob))
        .col_expr(request::Column::UpdatedAt, Expr::value(now))
        .filter(request::Column::Reference.eq("PR-TEST-0001"))
        .exec(app.app.database())
        .await
        .expect("assigned");

    // The keeper cannot write while the writer is held: the views must
    // see past the kept days by themselves.
    let held = app.app.database().begin().await.expect("the writer");
    let after = dashboard(&manager, "range=30d").await;
    assert_eq!(received(&after), 3, "the letter counts on the day it arrived");
    assert_eq!((after.verification.started_unverified, after.verification.verified), (1, 1));
    assert_eq!(answered_by(&after, None), 0);
    assert_eq!(answered_by(&after, Some("Bob")), 1);
    // And a view of another range, counted afresh, agrees.
    let quarter = dashboard(&manager, "range=quarter").await;
    assert_eq!(received(&quarter), 3);
    assert_eq!(answered_by(&quarter, Some("Bob")), 1);
    held.rollback().await.expect("the writer is let go");

    // Once the keeper has caught up, the kept days say the same.
    app.app.metrics().keep_days().await.expect("the days are kept");
    let kept = dashboard(&manager, "range=30d").await;
    assert_eq!(received(&kept), 3);
    assert_eq!(answered_by(&kept, Some("Bob")), 1);
}

/// A custom period is at most five years. A longer one is refused beside
/// the dates, as typed, and nothing is counted for it.
async fn a_period_longer_than_five_years_is_refused_beside_the_dates(app: TestApp) {
    let manager = app.staff_member("ann@example.com", Role::Manager).await;
    let long = "range=custom&from=1990-01-01&to=2026-01-01";
    let page = manager.get(&format!("/staff/dashboard?{long}")).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    let problem = page.text_of("dashboard-period-error").expect("a message beside the dates");
    assert!(problem.contains("at most 5 years"), "{problem}");
    assert_eq!(page.input_value("dashboard-from").as_deref(), Some("1990-01-01"), "the dates as typed");
    assert_eq!(page.input_value("dashboard-to").as_deref(), Some("2026-01-01"));
    assert!(!page.body.contains("dashboard-scope"), "no figures");

    let answer = manager.server_fn("dashboard", &[("query", long)]).await;
    let refused: Answer<Result<Dashboard, PeriodError>> = serde_json::from_str(&answer.body).expect("JSON");
    assert_eq!(refused, Ok(Err(PeriodError::TooLong)));
    for file in ["requests.csv", "received.csv"] {
        let csv = manager.get(&format!("/staff/dashboard/{file}?{long}")).await;
        assert_eq!(csv.status, StatusCode::BAD_REQUEST, "{file}");
        assert!(csv.main_text().contains("at most 5 years"), "{}", csv.main_text());
    }
    assert_eq!(kept_days_before(&app, "2021-01-01").await, 0, "nothing was counted for it");

    let five_years = dashboard(&manager, "range=custom&from=2021-01-01&to=2025-12-31").await;
    assert_eq!(five_years.period.days(), 1826);
}

/// Managers opening the dashboard at the same moment, while the requests
/// under its kept counts change: every one of them sees it.
async fn dashboards_opened_together_are_all_shown(app: TestApp) {
    let manager = app.staff_member("ann@example.com", Role::Manager).await;
    let t = today();
    let rows = (1..=80)
        .map(|n| {
            Row::new(OptOut, Channel::Web, RequestStatus::Completed, local(t - Days::new(n + 1), 10, 0))
                .resolved(local(t - Days::new(n), 12, 0))
        })
        .collect();
    insert(&app, rows).await;
    dashboard(&manager, "range=quarter").await;
    for round in 0..12 {
        // Every day counted so far goes stale, both of its parts.
        let now = Utc::now();
        request::Entity::update_many()
            .col_expr(request::Column::VerifiedAt, Expr::value(now))
            .col_expr(request::Column::UpdatedAt, Expr::value(now))
            .exec(app.app.database())
            .await
            .expect("changed");
        let manager = &manager;
        let view =
            |query: &'static str| async move { (query, manager.server_fn("dashboard", &[("query", query)]).await) };
        let views = tokio::join!(
            view("range=quarter"),
            view("range=30d"),
            view("range=year"),
            view(""),
            view("range=custom&from=2026-01-01&to=2026-12-31"),
            view("range=7d"),
            view("range=custom&from=2026-06-01&to=2026-11-30"),
            view("kind=opt_out&range=quarter"),
        );
        for (query, reply) in [views.0, views.1, views.2, views.3, views.4, views.5, views.6, views.7] {
            assert_eq!(reply.status, StatusCode::OK, "round {round}, {query:?}: {}", reply.body);
            assert!(reply.body.starts_with("{\"Ok\":{\"Ok\""), "round {round}, {query:?}: {}", reply.body);
        }
    }
    let quarter = dashboard(&manager, "range=quarter").await;
    assert_eq!(quarter.received_total(), 80);
}

/// A database from before outcomes were sealed kept them as plain JSON,
/// which the metrics used to read in SQL. The upgrade copies each outcome's
/// class and complaint category into the plain columns the metrics read
/// now; without that, every older answer would count as an answer without
/// an outcome, and last year's CCPA table would say nothing was denied.
async fn outcomes_recorded_before_the_upgrade_are_counted_after_it(app: TestApp) {
    use migrations::{Migrator, MigratorTrait};

    let manager = app.staff_member("ann@example.com", Role::Manager).await;
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
    let at = |m, d| local(date(2025, m, d), 10, 0);
    use RequestStatus::*;
    let outcomes = [
        Outcome::AmendmentDenied { ground: DenialGround::AccurateAndComplete, explanation: "Right as it is".into() },
        Outcome::AmendmentAccepted { records_changed: "Address".into() },
        Outcome::ComplaintResolved { category: ComplaintCategory::Other, resolution: "Apologised".into() },
    ];
    insert(
        &app,
        vec![
            Row::new(Amendment, Channel::Web, Denied, at(3, 1)).verified().resolved(at(3, 11)),
            Row::new(Amendment, Channel::Web, Completed, at(4, 1)).verified().resolved(at(4, 5)),
            Row::new(Complaint, Channel::Web, Completed, at(5, 1)).verified().resolved(at(5, 2)),
        ],
    )
    .await;
    let db = app.app.database();
    let backend = db.get_database_backend();
    // As the version before left the rows: the outcome in clear, no plain
    // columns, the upgrade not yet run.
    for (i, outcome) in outcomes.iter().enumerate() {
        let plain = Statement::from_sql_and_values(
            backend,
            "UPDATE requests SET outcome = $1 WHERE reference = $2",
            [serde_json::to_string(outcome).expect("JSON").into(), format!("PR-TEST-{i:04}").into()],
        );
        db.execute_raw(plain).await.expect("the outcome in clear");
    }
    for sql in [
        "ALTER TABLE requests DROP COLUMN outcome_category",
        "ALTER TABLE requests DROP COLUMN outcome_tag",
        "DELETE FROM seaql_migrations WHERE version = 'm20261203_000010_outcome_tag'",
        "DELETE FROM key_rotations",
    ] {
        db.execute_raw(Statement::from_string(backend, sql)).await.expect("the older schema");
    }

    Migrator::up(db, None).await.expect("the upgrade runs");
    let restarted = app.another_instance().await;
    let tags = request::Entity::find().order_by_asc(request::Column::Reference).all(db).await.expect("the rows");
    let tags: Vec<_> = tags.iter().map(|row| (row.outcome_tag.as_deref(), row.outcome_category.as_deref())).collect();
    assert_eq!(
        tags,
        [
            (Some("amendment_denied"), None),
            (Some("amendment_accepted"), None),
            (Some("complaint_resolved"), Some("other"))
        ]
    );
    let year = dashboard(&manager, "range=custom&from=2025-01-01&to=2025-12-31").await;
    let counted: Vec<u64> = year.outcomes.iter().map(|(_, count)| *count).filter(|count| *count > 0).collect();
    assert_eq!(counted, [1, 1, 1], "each older outcome on its own line: {:?}", year.outcomes);
    drop(restarted);
}

on_both_databases!(
    outcomes_recorded_before_the_upgrade_are_counted_after_it,
    a_period_longer_than_five_years_is_refused_beside_the_dates,
    dashboards_opened_together_are_all_shown,
    kept_day_counts_follow_later_changes,
    every_figure_matches_the_hand_count,
    the_disclosure_counts_a_calendar_year,
    only_managers_and_admins_see_the_figures,
);
