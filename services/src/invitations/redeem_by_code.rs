//! Redeeming an invitation with a one-time code sent to the invited address: the code proves
//! control of the mailbox, so no password is needed, for a new account or an existing one.

use crate::accounts::one_time_codes::{check_code, issue_code, CodeBrowser, CodeError, CodeToIssue};
use crate::accounts::sign_in::open_sign_in;
use crate::administration::look::PortalSettings;
use crate::invitations::redeem::{
    create_partner, grant, look_up_invitation, spend, InvitationLookup, RedeemError, Redeemed,
};
use crate::mail::MailContext;
use crate::tokens::hash_token;
use rules::accounts::account::display_name_rule;
use rules::accounts::first_factor::FirstFactor;
use rules::accounts::one_time_code::CodePurpose;
use rules::clock::Clock;
use rules::error::FieldErrors;
use rules::invitations::invitation::InvitationState;
use storage::accounts::account::find_by_email;
use storage::administration::portal_settings::load_sign_in_methods;
use storage::{commit, Store, StoreError};

impl From<CodeError> for RedeemError {
    fn from(error: CodeError) -> Self {
        let message = error.message().unwrap_or_default();
        match error {
            CodeError::Store(error) => RedeemError::Store(error),
            CodeError::SwitchedOff => RedeemError::Refused(message),
            // On the invitation page every other problem belongs beside the code.
            _ => RedeemError::Invalid(FieldErrors::new().with("code", message)),
        }
    }
}

/// A pending invitation that codes may redeem.
async fn usable(store: &Store, clock: &dyn Clock, raw_token: &str) -> Result<InvitationLookup, RedeemError> {
    let lookup = look_up_invitation(store, clock, raw_token).await?;
    if lookup.state != InvitationState::Pending {
        return Err(RedeemError::NotUsable(lookup.state));
    }
    if !load_sign_in_methods(store.read()).await?.partner_codes {
        return Err(CodeError::SwitchedOff.into());
    }
    // A code proves a mailbox, not a staff member's password: staff sign in to accept.
    if lookup.account_is_staff {
        return Err(RedeemError::Refused("@staff_accept_with_password".into()));
    }
    Ok(lookup)
}

/// Sends a code to the invited address, in the invitation's language.
pub async fn send_invitation_code(
    store: &Store,
    clock: &dyn Clock,
    (settings, mail): (&PortalSettings, &MailContext),
    raw_token: &str,
    browser: CodeBrowser<'_>,
) -> Result<(), RedeemError> {
    let lookup = usable(store, clock, raw_token).await?;
    let mut tx = store.begin().await?;
    let code = CodeToIssue {
        email: &lookup.invitation.email,
        purpose: CodePurpose::Invitation(lookup.invitation.id),
        mail: Some((&lookup.invitation.language, Some(&lookup.resource.name))),
    };
    issue_code(&mut tx, settings, mail, browser, code, clock.now()).await?;
    commit(tx).await?;
    Ok(())
}

/// Redeems with the code: joins the invited address's account, or creates it under
/// `display_name` (prefilled on the page from the request).
pub async fn redeem_with_code(
    store: &Store,
    clock: &dyn Clock,
    settings: &PortalSettings,
    raw_token: &str,
    (code, display_name): (&str, &str),
    browser: CodeBrowser<'_>,
) -> Result<Redeemed, RedeemError> {
    let lookup = usable(store, clock, raw_token).await?;
    let existing = find_by_email(store.read(), &lookup.invitation.email).await?;
    match &existing {
        Some(account) if account.is_disabled() => return Err(RedeemError::BadCredentials),
        Some(_) => {}
        None => {
            if let Err(problem) = display_name_rule(display_name) {
                let message = problem.message.map(|m| m.to_string()).unwrap_or_default();
                return Err(RedeemError::Invalid(
                    FieldErrors::new()
                        .with("display_name", message)
                        .echo(&[("display_name", display_name)]),
                ));
            }
        }
    }
    let now = clock.now();
    let purpose = CodePurpose::Invitation(lookup.invitation.id);
    let tx = store.begin().await?;
    let mut tx = check_code(
        tx,
        &settings.server_key,
        (&lookup.invitation.email, purpose),
        browser,
        code,
        now,
    )
    .await
    .map_err(|error| with_name_echoed(error.into(), display_name))?;
    spend(&mut tx, &hash_token(raw_token), now).await?;
    let account = match existing {
        Some(account) => account,
        None => {
            create_partner(
                &mut tx,
                &lookup,
                display_name.trim(),
                None,
                browser.client_ip,
                now,
            )
            .await?
        }
    };
    grant(&mut tx, &lookup, &account, browser.client_ip, now).await?;
    let signed_in = open_sign_in(&mut tx, account, (now, browser.client_ip), FirstFactor::EmailCode).await?;
    commit(tx).await.map_err(|e: StoreError| RedeemError::Store(e))?;
    Ok(Redeemed {
        resource_name: lookup.resource.name.clone(),
        resource_id: lookup.resource.id,
        signed_in: Some(signed_in),
    })
}

/// A wrong code keeps the name typed beside it.
fn with_name_echoed(error: RedeemError, display_name: &str) -> RedeemError {
    match error {
        RedeemError::Invalid(errors) => RedeemError::Invalid(errors.echo(&[("display_name", display_name)])),
        other => other,
    }
}
