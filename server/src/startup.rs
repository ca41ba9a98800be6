//! Building and running the application, the same way in `main` and in
//! tests (which start it on port 0 with a fresh database).

use std::net::SocketAddr;
use std::sync::Arc;

use leptos::config::{Env, LeptosOptions};
use sea_orm::{DatabaseConnection, DbErr};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::db;
use crate::http::{self, AppState, CustomerPortal};
use crate::requests::RequestStore;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database: {0}")]
    Database(#[source] DbErr),
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[source] DbErr),
    #[error("cannot listen on {address}: {source}")]
    Bind { address: SocketAddr, source: std::io::Error },
}

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    db: DatabaseConnection,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartError> {
        let db = db::connect(&config.database_url).await.map_err(StartError::Database)?;
        db::migrate(&db).await.map_err(StartError::Migrate)?;
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|source| StartError::Bind { address: config.listen, source })?;
        let address = listener.local_addr().map_err(|source| StartError::Bind { address: config.listen, source })?;

        let store = RequestStore::new(db.clone());
        let leptos = LeptosOptions::builder()
            .output_name(config.output_name.clone())
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(address)
            .env(match std::env::var("LEPTOS_ENV").as_deref() {
                Ok("DEV") | Ok("dev") => Env::DEV,
                _ => Env::PROD,
            })
            .build();
        let state = AppState {
            leptos,
            site: config.site_info(),
            store: store.clone(),
            customer: Arc::new(CustomerPortal::new(store)),
            site_root: config.site_root.clone(),
            body_limit: config.body_limit,
        };
        Ok(Self { listener, router: http::router(state), db })
    }

    pub fn address(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// The router, for tests that drive it without a socket.
    pub fn router(&self) -> axum::Router {
        self.router.clone()
    }

    pub fn database(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
    pub async fn run(self) -> std::io::Result<()> {
        axum::serve(self.listener, self.router).with_graceful_shutdown(shutdown_signal()).await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
