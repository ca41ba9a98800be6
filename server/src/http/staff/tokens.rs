//! API tokens, issued and revoked by administrators.

use app::domain::accounts::{IssuedToken, TokenLifetime};
use app::domain::staff_forms::{DoneCode, FormName, RevokeForm, TokenForm};
use axum::extract::{Path, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::cookie::{Cookie, SameSite};

use crate::http::extract::StaffForm;
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError};
use crate::requests::StoreError;
use crate::staff::actor;

const PAGE: &str = "/staff/tokens";

pub fn routes() -> Routes {
    Routes::new().post(PAGE, issue_token).post("/staff/tokens/{id}/revoke", revoke_token)
}

/// The cookie that carries a new token from the form's answer to the page
/// that shows it. It never reaches an address, a log or the database, and
/// the page clears it as it shows the token, so a refresh shows it no more.
const SHOWN_ONCE: &str = "portal_new_token";

/// Issues an API token, then sends the browser to the tokens page, which
/// shows it once: refreshing that page issues nothing.
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
    let carried = shown_once_cookie(&state, token, time::Duration::minutes(5));
    Ok(([(header::SET_COOKIE, carried)], Redirect::to(PAGE)).into_response())
}

fn shown_once_cookie(state: &AppState, value: String, lasts: time::Duration) -> String {
    Cookie::build((SHOWN_ONCE, value))
        .path(PAGE)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.sessions.secure)
        .max_age(lasts)
        .build()
        .to_string()
}

/// Hands the tokens page the token just issued, from the cookie the form's
/// answer set, and clears that cookie in the same answer.
pub async fn show_new_token_once(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if request.method() != Method::GET || request.uri().path() != PAGE {
        return next.run(request).await;
    }
    let carried = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == SHOWN_ONCE)
        .map(|cookie| cookie.value().to_owned());
    let Some(token) = carried else {
        return next.run(request).await;
    };
    request.extensions_mut().insert(IssuedToken(token));
    let mut response = next.run(request).await;
    if let Ok(clear) = shown_once_cookie(&state, String::new(), time::Duration::ZERO).parse() {
        response.headers_mut().append(header::SET_COOKIE, clear);
    }
    response
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
