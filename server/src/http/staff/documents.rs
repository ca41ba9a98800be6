//! A customer's supporting documents, downloaded from the case page by
//! staff the rule book lets open the case: never shown inline, never
//! cached, and each opening written to the access log.

use app::domain::documents::ascii_file_name;
use app::domain::{ReferenceCode, Viewer};
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::cases::CaseError;
use crate::http::routes::Routes;
use crate::http::{AppState, HttpError};

pub fn routes() -> Routes {
    Routes::new().get("/staff/requests/{reference}/documents/{id}", download)
}

async fn download(
    State(state): State<AppState>,
    viewer: Option<Extension<Viewer>>,
    Path((reference, id)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    let viewer = viewer.map(|Extension(viewer)| viewer);
    app::domain::access::require(viewer.as_ref(), app::domain::Action::OpenCase).map_err(|_| HttpError::Forbidden)?;
    let Some(viewer) = viewer else { return Err(HttpError::Forbidden) };
    let (Ok(reference), Ok(id)) = (ReferenceCode::parse(&reference), id.parse::<i64>()) else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    let (entry, bytes) = match state.desk.open_document(&viewer, &reference, id).await {
        Ok(Some(found)) => found,
        Ok(None) => return Ok(StatusCode::NOT_FOUND.into_response()),
        Err(CaseError::Forbidden) => return Err(HttpError::Forbidden),
        Err(error) => return Err(HttpError::Case(error)),
    };
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_file_name(&entry.name, entry.kind),
        percent_encoded(&entry.name)
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(entry.kind.mime()));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The name as RFC 5987 writes it, for browsers that read `filename*`.
fn percent_encoded(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_name_is_percent_encoded_whole() {
        assert_eq!(super::percent_encoded("a b\"é.pdf"), "a%20b%22%C3%A9.pdf");
    }
}
