//! Building and running the application, the same way in `main` and in
//! tests (which start it on port 0 with a fresh database).

use std::net::SocketAddr;
use std::sync::Arc;

use leptos::config::{Env, LeptosOptions};
use sea_orm::{DatabaseConnection, DbErr};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::cases::CaseDesk;
use crate::clocks::ClockSetupError;
use crate::config::Config;
use crate::db;
use crate::digest::Digest;
use crate::http::{self, AppState, CustomerPortal, SessionSettings, StaffPortal, SubmissionLimiter, TrustedProxies};
use crate::mail::editor::LetterEditor;
use crate::mail::transport::TransportError;
use crate::mail::wording::InForce;
use crate::mail::{Courier, Letters, MailDesk, Mailer, Outbox, OutboxWorker, Transport};
use crate::purge::Purge;
use crate::register::{Register, RevocationLimits};
use crate::requests::RequestStore;
use crate::staff::StaffAccounts;
use crate::staff::sessions::DbSessionStore;
use crate::vault::{self, KeysError, Vault};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database: {0}")]
    Database(#[source] DbErr),
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[source] DbErr),
    #[error("cannot listen on {address}: {source}")]
    Bind { address: SocketAddr, source: std::io::Error },
    #[error("cannot set up mail: {0}")]
    Mail(#[from] TransportError),
    #[error(transparent)]
    Webhooks(#[from] crate::webhooks::SenderError),
    #[error("cannot set up deadlines: {0}")]
    Clocks(#[from] ClockSetupError),
    #[error("cannot open the encryption keys: {0}")]
    Keys(#[from] KeysError),
    #[error("cannot seal the personal data written before encryption: {0}")]
    Seal(#[source] DbErr),
    #[error(
        "PUBLIC_URL is https but no SMTP_URL is set: letters would be written as plain .eml files; set SMTP_URL, \
         or MAIL_FILES_FORCE=true to write them anyway"
    )]
    MailFilesOverHttps,
}

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    db: DatabaseConnection,
    store: RequestStore,
    digest: Digest,
    vault: Vault,
    purge: Purge,
    register: Register,
    metrics: crate::metrics::Metrics,
    _background: Background,
}

/// The outbox worker and the unverified-request sweep, stopped when the
/// application is dropped.
struct Background(Vec<JoinHandle<()>>);

impl Drop for Background {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartError> {
        let db = db::connect(config.database_url.expose(), config.sqlite_synchronous, config.postgres_connections)
            .await
            .map_err(StartError::Database)?;
        db::open_in_background(&db, config.postgres_connections);
        db::migrate(&db).await.map_err(StartError::Migrate)?;
        let reader = db::reader(config.database_url.expose(), &db).await.map_err(StartError::Database)?;
        let keys = config.key_source();
        let vault = vault::open_vault(&db, &keys).await?;
        vault::rotate::seal_unsealed(&db, &vault).await.map_err(StartError::Seal)?;
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|source| StartError::Bind { address: config.listen, source })?;
        let address = listener.local_addr().map_err(|source| StartError::Bind { address: config.listen, source })?;

        let site = config.site_info();
        let transport = match &config.smtp_url {
            Some(url) => {
                tracing::info!("letters are sent through the SMTP server in SMTP_URL");
                Transport::smtp(url.expose(), &config.mail_from)?
            }
            None if config.served_over_https() && !config.mail_files_force => {
                return Err(StartError::MailFilesOverHttps);
            }
            None => {
                let folder = std::path::absolute(config.mail_dir()).unwrap_or_else(|_| config.mail_dir());
                tracing::info!(folder = %folder.display(), "no SMTP_URL set: letters are written as .eml files");
                Transport::files(folder, &config.mail_from)?
            }
        };
        let wake = Arc::new(Notify::new());
        let deliveries_wake = Arc::new(Notify::new());
        let clocks = Arc::new(config.clocks()?);
        let metrics = crate::metrics::Metrics::new(reader.clone(), db.clone(), clocks.clone());
        // The wording administrators saved, in force before the first letter.
        let wording = InForce::default();
        wording.refresh(&db).await.map_err(StartError::Database)?;
        let mailer = Mailer::new(
            Letters::new(site.clone()).reworded_by(wording.clone()),
            Outbox::new(&config.mail_domain(), vault.clone()),
            wake.clone(),
            deliveries_wake.clone(),
            site.public_url.clone(),
        );
        let store = RequestStore::new(
            db.clone(),
            mailer.clone(),
            clocks.clone(),
            config.verification_ttl(),
            config.public_limits(),
        )
        .reading_from(reader.clone());
        let staff = StaffAccounts::new(
            db.clone(),
            mailer.clone(),
            chrono::Duration::hours(i64::from(config.session_max_hours.max(1))),
            config.password_checks,
        )
        .reading_from(reader.clone());
        let mail_desk = MailDesk::new(db.clone(), mailer.clone(), clocks.clone()).reading_from(reader.clone());
        let desk = CaseDesk::new(db.clone(), mailer.clone(), clocks.clone(), staff.clone(), mail_desk)
            .reading_from(reader.clone())
            .telling_team(config.team_email.clone());
        let limits =
            RevocationLimits { allowance: config.public_limits().allowance, link_ttl: config.verification_ttl() };
        let register = Register::new(db.clone(), mailer.clone(), clocks.clone(), limits).reading_from(reader.clone());
        let letters = LetterEditor::new(db.clone(), mailer.clone(), wording.clone(), site.clone());
        let digest = Digest::new(db.clone(), mailer, clocks.clone(), staff.clone(), config.digest_time);
        let purge = Purge::new(db.clone(), vault.clone(), clocks.clone(), config.housekeeping(), config.purge_time);
        let sessions = DbSessionStore::new(db.clone()).reading_from(reader.clone());
        let worker = OutboxWorker::new(
            db.clone(),
            vault.clone(),
            Courier::Mail(Arc::new(transport)),
            config.retry_policy(),
            wake,
        )
        .reading_from(reader.clone());
        let destinations = crate::webhooks::Destinations::allowing(&config.webhook_allowed_hosts);
        let sender = crate::webhooks::Sender::new(destinations.clone(), vault.clone(), config.webhook_timeout())?;
        let deliveries = OutboxWorker::new(
            db.clone(),
            vault.clone(),
            Courier::Webhooks(Arc::new(sender)),
            config.retry_policy(),
            deliveries_wake,
        )
        .reading_from(reader.clone());
        let webhooks = crate::webhooks::Webhooks::new(db.clone(), vault.clone(), destinations);
        let associates = crate::associates::Associates::new(db.clone());
        let saved_views = crate::staff::saved_views::SavedViews::new(db.clone(), reader);
        let submissions = SubmissionLimiter::per_hour(config.submissions_per_hour);
        let background = vec![
            tokio::spawn(worker.run()),
            tokio::spawn(deliveries.run()),
            tokio::spawn(sweep_unverified(
                store.clone(),
                chrono::Duration::days(i64::from(config.unverified_close_days)),
            )),
            tokio::spawn(sweep_sessions(sessions.clone())),
            tokio::spawn(send_digests(digest.clone())),
            tokio::spawn(run_purges(purge.clone())),
            tokio::spawn(sweep_limits(submissions.clone(), db.clone(), clocks.clone())),
            tokio::spawn(refresh_keys(db.clone(), vault.clone(), keys)),
            tokio::spawn(refresh_wording(db.clone(), wording)),
            tokio::spawn(metrics.clone().keep_days_forever()),
        ];
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
        let build = http::assets::Build::of(&config.site_root);
        let compiled = format!("{}/{}", build.root(), leptos.site_pkg_dir);
        let headers = http::HeaderSettings::new(config.hsts_max_age(), &config.public_url(), &compiled);
        let state = AppState::new(http::Services {
            leptos,
            site,
            store: store.clone(),
            customer: Arc::new(CustomerPortal::new(store.clone())),
            staff,
            api_tokens: crate::staff::tokens::ApiTokens::new(db.clone()),
            staff_service: Arc::new(StaffPortal::new(
                desk.clone(),
                crate::staff::tokens::ApiTokens::new(db.clone()),
                register.clone(),
                webhooks.clone(),
                associates.clone(),
                letters.clone(),
                saved_views.clone(),
            )),
            desk,
            register: register.clone(),
            metrics: metrics.clone(),
            clocks,
            sessions: SessionSettings {
                store: sessions,
                idle: std::time::Duration::from_secs(u64::from(config.session_idle_minutes.max(1)) * 60),
                secure: config.served_over_https(),
            },
            site_root: config.site_root.clone(),
            build,
            body_limit: config.body_limit,
            documents: crate::documents::DocumentLimits {
                per_file: config.document_max_bytes,
                per_request: config.documents_max_bytes_per_request,
                count: config.documents_max_per_request,
            },
            fresh_link_age: chrono::Duration::days(i64::from(config.tracking_link_fresh_days)),
            trusted_proxies: TrustedProxies::new(&config.trusted_proxies),
            submissions,
            headers,
            webhooks,
            associates,
            letters,
            saved_views,
        });
        Ok(Self {
            listener,
            router: http::router(state),
            db,
            store,
            digest,
            vault,
            purge,
            register,
            metrics,
            _background: Background(background),
        })
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

    pub fn store(&self) -> &RequestStore {
        &self.store
    }

    pub fn digest(&self) -> &Digest {
        &self.digest
    }

    /// The keys, for tests that read what the database holds.
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    pub fn register(&self) -> &Register {
        &self.register
    }

    /// The dashboard's counts, whose keeping tests run by hand.
    pub fn metrics(&self) -> &crate::metrics::Metrics {
        &self.metrics
    }

    pub fn purge(&self) -> &Purge {
        &self.purge
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
    pub async fn run(self) -> std::io::Result<()> {
        let Self { listener, router, _background, .. } = self;
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await
    }
}

/// Looks every minute whether today's digest is due.
async fn send_digests(digest: Digest) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        match digest.send_if_due(chrono::Utc::now()).await {
            Ok(true) => tracing::info!("sent the daily digest"),
            Ok(false) => {}
            Err(error) => tracing::error!(%error, "the daily digest failed"),
        }
    }
}

/// Picks up letter wording that an administrator saved on another
/// instance. One indexed `MAX(id)` each time; the versions are read only
/// when it changed.
async fn refresh_wording(db: DatabaseConnection, wording: InForce) {
    let mut every = tokio::time::interval(crate::mail::wording::REFRESH);
    loop {
        every.tick().await;
        if let Err(error) = wording.refresh(&db).await {
            tracing::error!(%error, "cannot look for new letter wording");
        }
    }
}

/// Picks up a data key that a rotation added, so that this instance opens
/// what is sealed under it and seals new values with it.
async fn refresh_keys(db: DatabaseConnection, vault: Vault, keys: vault::KeySource) {
    let mut every = tokio::time::interval(vault::rotate::REFRESH);
    loop {
        every.tick().await;
        if let Err(error) = vault::keys::refresh(&db, &vault, &keys).await {
            tracing::error!(%error, "cannot look for new data keys");
        }
    }
}

/// Looks every minute whether today's purge is due.
async fn run_purges(purge: Purge) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        match purge.run_if_due(chrono::Utc::now()).await {
            Ok(Some(report)) => tracing::info!(
                purged = report.purged.len(),
                sign_in_failures = report.sign_in_failures,
                run_records = report.run_records,
                verifications = report.verifications,
                unconfirmed_documents = report.unconfirmed_documents,
                "ran the daily purge"
            ),
            Ok(None) => {}
            Err(error) => tracing::error!(%error, "the daily purge failed"),
        }
    }
}

/// Forgets expired staff sessions once an hour.
async fn sweep_sessions(sessions: DbSessionStore) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        if let Err(error) = sessions.delete_expired().await {
            tracing::error!(%error, "the expired-session sweep failed");
        }
    }
}

/// Once an hour, forgets the client addresses whose submissions are
/// forgiven and the letter counts of days before yesterday.
async fn sweep_limits(submissions: SubmissionLimiter, db: DatabaseConnection, clocks: Arc<crate::clocks::Clocks>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        submissions.forget_idle();
        let yesterday = clocks.today() - chrono::Duration::days(1);
        if let Err(error) = crate::mail::allowance::forget_before(&db, yesterday).await {
            tracing::error!(%error, "forgetting old letter counts failed");
        }
    }
}

/// Closes unconfirmed requests once they are old enough, every few minutes.
async fn sweep_unverified(store: RequestStore, after: chrono::Duration) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        match store.close_unverified(after).await {
            Ok(0) => {}
            Ok(closed) => tracing::info!(closed, "closed requests whose email address was never confirmed"),
            Err(error) => tracing::error!(%error, "the unverified-request sweep failed"),
        }
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
