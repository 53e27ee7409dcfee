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
}

#[server(prefix = "/api", endpoint = "invitation_offer")]
pub async fn get_invitation_offer(token: String) -> Result<InvitationOffer, AppError> {
    use crate::api::session::{app_state, internal, session, signed_in_account};
    use services::invitations::redeem::{look_up_invitation, RedeemError};

    let state = app_state()?;
    let session = session().await?;
    let lookup = match look_up_invitation(&state.store, &*state.clock, &token).await {
        Ok(lookup) => lookup,
        Err(RedeemError::NotFound) => return Err(AppError::NotFound),
        Err(other) => return Err(internal(other)),
    };
    let signed_in_as = signed_in_account(&state, &session).await?.map(|a| a.email);
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
        signed_in_as,
    })
}

/// `mode`: "signed_in" (accept as the signed-in account), "existing" (sign in with the
/// password, then accept) or "new" (create the account from name and password).
#[server(prefix = "/api", endpoint = "redeem_invitation")]
pub async fn redeem_invitation(
    token: String,
    mode: String,
    display_name: Option<String>,
    password: Option<String>,
    password_confirm: Option<String>,
) -> Result<(), AppError> {
    use crate::api::session::{
        app_state, client_ip, internal, redirect_plain_form_post, session, signed_in_account, start_session,
    };
    use rules::accounts::account::NewPartnerInput;
    use rules::error::FieldErrors;
    use services::invitations::redeem::{redeem_invitation, RedeemError, Redeemer};

    let state = app_state()?;
    let session = session().await?;
    let viewer = signed_in_account(&state, &session).await?;
    let redeemer = match (mode.as_str(), &viewer) {
        ("signed_in", Some(account)) => Redeemer::SignedIn(account),
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
        Ok(redeemed) => {
            if let Some(signed_in) = &redeemed.signed_in {
                start_session(&session, signed_in).await?;
            }
            leptos_axum::redirect("/my-access?joined=1");
            Ok(())
        }
        Err(RedeemError::NotFound) => Err(AppError::NotFound),
        Err(RedeemError::NotUsable(seen)) => Err(AppError::Refused(match seen {
            InvitationState::Expired => "@invitation_has_expired".to_string(),
            InvitationState::Revoked => "@invitation_was_withdrawn".to_string(),
            _ => "@invitation_has_been_used".to_string(),
        })),
        Err(RedeemError::WrongAccount) => Err(AppError::Refused("@you_are_signed_with".into())),
        Err(RedeemError::AccountExists) => Err(AppError::Refused("@account_exists_email_address".into())),
        Err(RedeemError::BadCredentials) => Err(AppError::Invalid(
            FieldErrors::new().with("password", "@password_not_right"),
        )),
        Err(RedeemError::Throttled(seconds)) => Err(AppError::Throttled(seconds)),
        Err(RedeemError::Invalid(errors)) => Err(AppError::Invalid(errors)),
        Err(other @ (RedeemError::Hashing | RedeemError::Store(_))) => Err(internal(other)),
    };
    redirect_plain_form_post(
        &state,
        <RedeemInvitation as leptos::server_fn::ServerFn>::PATH,
        &format!("/invite/{token}"),
        &result,
    );
    result
}
