//! The admin's "Identity providers" pages: list, add, edit, test and remove.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderRow {
    pub id: i64,
    pub name: String,
    pub issuer: String,
    pub domains: Vec<String>,
    pub linked: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvidersView {
    pub providers: Vec<ProviderRow>,
    /// The redirect URI to register at every provider.
    pub redirect_uri: String,
}

/// One provider as its form shows it: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderDetails {
    pub id: i64,
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    pub scopes: String,
    pub domains: String,
    pub trust_email: bool,
    pub trust_mfa: bool,
    pub mfa_acr: String,
    pub redirect_uri: String,
}

#[server(prefix = "/api", endpoint = "identity_providers")]
pub async fn identity_providers() -> Result<ProvidersView, AppError> {
    use crate::api::session::require_admin;
    let (state, _, _) = require_admin().await?;
    let providers = services::federation::providers::providers(&state.store).await?;
    Ok(ProvidersView {
        providers: providers
            .into_iter()
            .map(|(p, linked)| ProviderRow {
                id: p.id(),
                name: p.row.name,
                issuer: p.row.issuer,
                domains: p.domains,
                linked,
            })
            .collect(),
        redirect_uri: state.federation.redirect_uri.clone(),
    })
}

#[server(prefix = "/api", endpoint = "identity_provider")]
pub async fn identity_provider(id: i64) -> Result<ProviderDetails, AppError> {
    use super::provider_error;
    use crate::api::session::require_admin;
    let (state, _, _) = require_admin().await?;
    let p = services::federation::providers::provider(&state.store, id)
        .await
        .map_err(provider_error)?;
    Ok(ProviderDetails {
        id,
        scopes: p.scopes().join(" "),
        domains: p.domains.join(", "),
        trust_email: p.trust_email(),
        trust_mfa: p.trust_mfa(),
        name: p.row.name,
        issuer: p.row.issuer,
        client_id: p.row.client_id,
        mfa_acr: p.row.mfa_acr,
        redirect_uri: state.federation.redirect_uri.clone(),
    })
}

/// The provider form as posted (`provider[name]`, ...); ticked boxes arrive as "on".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderInput {
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    #[serde(default)]
    pub client_secret: String,
    #[serde(default)]
    pub scopes: String,
    pub domains: String,
    pub trust_email: Option<String>,
    pub trust_mfa: Option<String>,
    #[serde(default)]
    pub mfa_acr: String,
}

/// Adds a provider (no `id`) or saves one; an empty secret keeps the stored one.
#[server(prefix = "/api", endpoint = "save_identity_provider")]
pub async fn save_identity_provider(id: Option<i64>, provider: ProviderInput) -> Result<(), AppError> {
    use super::provider_error;
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    use rules::federation::provider::ProviderForm;
    use services::federation::providers::{add_provider, edit_provider, ProviderAdmin};
    use services::federation::ProviderError;

    let (state, _, admin) = require_admin().await?;
    let form = ProviderForm {
        name: provider.name,
        issuer: provider.issuer,
        client_id: provider.client_id,
        client_secret: provider.client_secret,
        scopes: provider.scopes,
        domains: provider.domains,
        trust_email: provider.trust_email.is_some(),
        trust_mfa: provider.trust_mfa.is_some(),
        mfa_acr: provider.mfa_acr,
    };
    let tools = ProviderAdmin {
        key: &state.settings.server_key,
        federation: &state.federation,
    };
    let actor = admin_actor(&admin);
    let now = state.clock.now();
    let saved = match id {
        Some(id) => edit_provider(&state.store, tools, &actor, id, &form, now)
            .await
            .map(|()| id),
        None => add_provider(&state.store, tools, &actor, &form, now).await,
    };
    match saved {
        Ok(id) => {
            leptos_axum::redirect(&format!("/admin/identity-providers/{id}?saved=1"));
            Ok(())
        }
        Err(ProviderError::Invalid(errors)) => Err(AppError::Invalid(
            errors
                .echo(&[
                    ("name", &form.name),
                    ("issuer", &form.issuer),
                    ("client_id", &form.client_id),
                    ("scopes", &form.scopes),
                    ("domains", &form.domains),
                    ("mfa_acr", &form.mfa_acr),
                ])
                .prefixed("provider"),
        )),
        Err(other) => Err(provider_error(other)),
    }
}

/// Fetches the discovery document and keys now; the page shows the answer.
#[server(prefix = "/api", endpoint = "test_identity_provider")]
pub async fn test_identity_provider(id: i64) -> Result<(), AppError> {
    use super::provider_error;
    use crate::api::session::require_admin;
    use services::federation::providers::{provider, test_provider};
    let (state, _, _) = require_admin().await?;
    let p = provider(&state.store, id).await.map_err(provider_error)?;
    let (ok, message) = test_provider(&state.federation, &p.row.issuer).await;
    let message = rules::list_filter::url_encode(&message);
    leptos_axum::redirect(&format!(
        "/admin/identity-providers/{id}?tested={message}&ok={ok}"
    ));
    Ok(())
}

#[server(prefix = "/api", endpoint = "remove_identity_provider")]
pub async fn remove_identity_provider(id: i64) -> Result<(), AppError> {
    use super::provider_error;
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    let (state, _, admin) = require_admin().await?;
    let federation = &state.federation;
    services::federation::providers::remove_provider(
        &state.store,
        federation,
        &admin_actor(&admin),
        id,
        state.clock.now(),
    )
    .await
    .map_err(provider_error)?;
    leptos_axum::redirect("/admin/identity-providers?removed=1");
    Ok(())
}
