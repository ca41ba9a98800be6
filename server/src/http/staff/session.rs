//! Signing in and out, and accepting an invitation.

use app::domain::Viewer;
use app::domain::staff_forms::{FormName, ReturnTo, SignInForm, WelcomeForm};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use crate::http::ClientAddress;
use crate::http::customer::echoable;
use crate::http::extract::{FormPost, Sent};
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError};
use crate::staff::{SESSION_KEY, SignIn, passwords};

pub fn routes() -> Routes {
    Routes::new()
        .post("/staff/sign-in", sign_in)
        .post("/staff/sign-out", sign_out)
        .post("/staff/sign-out-everywhere", sign_out_everywhere)
        .post("/staff/welcome/{token}", welcome)
}

async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    address: ClientAddress,
    FormPost { body, sent }: FormPost<SignInForm>,
) -> Result<Response, HttpError> {
    let (status, message) = match state.staff.sign_in(&body.email, body.password, &address.to_string()).await? {
        SignIn::Welcome(staff) => {
            // A new session id at sign-in: an id planted before it is worthless.
            session.cycle_id().await?;
            session.insert(SESSION_KEY, staff).await?;
            let next = body.next.as_ref().and_then(ReturnTo::staff_page).unwrap_or("/staff");
            return Ok(Redirect::to(next).into_response());
        }
        SignIn::Refused => {
            (StatusCode::UNAUTHORIZED, "That email address and password do not match an active account.".to_owned())
        }
        SignIn::Paused { minutes } => (
            StatusCode::TOO_MANY_REQUESTS,
            format!("Too many unsuccessful attempts. For your security, please wait {minutes} minutes and try again."),
        ),
        SignIn::Busy => (
            StatusCode::TOO_MANY_REQUESTS,
            "Many people are signing in right now. Please try again in a moment.".to_owned(),
        ),
    };
    Ok(sent.refuse(&state, "/staff/sign-in", status, FormName::SignIn, message).await)
}

async fn sign_out(viewer: Option<Extension<Viewer>>, session: Session, sent: Sent) -> Result<Redirect, HttpError> {
    if let Some(Extension(viewer)) = &viewer {
        sent.check_token(viewer)?;
    }
    session.flush().await?;
    Ok(Redirect::to("/staff/sign-in?signed_out=1"))
}

async fn sign_out_everywhere(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    session: Session,
    sent: Sent,
) -> Result<Redirect, HttpError> {
    let Some(Extension(viewer)) = viewer else {
        return Ok(Redirect::to("/staff/sign-in?signed_out=1"));
    };
    sent.check_token(&viewer)?;
    state.staff.sign_out_everywhere(&viewer).await?;
    session.flush().await?;
    Ok(Redirect::to("/staff/sign-in?signed_out=1"))
}

async fn welcome(
    State(state): State<AppState>,
    Path(token): Path<String>,
    FormPost { body, sent }: FormPost<WelcomeForm>,
) -> Result<Response, HttpError> {
    let page = format!("/staff/welcome/{}", echoable(&token));
    let problem = if body.password != body.confirm {
        Some("The two passwords are not the same.".to_owned())
    } else {
        passwords::weakness(&body.password)
    };
    if let Some(problem) = problem {
        return Ok(sent.refuse(&state, &page, StatusCode::UNPROCESSABLE_ENTITY, FormName::Welcome, problem).await);
    }
    if state.staff.accept_invite(&token, body.password).await? {
        Ok(Redirect::to("/staff/sign-in?welcome=1").into_response())
    } else {
        Ok(Redirect::to(&format!("{page}?result=invalid")).into_response())
    }
}
