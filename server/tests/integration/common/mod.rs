//! Starting the real application for a test, on SQLite or PostgreSQL, and
//! talking to it through its real router.

pub mod smtp;
pub mod staff;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database};
use server::Application;
use server::config::Config;
use tower::ServiceExt;

/// How long a test waits for letters or a worker before it fails.
pub const WAIT: Duration = Duration::from_secs(10);

/// Which database a test runs on.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A complaint as a customer types it into the web form.
pub const COMPLAINT: &[(&str, &str)] = &[
    ("full_name", "Grace Hopper"),
    ("email", "grace@example.com"),
    ("category", "unwanted_marketing"),
    ("occurred_on", "2026-10-01"),
    ("description", "I opted out and was still called twice."),
];

/// An amendment as a customer types it into the web form.
pub const AMENDMENT: &[(&str, &str)] = &[
    ("full_name", "Grace Hopper"),
    ("email", "grace@example.com"),
    ("category", "insurance"),
    ("current_information", "Member number 1234"),
    ("corrected_information", "Member number 4321"),
    ("reason", "The digits were swapped."),
];

/// The first request reference on a page's text.
pub fn reference_in(text: &str) -> String {
    let at = text.find("PR-").expect("a reference");
    text[at..at + 12].to_owned()
}

/// An opt-out as a customer types it into the web form.
pub const OPT_OUT: &[(&str, &str)] = &[
    ("full_name", "Ada Lovelace"),
    ("email", "ada@example.com"),
    ("phone", ""),
    ("postal_address", "12 St James's Square, London"),
    ("account_number", "A-1001"),
    ("scope", "all_sharing"),
    ("joint_account", "all_holders"),
];

pub struct TestApp {
    pub app: Application,
    pub mail: smtp::SmtpSink,
    pub config: Config,
    _dir: Option<tempfile::TempDir>,
}

/// Where to create PostgreSQL test databases: an administrator URL, set by
/// the test command once it has a server running.
fn postgres_admin_url() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL").ok().filter(|url| !url.is_empty())
}

impl TestApp {
    /// Starts the application on a fresh database, or returns `None` when
    /// PostgreSQL is asked for and none is configured (which fails instead
    /// when `REQUIRE_POSTGRES` is set, as it is in CI).
    pub async fn start(backend: Backend) -> Option<Self> {
        Self::start_with(backend, smtp::SmtpSink::start().await, |_| {}).await
    }

    /// Starts with a given mail server and adjusted settings.
    pub async fn start_with(backend: Backend, mail: smtp::SmtpSink, adjust: impl FnOnce(&mut Config)) -> Option<Self> {
        let (mut config, dir) = fresh_config(backend).await?;
        config.smtp_url = Some(mail.url().into());
        config.mail_retry_seconds = 0.05;
        config.mail_poll_seconds = 0.05;
        adjust(&mut config);
        let app = Application::build(config.clone()).await.expect("the application starts");
        Some(Self { app, mail, config, _dir: dir })
    }

    /// A second instance of the portal on the same database, as behind a
    /// load balancer.
    pub async fn another_instance(&self) -> Application {
        Application::build(self.config.clone()).await.expect("a second instance starts")
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.app.router().oneshot(request).await.expect("the router answers");
        Reply::read(response).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).expect("a request")).await
    }

    /// A request's row as stored.
    pub async fn row(&self, reference: &str) -> server::db::entities::request::Model {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use server::db::entities::request;
        request::Entity::find()
            .filter(request::Column::Reference.eq(reference))
            .one(self.app.database())
            .await
            .expect("query")
            .expect("the request")
    }

    /// Submits a customer form; returns the private tracking path.
    pub async fn submit(&self, path: &str, form: &[(&str, &str)]) -> String {
        let reply = self.post_form(path, form).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.main_text());
        reply.location().trim_end_matches("?new=1").to_owned()
    }

    pub async fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        self.post_form_with(path, pairs, &[]).await
    }

    /// Posts a multipart form of files, each (field, file name, bytes), as
    /// a browser without JavaScript sends it.
    pub async fn post_files(&self, path: &str, files: &[(&str, &str, &[u8])]) -> Reply {
        const BOUNDARY: &str = "----portal-test-boundary";
        let mut body = Vec::new();
        for (field, name, bytes) in files {
            body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n").as_bytes(),
            );
            body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .header(header::ACCEPT, "text/html");
        self.send(request.body(Body::from(body)).expect("a request")).await
    }

    pub async fn post_form_with(&self, path: &str, pairs: &[(&str, &str)], headers: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(pairs).expect("form pairs encode");
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body)).expect("a request")).await
    }
}

/// Settings for a fresh, empty database of `backend` (with the folder that
/// holds a SQLite one), or `None` when PostgreSQL is asked for and none is
/// configured (which fails instead when `REQUIRE_POSTGRES` is set).
pub async fn fresh_config(backend: Backend) -> Option<(Config, Option<tempfile::TempDir>)> {
    let (url, dir) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let url = format!("sqlite://{}", dir.path().join("portal.db").display());
            (url, Some(dir))
        }
        Backend::Postgres => match postgres_admin_url() {
            Some(admin) => (fresh_postgres_database(&admin).await, None),
            None => {
                assert!(
                    std::env::var("REQUIRE_POSTGRES").is_err(),
                    "REQUIRE_POSTGRES is set but TEST_POSTGRES_URL is not"
                );
                eprintln!("SKIPPED on PostgreSQL: TEST_POSTGRES_URL is not set");
                return None;
            }
        },
    };
    let mut config = Config::for_tests(url);
    // SQLite makes its key file beside the database, as the embedded
    // default does; PostgreSQL has nowhere to put one and is given a key.
    if matches!(backend, Backend::Postgres) {
        config.data_kek = Some(server::vault::KeyEncryptionKey::generate());
    }
    Some((config, dir))
}

async fn fresh_postgres_database(admin_url: &str) -> String {
    let name = format!("portal_test_{}", uuid_like());
    let admin = Database::connect(admin_url).await.expect("PostgreSQL admin connection");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create a test database");
    let (base, _) = admin_url.rsplit_once('/').expect("an admin URL ends in a database name");
    format!("{base}/{name}")
}

fn uuid_like() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_nanos();
    format!("{nanos:x}{:04x}", rand_suffix())
}

fn rand_suffix() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed) ^ (std::process::id() as u16)
}

/// A response with its body read.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub async fn read(response: Response<Body>) -> Self {
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("a readable body").to_bytes();
        Self { status: parts.status, headers: parts.headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The text of the element with this id, tags stripped.
    pub fn text_of(&self, id: &str) -> Option<String> {
        let start = self.body.find(&format!("id=\"{id}\""))?;
        let open_end = start + self.body[start..].find('>')? + 1;
        let tag_start = self.body[..start].rfind('<')?;
        let tag: String = self.body[tag_start + 1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        let close = open_end + self.body[open_end..].find(&format!("</{tag}>"))?;
        Some(strip_tags(&self.body[open_end..close]))
    }

    /// The `value` attribute of the input with this id, as the browser reads it.
    pub fn input_value(&self, id: &str) -> Option<String> {
        self.attribute_of(id, "value")
    }

    /// An attribute of the element with this id, as the browser reads it.
    pub fn attribute_of(&self, id: &str, attribute: &str) -> Option<String> {
        let start = self.body.find(&format!("id=\"{id}\""))?;
        let tag_start = self.body[..start].rfind('<')?;
        let tag_end = start + self.body[start..].find('>')?;
        let tag = &self.body[tag_start..tag_end];
        let opening = format!(" {attribute}=\"");
        let value_at = tag.find(&opening)? + opening.len();
        let raw = &tag[value_at..value_at + tag[value_at..].find('"')?];
        Some(unescape(raw))
    }

    /// The main content of the page, tags stripped: what a person reads.
    pub fn main_text(&self) -> String {
        let start = self.body.find("<main").unwrap_or(0);
        let end = self.body.find("</main>").unwrap_or(self.body.len());
        strip_tags(&self.body[start..end])
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Runs an async test body once per database.
macro_rules! on_both_databases {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = $crate::common::TestApp::start($crate::common::Backend::Sqlite).await.expect("SQLite is always available");
                    super::$name(app).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(app) = $crate::common::TestApp::start($crate::common::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            )+
        }
    };
}
