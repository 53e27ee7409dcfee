//! What every server function can reach: storage, time and the portal's settings.

use std::sync::{Arc, RwLock};

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::domain::branding::Branding;
use crate::domain::clock::SharedClock;
use crate::domain::mail::MailContext;
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
    pub look: LookCell,
    pub leptos_options: LeptosOptions,
}

/// How the portal looks now: its branding and the logo's version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look {
    pub branding: Branding,
    /// When the logo last changed; `None` without a logo.
    pub logo_version: Option<i64>,
}

/// The current [`Look`], shared by requests and workers. Saving settings updates it at once in
/// this instance; every instance also reads it again from the database every few seconds.
#[derive(Debug, Clone)]
pub struct LookCell(Arc<RwLock<Look>>);

impl LookCell {
    pub fn new(look: Look) -> Self {
        Self(Arc::new(RwLock::new(look)))
    }

    pub fn get(&self) -> Look {
        self.0
            .read()
            .map(|l| l.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    pub fn set(&self, look: Look) {
        match self.0.write() {
            Ok(mut current) => *current = look,
            Err(poisoned) => *poisoned.into_inner() = look,
        }
    }

    /// Reads the look from the database; the configured name stands until an admin saves one.
    pub async fn refresh(
        &self,
        store: &Store,
        configured_name: &str,
    ) -> Result<Look, crate::store::StoreError> {
        use crate::store::portal_settings::{load_branding, logo_version};
        let branding = load_branding(store.read())
            .await?
            .unwrap_or_else(|| Branding::initial(configured_name));
        let look = Look {
            branding,
            logo_version: logo_version(store.read()).await?,
        };
        self.set(look.clone());
        Ok(look)
    }

    /// The context for emails, with the branding as it is now.
    pub fn mail(&self, settings: &PortalSettings) -> MailContext {
        let branding = self.get().branding;
        MailContext {
            portal_name: branding.portal_name,
            contact_email: branding.contact_email,
            public_url: settings.public_url.clone(),
        }
    }
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
