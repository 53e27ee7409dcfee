//! The built front end under `/pkg`: script, WebAssembly and stylesheet. `cargo leptos build`
//! names them by content hash (see `app::front_end`); `make build` writes brotli and gzip copies
//! beside them. Here they are served precompressed,
//! and a hashed name is cached for a year as immutable, since new content gets a new name.
//!
//! The brotli copies, which every current browser takes, are served from memory: read from disk
//! on their first request, then sent in one piece. Reading the 1 MB WebAssembly file from disk in
//! chunks on each request cost a fifth of its time on one connection (`make bench`). Only files
//! that are in the folder at start are held, so no request can make the server hold more.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

/// Serves `site_root/pkg`, preferring the `.br` and then the `.gz` copy a client accepts.
pub fn pkg_routes<S: Clone + Send + Sync + 'static>(site_root: &Path) -> Router<S> {
    let folder = site_root.join("pkg");
    let files = ServeDir::new(&folder).precompressed_br().precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(from_fn_with_state(
            BrotliCopies::of(folder),
            serve_brotli_from_memory,
        ))
        .layer(from_fn(cache_for_a_year_if_hashed))
}

/// The brotli copies of the hashed files, held once asked for.
struct BrotliCopies {
    folder: PathBuf,
    /// The hashed names with a `.br` copy in the folder at start: nothing else is ever held.
    names: HashSet<String>,
    held: RwLock<HashMap<String, Bytes>>,
}

impl BrotliCopies {
    fn of(folder: PathBuf) -> Arc<Self> {
        let names = std::fs::read_dir(&folder)
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter_map(|file| file.strip_suffix(".br").map(str::to_string))
            .filter(|name| is_hashed_name(name))
            .collect();
        Arc::new(Self {
            folder,
            names,
            held: RwLock::default(),
        })
    }

    async fn get(&self, name: &str) -> Option<Bytes> {
        if let Some(bytes) = self.held.read().unwrap_or_else(|p| p.into_inner()).get(name) {
            return Some(bytes.clone());
        }
        let bytes = Bytes::from(
            tokio::fs::read(self.folder.join(format!("{name}.br")))
                .await
                .ok()?,
        );
        let mut held = self.held.write().unwrap_or_else(|p| p.into_inner());
        held.insert(name.to_string(), bytes.clone());
        Some(bytes)
    }
}

async fn serve_brotli_from_memory(
    State(copies): State<Arc<BrotliCopies>>,
    request: Request,
    next: Next,
) -> Response {
    let name = request.uri().path().trim_start_matches('/');
    if request.method() != Method::GET || !copies.names.contains(name) || !accepts_brotli(request.headers()) {
        return next.run(request).await;
    }
    let Some(bytes) = copies.get(name).await else {
        return next.run(request).await;
    };
    let content_type = mime_guess::from_path(name).first_or_octet_stream();
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type.as_ref()) {
        headers.insert(CONTENT_TYPE, value);
    }
    headers.insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// Whether `Accept-Encoding` names `br` with a weight above zero.
fn accepts_brotli(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok());
            name.eq_ignore_ascii_case("br") && weight.is_some_and(|w| w > 0.0)
        })
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

    #[test]
    fn brotli_is_taken_unless_refused() {
        let accepts = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
            accepts_brotli(&headers)
        };
        assert!(accepts("gzip, deflate, br, zstd"));
        assert!(accepts("BR;q=0.5"));
        assert!(accepts("gzip;q=1.0, br; q=0.1"));
        assert!(!accepts("gzip, deflate"));
        assert!(!accepts("br;q=0"));
        assert!(!accepts("br;q=0.0, gzip"));
        assert!(!accepts("brotli"));
        assert!(!accepts_brotli(&HeaderMap::new()));
    }
}
