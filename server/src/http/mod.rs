//! The web face of the portal: one router that merges the pages, the form
//! handlers, the static files and the well-known documents.

mod assets;
mod error;
mod exports;
mod gate;
mod intake;
mod pages;
mod staff;

use std::path::PathBuf;
use std::time::Duration;

use app::domain::case::{CaseView, LetterState, StaffMember};
use app::domain::queue::{QueuePage, QueueQuery};
use app::domain::{ReferenceCode, Viewer};
use app::domain::{SiteInfo, TrackingView};
use app::services::{CustomerService, ServiceError, SharedCustomerService, SharedStaffService, StaffService};
use app::shell::{App, shell};
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::{HeaderName, HeaderValue, Request, header};
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use error::HttpError;

use crate::cases::CaseDesk;
use crate::clocks::Clocks;
use crate::requests::RequestStore;
use crate::staff::StaffAccounts;
use crate::staff::sessions::DbSessionStore;

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub site: SiteInfo,
    pub store: RequestStore,
    pub customer: SharedCustomerService,
    pub staff: StaffAccounts,
    pub desk: CaseDesk,
    pub staff_service: SharedStaffService,
    pub metrics: crate::metrics::Metrics,
    pub clocks: std::sync::Arc<Clocks>,
    pub sessions: SessionSettings,
    pub api_tokens: crate::api::tokens::ApiTokens,
    pub site_root: PathBuf,
    pub body_limit: usize,
}

/// How staff session cookies are set.
#[derive(Clone)]
pub struct SessionSettings {
    pub store: DbSessionStore,
    pub idle: Duration,
    /// Cookies marked Secure when the portal is served over HTTPS.
    pub secure: bool,
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
        leptos::prelude::provide_context(self.staff_service.clone());
        leptos::prelude::provide_context(app::domain::site::OrgToday(self.clocks.today()));
        leptos::prelude::provide_context::<app::services::SharedMetricsService>(std::sync::Arc::new(
            self.metrics.clone(),
        ));
    }
}

/// Logs a failure under an incident reference, which is all the page shows.
fn incident(error: impl std::fmt::Display, what: &str) -> ServiceError {
    let reference = crate::incident::new_reference();
    tracing::error!(%reference, %error, "{what} failed");
    ServiceError { reference }
}

/// The staff-facing reads, over the case desk.
pub struct StaffPortal {
    desk: CaseDesk,
    tokens: crate::api::tokens::ApiTokens,
}

impl StaffPortal {
    pub fn new(desk: CaseDesk, tokens: crate::api::tokens::ApiTokens) -> Self {
        Self { desk, tokens }
    }
}

#[async_trait::async_trait]
impl StaffService for StaffPortal {
    async fn queue(&self, viewer: &Viewer, query: &QueueQuery) -> Result<QueuePage, ServiceError> {
        self.desk.queue(viewer, query).await.map_err(|e| incident(e, "the queue"))
    }

    async fn case(&self, viewer: &Viewer, reference: &ReferenceCode) -> Result<Option<CaseView>, ServiceError> {
        self.desk.open(viewer, reference).await.map_err(|e| incident(e, "opening a case"))
    }

    async fn staff(&self) -> Result<Vec<StaffMember>, ServiceError> {
        self.desk.staff_list().await.map_err(|e| incident(e, "the staff list"))
    }

    async fn undelivered_letters(&self) -> Result<Vec<LetterState>, ServiceError> {
        self.desk.undelivered().await.map_err(|e| incident(e, "the undelivered letters"))
    }

    async fn api_tokens(&self) -> Result<Vec<app::domain::case::ApiTokenInfo>, ServiceError> {
        self.tokens.list(self.desk.clocks()).await.map_err(|e| incident(e, "the API token list"))
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
        self.store.track(token).await.map_err(|e| incident(e, "tracking lookup"))
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let leptos = state.leptos.clone();
    let sessions = tower_sessions::SessionManagerLayer::new(state.sessions.store.clone())
        .with_name("portal_staff")
        .with_http_only(true)
        .with_same_site(tower_sessions::cookie::SameSite::Strict)
        .with_secure(state.sessions.secure)
        .with_always_save(true)
        .with_expiry(tower_sessions::Expiry::OnInactivity(
            time::Duration::try_from(state.sessions.idle).unwrap_or(time::Duration::minutes(30)),
        ));
    Router::new()
        .merge(intake::routes())
        .merge(staff::routes())
        .merge(exports::routes())
        .merge(crate::api::routes())
        .merge(assets::routes(&state.site_root))
        .leptos_routes_with_context(
            &state,
            routes,
            move || context_state.provide_context(),
            move || shell(leptos.clone()),
        )
        .fallback(pages::fallback)
        .layer(axum::middleware::from_fn_with_state(state.clone(), gate::identify_staff))
        .layer(sessions)
        .layer(axum::middleware::from_fn(gate::same_origin_only))
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
    for secret in ["/track/", "/verify/", "/staff/welcome/"] {
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
