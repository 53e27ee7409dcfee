//! Portico as an OpenID Provider for the organisation's apps: discovery and keys, the
//! authorization endpoint (a person in a browser), and the endpoints apps call themselves
//! (token, userinfo).

mod authorize;
mod documents;
mod end_session;
mod endpoints;

use axum::Router;

use app::state::AppState;
use services::oidc::key_ring::KeyRing;

/// What the provider's handlers share: the app's state and this instance's keys.
#[derive(Clone)]
pub struct Provider {
    pub app: AppState,
    pub keys: KeyRing,
}

impl Provider {
    /// The issuer: the public address without a trailing slash.
    pub fn issuer(&self) -> &str {
        self.app.settings.public_url.trim_end_matches('/')
    }

    pub fn issued(&self) -> services::oidc::issued::Issuer<'_> {
        services::oidc::issued::Issuer {
            url: self.issuer(),
            store: &self.app.store,
            server_key: &self.app.settings.server_key,
            keys: &self.keys,
        }
    }
}

pub fn routes(state: AppState) -> Router<AppState> {
    let provider = Provider {
        app: state.clone(),
        keys: KeyRing::default(),
    };
    documents::routes(state)
        .merge(authorize::routes(provider.clone()))
        .merge(end_session::routes(provider.clone()))
        .merge(endpoints::routes(provider))
}

/// The paths apps call from their servers (or a browser app, across origins, without cookies):
/// exempt from the cross-site refusal, which guards cookie-carrying forms.
pub fn is_app_endpoint(path: &str) -> bool {
    use services::oidc::discovery::paths;
    [paths::TOKEN, paths::USERINFO, paths::REVOKE, paths::INTROSPECT].contains(&path)
}
