//! The catalog and the request forms, kept ready for anonymous partners.
//!
//! These two pages are most of what partners load, and for anyone not signed in they depend only
//! on the catalog and the portal's look: server rendering them again for every visitor was most
//! of their cost (`make bench`). So the first anonymous visit renders the page and keeps it, and
//! later anonymous visits get the kept copy while it is still true:
//! - it is served only while the catalog copy it was drawn from is the current one (see
//!   app/src/store/catalog_cache.rs: an admin's edit on this instance replaces it at once, one on
//!   another instance within its freshness) and the look has not changed since;
//! - only a plain GET of `/` or of a requestable resource's form, without a query string (which
//!   carries a form's errors and typed values) and without a session cookie (a signed-in person's
//!   page shows who they are) is served or kept, and only a 200 answer without cookies is kept;
//! - every answer gets its own script nonce: the kept page is stored split where its nonce was,
//!   and a fresh one is put in the body and the Content-Security-Policy each time.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use leptos::nonce::Nonce;

use app::state::{AppState, RequestLanguage};
use storage::requests::catalog_cache::Catalog;

use crate::sessions::{cookie_value, COOKIE_NAME};

/// More pages than this are not kept (a catalog this large keeps its first forms only).
const MAX_PAGES: usize = 1_000;

/// The kept pages of one instance, with the state that tells whether they are still true.
pub struct PageCache {
    state: AppState,
    pages: RwLock<HashMap<String, Arc<KeptPage>>>,
}

struct KeptPage {
    catalog: Arc<Catalog>,
    look_version: u64,
    headers: HeaderMap,
    /// The Content-Security-Policy and the body, cut where the nonce was.
    policy: Vec<String>,
    body: Vec<Bytes>,
}

impl PageCache {
    pub fn new(state: AppState) -> Self {
        Self {
            state,
            pages: RwLock::default(),
        }
    }

    fn find(&self, path: &str, catalog: &Arc<Catalog>, look_version: u64) -> Option<Arc<KeptPage>> {
        let pages = self.pages.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        pages
            .get(path)
            .filter(|page| Arc::ptr_eq(&page.catalog, catalog) && page.look_version == look_version)
            .cloned()
    }

    fn keep(&self, path: String, page: KeptPage) {
        let mut pages = self
            .pages
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Pages drawn from an older catalog or look will never be served again.
        pages.retain(|_, kept| {
            Arc::ptr_eq(&kept.catalog, &page.catalog) && kept.look_version == page.look_version
        });
        if pages.len() < MAX_PAGES || pages.contains_key(&path) {
            pages.insert(path, Arc::new(page));
        }
    }
}

/// Answers from a kept page, or has `app` answer and keeps the answer when it may.
pub async fn serve_kept_pages(cache: &PageCache, request: Request, app: &Router) -> Response {
    if !may_be_kept(&request) {
        return answer(app, request).await;
    }
    let path = request.uri().path().to_string();
    let Some(slug) = kept_address(&path) else {
        return answer(app, request).await;
    };
    // Kept per language: the key is the language's tag and the path.
    let language = request
        .extensions()
        .get::<RequestLanguage>()
        .map_or("", |RequestLanguage(language)| locales::tag(*language));
    let key = format!("{language}{path}");
    // Read before rendering: the page is then drawn from this catalog or a newer one, never older.
    let Ok(catalog) = cache.state.store.catalog().await else {
        return answer(app, request).await;
    };
    if slug.is_some_and(|slug| catalog.find(slug).is_none()) {
        return answer(app, request).await;
    }
    let look_version = cache.state.look.version();
    if let Some(page) = cache.find(&key, &catalog, look_version) {
        return page.answer();
    }
    let response = answer(app, request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, path, "a partner page failed while it was rendered");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let page = KeptPage::cut(catalog, look_version, parts.headers, &body);
    let response = page.answer();
    cache.keep(key, page);
    response
}

/// The app's own answer.
async fn answer(app: &Router, request: Request) -> Response {
    match tower::ServiceExt::oneshot(app.clone(), request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// A plain anonymous GET without a query string.
fn may_be_kept(request: &Request) -> bool {
    request.method() == Method::GET
        && request.uri().query().is_none_or(str::is_empty)
        && !has_session_cookie(request.headers())
}

fn has_session_cookie(headers: &HeaderMap) -> bool {
    cookie_value(headers, COOKIE_NAME).is_some()
}

/// The catalog (`/`: `Some(None)`) or a resource's form (`Some(Some(slug))`).
fn kept_address(path: &str) -> Option<Option<&str>> {
    if path == "/" {
        return Some(None);
    }
    let slug = path.strip_prefix("/request/")?;
    (!slug.is_empty() && !slug.contains('/')).then_some(Some(slug))
}

impl KeptPage {
    fn cut(catalog: Arc<Catalog>, look_version: u64, mut headers: HeaderMap, body: &Bytes) -> Self {
        let policy = headers
            .remove(header::CONTENT_SECURITY_POLICY)
            .and_then(|value| value.to_str().ok().map(str::to_string))
            .unwrap_or_default();
        headers.remove(header::CONTENT_LENGTH);
        headers.remove(header::TRANSFER_ENCODING);
        let nonce = nonce_in(&policy);
        let (policy, body) = match nonce {
            Some(nonce) => (
                policy.split(nonce).map(str::to_string).collect(),
                split_bytes(body, nonce.as_bytes()),
            ),
            None => (vec![policy], vec![body.clone()]),
        };
        Self {
            catalog,
            look_version,
            headers,
            policy,
            body,
        }
    }

    /// The kept page with a nonce of its own.
    fn answer(&self) -> Response {
        let nonce = Nonce::new();
        let mut headers = self.headers.clone();
        let policy = self.policy.join(&nonce);
        if !policy.is_empty() {
            if let Ok(value) = HeaderValue::from_str(&policy) {
                headers.insert(header::CONTENT_SECURITY_POLICY, value);
            }
        }
        let body: Vec<u8> = self.body.join(nonce.as_bytes());
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers;
        response
    }
}

/// The nonce in `script-src 'nonce-…'`.
fn nonce_in(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let length = policy[start..].find('\'')?;
    Some(&policy[start..start + length]).filter(|nonce| !nonce.is_empty())
}

fn split_bytes(body: &Bytes, separator: &[u8]) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for at in memchr::memmem::find_iter(body, separator) {
        pieces.push(body.slice(start..at));
        start = at + separator.len();
    }
    pieces.push(body.slice(start..));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nonce_is_found_in_the_policy() {
        let policy = "default-src 'self'; script-src 'nonce-Ab_9-x' 'strict-dynamic'; style-src 'self'";
        assert_eq!(nonce_in(policy), Some("Ab_9-x"));
        assert_eq!(nonce_in("default-src 'none'"), None);
        assert_eq!(nonce_in("script-src 'nonce-'"), None);
        assert_eq!(nonce_in("script-src 'nonce-abc"), None);
    }

    #[test]
    fn a_page_cut_at_its_nonce_joins_with_another() {
        let body =
            Bytes::from_static(b"<script nonce=\"N1\">a</script><p>N</p><script nonce=\"N1\">b</script>");
        let pieces = split_bytes(&body, b"N1");
        assert_eq!(pieces.len(), 3);
        assert_eq!(
            pieces.join(&b"Z2"[..]),
            b"<script nonce=\"Z2\">a</script><p>N</p><script nonce=\"Z2\">b</script>"
        );
        assert_eq!(
            split_bytes(&Bytes::from_static(b"none here"), b"N1").join(&b"Z2"[..]),
            b"none here"
        );
        assert_eq!(
            split_bytes(&Bytes::from_static(b"N1"), b"N1").join(&b"Z2"[..]),
            b"Z2"
        );
    }

    #[test]
    fn only_the_session_cookie_makes_a_visit_personal() {
        let mut headers = HeaderMap::new();
        assert!(!has_session_cookie(&headers));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; __Host-portico-other=1"),
        );
        assert!(!has_session_cookie(&headers));
        headers.append(header::COOKIE, HeaderValue::from_static("a=b;__Host-portico=abc"));
        assert!(has_session_cookie(&headers));
    }

    #[test]
    fn only_the_catalog_and_the_forms_are_kept() {
        assert_eq!(kept_address("/"), Some(None));
        assert_eq!(kept_address("/request/crm"), Some(Some("crm")));
        for path in [
            "/request/",
            "/request/crm/sent",
            "/status/abc",
            "/my-access",
            "/terms",
            "/sign-in",
            "/admin",
        ] {
            assert_eq!(kept_address(path), None, "{path}");
        }
    }

    #[test]
    fn only_plain_anonymous_gets_may_be_kept() {
        let get = |uri: &str| Request::builder().uri(uri).body(Body::empty()).unwrap();
        assert!(may_be_kept(&get("/request/crm")));
        assert!(may_be_kept(&get("/?")));
        assert!(!may_be_kept(&get("/request/crm?server_fn_error=x")));
        let post = Request::builder()
            .method(Method::POST)
            .uri("/")
            .body(Body::empty())
            .unwrap();
        assert!(!may_be_kept(&post));
        let signed_in = Request::builder()
            .uri("/")
            .header(header::COOKIE, format!("{COOKIE_NAME}=abc"))
            .body(Body::empty())
            .unwrap();
        assert!(!may_be_kept(&signed_in));
    }
}
