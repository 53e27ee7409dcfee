//! The person's own second factors, from the account page: adding an authenticator app (its
//! QR code and secret, then a first code), recovery codes (shown once), removing.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticatorView {
    pub id: i64,
    pub added_at: i64,
    pub last_used_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorsView {
    pub authenticators: Vec<AuthenticatorView>,
    pub recovery_codes_left: i64,
}

/// What the page shows while an authenticator is being added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    pub secret: String,
    pub qr_svg: String,
}

#[cfg(feature = "ssr")]
mod fresh_codes {
    //! Recovery codes just made wait in the session (sealed) until their page shows them once.
    use crate::api::session::internal;
    use rules::error::AppError;
    use services::server_key::ServerKey;
    use tower_sessions::Session;

    const KEY: &str = "fresh_recovery_codes";
    const PURPOSE: &str = "fresh-recovery-codes";

    pub async fn keep(session: &Session, key: &ServerKey, codes: &[String]) -> Result<(), AppError> {
        session
            .insert(KEY, key.seal(PURPOSE, &codes.join(" ")))
            .await
            .map_err(internal)
    }

    pub async fn take(session: &Session, key: &ServerKey) -> Result<Vec<String>, AppError> {
        let sealed = session.remove::<String>(KEY).await.map_err(internal)?;
        Ok(sealed
            .and_then(|sealed| key.open(PURPOSE, &sealed).ok())
            .map(|codes| codes.split(' ').map(str::to_string).collect())
            .unwrap_or_default())
    }
}

#[server(prefix = "/api", endpoint = "my_second_factors")]
pub async fn my_second_factors() -> Result<SecondFactorsView, AppError> {
    use crate::api::session::require_account;
    let (state, _, account) = require_account().await?;
    let factors = services::mfa::enrolment::factors_of(&state.store, account.id).await?;
    Ok(view_of(factors))
}

#[cfg(feature = "ssr")]
pub(super) fn view_of(factors: services::mfa::enrolment::Factors) -> SecondFactorsView {
    SecondFactorsView {
        authenticators: factors
            .authenticators
            .into_iter()
            .map(|a| AuthenticatorView {
                id: a.id,
                added_at: a.confirmed_at.unwrap_or(a.created_at),
                last_used_at: a.last_used_at,
            })
            .collect(),
        recovery_codes_left: factors.recovery_codes_left,
    }
}

/// The authenticator being added: made on the first visit of the page, the same on the next.
#[server(prefix = "/api", endpoint = "authenticator_enrolment")]
pub async fn authenticator_enrolment() -> Result<EnrolmentView, AppError> {
    use super::mfa_error;
    use crate::api::session::require_account;
    let (state, _, account) = require_account().await?;
    let issuer = state.look.get().branding.portal_name.clone();
    let enrolment = services::mfa::enrolment::begin_authenticator(
        &state.store,
        &state.settings.server_key,
        &account,
        &issuer,
        state.clock.now(),
    )
    .await
    .map_err(mfa_error)?;
    Ok(EnrolmentView {
        secret: enrolment.secret,
        qr_svg: enrolment.qr_svg,
    })
}

#[server(prefix = "/api", endpoint = "confirm_authenticator")]
pub async fn confirm_authenticator(code: String) -> Result<(), AppError> {
    use super::mfa_error;
    use crate::api::session::{client_ip, require_account};
    use rules::audit::event::Actor;
    let (state, session, account) = require_account().await?;
    let actor = Actor::account(account.id, &account.email, &client_ip());
    let key = &state.settings.server_key;
    let codes = services::mfa::enrolment::confirm_authenticator(
        &state.store,
        key,
        &actor,
        &account,
        &code,
        state.clock.now(),
    )
    .await
    .map_err(mfa_error)?;
    match codes {
        Some(codes) => {
            fresh_codes::keep(&session, key, &codes).await?;
            leptos_axum::redirect("/account/recovery-codes");
        }
        None => leptos_axum::redirect("/account?added=1"),
    }
    Ok(())
}

#[server(prefix = "/api", endpoint = "renew_recovery_codes")]
pub async fn renew_recovery_codes() -> Result<(), AppError> {
    use super::mfa_error;
    use crate::api::session::{client_ip, require_account};
    use rules::audit::event::Actor;
    let (state, session, account) = require_account().await?;
    let actor = Actor::account(account.id, &account.email, &client_ip());
    let key = &state.settings.server_key;
    let codes = services::mfa::enrolment::renew_recovery_codes(
        &state.store,
        key,
        &actor,
        &account,
        state.clock.now(),
    )
    .await
    .map_err(mfa_error)?;
    fresh_codes::keep(&session, key, &codes).await?;
    leptos_axum::redirect("/account/recovery-codes");
    Ok(())
}

/// The recovery codes just made, once: a second visit finds none.
#[server(prefix = "/api", endpoint = "fresh_recovery_codes")]
pub async fn fresh_recovery_codes() -> Result<Vec<String>, AppError> {
    use crate::api::session::require_account;
    let (state, session, _) = require_account().await?;
    fresh_codes::take(&session, &state.settings.server_key).await
}

#[server(prefix = "/api", endpoint = "remove_authenticator")]
pub async fn remove_authenticator(id: i64) -> Result<(), AppError> {
    use super::mfa_error;
    use crate::api::session::{client_ip, require_account};
    use rules::audit::event::Actor;
    let (state, _, account) = require_account().await?;
    let actor = Actor::account(account.id, &account.email, &client_ip());
    services::mfa::enrolment::remove_authenticator(&state.store, &actor, &account, id, state.clock.now())
        .await
        .map_err(mfa_error)?;
    leptos_axum::redirect("/account?removed=1");
    Ok(())
}
