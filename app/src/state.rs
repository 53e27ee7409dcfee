//! What every server function can reach: storage, time and the portal's settings.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use rules::clock::SharedClock;
use services::administration::look::{LookCell, PortalSettings};
use services::federation::Federation;
use services::mfa::passkeys::Passkeys;
use storage::Store;

/// Shared by every request: cloned for each server function and handler that asks for it, so a
/// clone is one reference count (its parts, the pools and LeptosOptions' strings among them,
/// were cloned and dropped one by one: 5% of a signed-in page's CPU under load, by `perf`).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub store: Store,
    pub clock: SharedClock,
    pub settings: Arc<PortalSettings>,
    pub look: LookCell,
    /// Signing partners in with their own identity providers (HTTP client, kept documents).
    pub federation: Federation,
    /// The portal as a WebAuthn relying party (passkeys), when its address allows one.
    pub passkeys: Passkeys,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The client's address as the server determined it (peer address, or the trusted proxy's
/// header), put in request extensions by the server for audit and rate limiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIp(pub String);

/// The language this request is answered in, chosen by the server (see `rules::languages`) and
/// put in request extensions before the page renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLanguage(pub locales::Locale);
