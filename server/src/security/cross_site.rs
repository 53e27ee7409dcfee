//! Refuses state-changing requests that a browser sent from another site (CSRF), using the
//! Fetch Metadata header where the browser sends it and the Origin header otherwise.
//! Requests with neither come from non-browser clients, which hold no victim's cookie.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;

use rules::error::AppError;

use super::refusal;

/// The refusal of a state-changing request a browser sent from another site than
/// `public_origin` (the portal's own scheme://host:port); `None` lets it through.
pub fn cross_site_refusal(request: &Request, public_origin: &str) -> Option<Response> {
    if is_safe_method(request.method())
        || crate::oidc::is_app_endpoint(request.uri().path())
        || !is_cross_site(request.headers(), public_origin)
    {
        return None;
    }
    tracing::warn!(path = %crate::telemetry::redacted_path(request.uri().path()), "refused a cross-site request");
    Some(refusal(
        StatusCode::FORBIDDEN,
        AppError::Refused("@form_was_sent_from".into()),
        request,
    ))
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

pub fn is_cross_site(headers: &HeaderMap, public_origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // "none" is a navigation the person started (typed URL, bookmark).
        return !matches!(site, "same-origin" | "none");
    }
    match headers.get("origin").and_then(|v| v.to_str().ok()) {
        Some(origin) => origin != public_origin,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://portal.example.com";

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, value.parse().expect("header"));
        }
        headers
    }

    #[test]
    fn same_origin_fetch_metadata_passes() {
        assert!(!is_cross_site(
            &headers(&[("sec-fetch-site", "same-origin")]),
            ORIGIN
        ));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "none")]), ORIGIN));
    }

    #[test]
    fn cross_and_same_site_fetch_metadata_is_refused() {
        assert!(is_cross_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            ORIGIN
        ));
        assert!(is_cross_site(
            &headers(&[("sec-fetch-site", "same-site")]),
            ORIGIN
        ));
    }

    #[test]
    fn without_fetch_metadata_the_origin_decides() {
        assert!(!is_cross_site(
            &headers(&[("origin", "https://portal.example.com")]),
            ORIGIN
        ));
        assert!(is_cross_site(
            &headers(&[("origin", "https://evil.example")]),
            ORIGIN
        ));
        assert!(is_cross_site(&headers(&[("origin", "null")]), ORIGIN));
    }

    #[test]
    fn clients_that_send_neither_header_are_not_browsers_and_pass() {
        assert!(!is_cross_site(&HeaderMap::new(), ORIGIN));
    }
}
