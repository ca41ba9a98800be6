//! Which language a customer's page is in: the one they chose with the
//! switch on every page, remembered in a cookie that carries nothing else,
//! or else the first their browser asks for. Staff pages are English
//! whatever the choice; a request keeps the language it was made in.

use app::domain::Language;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::cookie::{Cookie, SameSite};

use super::AppState;
use super::routes::Routes;

/// The cookie's name. Its value is a language's code, nothing more.
const COOKIE: &str = "lang";

/// A year: the choice outlives a browser's session, as a setting should.
const REMEMBERED: time::Duration = time::Duration::days(365);

tokio::task_local! {
    /// The language of the request being answered, for answers made
    /// outside a page (the error pages).
    static CURRENT: Language;
}

pub fn routes() -> Routes {
    Routes::new().get("/lang/{code}", switch)
}

/// The language `headers` ask for: the cookie's, else `Accept-Language`'s.
pub fn chosen(headers: &HeaderMap) -> Language {
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == COOKIE)
        .and_then(|cookie| Language::parse(cookie.value()));
    cookie.unwrap_or_else(|| {
        Language::preferred(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default())
    })
}

/// The language of the request being answered; English outside one.
pub fn current() -> Language {
    CURRENT.try_with(|lang| *lang).unwrap_or(Language::En)
}

/// Decides each request's language once, for its page, its handler and its
/// error page, and tells caches that a page differs by the cookie and the
/// header. Staff pages are English whatever a customer chose on the same
/// browser.
pub async fn choose(mut request: Request, next: Next) -> Response {
    let lang = if is_staff_path(request.uri().path()) { Language::En } else { chosen(request.headers()) };
    request.extensions_mut().insert(lang);
    let mut response = CURRENT.scope(lang, next.run(request)).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/html"));
    if html {
        response.headers_mut().append(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    }
    response
}

#[derive(Deserialize)]
struct Back {
    next: Option<String>,
}

/// The switch: remembers the language and goes back to the page it was
/// followed from. Only a path on this site is gone back to, so the link
/// cannot be made to send someone elsewhere.
async fn switch(State(state): State<AppState>, Path(code): Path<String>, Query(back): Query<Back>) -> Response {
    let Some(lang) = Language::parse(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let next = back.next.filter(|path| is_local(path)).unwrap_or_else(|| "/".to_owned());
    let cookie = Cookie::build((COOKIE, lang.as_str()))
        .path("/")
        .max_age(REMEMBERED)
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(state.sessions.secure)
        .build();
    (StatusCode::SEE_OTHER, [(header::LOCATION, next), (header::SET_COOKIE, cookie.to_string())]).into_response()
}

fn is_staff_path(path: &str) -> bool {
    path == "/staff" || path.starts_with("/staff/")
}

/// A path on this site: one slash, then no second slash or backslash that
/// a browser would read as another host, and nothing a header cannot hold.
fn is_local(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.len() <= 2048
        && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (name.clone(), HeaderValue::from_str(value).unwrap())).collect()
    }

    #[test]
    fn the_cookie_wins_over_the_browser_s_wish() {
        let both = headers(&[(header::COOKIE, "a=1; lang=en"), (header::ACCEPT_LANGUAGE, "es-MX")]);
        assert_eq!(chosen(&both), Language::En);
        assert_eq!(chosen(&headers(&[(header::ACCEPT_LANGUAGE, "es-MX")])), Language::Es);
        let unknown = headers(&[(header::COOKIE, "lang=fr"), (header::ACCEPT_LANGUAGE, "es")]);
        assert_eq!(chosen(&unknown), Language::Es, "a language the portal does not speak is no choice");
    }

    #[test]
    fn the_switch_goes_back_only_to_this_site() {
        assert!(is_local("/track/abc?new=1"));
        assert!(!is_local("//evil.example/"));
        assert!(!is_local("/\\evil.example/"));
        assert!(!is_local("https://evil.example/"));
        assert!(!is_local("/a\r\nSet-Cookie: x=1"));
    }
}
