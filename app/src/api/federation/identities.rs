//! Linked sign-ins: the person's own list (account page) and an admin's, with unlinking.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityView {
    pub id: i64,
    pub provider: String,
    pub email: String,
    pub linked_at: i64,
    pub last_used_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub account_id: i64,
    pub email: String,
    pub display_name: String,
    pub has_password: bool,
    pub identities: Vec<IdentityView>,
}

#[cfg(feature = "ssr")]
fn views(links: Vec<storage::federation::identities::LinkedIdentity>) -> Vec<IdentityView> {
    links
        .into_iter()
        .map(|l| IdentityView {
            id: l.id,
            provider: l.provider_name,
            email: l.email,
            linked_at: l.linked_at,
            last_used_at: l.last_used_at,
        })
        .collect()
}

/// The signed-in person's own account, with the sign-ins linked to it.
#[server(prefix = "/api", endpoint = "my_account")]
pub async fn my_account() -> Result<AccountView, AppError> {
    use crate::api::session::require_account;
    let (state, _, account) = require_account().await?;
    let links = services::federation::identities::linked_identities(&state.store, account.id).await?;
    Ok(AccountView {
        account_id: account.id,
        has_password: account.password_hash.is_some(),
        email: account.email,
        display_name: account.display_name,
        identities: views(links),
    })
}

#[server(prefix = "/api", endpoint = "account_identities")]
pub async fn account_identities(id: i64) -> Result<AccountView, AppError> {
    use super::provider_error;
    use crate::api::session::require_admin;
    let (state, _, _) = require_admin().await?;
    let (account, links) = services::federation::identities::account_with_identities(&state.store, id)
        .await
        .map_err(provider_error)?;
    Ok(AccountView {
        account_id: account.id,
        has_password: account.password_hash.is_some(),
        email: account.email,
        display_name: account.display_name,
        identities: views(links),
    })
}

#[server(prefix = "/api", endpoint = "unlink_identity")]
pub async fn unlink_identity(account_id: i64, link_id: i64) -> Result<(), AppError> {
    use super::provider_error;
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    let (state, _, admin) = require_admin().await?;
    let actor = admin_actor(&admin);
    services::federation::identities::unlink_identity(
        &state.store,
        &actor,
        account_id,
        link_id,
        state.clock.now(),
    )
    .await
    .map_err(provider_error)?;
    leptos_axum::redirect(&format!("/admin/accounts/{account_id}?unlinked=1"));
    Ok(())
}
