//! Letters that could not be delivered, sent again by hand.

use app::domain::staff_forms::{DoneCode, RetryForm};
use axum::extract::{Path, State};
use axum::response::Redirect;

use crate::http::extract::StaffForm;
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError};

pub fn routes() -> Routes {
    Routes::new().post("/staff/mail/{id}/retry", retry_letter)
}

async fn retry_letter(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: StaffForm<RetryForm>,
) -> Result<Redirect, HttpError> {
    state.desk.retry_letter(&form.viewer, id).await.map_err(HttpError::Case)?;
    let back = form.body.return_to.staff_page().unwrap_or("/staff/mail");
    let separator = if back.contains('?') { '&' } else { '?' };
    let done = DoneCode::Retried;
    Ok(Redirect::to(&format!("{back}{separator}done={done}")))
}
