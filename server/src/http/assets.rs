//! Static files, served by their own routes rather than the app's fallback:
//! the compiled `pkg` folder with cache headers, public files, and the
//! well-known Global Privacy Control document.

use std::path::{Path, PathBuf};

use axum::Json;
use axum::extract::{Path as Segments, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use super::AppState;
use super::routes::Routes;

/// The compiled files of the build being served, named by a stamp of their
/// contents. Pages ask for them under `/v/{stamp}/pkg/`, which may be kept
/// for a year: another build has another stamp, so a browser never runs
/// the script of one build against the pages of another.
#[derive(Clone, Debug)]
pub struct Build {
    pkg: PathBuf,
    stamp: String,
}

impl Build {
    /// Reads the files once, at start (half a megabyte).
    pub fn of(site_root: &Path) -> Self {
        let pkg = site_root.join("pkg");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&pkg)
            .map(|entries| entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect())
            .unwrap_or_default();
        names.sort();
        let mut digest = Sha256::new();
        for name in names.iter().filter(|name| name.is_file()) {
            digest.update(name.file_name().map(|n| n.as_encoded_bytes()).unwrap_or_default());
            digest.update(std::fs::read(name).unwrap_or_default());
        }
        let stamp = digest.finalize().iter().take(8).map(|byte| format!("{byte:02x}")).collect();
        Self { pkg, stamp }
    }

    /// Where the pages link the files from.
    pub fn root(&self) -> String {
        format!("/v/{}", self.stamp)
    }
}

/// When this portal's Global Privacy Control support last changed.
const GPC_LAST_UPDATE: &str = "2026-11-25";

pub fn routes(site_root: &Path) -> Routes {
    // File names in `pkg` do not change between builds, so browsers keep
    // them but check back (a cheap 304) before using them.
    let pkg = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=0, must-revalidate"),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::VARY, HeaderValue::from_static(BY_ENCODING)))
        .service(ServeDir::new(site_root.join("pkg")).precompressed_br().precompressed_gzip());
    let favicon = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        ))
        .service(ServeFile::new(site_root.join("favicon.svg")));
    Routes::new()
        .folder("/pkg", pkg)
        .get("/v/{stamp}/pkg/{*file}", stamped)
        .file("/favicon.svg", favicon)
        .get("/.well-known/gpc.json", gpc_document)
}

/// What a compiled file's answer depends on besides its address: the same
/// file is sent as brotli, gzip or plain by what the browser accepts, and a
/// cache between must not hand one browser's answer to another.
const BY_ENCODING: &str = "accept-encoding";

/// A file of this build, kept by browsers for a year. Another build's
/// stamp finds nothing: the page that asked for it still works without it.
async fn stamped(
    State(state): State<AppState>,
    Segments((stamp, file)): Segments<(String, String)>,
    request: Request,
) -> Response {
    let Build { pkg, stamp: current } = &state.build;
    let Ok(uri) = format!("/{file}").parse::<Uri>() else { return StatusCode::NOT_FOUND.into_response() };
    if stamp != *current {
        return StatusCode::NOT_FOUND.into_response();
    }
    let (mut parts, body) = request.into_parts();
    parts.uri = uri;
    let files = ServeDir::new(pkg).precompressed_br().precompressed_gzip();
    let Ok(mut answer) = files.oneshot(Request::from_parts(parts, body)).await;
    if answer.status().is_success() {
        let headers = answer.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
        headers.insert(header::VARY, HeaderValue::from_static(BY_ENCODING));
    }
    answer.into_response()
}

async fn gpc_document() -> Json<Value> {
    Json(json!({ "gpc": true, "lastUpdate": GPC_LAST_UPDATE }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Instances serving the same build agree on its stamp; a build that
    /// changed a file has another.
    #[test]
    fn the_stamp_names_the_contents() {
        let site = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir_all(site.path().join("pkg")).expect("a pkg folder");
        std::fs::write(site.path().join("pkg/portal.js"), "one").expect("a script");
        let first = Build::of(site.path());
        assert_eq!(first.stamp, Build::of(site.path()).stamp);
        assert_eq!(first.root(), format!("/v/{}", first.stamp));
        std::fs::write(site.path().join("pkg/portal.js"), "two").expect("a script");
        assert_ne!(first.stamp, Build::of(site.path()).stamp);
    }
}
