//! Security headers on every response. Pages set their own Content-Security-Policy (with the
//! response's script nonce); everything else gets a policy that allows nothing.

use axum::http::{header, HeaderMap, HeaderValue};

const FALLBACK_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// For HTML written outside the app (refusal pages, the API reference): the site's own
/// stylesheets and images, and nothing else (no script at all).
pub const STATIC_PAGE_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";

/// Adds the headers to an answer; `is_https` adds Strict-Transport-Security.
pub fn add_security_headers(headers: &mut HeaderMap, is_https: bool) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    // Links carrying tokens never leave the site in a Referer; pages with a token in their own
    // address tighten this to no-referrer.
    if !headers.contains_key(header::REFERRER_POLICY) {
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(FALLBACK_CSP),
        );
    }
    if is_https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
}
