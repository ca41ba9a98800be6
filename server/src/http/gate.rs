//! Two guards in front of every route: forms may only be posted from this
//! site, and the staff side knows who is signed in (or sends them to sign
//! in).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::{AppState, HttpError};
use crate::staff::{SESSION_KEY, SessionStaff};

/// Refuses state-changing requests that a browser says came from another
/// site. Browsers send `Sec-Fetch-Site` or `Origin` with every form post;
/// clients that send neither (scripts, tests) cannot carry a victim's
/// cookies anyway, and staff forms also carry a per-session token.
pub async fn same_origin_only(request: Request<Body>, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let cross = match fetch_site {
        Some(site) => !matches!(site, "same-origin" | "none"),
        None => match (headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()), headers.get(header::HOST)) {
            (Some(origin), Some(host)) => {
                origin.split_once("://").map(|(_, authority)| authority) != host.to_str().ok()
            }
            (Some(_), None) => true,
            (None, _) => false,
        },
    };
    if cross {
        tracing::warn!(path = %super::redacted_path(request.uri().path()), "cross-site form post refused");
        return HttpError::Forged.into_response();
    }
    next.run(request).await
}

fn staff_area(path: &str) -> bool {
    path == "/staff" || path.starts_with("/staff/") || path.starts_with("/api/staff/")
}

/// Pages a signed-out person may see on the staff side.
fn open_to_all(path: &str) -> bool {
    path == "/staff/sign-in" || path.starts_with("/staff/welcome/")
}

/// Puts the signed-in staff member into the request for pages, server
/// functions and handlers; sends the signed-out to the sign-in page.
pub async fn identify_staff(
    State(state): State<AppState>,
    session: Session,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if !staff_area(&path) {
        return next.run(request).await;
    }
    let remembered = match session.get::<SessionStaff>(SESSION_KEY).await {
        Ok(remembered) => remembered,
        Err(error) => return HttpError::Session(error).into_response(),
    };
    let viewer = match remembered {
        Some(remembered) => match state.staff.viewer(&remembered).await {
            Ok(Some(viewer)) => Some(viewer),
            Ok(None) => {
                // Expired, disabled, or signed out everywhere: forget it here too.
                if let Err(error) = session.flush().await {
                    return HttpError::Session(error).into_response();
                }
                None
            }
            Err(error) => return HttpError::Staff(error).into_response(),
        },
        None => None,
    };
    match viewer {
        Some(viewer) => {
            // Saved as an update only, so a session signed out meanwhile stays ended.
            session.set_expiry(Some(state.sessions.expiry()));
            request.extensions_mut().insert(viewer);
        }
        None if open_to_all(&path) || path.starts_with("/api/") => {}
        None if request.method() == Method::GET || request.method() == Method::HEAD => {
            let here = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/staff");
            let next: String = url_encode(here);
            return Redirect::to(&format!("/staff/sign-in?next={next}")).into_response();
        }
        None => {
            return (StatusCode::SEE_OTHER, [(header::LOCATION, "/staff/sign-in?expired=1")]).into_response();
        }
    }
    next.run(request).await
}

fn url_encode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)]).map(|pair| pair[1..].to_owned()).unwrap_or_default()
}
