//! Coming back from the provider: the trip checked and finished, then the person signed in or
//! their invitation redeemed; every failure becomes a problem for the page (and the audit log).

use tower_sessions::Session;

use super::sign_in::trip::{start_again, take_flow, KeptProblem};
use crate::api::session::{client_ip, internal, start_session_and_go};
use crate::state::AppState;
use rules::error::AppError;
use rules::federation::identity::IdentityProblem;
use rules::message::with;
use services::federation::flow::{finish, Callback, Flow, FlowError};
use services::federation::linking::{land, record_failure, Landed, LinkError};
use services::invitations::redeem::RedeemError;
use storage::federation::providers::find_provider;

/// `Ok(Ok(()))`: signed in and redirected; `Ok(Err(problem))`: for the problem page.
pub async fn come_back(
    app: &AppState,
    session: &Session,
    callback: &Callback,
) -> Result<Result<(), KeptProblem>, AppError> {
    let Some(flow) = take_flow(session).await? else {
        return Ok(Err(problem("@federation_expired", None, "/sign-in".into())));
    };
    let Some(provider) = find_provider(app.store.read(), flow.provider_id)
        .await
        .map_err(internal)?
    else {
        return Ok(Err(problem(
            "@provider_not_found",
            None,
            start_again(&flow.purpose),
        )));
    };
    let settings = &app.settings;
    let now = app.clock.now();
    let named = |key: &str| with(key, &[("provider", &provider.row.name)]);
    let proved = match finish(
        &app.federation,
        &settings.server_key,
        &provider,
        &flow,
        callback,
        now,
    )
    .await
    {
        Ok(proved) => proved,
        Err(error) => {
            tracing::warn!(provider = %provider.row.issuer, %error, "a sign-in at a provider failed");
            let (message, reason) = match &error {
                FlowError::Cancelled => (named("federation_cancelled"), "cancelled"),
                FlowError::Expired => ("@federation_expired".to_string(), "expired"),
                FlowError::ProviderDown(_) => (named("federation_provider_down"), "provider_down"),
                FlowError::Refused(_) => (named("federation_token_refused"), "token_refused"),
            };
            audit(app, (&provider.row.issuer, &flow.expected_email), reason).await;
            let retry = matches!(error, FlowError::Cancelled | FlowError::ProviderDown(_));
            return Ok(Err(problem(
                &message,
                retry.then(|| retry_of(&flow)),
                start_again(&flow.purpose),
            )));
        }
    };
    let landed = land(&app.store, &*app.clock, &provider, (&flow, &proved), &client_ip()).await;
    let (message, reason, retry) = match landed {
        Ok(Landed::SignedIn { signed_in, next }) => {
            return crate::api::accounts::auth::after_sign_in(app, session, &signed_in, next.as_deref())
                .await
                .map(Ok);
        }
        Ok(Landed::Redeemed {
            signed_in,
            resource_id,
            ..
        }) => {
            start_session_and_go(app, session, &signed_in, "/my-access?joined=1", Some(resource_id)).await?;
            return Ok(Ok(()));
        }
        Err(LinkError::Identity(IdentityProblem::NoEmail)) => {
            (named("federation_no_email"), "no_email", true)
        }
        Err(LinkError::Identity(IdentityProblem::Unverified { got })) => (
            with(
                "federation_unverified",
                &[("provider", &provider.row.name), ("got", &got)],
            ),
            "unverified_email",
            true,
        ),
        Err(LinkError::Identity(IdentityProblem::Mismatch { got, expected })) => (
            with(
                "federation_mismatch",
                &[
                    ("provider", &provider.row.name),
                    ("got", &got),
                    ("expected", &expected),
                ],
            ),
            "email_mismatch",
            true,
        ),
        Err(LinkError::NoAccount(email)) => (
            with("federation_no_account", &[("email", &email)]),
            "unknown_email",
            false,
        ),
        Err(LinkError::Disabled) => ("@federation_account_disabled".into(), "account_disabled", false),
        Err(LinkError::Staff) => ("@federation_refused_staff".into(), "staff", false),
        Err(LinkError::Invitation(error)) => (invitation_problem(error)?, "invitation_unusable", false),
        Err(LinkError::Store(error)) => return Err(internal(error)),
    };
    audit(app, (&provider.row.issuer, &flow.expected_email), reason).await;
    Ok(Err(problem(
        &message,
        retry.then(|| retry_of(&flow)),
        start_again(&flow.purpose),
    )))
}

fn problem(
    message: &str,
    retry: Option<(i64, String, services::federation::flow::FlowPurpose)>,
    start_again: String,
) -> KeptProblem {
    KeptProblem {
        message: message.to_string(),
        retry,
        start_again,
    }
}

fn retry_of(flow: &Flow) -> (i64, String, services::federation::flow::FlowPurpose) {
    (
        flow.provider_id,
        flow.expected_email.clone(),
        flow.purpose.clone(),
    )
}

fn invitation_problem(error: RedeemError) -> Result<String, AppError> {
    use rules::invitations::invitation::InvitationState;
    Ok(match error {
        RedeemError::NotUsable(InvitationState::Expired) => "@invitation_has_expired".into(),
        RedeemError::NotUsable(InvitationState::Revoked) => "@invitation_was_withdrawn".into(),
        RedeemError::NotUsable(_) => "@invitation_has_been_used".into(),
        RedeemError::Store(error) => return Err(internal(error)),
        _ => "@invitation_no_longer_pending".into(),
    })
}

async fn audit(app: &AppState, who: (&str, &str), reason: &str) {
    if let Err(error) = record_failure(&app.store, who, reason, &client_ip(), app.clock.now()).await {
        tracing::error!(%error, "could not audit a failed sign-in at a provider");
    }
}
