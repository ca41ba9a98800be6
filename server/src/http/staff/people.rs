//! The people who may sign in: invitations, roles, disabling and enabling.

use app::domain::Role;
use app::domain::staff_forms::{AccountForm, DoneCode, FormName, InviteForm, RoleForm};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::http::extract::StaffForm;
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError};
use crate::staff::{AccountChange, Invite};

const PAGE: &str = "/staff/people";

pub fn routes() -> Routes {
    Routes::new()
        .post("/staff/people", invite)
        .post("/staff/people/{id}/role", set_role)
        .post("/staff/people/{id}/disable", set_active::<false>)
        .post("/staff/people/{id}/enable", set_active::<true>)
}

fn done(done: DoneCode) -> Redirect {
    Redirect::to(&format!("{PAGE}?done={done}"))
}

async fn invite(State(state): State<AppState>, form: StaffForm<InviteForm>) -> Result<Response, HttpError> {
    let StaffForm { viewer, body, sent } = form;
    let role = Role::parse(&body.role);
    let problem = if body.name.trim().is_empty() {
        Some("Give the person's name.")
    } else if app::domain::email::Email::parse(&body.email).is_err() {
        Some("Give an email address like name@example.com.")
    } else if role.is_none() {
        Some("Choose a role.")
    } else {
        None
    };
    let (status, problem) = match (problem, role) {
        (None, Some(role)) => match state.staff.invite(&viewer, &body.name, &body.email, role).await? {
            Invite::Sent => return Ok(done(DoneCode::Invited).into_response()),
            Invite::AlreadyExists => (StatusCode::CONFLICT, "That email address already has an account."),
        },
        (problem, _) => (StatusCode::UNPROCESSABLE_ENTITY, problem.unwrap_or_default()),
    };
    Ok(sent.refuse(&state, PAGE, status, FormName::Invite, problem).await)
}

/// Why a change to an account was refused, for the people page to show.
fn refusal(change: AccountChange, what: &str) -> Option<(StatusCode, String)> {
    match change {
        AccountChange::Done | AccountChange::NoSuchAccount => None,
        AccountChange::LastAdministrator => Some((
            StatusCode::CONFLICT,
            format!(
                "You are the only administrator, so you cannot {what}: nobody would be left to manage staff. \
                 Make a colleague an administrator first."
            ),
        )),
    }
}

async fn set_role(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: StaffForm<RoleForm>,
) -> Result<Response, HttpError> {
    let StaffForm { viewer, body, sent } = form;
    let Some(role) = Role::parse(&body.role) else {
        return Ok(Redirect::to(PAGE).into_response());
    };
    let change = state.staff.set_role(&viewer, id, role).await?;
    Ok(match refusal(change, "change your own role") {
        Some((status, message)) => sent.refuse(&state, PAGE, status, FormName::Role, message).await,
        None => done(DoneCode::Role).into_response(),
    })
}

/// Disables or enables an account.
async fn set_active<const ACTIVE: bool>(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: StaffForm<AccountForm>,
) -> Result<Response, HttpError> {
    let StaffForm { viewer, sent, .. } = form;
    let change = state.staff.set_active(&viewer, id, ACTIVE).await?;
    Ok(match refusal(change, "disable your own account") {
        Some((status, message)) => sent.refuse(&state, PAGE, status, FormName::Disable, message).await,
        None => done(if ACTIVE { DoneCode::Enabled } else { DoneCode::Disabled }).into_response(),
    })
}
