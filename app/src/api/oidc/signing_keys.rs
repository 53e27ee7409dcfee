//! The admin's page of the keys that sign apps' tokens, and rotating them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyStanding {
    Next { signs_from: i64 },
    Signing,
    Retired { published_until: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningKeyView {
    pub kid: String,
    pub algorithm: String,
    pub created_at: i64,
    pub standing: KeyStanding,
}

#[server(prefix = "/api", endpoint = "signing_keys")]
pub async fn signing_keys() -> Result<Vec<SigningKeyView>, AppError> {
    use crate::api::session::{internal, require_admin};
    use rules::oidc::signing_keys::KeyState;
    let (state, _, _) = require_admin().await?;
    let keys = services::oidc::signing_keys::key_overview(
        &state.store,
        &state.settings.server_key,
        state.clock.now(),
    )
    .await
    .map_err(internal)?;
    Ok(keys
        .into_iter()
        .map(|(key, key_state)| SigningKeyView {
            standing: match key_state {
                KeyState::Next => KeyStanding::Next {
                    signs_from: key.signs_from,
                },
                KeyState::Signing => KeyStanding::Signing,
                KeyState::Retired { published_until } => KeyStanding::Retired { published_until },
            },
            kid: key.kid,
            algorithm: key.algorithm,
            created_at: key.created_at,
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "rotate_signing_keys")]
pub async fn rotate_signing_keys() -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::{internal, require_admin};
    let (state, _, admin) = require_admin().await?;
    services::oidc::signing_keys::rotate_signing_keys(
        &state.store,
        &state.settings.server_key,
        &admin_actor(&admin),
        state.clock.now(),
    )
    .await
    .map_err(internal)?;
    leptos_axum::redirect("/admin/signing-keys?rotated=1");
    Ok(())
}
