//! The invitation link: what it offers (GET), and redeeming it (POST only).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::administration::resource::ResourceKind;
use rules::error::AppError;
use rules::invitations::invitation::InvitationState;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationOffer {
    /// The portal's terms of use in force, which a new account accepts.
    pub terms_version: Option<i64>,
    pub resource_name: String,
    pub resource_slug: String,
    pub resource_kind: ResourceKind,
    pub resource_description: String,
    pub inviter_name: String,
    pub message: String,
    pub email: String,
    pub expires_at: i64,
    /// The server's time, for "in 3 days".
    pub now: i64,
    pub state: InvitationState,
    /// The invited email has an account: the partner signs in to accept.
    pub account_exists: bool,
    /// Who is signed in on this browser, if anyone.
    pub signed_in_as: Option<String>,
    /// The resource asks for a second factor the signed-in session has not given yet.
    pub second_factor_first: bool,
    /// Whether that account has a password to sign in with.
    pub account_has_password: bool,
    /// Whether the partner may prove their address with a code by email.
    pub codes: bool,
    /// Whether a new partner may choose a password instead.
    pub passwords: bool,
    /// The name the request gave, to prefill.
    pub display_name: String,
    /// The invited address's own identity provider, by name: the partner continues there.
    pub provider: Option<String>,
}

#[server(prefix = "/api", endpoint = "invitation_offer")]
pub async fn get_invitation_offer(token: String) -> Result<InvitationOffer, AppError> {
    use crate::api::session::{app_state, internal, require_second_factor_for, session, signed_in_record};
    use services::invitations::redeem::{look_up_invitation, RedeemError};

    let state = app_state()?;
    let session = session().await?;
    let lookup = match look_up_invitation(&state.store, &*state.clock, &token).await {
        Ok(lookup) => lookup,
        Err(RedeemError::NotFound) => return Err(AppError::NotFound),
        Err(other) => return Err(internal(other)),
    };
    let viewer = signed_in_record(&state, &session).await?;
    let second_factor_first = match &viewer {
        Some(record) => require_second_factor_for(&state, record, lookup.resource.id)
            .await
            .is_err(),
        None => false,
    };
    let signed_in_as = viewer.map(|record| record.account.email);
    let provider = crate::api::federation::sign_in::trip::provider_for(&state, &lookup.invitation.email)
        .await?
        .filter(|_| !lookup.account_is_staff)
        .map(|provider| provider.row.name);
    let methods = services::administration::sign_in_methods::sign_in_methods(&state.store).await?;
    let terms_version = services::administration::portal_settings::terms_in_force(&state.store)
        .await?
        .map(|t| t.version);
    Ok(InvitationOffer {
        terms_version,
        resource_name: lookup.resource.name.clone(),
        resource_slug: lookup.resource.slug.clone(),
        resource_kind: ResourceKind::parse(&lookup.resource.kind).unwrap_or(ResourceKind::App),
        resource_description: lookup.resource.description.clone(),
        inviter_name: lookup.inviter_name,
        message: lookup.invitation.message,
        email: lookup.invitation.email,
        expires_at: lookup.invitation.expires_at,
        now: state.clock.now(),
        state: lookup.state,
        account_exists: lookup.account_exists,
        account_has_password: lookup.account_has_password,
        signed_in_as,
        second_factor_first,
        codes: (methods.partner_codes || provider.is_some()) && !lookup.account_is_staff,
        passwords: methods.partner_passwords,
        display_name: lookup.invitation.display_name,
        provider,
    })
}

/// Sends a one-time code to the invited address; the page then asks for it.
#[server(prefix = "/api", endpoint = "send_invitation_code")]
pub async fn send_invitation_code(token: String) -> Result<(), AppError> {
    use crate::api::accounts::codes::ThisBrowser;
    use crate::api::session::{app_state, mail_context, redirect_plain_form_post, session};
    use services::invitations::redeem_by_code::send_invitation_code;

    let state = app_state()?;
    let session = session().await?;
    if let Some(result) = to_provider(&state, &session, &token).await {
        redirect_plain_form_post(
            &state,
            <SendInvitationCode as leptos::server_fn::ServerFn>::PATH,
            &format!("/invite/{token}"),
            &result,
        );
        return result;
    }
    let browser = ThisBrowser::asking(&session).await?;
    let mail = mail_context(&state);
    let sent = send_invitation_code(
        &state.store,
        &*state.clock,
        (&state.settings, &mail),
        &token,
        browser.codes(),
    )
    .await;
    let result = match sent {
        Ok(()) => {
            leptos_axum::redirect(&format!("/invite/{token}?code=sent"));
            Ok(())
        }
        Err(error) => Err(redeem_problem(error)),
    };
    redirect_plain_form_post(
        &state,
        <SendInvitationCode as leptos::server_fn::ServerFn>::PATH,
        &format!("/invite/{token}"),
        &result,
    );
    result
}

/// When the invited address's domain has its own identity provider, the partner proves it
/// there instead of by code: `None` when it has none (or the invitation is not usable).
#[cfg(feature = "ssr")]
async fn to_provider(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
    token: &str,
) -> Option<Result<(), AppError>> {
    use crate::api::federation::sign_in::trip::{go, provider_for, setting_out_problem};
    use services::federation::flow::FlowPurpose;
    use services::invitations::redeem::look_up_invitation;
    let lookup = look_up_invitation(&state.store, &*state.clock, token)
        .await
        .ok()?;
    if lookup.state != rules::invitations::invitation::InvitationState::Pending || lookup.account_is_staff {
        return None;
    }
    let email = lookup.invitation.email.clone();
    let provider = match provider_for(state, &email).await {
        Ok(provider) => provider?,
        Err(error) => return Some(Err(error)),
    };
    let purpose = FlowPurpose::Invitation {
        token: token.to_string(),
        display_name: String::new(),
    };
    Some(
        match go(state, session, &provider, (&email, purpose), false).await {
            Ok(()) => Ok(()),
            Err(error) => Err(AppError::Refused(setting_out_problem(&provider, &error))),
        },
    )
}

/// A redemption problem as the person reads it.
#[cfg(feature = "ssr")]
fn redeem_problem(error: services::invitations::redeem::RedeemError) -> AppError {
    use rules::error::FieldErrors;
    use services::invitations::redeem::RedeemError;
    match error {
        RedeemError::NotFound => AppError::NotFound,
        RedeemError::NotUsable(seen) => AppError::Refused(match seen {
            InvitationState::Expired => "@invitation_has_expired".to_string(),
            InvitationState::Revoked => "@invitation_was_withdrawn".to_string(),
            _ => "@invitation_has_been_used".to_string(),
        }),
        RedeemError::WrongAccount => AppError::Refused("@you_are_signed_with".into()),
        RedeemError::AccountExists => AppError::Refused("@account_exists_email_address".into()),
        RedeemError::BadCredentials => {
            AppError::Invalid(FieldErrors::new().with("password", "@password_not_right"))
        }
        RedeemError::Throttled(seconds) => AppError::Throttled(seconds),
        RedeemError::Invalid(errors) => AppError::Invalid(errors),
        RedeemError::Refused(message) => AppError::Refused(message),
        RedeemError::SecondFactorNeeded => AppError::SecondFactorNeeded,
        other @ (RedeemError::Hashing | RedeemError::Store(_)) => crate::api::session::internal(other),
    }
}

/// `mode`: "signed_in" (accept as the signed-in account), "existing" (sign in with the
/// password, then accept), "code" (prove the address with the emailed code; a new account
/// takes `display_name`) or "new" (create the account from name and password).
#[server(prefix = "/api", endpoint = "redeem_invitation")]
pub async fn redeem_invitation(
    token: String,
    mode: String,
    display_name: Option<String>,
    password: Option<String>,
    password_confirm: Option<String>,
    code: Option<String>,
) -> Result<(), AppError> {
    use crate::api::session::{
        app_state, client_ip, redirect_plain_form_post, session, signed_in_record, start_session_and_go,
    };
    use rules::accounts::account::NewPartnerInput;
    use services::invitations::redeem::{redeem_invitation, Redeemer};

    let state = app_state()?;
    let session = session().await?;
    let viewer = signed_in_record(&state, &session).await?;
    if mode == "code" {
        let result = redeem_by_code(&state, &session, &token, code, display_name).await;
        redirect_plain_form_post(
            &state,
            <RedeemInvitation as leptos::server_fn::ServerFn>::PATH,
            &format!("/invite/{token}?code=sent"),
            &result,
        );
        return result;
    }
    let redeemer = match (mode.as_str(), &viewer) {
        ("signed_in", Some(record)) => Redeemer::SignedIn {
            account: &record.account,
            second_factor_given: record.second_factor.is_some(),
        },
        ("signed_in", None) => return Err(AppError::Unauthenticated),
        ("existing", _) => Redeemer::ExistingAccount {
            password: password.unwrap_or_default(),
        },
        _ => Redeemer::NewAccount(NewPartnerInput {
            display_name: display_name.unwrap_or_default(),
            password: password.unwrap_or_default(),
            password_confirm: password_confirm.unwrap_or_default(),
        }),
    };
    let result = match redeem_invitation(&state.store, &*state.clock, &token, redeemer, &client_ip()).await {
        Ok(redeemed) => match &redeemed.signed_in {
            Some(signed_in) => {
                let resource = Some(redeemed.resource_id);
                start_session_and_go(&state, &session, signed_in, "/my-access?joined=1", resource).await
            }
            None => {
                leptos_axum::redirect("/my-access?joined=1");
                Ok(())
            }
        },
        Err(error) => Err(redeem_problem(error)),
    };
    redirect_plain_form_post(
        &state,
        <RedeemInvitation as leptos::server_fn::ServerFn>::PATH,
        &format!("/invite/{token}"),
        &result,
    );
    result
}

#[cfg(feature = "ssr")]
async fn redeem_by_code(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
    token: &str,
    code: Option<String>,
    display_name: Option<String>,
) -> Result<(), AppError> {
    use crate::api::accounts::codes::ThisBrowser;
    use crate::api::session::start_session_and_go;
    use services::invitations::redeem_by_code::redeem_with_code;

    let browser = ThisBrowser::typing(session).await?;
    let typed = (
        code.as_deref().unwrap_or_default(),
        display_name.as_deref().unwrap_or_default(),
    );
    let redeemed = redeem_with_code(
        &state.store,
        &*state.clock,
        &state.settings,
        token,
        typed,
        browser.codes(),
    )
    .await
    .map_err(redeem_problem)?;
    let Some(signed_in) = &redeemed.signed_in else {
        return Err(crate::api::session::internal(
            "a redemption by code signed nobody in",
        ));
    };
    let resource = Some(redeemed.resource_id);
    start_session_and_go(state, session, signed_in, "/my-access?joined=1", resource).await
}
