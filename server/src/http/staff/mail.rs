//! Letters that could not be delivered, sent again by hand; letters to
//! customers answered by post, marked printed.

use app::domain::staff_forms::{DoneCode, PrintedForm, RetryForm};
use axum::extract::{Path, State};
use axum::response::Redirect;

use crate::http::extract::StaffForm;
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError};

pub fn routes() -> Routes {
    Routes::new().post("/staff/mail/{id}/retry", retry_letter).post("/staff/print/{id}/printed", printed)
}

/// Staff printed a letter: it leaves the queue, whether or not someone
/// else marked it a moment before (the second mark changes nothing).
async fn printed(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: StaffForm<PrintedForm>,
) -> Result<Redirect, HttpError> {
    state.desk.mark_printed(&form.viewer, id).await.map_err(HttpError::Case)?;
    Ok(Redirect::to(&format!("/staff/print?done={}", DoneCode::Printed)))
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
