//! Customer forms arrive here as plain HTML form posts, with or without
//! JavaScript. Valid ones are stored and answered with a redirect to the
//! request's private tracking page; invalid ones get their own page back
//! with every value kept and every error beside its field.

use app::domain::forms::{AmendmentForm, ComplaintForm, OptOutForm};
use app::domain::{FormState, ParseContext, RequestForm, gpc};
use axum::body::Body;
use axum::extract::{Form, FromRequest, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use chrono::Utc;

use super::{AppState, HttpError, pages};
use crate::requests::Intake;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/opt-out", post(submit::<OptOutForm>))
        .route("/amendment", post(submit::<AmendmentForm>))
        .route("/complaint", post(submit::<ComplaintForm>))
}

async fn submit<F: RequestForm>(State(state): State<AppState>, request: Request<Body>) -> Result<Response, HttpError> {
    let (parts, body) = request.into_parts();
    let gpc = gpc::is_signal(parts.headers.get(gpc::HEADER).map(|v| v.as_bytes()));
    let Form(values) = Form::<F>::from_request(Request::from_parts(parts.clone(), body), &state)
        .await
        .map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => HttpError::TooLarge,
            status => HttpError::UnreadableForm { status, detail: rejection.body_text() },
        })?;
    let context = ParseContext { today: Utc::now().date_naive(), gpc };
    match values.parse(&context) {
        Ok(request) => {
            let receipt = state.store.submit(&request, Intake::web_now()).await?;
            tracing::info!(reference = %receipt.reference, kind = %F::KIND, "request received");
            Ok(Redirect::to(&format!("/track/{}?new=1", receipt.token.expose())).into_response())
        }
        Err(errors) => {
            let form = FormState { values, errors };
            let mut page = pages::render_with(&state, parts, move || leptos::prelude::provide_context(form.clone())).await;
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
    }
}
