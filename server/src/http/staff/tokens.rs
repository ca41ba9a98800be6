//! API tokens, issued and revoked by administrators.

use app::domain::accounts::{IssuedToken, TokenLifetime};
use app::domain::staff_forms::{DoneCode, FormName, RevokeForm, TokenForm};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};

use crate::http::extract::StaffForm;
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError, pages};
use crate::requests::StoreError;
use crate::staff::actor;

const PAGE: &str = "/staff/tokens";

pub fn routes() -> Routes {
    Routes::new().post(PAGE, issue_token).post("/staff/tokens/{id}/revoke", revoke_token)
}

/// Issues an API token. The page comes back with the token on it, once:
/// it never goes into an address, a log or the database.
async fn issue_token(State(state): State<AppState>, form: StaffForm<TokenForm>) -> Result<Response, HttpError> {
    let StaffForm { viewer, body, sent } = form;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    if body.name.trim().is_empty() {
        let problem = "Say what the token is for, such as the system that will use it.";
        return Ok(sent.refuse(&state, PAGE, unprocessable, FormName::Token, problem).await);
    }
    let lifetime = match TokenLifetime::parse(&body.days) {
        Ok(lifetime) => lifetime,
        Err(problem) => {
            return Ok(sent.refuse(&state, PAGE, unprocessable, FormName::Token, problem.to_string()).await);
        }
    };
    let issued =
        state.api_tokens.issue(&actor(&viewer), &body.email, &body.name, lifetime).await.map_err(StoreError::from)?;
    let Some(token) = issued else {
        return Ok(sent.refuse(&state, PAGE, unprocessable, FormName::Token, "Choose an active staff member.").await);
    };
    let shown = IssuedToken(token);
    Ok(pages::render_at(&state, sent.into_parts(), PAGE, move || leptos::prelude::provide_context(shown.clone())).await)
}

async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: StaffForm<RevokeForm>,
) -> Result<Redirect, HttpError> {
    state.api_tokens.revoke(&actor(&form.viewer), id).await.map_err(StoreError::from)?;
    let done = DoneCode::Revoked;
    Ok(Redirect::to(&format!("{PAGE}?done={done}")))
}
