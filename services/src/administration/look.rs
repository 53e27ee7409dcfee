//! How the portal presents itself at request time: its configured name and public address,
//! and its branding as the admins saved it, shared by requests and workers.

use std::sync::{Arc, RwLock};

use crate::mail::MailContext;
use rules::administration::branding::Branding;
use storage::Store;

/// Settings the app needs at request time, taken from the server's configuration at start.
#[derive(Debug, Clone)]
pub struct PortalSettings {
    pub portal_name: String,
    /// Links in emails and printed at start are built from this, never from the Host header.
    pub public_url: String,
    /// Absolute session lifetime, whatever the activity.
    pub session_absolute_seconds: i64,
    /// Keys the hashes of one-time codes.
    pub server_key: crate::server_key::ServerKey,
    /// How many one-time codes may be sent in an hour.
    pub code_limits: rules::accounts::one_time_code::CodeLimits,
}

impl PortalSettings {
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.public_url.trim_end_matches('/'), path)
    }
}

/// How the portal looks now: its branding and the logo's version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look {
    pub branding: Branding,
    /// When the logo last changed; `None` without a logo.
    pub logo_version: Option<i64>,
    /// Whom the portal asks for a second factor (checked on every signed-in request, so kept
    /// here with the rest of what every request reads).
    pub second_factors: rules::mfa::requirement::SecondFactorPolicy,
}

/// The current [`Look`], shared by requests and workers. Saving settings updates it at once in
/// this instance; every instance also reads it again from the database every few seconds.
#[derive(Debug, Clone)]
pub struct LookCell(Arc<RwLock<Versioned>>);

#[derive(Debug)]
struct Versioned {
    look: Look,
    /// Goes up each time the look changes: what was drawn under another version is out of date.
    version: u64,
}

impl LookCell {
    pub fn new(look: Look) -> Self {
        Self(Arc::new(RwLock::new(Versioned { look, version: 0 })))
    }

    pub fn get(&self) -> Look {
        self.read().look.clone()
    }

    /// The portal's default language (the first spoken one until an admin chooses another).
    pub fn default_language(&self) -> locales::Locale {
        locales::from_tag(&self.read().look.branding.default_language).unwrap_or(locales::all()[0])
    }

    /// The tags of the languages besides the default one: those an admin may translate into.
    pub fn other_languages(&self) -> Vec<String> {
        let default = locales::tag(self.default_language());
        locales::tags()
            .iter()
            .filter(|t| **t != default)
            .map(|t| t.to_string())
            .collect()
    }

    /// Whom the portal asks for a second factor, as it stands now.
    pub fn second_factors(&self) -> rules::mfa::requirement::SecondFactorPolicy {
        self.read().look.second_factors
    }

    /// Takes a new second-factor policy at once (the other instances read it within seconds).
    pub fn set_second_factors(&self, policy: rules::mfa::requirement::SecondFactorPolicy) {
        let mut current = self.get();
        current.second_factors = policy;
        self.set(current);
    }

    /// Changes whenever the look does (and only then).
    pub fn version(&self) -> u64 {
        self.read().version
    }

    pub fn set(&self, look: Look) {
        let mut current = self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if current.look != look {
            current.look = look;
            current.version += 1;
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Versioned> {
        self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads the look from the database; the configured name stands until an admin saves one.
    pub async fn refresh(&self, store: &Store, configured_name: &str) -> Result<Look, storage::StoreError> {
        use storage::administration::portal_settings::{load_branding, logo_version};
        let branding = load_branding(store.read())
            .await?
            .unwrap_or_else(|| Branding::initial(configured_name));
        let look = Look {
            branding,
            logo_version: logo_version(store.read()).await?,
            second_factors: storage::mfa::requirement::load_second_factor_policy(store.read()).await?,
        };
        self.set(look.clone());
        Ok(look)
    }

    /// The context for emails, with the branding as it is now.
    pub fn mail(&self, settings: &PortalSettings) -> MailContext {
        let branding = self.get().branding;
        MailContext {
            default_language: locales::from_tag(&branding.default_language).unwrap_or(locales::all()[0]),
            portal_name: branding.portal_name,
            portal_name_translations: branding.portal_name_translations,
            contact_email: branding.contact_email,
            public_url: settings.public_url.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_look_version_moves_only_when_the_look_changes() {
        let look = |name: &str, logo| Look {
            branding: Branding::initial(name),
            logo_version: logo,
            second_factors: Default::default(),
        };
        let cell = LookCell::new(look("Portico", None));
        let start = cell.version();
        cell.set(look("Portico", None));
        assert_eq!(cell.version(), start, "read again, unchanged");
        cell.set(look("Northwind", None));
        assert_eq!(cell.version(), start + 1);
        assert_eq!(cell.get().branding.portal_name, "Northwind");
        cell.set(look("Northwind", Some(7)));
        assert_eq!(cell.version(), start + 2, "a new logo");
    }
}
