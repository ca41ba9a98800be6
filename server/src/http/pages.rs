//! Rendering the Leptos app outside its own routes: for a form sent back
//! with errors, and for addresses that match nothing.

use app::shell::shell;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, Request, Uri, header, request::Parts};
use axum::response::{IntoResponse, Response};

use super::AppState;

/// Renders the page at `parts`' address with extra context, as a GET of
/// that page would.
pub async fn render_with(
    state: &AppState,
    mut parts: Parts,
    extra: impl Fn() + Clone + Send + Sync + 'static,
) -> Response {
    parts.method = Method::GET;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let context_state = state.clone();
    let leptos = state.leptos.clone();
    // Rendered whole, as async routes are: a page sent back with feedback must
    // show its data, not a loading placeholder.
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            context_state.provide_context();
            extra();
        },
        move || shell(leptos.clone()),
    );
    handler(Request::from_parts(parts, Body::empty())).await.into_response()
}

/// Renders the page at `path` instead, as a GET of it with `parts`' session
/// would: for a form whose answer is a page other than where it was posted.
pub async fn render_at(
    state: &AppState,
    mut parts: Parts,
    path: &str,
    extra: impl Fn() + Clone + Send + Sync + 'static,
) -> Response {
    // A page's own query (a letter's language) does not make it elsewhere.
    let posted_elsewhere = parts.uri.path() != path.split('?').next().unwrap_or(path);
    parts.uri = path.parse().unwrap_or_else(|_| Uri::from_static("/staff"));
    let shown_at = app::domain::site::ShownAt(parts.uri.path().to_owned());
    render_with(state, parts, move || {
        extra();
        if posted_elsewhere {
            leptos::prelude::provide_context(shown_at.clone());
        }
    })
    .await
}

/// Anything no route claims: the app's own "page not found", with 404.
pub async fn fallback(State(state): State<AppState>, request: Request<Body>) -> Response {
    let (parts, _) = request.into_parts();
    render_with(&state, parts, || ()).await
}
