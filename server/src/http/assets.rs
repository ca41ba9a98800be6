//! Static files, served by their own routes rather than the app's fallback:
//! the compiled `pkg` folder with cache headers, public files, and the
//! well-known Global Privacy Control document.

use std::path::Path;

use axum::Json;
use axum::http::{HeaderValue, header};
use serde_json::{Value, json};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use super::routes::Routes;

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
        .service(ServeDir::new(site_root.join("pkg")).precompressed_br().precompressed_gzip());
    let favicon = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        ))
        .service(ServeFile::new(site_root.join("favicon.svg")));
    Routes::new().folder("/pkg", pkg).file("/favicon.svg", favicon).get("/.well-known/gpc.json", gpc_document)
}

async fn gpc_document() -> Json<Value> {
    Json(json!({ "gpc": true, "lastUpdate": GPC_LAST_UPDATE }))
}
