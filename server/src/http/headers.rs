//! The headers every answer carries, set in one place: a Content-Security-
//! Policy whose script nonce is made afresh for each request, caching rules
//! by area, and HSTS when the portal is reached over HTTPS.

use app::domain::staff_forms::LETTER_STYLES_HEADER;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, HeaderValue, Method, StatusCode, Version, header};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};

/// Areas whose answers show someone's personal data or a secret link:
/// tracking and verification pages, everything staff see (exports
/// included), the JSON API and the server functions under `/api`.
const PRIVATE_AREAS: [&str; 6] = ["/track", "/verify", "/revoke", "/confirm", "/staff", "/api"];

/// What the deployment decides about the headers.
#[derive(Clone, Debug, Default)]
pub struct HeaderSettings {
    /// `Strict-Transport-Security`, sent only when the public URL is https:
    /// over plain HTTP browsers ignore it, and a laptop must not be told to
    /// insist on TLS for an address that has none.
    hsts: Option<HeaderValue>,
    /// The compiled site's folder at the public address, as a script
    /// source: Leptos (0.8.23) writes the nonce of its `modulepreload` link
    /// into `crossorigin` instead of `nonce` (leptos issue 4843), so without
    /// it the browser refuses the preload. The module itself is imported by
    /// the nonced hydration script and needs no such help.
    modules: Option<std::sync::Arc<str>>,
}

impl HeaderSettings {
    /// `hsts_max_age` is in seconds; `None` sends no HSTS at all.
    /// `public_url` is where browsers reach the portal, `pkg_dir` the
    /// compiled site's folder under it.
    pub fn new(hsts_max_age: Option<u64>, public_url: &str, pkg_dir: &str) -> Self {
        Self {
            hsts: hsts_max_age.and_then(|seconds| HeaderValue::from_str(&format!("max-age={seconds}")).ok()),
            modules: origin(public_url).map(|origin| format!("{origin}/{}/", pkg_dir.trim_matches('/')).into()),
        }
    }
}

/// `scheme://host[:port]` of an http(s) URL, when it is plain enough to
/// write into a policy as it is.
fn origin(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split('/').next()?;
    let plain = !authority.is_empty()
        && authority.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    (matches!(scheme, "http" | "https") && plain).then(|| &url[..scheme.len() + 3 + authority.len()])
}

/// Makes the request's nonce (which [`provide_request_nonce`] hands to the
/// page) and puts the headers on whatever answers the request, the plain
/// error pages included.
pub async fn secure(State(settings): State<HeaderSettings>, mut request: Request<Body>, next: Next) -> Response {
    let nonce = Nonce::new();
    let private = is_private(request.method(), request.uri().path());
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let letter_styles = headers.remove(LETTER_STYLES_HEADER).and_then(|value| style_sources(&value));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        content_security_policy(&nonce, settings.modules.as_deref(), letter_styles.as_deref()),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if private {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Some(hsts) = &settings.hsts {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    if !private {
        response.extensions_mut().insert(Public);
    }
    response
}

/// Marks an answer that [`secure`] found public: read with GET, outside the
/// private areas.
#[derive(Clone, Copy)]
struct Public;

/// Compresses public answers on their way out, and only those. Compressing
/// a page that carries a lasting secret (a session's form token, a private
/// link) beside text someone else can put on it (a search, a form sent
/// back) would let that someone read the secret from the compressed sizes
/// (BREACH). A public answer carries no such secret: its one secret, the
/// script nonce, is new with every answer. Compressed, the amendment form's
/// page is 3.4 KB on the wire (brotli) instead of 14.6 KB. Level 5 compresses a page
/// in a fraction of a millisecond; brotli's default, 11, takes milliseconds.
pub fn compression() -> CompressionLayer<impl Predicate> {
    let public =
        |_: StatusCode, _: Version, _: &HeaderMap, extensions: &Extensions| extensions.get::<Public>().is_some();
    CompressionLayer::new()
        .no_deflate()
        .no_zstd()
        .quality(CompressionLevel::Precise(5))
        .compress_when(DefaultPredicate::new().and(public))
}

/// Gives the page being rendered the nonce [`secure`] made for its request,
/// in place of the one Leptos made up, so that the scripts Leptos writes
/// carry the value the header allows.
pub fn provide_request_nonce() {
    let nonce = use_context::<Parts>().and_then(|parts| parts.extensions.get::<Nonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(nonce);
    }
}

/// Scripts run only when they carry this answer's nonce (the hydration
/// script, and the module it imports, which inherits the nonce) or are the
/// compiled site's own; WebAssembly may be compiled; everything else comes
/// from this site, and no other site may frame the pages or receive their
/// forms.
fn content_security_policy(nonce: &Nonce, modules: Option<&str>, letter_styles: Option<&str>) -> HeaderValue {
    let modules = modules.map(|source| format!(" {source}")).unwrap_or_default();
    // A page showing a letter allows the letter's own inline styles by
    // hash (its sandboxed frame inherits this policy), and no others.
    let styles = letter_styles.map(|hashes| format!("; style-src 'self' 'unsafe-hashes' {hashes}")).unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'wasm-unsafe-eval'{modules}; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'{styles}"
    );
    // A nonce is URL-safe base64, so the value is always a valid header.
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static("default-src 'none'"))
}

/// The letter style hashes a page handed over, when they are nothing but
/// `'sha256-…'` sources.
fn style_sources(value: &HeaderValue) -> Option<String> {
    let value = value.to_str().ok()?;
    let hash = |source: &str| {
        source.strip_prefix("'sha256-").and_then(|rest| rest.strip_suffix('\'')).is_some_and(|b64| {
            !b64.is_empty() && b64.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        })
    };
    let sources: Vec<&str> = value.split_whitespace().collect();
    (!sources.is_empty() && sources.iter().all(|source| hash(source))).then(|| sources.join(" "))
}

/// Whether no browser or proxy may keep the answer: anything in a private
/// area, and any answer to a form post, which may show what was typed.
fn is_private(method: &Method, path: &str) -> bool {
    let reads = matches!(*method, Method::GET | Method::HEAD);
    !reads
        || PRIVATE_AREAS
            .iter()
            .any(|area| path.strip_prefix(area).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_areas_are_whole_path_segments() {
        assert!(is_private(&Method::GET, "/staff"));
        assert!(is_private(&Method::GET, "/staff/dashboard/requests.csv"));
        assert!(is_private(&Method::GET, "/track/abc"));
        assert!(is_private(&Method::GET, "/api/v1/requests/X"));
        assert!(is_private(&Method::POST, "/opt-out"));
        assert!(!is_private(&Method::GET, "/opt-out"));
        assert!(!is_private(&Method::GET, "/staffing"));
        assert!(!is_private(&Method::GET, "/pkg/portal.css"));
    }

    #[test]
    fn only_hash_sources_of_letter_styles_reach_the_policy() {
        let sources = |text: &str| style_sources(&HeaderValue::from_str(text).expect("a header value"));
        assert_eq!(sources("'sha256-abc+/=' 'sha256-x'").as_deref(), Some("'sha256-abc+/=' 'sha256-x'"));
        assert_eq!(sources("'sha256-abc'; script-src *"), None);
        assert_eq!(sources("'unsafe-inline'"), None);
        assert_eq!(sources(""), None);
    }

    #[test]
    fn only_a_plain_origin_goes_into_the_policy() {
        assert_eq!(origin("https://privacy.example.com/some/path"), Some("https://privacy.example.com"));
        assert_eq!(origin("http://127.0.0.1:3000"), Some("http://127.0.0.1:3000"));
        assert_eq!(origin("https://x.example; script-src *"), None);
        assert_eq!(origin("javascript://x"), None);
    }
}
