//! Every request's way in: one service in front of the app that does, in this order, what each
//! request needs before the app's routes: the client's address, the body cap, the cross-site
//! refusal, the rate limits, the reader's language, then a kept page or the app itself; on the way
//! out `Vary` for pages and the security headers on every answer.
//!
//! These were seven layers of axum middleware. Each such layer clones its state and the service
//! inside it and boxes both for every request, and with them a kept catalog page, answered from
//! memory, reached about half of nginx's rate on the same bytes. Here they are plain functions
//! called in turn, in one future (`docs/performance.md`, "One front door").

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::Request;
use axum::response::Response;
use axum::Router;
use tracing::Instrument;

use app::state::AppState;

use crate::languages::{note_language, vary_by_language};
use crate::page_cache::{serve_kept_pages, PageCache};
use crate::security::body_limit::cap_body;
use crate::security::client_ip::note_client_ip;
use crate::security::cross_site::cross_site_refusal;
use crate::security::headers::add_security_headers;
use crate::security::rate_limit::RateLimits;
use crate::telemetry::redacted_path;

/// Settings of the checks in front of the app.
#[derive(Clone)]
pub struct Guards {
    /// The portal's own origin (scheme://host:port), from the configured public URL.
    pub public_origin: String,
    pub is_https: bool,
    /// Whether to believe the reverse proxy's X-Forwarded-For.
    pub trust_proxy: bool,
    pub max_body_bytes: u64,
    pub rate_limits: RateLimits,
}

/// The app (with its sessions) behind the front door. Cloning is one reference count.
#[derive(Clone)]
pub struct FrontDoor {
    inner: Arc<Inside>,
}

struct Inside {
    app: Router,
    guards: Guards,
    pages: PageCache,
    state: AppState,
}

impl FrontDoor {
    pub fn new(app: Router, state: AppState, guards: Guards) -> Self {
        let inner = Inside {
            app,
            guards,
            pages: PageCache::new(state.clone()),
            state,
        };
        Self {
            inner: Arc::new(inner),
        }
    }
}

impl Inside {
    async fn answer(&self, mut request: Request) -> Response {
        note_client_ip(&mut request, self.guards.trust_proxy);
        let mut response = match self.refusal(&mut request) {
            Some(refusal) => refusal,
            None => {
                note_language(&mut request, &self.state);
                let mut response = serve_kept_pages(&self.pages, request, &self.app).await;
                vary_by_language(&mut response);
                response
            }
        };
        add_security_headers(response.headers_mut(), self.guards.is_https);
        response
    }

    /// Why the request is refused before the app sees it, if it is; else its body is capped.
    fn refusal(&self, request: &mut Request) -> Option<Response> {
        cap_body(request, self.guards.max_body_bytes)
            .or_else(|| cross_site_refusal(request, &self.guards.public_origin))
            .or_else(|| self.guards.rate_limits.refusal(request))
    }
}

impl tower::Service<Request> for FrontDoor {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let inner = self.inner.clone();
        let span = tracing::debug_span!("request", method = %request.method(), path = %redacted_path(request.uri().path()));
        Box::pin(
            async move {
                let started = Instant::now();
                let response = inner.answer(request).await;
                if response.status().is_server_error() {
                    let latency = started.elapsed();
                    tracing::error!(status = response.status().as_u16(), ?latency, "response failed");
                }
                Ok(response)
            }
            .instrument(span),
        )
    }
}
