//! The web face of the portal: one router that merges the pages, the form
//! handlers, the static files and the well-known documents.

mod assets;
mod error;
mod intake;
mod pages;

use std::path::PathBuf;
use std::time::Duration;

use app::domain::{SiteInfo, TrackingView};
use app::services::{CustomerService, ServiceError, SharedCustomerService};
use app::shell::{App, shell};
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::{HeaderName, HeaderValue, Request, header};
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use error::HttpError;

use crate::requests::RequestStore;

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub site: SiteInfo,
    pub store: RequestStore,
    pub customer: SharedCustomerService,
    pub site_root: PathBuf,
    pub body_limit: usize,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl AppState {
    /// What every page and server function may ask for.
    fn provide_context(&self) {
        leptos::prelude::provide_context(self.site.clone());
        leptos::prelude::provide_context(self.customer.clone());
    }
}

/// The customer-facing service the pages call, over the request store.
pub struct CustomerPortal {
    store: RequestStore,
}

impl CustomerPortal {
    pub fn new(store: RequestStore) -> Self {
        Self { store }
    }
}

#[async_trait::async_trait]
impl CustomerService for CustomerPortal {
    async fn track(&self, token: &str) -> Result<Option<TrackingView>, ServiceError> {
        self.store.track(token).await.map_err(|error| {
            let reference = crate::incident::new_reference();
            tracing::error!(%reference, %error, "tracking lookup failed");
            ServiceError { reference }
        })
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let leptos = state.leptos.clone();
    Router::new()
        .merge(intake::routes())
        .merge(assets::routes(&state.site_root))
        .leptos_routes_with_context(
            &state,
            routes,
            move || context_state.provide_context(),
            move || shell(leptos.clone()),
        )
        .fallback(pages::fallback)
        .layer(DefaultBodyLimit::max(state.body_limit))
        .layer(security_headers())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    tracing::info_span!("http", method = %request.method(), path = %redacted_path(request.uri().path()))
                })
                .on_request(())
                .on_response(tower_http::trace::DefaultOnResponse::new().latency_unit(tower_http::LatencyUnit::Micros)),
        )
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .with_state(state)
}

/// Tracking links carry a secret, so logs show only which page it was.
fn redacted_path(path: &str) -> String {
    for secret in ["/track/", "/verify/"] {
        if path.starts_with(secret) {
            return format!("{secret}…");
        }
    }
    path.to_owned()
}

fn security_headers() -> tower::layer::util::Stack<
    SetResponseHeaderLayer<HeaderValue>,
    tower::layer::util::Stack<SetResponseHeaderLayer<HeaderValue>, SetResponseHeaderLayer<HeaderValue>>,
> {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    tower::layer::util::Stack::new(
        header(header::REFERRER_POLICY, "no-referrer"),
        tower::layer::util::Stack::new(
            header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            header(
                header::CONTENT_SECURITY_POLICY,
                "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
            ),
        ),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn tracking_tokens_never_reach_the_log() {
        assert_eq!(super::redacted_path("/track/abcdef"), "/track/…");
        assert_eq!(super::redacted_path("/opt-out"), "/opt-out");
    }
}
