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
//!   page shows who they are) is served or kept, and only a 200 answer without cookies is kept.
//!
//! Both are drawn without the router and carry no script (app/src/plain_page.rs), so the kept
//! answer, policy included, is the same for every visitor.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;

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
    body: Bytes,
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
    let page = KeptPage::new(catalog, look_version, parts.headers, body);
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
    fn new(catalog: Arc<Catalog>, look_version: u64, mut headers: HeaderMap, body: Bytes) -> Self {
        headers.remove(header::CONTENT_LENGTH);
        headers.remove(header::TRANSFER_ENCODING);
        Self {
            catalog,
            look_version,
            headers,
            body,
        }
    }

    fn answer(&self) -> Response {
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.headers_mut() = self.headers.clone();
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

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
