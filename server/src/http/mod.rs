//! The web face of the portal: one router per area (customer forms, staff
//! forms, exports, the JSON API, static files), merged here with the app's
//! pages and server functions.

mod api;
pub mod assets;
mod client;
mod customer;
mod error;
mod exports;
mod extract;
mod form_fields;
mod gate;
mod headers;
mod language;
mod limits;
mod pages;
mod routes;
mod services;
mod staff;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use app::domain::SiteInfo;
use app::services::{SharedCustomerService, SharedStaffService};
use app::shell::{App, shell};
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::{Method, Request};
use leptos::config::LeptosOptions;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower_http::trace::TraceLayer;

pub use client::{ClientAddress, ProxyRange, TrustedProxies};
pub use error::HttpError;
pub use headers::HeaderSettings;
pub use limits::SubmissionLimiter;
pub use services::{CustomerPortal, StaffPortal};

use crate::cases::CaseDesk;
use crate::clocks::Clocks;
use crate::requests::RequestStore;
use crate::staff::StaffAccounts;
use crate::staff::sessions::DbSessionStore;
use crate::staff::tokens::ApiTokens;
use routes::Routes;

/// What every handler may use, shared: axum clones the state for every
/// extractor and middleware that asks for it, several times a request, and a
/// clone of every service's own handles cost a fifth of the server's CPU
/// under intake (perf, 2026-12-07); a clone of this is one counter.
#[derive(Clone)]
pub struct AppState(std::sync::Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        Self(std::sync::Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

pub struct Services {
    pub leptos: LeptosOptions,
    pub site: SiteInfo,
    pub store: RequestStore,
    pub customer: SharedCustomerService,
    pub staff: StaffAccounts,
    pub desk: CaseDesk,
    pub register: crate::register::Register,
    pub staff_service: SharedStaffService,
    pub metrics: crate::metrics::Metrics,
    pub clocks: std::sync::Arc<Clocks>,
    pub sessions: SessionSettings,
    pub api_tokens: ApiTokens,
    pub site_root: PathBuf,
    /// The compiled files being served, and the stamp pages name them by.
    pub build: assets::Build,
    pub body_limit: usize,
    pub documents: crate::documents::DocumentLimits,
    /// How old a tracking link may be and still act without a fresh
    /// emailed confirmation.
    pub fresh_link_age: chrono::Duration,
    pub trusted_proxies: TrustedProxies,
    pub submissions: SubmissionLimiter,
    pub headers: HeaderSettings,
    pub webhooks: crate::webhooks::Webhooks,
    pub associates: crate::associates::Associates,
    pub letters: crate::mail::editor::LetterEditor,
    pub saved_views: crate::staff::saved_views::SavedViews,
}

/// How staff session cookies are set.
#[derive(Clone)]
pub struct SessionSettings {
    pub store: DbSessionStore,
    pub idle: Duration,
    /// Cookies marked Secure when the portal is served over HTTPS.
    pub secure: bool,
}

impl SessionSettings {
    /// A session ends after this much inactivity; each signed-in staff
    /// request pushes the end back.
    pub fn expiry(&self) -> tower_sessions::Expiry {
        tower_sessions::Expiry::OnInactivity(time::Duration::try_from(self.idle).unwrap_or(time::Duration::minutes(30)))
    }

    /// Over HTTPS the `__Host-` prefix makes browsers refuse the cookie
    /// unless it is Secure, for the whole site (`Path=/`) and set by this
    /// host alone, so a sibling subdomain cannot plant or widen it.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure { "__Host-portal_staff" } else { "portal_staff" }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl AppState {
    /// What every page and server function may ask for.
    fn provide_context(&self) {
        headers::provide_request_nonce();
        if let Some(lang) = leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<app::domain::Language>().copied())
        {
            leptos::prelude::provide_context(lang);
        }
        leptos::prelude::provide_context(self.site.clone());
        leptos::prelude::provide_context(app::domain::site::AssetRoot(self.build.root()));
        leptos::prelude::provide_context(self.customer.clone());
        leptos::prelude::provide_context(self.staff_service.clone());
        leptos::prelude::provide_context(app::domain::site::OrgToday(self.clocks.today()));
        leptos::prelude::provide_context::<app::services::SharedMetricsService>(std::sync::Arc::new(
            self.metrics.clone(),
        ));
    }
}

/// The app's pages, listed once per process: while Leptos lists them it
/// stops every resource in the process from loading, so a page rendering
/// on another thread meanwhile would wait for ever.
static PAGES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

/// Every area's routes that may need to know who is asking, merged.
fn areas() -> Routes {
    Routes::new()
        .merge(customer::routes())
        .merge(language::routes())
        .merge(staff::routes())
        .merge(exports::routes())
        .merge(api::routes())
}

/// Every (method, path) the router answers: each area's routes, the static
/// files, the app's pages and its server functions.
pub fn route_table() -> Vec<(Method, String)> {
    let (_, mut table) = areas().merge(assets::routes(Path::new(""))).into_parts();
    table.extend(PAGES.iter().map(|page| (Method::GET, page.path().to_owned())));
    table.extend(leptos::server_fn::axum::server_fn_paths().map(|(path, method)| (method, path.to_owned())));
    table
}

pub fn router(state: AppState) -> Router {
    let context_state = state.clone();
    let leptos = state.leptos.clone();
    let sessions = tower_sessions::SessionManagerLayer::new(state.sessions.store.clone())
        .with_name(state.sessions.cookie_name())
        .with_path("/")
        .with_http_only(true)
        .with_same_site(tower_sessions::cookie::SameSite::Strict)
        .with_secure(state.sessions.secure)
        .with_expiry(state.sessions.expiry());
    let (areas, _) = areas().into_parts();
    let (assets, _) = assets::routes(&state.site_root).into_parts();
    areas
        .leptos_routes_with_context(
            &state,
            PAGES.clone(),
            move || context_state.provide_context(),
            move || shell(leptos.clone()),
        )
        .fallback(pages::fallback)
        .layer(axum::middleware::from_fn_with_state(state.clone(), staff::tokens::show_new_token_once))
        .layer(axum::middleware::from_fn_with_state(state.clone(), gate::identify_staff))
        .layer(sessions)
        // Static files never ask who is asking, so they never reach the session store.
        .merge(assets)
        .layer(axum::middleware::from_fn(gate::same_origin_only))
        .layer(DefaultBodyLimit::max(state.body_limit))
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
        .layer(axum::middleware::from_fn_with_state(state.headers.clone(), headers::secure))
        .layer(headers::compression())
        .layer(axum::middleware::from_fn(language::choose))
        .with_state(state)
}

/// Tracking links carry a secret, so logs show only which page it was.
fn redacted_path(path: &str) -> String {
    for secret in ["/track/", "/verify/", "/revoke/", "/confirm/", "/staff/welcome/"] {
        if path.starts_with(secret) {
            return format!("{secret}…");
        }
    }
    path.to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tracking_tokens_never_reach_the_log() {
        assert_eq!(super::redacted_path("/track/abcdef"), "/track/…");
        assert_eq!(super::redacted_path("/opt-out"), "/opt-out");
    }
}
