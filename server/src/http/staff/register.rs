//! The opt-out register's one staff form: a revocation the customer asked
//! for by phone or mail.

use app::domain::register::RevocationChannel;
use app::domain::request::Choice;
use app::domain::staff_forms::{DoneCode, FormName, RevokeOptOutForm};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::http::extract::StaffForm;
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError};
use crate::register::RegisterError;

pub fn routes() -> Routes {
    Routes::new().post("/staff/opt-outs/{opt_out}/revoke", revoke)
}

async fn revoke(
    State(state): State<AppState>,
    Path(opt_out): Path<String>,
    form: StaffForm<RevokeOptOutForm>,
) -> Result<Response, HttpError> {
    let page = format!("/staff/opt-outs/{}", super::super::customer::echoable(&opt_out));
    let result = match RevocationChannel::from_key(form.body.channel.trim()) {
        Some(channel) => state.register.revoke_by_staff(&form.viewer, &opt_out, channel, &form.body.reason).await,
        None => Err(RegisterError::Invalid("Say how the customer asked: by phone or by mail.")),
    };
    let message = match result {
        Ok(()) => return Ok(Redirect::to(&format!("{page}?done={}", DoneCode::OptOutRevoked)).into_response()),
        Err(RegisterError::NotFound) => return Ok(StatusCode::NOT_FOUND.into_response()),
        Err(error @ (RegisterError::Invalid(_) | RegisterError::AlreadyRevoked)) => error.to_string(),
        Err(error) => return Err(error.into()),
    };
    Ok(form.sent.refuse(&state, &page, StatusCode::UNPROCESSABLE_ENTITY, FormName::RevokeOptOut, message).await)
}
