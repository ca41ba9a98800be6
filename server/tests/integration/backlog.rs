//! The dashboard's open backlog, which each instance keeps between views,
//! against counts worked out by hand after every kind of change: a new
//! request, an assignment, a deadline moved, a request finished.

use crate::common;
use crate::metrics::{Row, dashboard, insert, local, staff_id, today, work};

use app::domain::metrics::Dashboard;
use app::domain::{Channel, RequestStatus, Role};
use axum::http::StatusCode;
use chrono::{Days, Utc};
use common::TestApp;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::db::entities::request;

use RequestStatus::{Completed, InProgress, Received};
use app::domain::RequestKind::{Amendment, OptOut};

fn overdue(board: &Dashboard) -> u64 {
    board.timeliness.iter().filter(|line| line.kind.is_some()).map(|line| line.overdue_now).sum()
}

fn by_status(board: &Dashboard) -> Vec<(RequestStatus, u64)> {
    board.backlog_by_status.iter().copied().filter(|(_, count)| *count > 0).collect()
}

fn open_of(board: &Dashboard, assignee: Option<&str>) -> u64 {
    board.workload.iter().find(|line| line.assignee.as_deref() == assignee).map_or(0, |line| line.open)
}

async fn the_open_backlog_follows_changes_between_views(app: TestApp) {
    let manager = app.staff_member("ann@example.com", Role::Manager).await;
    app.create_staff("bob@example.com", "Bob", Role::Agent).await;
    let t = today();
    insert(
        &app,
        vec![
            // PR-TEST-0000: an opt-out past its deadline, nobody on it.
            Row::new(OptOut, Channel::Web, Received, local(t - Days::new(20), 10, 0)).due(t - Days::new(1)),
            // PR-TEST-0001: an amendment being worked on.
            Row::new(Amendment, Channel::Web, InProgress, local(t - Days::new(2), 10, 0)).due(t + Days::new(58)),
        ],
    )
    .await;
    let before = dashboard(&manager, "range=30d").await;
    assert_eq!(by_status(&before), [(Received, 1), (InProgress, 1)]);
    assert_eq!(overdue(&before), 1);
    assert_eq!(before.workload, [work(None, 2, 0, 0)]);

    // A letter received by post, entered by staff.
    let received_on = (t - Days::new(1)).to_string();
    let mut form = common::COMPLAINT.to_vec();
    form.extend([("channel", "mail"), ("received_on", received_on.as_str())]);
    let entered = manager.post("/staff/new/complaint", &form).await;
    assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.main_text());
    // The late opt-out goes to Bob with a later deadline, and the amendment
    // is finished; each write sets `updated_at`, as the portal's do.
    let bob = staff_id(&app, "bob@example.com").await;
    let now = Utc::now();
    request::Entity::update_many()
        .col_expr(request::Column::AssigneeId, Expr::value(bob))
        .col_expr(request::Column::DueOn, Expr::value(t + Days::new(10)))
        .col_expr(request::Column::UpdatedAt, Expr::value(now))
        .filter(request::Column::Reference.eq("PR-TEST-0000"))
        .exec(app.app.database())
        .await
        .expect("assigned and extended");
    request::Entity::update_many()
        .col_expr(request::Column::Status, Expr::value(Completed.as_str()))
        .col_expr(request::Column::ResolvedAt, Expr::value(now))
        .col_expr(request::Column::UpdatedAt, Expr::value(now))
        .filter(request::Column::Reference.eq("PR-TEST-0001"))
        .exec(app.app.database())
        .await
        .expect("finished");

    let after = dashboard(&manager, "range=30d").await;
    let open: u64 = by_status(&after).iter().map(|(_, count)| count).sum();
    assert_eq!(open, 2, "the entered complaint and the opt-out: {:?}", by_status(&after));
    assert!(!by_status(&after).iter().any(|(status, _)| *status == InProgress), "{:?}", by_status(&after));
    assert_eq!(overdue(&after), 0, "the opt-out's deadline moved");
    assert_eq!(open_of(&after, Some("Bob")), 1);
    assert_eq!(open_of(&after, None), 1, "the complaint");
    // A second look with nothing changed counts nothing twice.
    let again = dashboard(&manager, "range=quarter").await;
    assert_eq!(again.backlog_by_status, after.backlog_by_status);
    assert_eq!(again.backlog_by_age, after.backlog_by_age);
}

on_both_databases!(the_open_backlog_follows_changes_between_views);
