//! Where a second factor is required: an admin's choice for the whole portal by role, and for
//! one person.

use leptos::prelude::*;

use rules::error::AppError;

/// Ticked boxes arrive as "on"; unticked ones not at all.
#[server(prefix = "/api", endpoint = "save_second_factor_policy")]
pub async fn save_second_factor_policy(
    admins: Option<String>,
    owners: Option<String>,
    partners: Option<String>,
) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    use rules::mfa::requirement::SecondFactorPolicy;
    let (state, _, admin) = require_admin().await?;
    let policy = SecondFactorPolicy {
        admins: admins.is_some(),
        owners: owners.is_some(),
        partners: partners.is_some(),
    };
    services::mfa::requirement::save_second_factor_policy(
        &state.store,
        &state.look,
        &admin_actor(&admin),
        policy,
        state.clock.now(),
    )
    .await?;
    leptos_axum::redirect("/admin/settings?saved=second_factors#second-factors");
    Ok(())
}

/// Whether an admin requires a second factor of this one account.
#[server(prefix = "/api", endpoint = "account_second_factor_required")]
pub async fn account_second_factor_required(id: i64) -> Result<bool, AppError> {
    use crate::api::session::require_admin_already_audited;
    let (state, _, _) = require_admin_already_audited().await?;
    Ok(storage::mfa::requirement::required_for_account(state.store.read(), id).await?)
}

/// `required` is "yes" or "no" (the button pressed).
#[server(prefix = "/api", endpoint = "require_second_factor_of")]
pub async fn require_second_factor_of(account_id: i64, required: String) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    let (state, _, admin) = require_admin().await?;
    let account = storage::accounts::account::find_by_id(state.store.read(), account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    services::mfa::requirement::require_of_account(
        &state.store,
        &admin_actor(&admin),
        &account,
        required == "yes",
        state.clock.now(),
    )
    .await?;
    leptos_axum::redirect(&format!("/admin/accounts/{account_id}?required={required}"));
    Ok(())
}
