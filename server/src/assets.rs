//! The built front end under `/pkg`: script, WebAssembly and stylesheet. `cargo leptos build`
//! names them by content hash (see `app::front_end`); `make build` writes brotli and gzip copies
//! beside them. Here they are served precompressed,
//! and a hashed name is cached for a year as immutable, since new content gets a new name.

use std::path::Path;

use axum::extract::Request;
use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderValue;
use axum::middleware::{from_fn, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

/// Serves `site_root/pkg`, preferring the `.br` and then the `.gz` copy a client accepts.
pub fn pkg_routes<S: Clone + Send + Sync + 'static>(site_root: &Path) -> Router<S> {
    let files = ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(from_fn(cache_for_a_year_if_hashed))
}

async fn cache_for_a_year_if_hashed(request: Request, next: Next) -> Response {
    let hashed = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .is_some_and(is_hashed_name);
    let mut response = next.run(request).await;
    if response.status().is_success() {
        let policy = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            // An unhashed name may change content under the same address: ask every time.
            "no-cache"
        };
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// `portico.<hash>.wasm`: a name with a content hash (cargo-leptos writes 22 characters of
/// URL-safe base64) between the stem and the extension.
fn is_hashed_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1].iter().any(|part| {
            part.len() >= 16
                && part.bytes().any(|b| b.is_ascii_alphanumeric())
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_told_from_plain_ones() {
        assert!(is_hashed_name("portico.Xk3v9QmZ2bW8cLp0RtY7aQ.wasm"));
        assert!(is_hashed_name("portico.Xk3v9QmZ2bW8cLp0RtY7aQ.js"));
        assert!(is_hashed_name("__wasm_split.Ab-9_QmZ2bW8cLp0RtY7aQ.js"));
        assert!(!is_hashed_name("portico.wasm"));
        assert!(!is_hashed_name("portico_bg.wasm"));
        assert!(!is_hashed_name("__wasm_split.______________________.js"));
        assert!(!is_hashed_name("portico.short.css"));
    }
}
