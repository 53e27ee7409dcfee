//! An admin's view of a person's second factors, and resetting them.

use leptos::prelude::*;

use super::enrolment::SecondFactorsView;
use rules::error::AppError;

#[server(prefix = "/api", endpoint = "account_second_factors")]
pub async fn account_second_factors(id: i64) -> Result<SecondFactorsView, AppError> {
    use crate::api::session::require_admin_already_audited;
    let (state, _, _) = require_admin_already_audited().await?;
    let factors = services::mfa::enrolment::factors_of(&state.store, id).await?;
    Ok(super::enrolment::view_of(factors, state.passkeys.available()))
}

#[server(prefix = "/api", endpoint = "reset_second_factors")]
pub async fn reset_second_factors(account_id: i64) -> Result<(), AppError> {
    use super::mfa_error;
    use crate::api::session::{client_ip, mail_context, require_admin};
    use rules::audit::event::Actor;
    let (state, _, admin) = require_admin().await?;
    let actor = Actor::account(admin.id, &admin.email, &client_ip());
    services::mfa::reset::reset_second_factors(
        &state.store,
        &mail_context(&state),
        &actor,
        account_id,
        state.clock.now(),
    )
    .await
    .map_err(mfa_error)?;
    leptos_axum::redirect(&format!("/admin/accounts/{account_id}?reset=1"));
    Ok(())
}
