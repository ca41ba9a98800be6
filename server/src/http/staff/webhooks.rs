//! Webhook endpoints, registered and changed by administrators.

use app::domain::staff_forms::{DoneCode, EndpointForm, FormName, WebhookForm};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::http::extract::StaffForm;
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError};
use crate::staff::actor;
use crate::webhooks::WebhookError;

const PAGE: &str = "/staff/webhooks";

pub fn routes() -> Routes {
    Routes::new().post(PAGE, register).post("/staff/webhooks/{id}", change)
}

async fn register(State(state): State<AppState>, form: StaffForm<WebhookForm>) -> Result<Response, HttpError> {
    let StaffForm { viewer, body, sent } = form;
    match state.webhooks.register(&actor(&viewer), &body.url, &body.description, &body.events).await {
        Ok(_) => Ok(Redirect::to(&format!("{PAGE}?done={}", DoneCode::Registered)).into_response()),
        Err(WebhookError::Invalid(problem)) => {
            Ok(sent.refuse(&state, PAGE, StatusCode::UNPROCESSABLE_ENTITY, FormName::Webhook, problem).await)
        }
        Err(error) => Err(error.into()),
    }
}

/// Rotates the endpoint's secret, stops it, or sends one delivery again.
/// A change to an endpoint or delivery that is not there (removed, or sent
/// from a stale page) changes nothing and shows the page as it is now.
async fn change(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: StaffForm<EndpointForm>,
) -> Result<Redirect, HttpError> {
    let StaffForm { viewer, body, .. } = form;
    let by = actor(&viewer);
    let done = match body.change.as_str() {
        "rotate" => state.webhooks.rotate(&by, id).await?.then_some(DoneCode::Rotated),
        "stop" => state.webhooks.stop(&by, id).await?.then_some(DoneCode::Stopped),
        "resend" => match body.delivery.parse::<i64>() {
            Ok(delivery) => state.webhooks.resend(&by, id, delivery).await?.then_some(DoneCode::Resent),
            Err(_) => None,
        },
        _ => None,
    };
    Ok(Redirect::to(&match done {
        Some(done) => format!("{PAGE}?done={done}"),
        None => PAGE.to_owned(),
    }))
}
