//! An app resource's registration with the provider, for admins: the page, saving it, and a new
//! secret. A secret is shown once: it waits in the admin's session for the page that follows.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

/// Where a new secret waits for the page that shows it.
#[cfg(feature = "ssr")]
const JUST_MADE_KEY: &str = "app_secret_just_made";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppClient {
    pub client_id: String,
    pub redirect_uris: String,
    pub post_logout_uris: String,
    pub sign_in_url: String,
    pub confidential: bool,
    pub first_party: bool,
    pub claims: Vec<String>,
    pub secret_made_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppClientView {
    pub resource_id: i64,
    pub resource_name: String,
    /// Only apps sign people in (a group is not something one opens).
    pub is_app: bool,
    pub discovery_url: String,
    pub client: Option<AppClient>,
    /// A secret made just now, shown this once.
    pub new_secret: Option<String>,
}

/// The form as posted: addresses one per line, boxes for each choice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInput {
    #[serde(default)]
    pub redirect_uris: String,
    #[serde(default)]
    pub post_logout_uris: String,
    #[serde(default)]
    pub sign_in_url: String,
    /// "confidential" or "public".
    #[serde(default)]
    pub kind: String,
    pub first_party: Option<String>,
    pub claim_email: Option<String>,
    pub claim_name: Option<String>,
    pub claim_organisation: Option<String>,
    pub claim_groups: Option<String>,
}

#[server(prefix = "/api", endpoint = "app_registration")]
pub async fn app_registration(resource_id: i64) -> Result<AppClientView, AppError> {
    use crate::api::session::{internal, require_admin};
    use services::oidc::clients::client_of;
    use services::oidc::discovery::paths;
    let (state, session, _) = require_admin().await?;
    let resource = storage::administration::resources::find_by_id(state.store.read(), resource_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let client = client_of(&state.store, resource_id).await?.map(|c| AppClient {
        redirect_uris: c.redirect_uris.clone(),
        post_logout_uris: c.post_logout_uris.clone(),
        sign_in_url: c.sign_in_url.clone(),
        confidential: c.is_confidential(),
        first_party: c.is_first_party(),
        claims: c.claims(),
        secret_made_at: c
            .is_confidential()
            .then(|| c.secret_rotated_at.unwrap_or(c.created_at)),
        client_id: c.client_id,
    });
    let new_secret = session.remove::<String>(JUST_MADE_KEY).await.map_err(internal)?;
    Ok(AppClientView {
        resource_id,
        resource_name: resource.name,
        is_app: resource.kind == "app",
        discovery_url: format!(
            "{}{}",
            state.settings.public_url.trim_end_matches('/'),
            paths::DISCOVERY
        ),
        client,
        new_secret,
    })
}

#[server(prefix = "/api", endpoint = "save_app_client")]
pub async fn save_app_client(resource_id: i64, client: ClientInput) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::{internal, require_admin};
    use rules::oidc::clients::ClientForm;
    use services::oidc::clients::{save_client, ClientError};
    let (state, session, admin) = require_admin().await?;
    let claims = [
        ("email", &client.claim_email),
        ("name", &client.claim_name),
        ("organisation", &client.claim_organisation),
        ("groups", &client.claim_groups),
    ]
    .into_iter()
    .filter(|(_, chosen)| chosen.is_some())
    .map(|(claim, _)| claim.to_string())
    .collect();
    let form = ClientForm {
        redirect_uris: client.redirect_uris,
        post_logout_uris: client.post_logout_uris,
        sign_in_url: client.sign_in_url,
        confidential: client.kind != "public",
        first_party: client.first_party.is_some(),
        claims,
    };
    let saved = save_client(
        &state.store,
        &admin_actor(&admin),
        resource_id,
        &form,
        state.clock.now(),
    )
    .await
    .map_err(|error| match error {
        ClientError::Invalid(errors) => AppError::Invalid(errors.prefixed("client")),
        ClientError::NotFound => AppError::NotFound,
        other => internal(other),
    })?;
    if let Some(secret) = saved.secret {
        session.insert(JUST_MADE_KEY, secret).await.map_err(internal)?;
    }
    leptos_axum::redirect(&format!("/admin/resources/{resource_id}/sign-in?saved=1"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "rotate_app_secret")]
pub async fn rotate_app_secret(resource_id: i64) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::{internal, require_admin};
    use services::oidc::clients::{rotate_client_secret, ClientError};
    let (state, session, admin) = require_admin().await?;
    let secret = rotate_client_secret(&state.store, &admin_actor(&admin), resource_id, state.clock.now())
        .await
        .map_err(|error| match error {
            ClientError::NotFound => AppError::NotFound,
            other => internal(other),
        })?;
    session.insert(JUST_MADE_KEY, secret).await.map_err(internal)?;
    leptos_axum::redirect(&format!("/admin/resources/{resource_id}/sign-in?rotated=1"));
    Ok(())
}
