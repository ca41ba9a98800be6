//! The business associates, kept by administrators.

use app::domain::staff_forms::{AssociateForm, DoneCode, FormName, RemoveAssociateForm};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::associates::AssociateError;
use crate::http::extract::StaffForm;
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError};
use crate::staff::actor;

const PAGE: &str = "/staff/associates";

pub fn routes() -> Routes {
    Routes::new().post(PAGE, add).post("/staff/associates/{id}/remove", remove)
}

async fn add(State(state): State<AppState>, form: StaffForm<AssociateForm>) -> Result<Response, HttpError> {
    let StaffForm { viewer, body, sent } = form;
    match state.associates.add(&actor(&viewer), &body.name, &body.email, &body.relies_on).await {
        Ok(_) => Ok(Redirect::to(&format!("{PAGE}?done={}", DoneCode::AssociateAdded)).into_response()),
        Err(AssociateError::Invalid(problem)) => {
            Ok(sent.refuse(&state, PAGE, StatusCode::UNPROCESSABLE_ENTITY, FormName::Associate, problem).await)
        }
        Err(AssociateError::Database(error)) => Err(HttpError::Associates(error)),
    }
}

/// One already removed (from a stale page) changes nothing and shows the
/// list as it is now.
async fn remove(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: StaffForm<RemoveAssociateForm>,
) -> Result<Redirect, HttpError> {
    let removed = state.associates.remove(&actor(&form.viewer), id).await.map_err(HttpError::Associates)?;
    Ok(Redirect::to(&if removed { format!("{PAGE}?done={}", DoneCode::AssociateRemoved) } else { PAGE.to_owned() }))
}
