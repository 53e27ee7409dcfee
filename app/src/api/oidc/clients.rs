//! An app resource's registration with the provider, for admins (and the app's owners, when the
//! admins allow it): the page, saving it, a new secret, and the admins' choice. A secret is shown
//! once: it waits in the session of whoever made it for the page that follows.

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
    /// Where this page lives for the one reading it: the admin area, or the owner's own.
    pub page_url: String,
    /// The page it belongs under (the resource in the admin area, or its people for an owner).
    pub back_url: String,
}

/// Where the registration page and the page above it live, for an admin or an owner.
#[cfg(feature = "ssr")]
fn addresses(account: &storage::accounts::account::AccountRecord, resource_id: i64) -> (String, String) {
    if account.is_admin() {
        (
            format!("/admin/resources/{resource_id}/sign-in"),
            format!("/admin/resources/{resource_id}"),
        )
    } else {
        (
            format!("/resources/{resource_id}/sign-in"),
            format!("/resources/{resource_id}"),
        )
    }
}

#[cfg(feature = "ssr")]
fn client_error(error: services::oidc::clients::ClientError) -> AppError {
    use services::oidc::clients::ClientError;
    match error {
        ClientError::Invalid(errors) => AppError::Invalid(errors.prefixed("client")),
        ClientError::NotFound => AppError::NotFound,
        ClientError::NotAllowed => AppError::Forbidden,
        ClientError::Store(error) => crate::api::session::internal(error),
    }
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
    use crate::api::session::{internal, require_account};
    use services::oidc::clients::{client_of, registrable_resource};
    use services::oidc::discovery::paths;
    let (state, session, account) = require_account().await?;
    let resource = registrable_resource(&state.store, &account, resource_id)
        .await
        .map_err(client_error)?;
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
    let (page_url, back_url) = addresses(&account, resource_id);
    Ok(AppClientView {
        page_url,
        back_url,
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
    use crate::api::session::{internal, require_account};
    use rules::oidc::clients::ClientForm;
    use services::oidc::clients::save_client;
    let (state, session, account) = require_account().await?;
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
        (&account, &admin_actor(&account)),
        resource_id,
        &form,
        state.clock.now(),
    )
    .await
    .map_err(client_error)?;
    if let Some(secret) = saved.secret {
        session.insert(JUST_MADE_KEY, secret).await.map_err(internal)?;
    }
    let (page_url, _) = addresses(&account, resource_id);
    leptos_axum::redirect(&format!("{page_url}?saved=1"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "rotate_app_secret")]
pub async fn rotate_app_secret(resource_id: i64) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::{internal, require_account};
    use services::oidc::clients::rotate_client_secret;
    let (state, session, account) = require_account().await?;
    let acting = (&account, &admin_actor(&account));
    let secret = rotate_client_secret(&state.store, acting, resource_id, state.clock.now())
        .await
        .map_err(client_error)?;
    session.insert(JUST_MADE_KEY, secret).await.map_err(internal)?;
    let (page_url, _) = addresses(&account, resource_id);
    leptos_axum::redirect(&format!("{page_url}?rotated=1"));
    Ok(())
}

/// An admin lets the owners of apps register them (or stops them). Ticked boxes arrive as "on".
#[server(prefix = "/api", endpoint = "save_owner_app_registration")]
pub async fn save_owner_app_registration(owners_register: Option<String>) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::{internal, require_admin};
    let (state, _, admin) = require_admin().await?;
    let allowed = owners_register.is_some();
    services::oidc::clients::let_owners_register(
        &state.store,
        &admin_actor(&admin),
        allowed,
        state.clock.now(),
    )
    .await
    .map_err(internal)?;
    leptos_axum::redirect("/admin/settings?saved=apps#apps");
    Ok(())
}
