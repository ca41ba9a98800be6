//! Signing staff in through the real sign-in form, and acting as them.

use app::domain::Role;
use axum::body::Body;
use axum::http::{Request, header};

use super::{Reply, TestApp};

pub const PASSWORD: &str = "correct horse battery staple";

/// A browser with one staff member's session cookie.
pub struct StaffBrowser<'a> {
    pub app: &'a TestApp,
    pub cookie: String,
    pub csrf: String,
}

impl TestApp {
    /// Creates an account as `server user create` does.
    pub async fn create_staff(&self, email: &str, name: &str, role: Role) {
        let created = server::staff::create_account(self.app.database(), email, name, role, PASSWORD.into())
            .await
            .expect("the account is written");
        assert!(created, "{email} is new");
    }

    /// Signs in through the form, as a browser would.
    pub async fn sign_in(&self, email: &str) -> StaffBrowser<'_> {
        let reply =
            self.post_form("/staff/sign-in", &[("email", email), ("password", PASSWORD), ("next", "/staff")]).await;
        assert_eq!(reply.status, 303, "signing in as {email}: {}", reply.main_text());
        let cookie = session_cookie(&reply).expect("signing in sets the session cookie");
        let mut browser = StaffBrowser { app: self, cookie, csrf: String::new() };
        browser.csrf = browser.viewer_csrf().await;
        browser
    }

    /// Calls a staff server function with no session, as a script would.
    pub async fn server_fn_signed_out(&self, name: &str, pairs: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(pairs).expect("pairs encode");
        self.send(
            Request::post(format!("/api/staff/{name}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("a request"),
        )
        .await
    }

    pub async fn staff_member(&self, email: &str, role: Role) -> StaffBrowser<'_> {
        let name = email.split('@').next().unwrap_or(email).to_owned();
        self.create_staff(email, &name, role).await;
        self.sign_in(email).await
    }
}

/// The `name=value` of the session cookie a reply sets.
pub fn session_cookie(reply: &Reply) -> Option<String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_staff="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

impl StaffBrowser<'_> {
    async fn viewer_csrf(&self) -> String {
        let reply = self.post_raw("/api/staff/viewer", "").await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let viewer: Option<app::domain::Viewer> = serde_json::from_str(&reply.body).expect("the viewer as JSON");
        viewer.expect("signed in").csrf
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.app
            .send(Request::get(path).header(header::COOKIE, &self.cookie).body(Body::empty()).expect("a request"))
            .await
    }

    async fn post_raw(&self, path: &str, body: &str) -> Reply {
        self.app
            .send(
                Request::post(path)
                    .header(header::COOKIE, &self.cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body.to_owned()))
                    .expect("a request"),
            )
            .await
    }

    /// Posts a staff form with this session's anti-forgery token.
    pub async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(pairs);
        self.post_raw(path, &serde_urlencoded::to_string(&all).expect("pairs encode")).await
    }

    /// Posts a staff form as a person completes it: when the answer is the
    /// preview of a final letter, presses its "Send and close" with the
    /// same fields and the preview's token. Any other answer is returned.
    pub async fn post_confirmed(&self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        let first = self.post(path, pairs).await;
        let Some(token) = first.input_value("letter-preview-token") else { return first };
        let mut confirmed = pairs.to_vec();
        confirmed.extend([("preview", token.as_str()), ("intent", "send")]);
        self.post(path, &confirmed).await
    }

    /// Calls a server function the way the pages do.
    pub async fn server_fn(&self, name: &str, pairs: &[(&str, &str)]) -> Reply {
        self.post_raw(&format!("/api/staff/{name}"), &serde_urlencoded::to_string(pairs).expect("pairs encode")).await
    }

    /// The case as staff see it, read through its server function.
    pub async fn case(&self, reference: &str) -> app::domain::case::CaseView {
        let reply = self.server_fn("case", &[("reference", reference)]).await;
        let answer: app::services::Answer<(app::domain::case::CaseView, Vec<app::domain::case::StaffMember>)> =
            serde_json::from_str(&reply.body).expect("the case as JSON");
        answer.expect("the case is open to this viewer").0
    }

    /// The dashboard's count on its outcome line `label` over the last week.
    pub async fn outcome_this_week(&self, label: &str) -> u64 {
        let reply = self.server_fn("dashboard", &[("query", "range=7d")]).await;
        assert_eq!(reply.status, axum::http::StatusCode::OK, "{}", reply.body);
        let answer: app::services::Answer<Result<app::domain::metrics::Dashboard, app::domain::metrics::PeriodError>> =
            serde_json::from_str(&reply.body).expect("the dashboard as JSON");
        let board = answer.expect("the dashboard is open to this viewer").expect("a period");
        board.outcomes.iter().find(|(line, _)| line == label).map(|(_, n)| *n).expect("a line")
    }
}
