//! What every server function can reach: storage, time and the portal's settings.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::domain::clock::SharedClock;
use crate::store::Store;

/// Settings the app needs at request time, taken from the server's configuration at start.
#[derive(Debug, Clone)]
pub struct PortalSettings {
    pub portal_name: String,
    /// Links in emails and printed at start are built from this, never from the Host header.
    pub public_url: String,
    /// Absolute session lifetime, whatever the activity.
    pub session_absolute_seconds: i64,
}

impl PortalSettings {
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.public_url.trim_end_matches('/'), path)
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: SharedClock,
    pub settings: Arc<PortalSettings>,
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
