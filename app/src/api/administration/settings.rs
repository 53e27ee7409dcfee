//! Admin: the portal's name, colour, contact address, logo and terms of use; and partners
//! accepting the terms in force.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::administration::branding::{Branding, BrandingInput};
use rules::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsView {
    pub version: i64,
    pub text: String,
    /// The text in other languages, by tag.
    pub translations: BTreeMap<String, String>,
    pub published_at: i64,
    pub published_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub branding: Branding,
    pub logo_url: Option<String>,
    /// Every published version, newest (in force) first.
    pub terms: Vec<TermsView>,
    /// The languages the terms may be given in besides the default one.
    pub other_languages: Vec<String>,
    /// How partners sign in.
    pub sign_in_methods: rules::accounts::one_time_code::SignInMethods,
    /// Whom the portal asks for a second factor.
    pub second_factors: rules::mfa::requirement::SecondFactorPolicy,
    /// Whether owners may register their apps' sign-in themselves.
    pub owners_register_apps: bool,
}

#[cfg(feature = "ssr")]
impl From<storage::administration::portal_settings::TermsVersion> for TermsView {
    fn from(t: storage::administration::portal_settings::TermsVersion) -> Self {
        Self {
            version: t.version,
            translations: t.translations(),
            text: t.text,
            published_at: t.published_at,
            published_by: t.published_by,
        }
    }
}

/// Where the logo is served, with its version so a new one is fetched at once.
pub fn logo_url(version: Option<i64>) -> Option<String> {
    version.map(|v| format!("/branding/logo?v={v}"))
}

#[cfg(feature = "ssr")]
fn settings_error(error: services::administration::portal_settings::SettingsError) -> AppError {
    use services::administration::portal_settings::SettingsError;
    match error {
        SettingsError::Invalid(errors) => AppError::Invalid(errors),
        SettingsError::Refused(message) => AppError::Refused(message),
        SettingsError::Store(error) => crate::api::session::internal(error),
    }
}

#[server(prefix = "/api", endpoint = "admin_settings")]
pub async fn admin_settings() -> Result<SettingsView, AppError> {
    use crate::api::session::require_admin;
    use services::administration::portal_settings::all_terms;
    let (state, _, _) = require_admin().await?;
    let look = state.look.get();
    let terms = all_terms(&state.store).await?;
    let sign_in_methods = services::administration::sign_in_methods::sign_in_methods(&state.store).await?;
    let owners_register_apps = services::oidc::clients::owners_register(&state.store).await?;
    Ok(SettingsView {
        owners_register_apps,
        sign_in_methods,
        second_factors: state.look.second_factors(),
        branding: look.branding,
        logo_url: logo_url(look.logo_version),
        terms: terms.into_iter().map(TermsView::from).collect(),
        other_languages: state.look.other_languages(),
    })
}

#[server(prefix = "/api", endpoint = "save_branding")]
pub async fn save_branding(branding: BrandingInput) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    use services::administration::portal_settings::save_branding;
    let (state, _, admin) = require_admin().await?;
    save_branding(
        &state.store,
        &state.look,
        &admin_actor(&admin),
        &branding,
        state.clock.now(),
    )
    .await
    .map_err(settings_error)?;
    leptos_axum::redirect("/admin/settings?saved=branding");
    Ok(())
}

/// Ticked boxes arrive as "on"; unticked ones not at all.
#[server(prefix = "/api", endpoint = "save_sign_in_methods")]
pub async fn save_sign_in_methods(
    partner_codes: Option<String>,
    partner_passwords: Option<String>,
) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    use rules::accounts::one_time_code::SignInMethods;
    let (state, _, admin) = require_admin().await?;
    let methods = SignInMethods {
        partner_codes: partner_codes.is_some(),
        partner_passwords: partner_passwords.is_some(),
    };
    services::administration::sign_in_methods::save_sign_in_methods(
        &state.store,
        &admin_actor(&admin),
        methods,
        state.clock.now(),
    )
    .await
    .map_err(settings_error)?;
    leptos_axum::redirect("/admin/settings?saved=sign_in#sign-in");
    Ok(())
}

#[server(prefix = "/api", endpoint = "remove_logo")]
pub async fn remove_logo() -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    let (state, _, admin) = require_admin().await?;
    services::administration::portal_settings::remove_logo(
        &state.store,
        &state.look,
        &admin_actor(&admin),
        state.clock.now(),
    )
    .await?;
    leptos_axum::redirect("/admin/settings?saved=logo_removed");
    Ok(())
}

#[server(prefix = "/api", endpoint = "publish_terms")]
pub async fn publish_terms(
    text: String,
    translations: Option<BTreeMap<String, String>>,
) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    let (state, _, admin) = require_admin().await?;
    let version = services::administration::portal_settings::publish_terms(
        &state.store,
        &admin,
        &admin_actor(&admin),
        &text,
        &translations.unwrap_or_default(),
        state.clock.now(),
    )
    .await
    .map_err(settings_error)?;
    leptos_axum::redirect(&format!("/admin/settings?saved=terms&version={version}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "withdraw_terms")]
pub async fn withdraw_terms() -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    let (state, _, admin) = require_admin().await?;
    services::administration::portal_settings::withdraw_terms(
        &state.store,
        &admin,
        &admin_actor(&admin),
        state.clock.now(),
    )
    .await
    .map_err(settings_error)?;
    leptos_axum::redirect("/admin/settings?saved=terms_withdrawn");
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsToRead {
    /// The terms in force, if any.
    pub terms: Option<TermsView>,
    /// The signed-in partner has not accepted them yet.
    pub must_accept: bool,
    /// Someone is signed in (an anonymous reader has nothing to accept, nor accepted anything).
    pub signed_in: bool,
}

#[server(prefix = "/api", endpoint = "terms_offer")]
pub async fn terms_offer() -> Result<TermsToRead, AppError> {
    use crate::api::session::{app_state, session, signed_in_account};
    use services::administration::portal_settings::{terms_in_force, terms_to_accept};
    // Anyone may read the terms; a signed-in partner may have to accept them.
    let state = app_state()?;
    let session = session().await?;
    let terms = terms_in_force(&state.store).await?;
    let account = signed_in_account(&state, &session).await?;
    let must_accept = match &account {
        Some(account) => terms_to_accept(&state.store, account).await?.is_some(),
        None => false,
    };
    Ok(TermsToRead {
        terms: terms.map(TermsView::from),
        must_accept,
        signed_in: account.is_some(),
    })
}

#[server(prefix = "/api", endpoint = "accept_terms")]
pub async fn accept_terms(version: i64, next: Option<String>) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_account;
    use rules::validation::safe_return_path;
    let (state, _, account) = require_account().await?;
    services::administration::portal_settings::accept_terms(
        &state.store,
        &account,
        &admin_actor(&account),
        version,
        state.clock.now(),
    )
    .await
    .map_err(settings_error)?;
    leptos_axum::redirect(next.as_deref().and_then(safe_return_path).unwrap_or("/my-access"));
    Ok(())
}
