//! The queue views staff save for themselves: saved from the queue showing
//! them, removed by their owner alone.

use app::domain::queue::QueueQuery;
use app::domain::saved_views::{SAVE_PATH, SavedView};
use app::domain::staff_forms::{DoneCode, FormName, RemoveViewForm, SaveViewForm};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::http::extract::StaffForm;
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError};
use crate::staff::saved_views::{Removal, SavedViewError};

pub fn routes() -> Routes {
    Routes::new().post(SAVE_PATH, save).post("/staff/views/{id}/remove", remove)
}

/// Saved, the view opens itself; refused, the queue it was saved from
/// shows again with why beside the name and the name as typed.
async fn save(State(state): State<AppState>, form: StaffForm<SaveViewForm>) -> Result<Response, HttpError> {
    let StaffForm { viewer, body, sent } = form;
    let query = queue_query(&body.query);
    match state.saved_views.save(viewer.id, &body.name, &query).await {
        Ok(view) => Ok(Redirect::to(&queue_at(&view.query, Some(DoneCode::ViewSaved))).into_response()),
        Err(SavedViewError::Refused(refusal)) => {
            let page = queue_at(&SavedView::keeps(&query), None);
            Ok(sent
                .refuse(&state, &page, StatusCode::UNPROCESSABLE_ENTITY, FormName::SaveView, refusal.to_string())
                .await)
        }
        Err(SavedViewError::Database(error)) => Err(HttpError::SavedViews(error)),
    }
}

/// Back to the queue as it was showing. A view already removed (from a
/// stale page) changes nothing; somebody else's is not the viewer's to remove.
async fn remove(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: StaffForm<RemoveViewForm>,
) -> Result<Redirect, HttpError> {
    let back = queue_query(form.body.return_to.as_str());
    match state.saved_views.remove(form.viewer.id, id).await.map_err(HttpError::SavedViews)? {
        Removal::Removed => Ok(Redirect::to(&queue_at(&back, Some(DoneCode::ViewRemoved)))),
        Removal::Gone => Ok(Redirect::to(&queue_at(&back, None))),
        Removal::NotTheirs => Err(HttpError::Forbidden),
    }
}

/// A query string from a form, read as the queue reads its address: what
/// goes into a redirect is only what the queue understands.
fn queue_query(sent: &str) -> QueueQuery {
    QueueQuery::from_query_string(sent.trim_start_matches('?'))
}

fn queue_at(query: &QueueQuery, done: Option<DoneCode>) -> String {
    let query = query.to_query_string();
    match (query.is_empty(), done) {
        (true, None) => "/staff".to_owned(),
        (true, Some(done)) => format!("/staff?done={done}"),
        (false, None) => format!("/staff?{query}"),
        (false, Some(done)) => format!("/staff?{query}&done={done}"),
    }
}
