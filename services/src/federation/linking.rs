//! What Portico does with an identity a provider proved: find the account by its link
//! (issuer, subject) or, the first time, by the expected address; then sign in, or redeem the
//! invitation the trip was for. One transaction: nothing is half-made.

use serde_json::json;

use super::flow::{Flow, FlowPurpose, Proved};
use crate::accounts::sign_in::{open_sign_in_proved, SignedIn};
use crate::audit::record_event;
use crate::invitations::redeem::{
    create_partner, grant, look_up_invitation, spend, InvitationLookup, RedeemError,
};
use crate::tokens::hash_token;
use rules::accounts::first_factor::FirstFactor;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Clock;
use rules::federation::identity::{judge_first_sign_in, IdentityProblem};
use rules::invitations::invitation::InvitationState;
use storage::accounts::account::{find_by_email, find_by_id, AccountRecord};
use storage::federation::identities::{find_link, insert_link, touch_link, LinkedIdentity, NewLink};
use storage::federation::providers::ProviderRecord;
use storage::{commit, Store, StoreError, Tx};

/// Where the person lands.
#[derive(Debug)]
pub enum Landed {
    SignedIn {
        signed_in: SignedIn,
        next: Option<String>,
    },
    Redeemed {
        signed_in: SignedIn,
        resource_name: String,
        resource_id: i64,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("the identity is not the expected one: {0:?}")]
    Identity(IdentityProblem),
    /// Signing in (not redeeming) as an address without an account.
    #[error("no account for {0}")]
    NoAccount(String),
    #[error("the account is disabled")]
    Disabled,
    /// Owners and admins sign in with their password.
    #[error("staff sign in with their password")]
    Staff,
    #[error(transparent)]
    Invitation(#[from] RedeemError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn is_staff(account: &AccountRecord) -> bool {
    account.is_admin() || account.is_staff()
}

/// The account this identity belongs to: its link, else the expected address (verified).
async fn account_for(
    store: &Store,
    provider: &ProviderRecord,
    proved: &Proved,
    expected: &str,
) -> Result<(Option<LinkedIdentity>, Result<AccountRecord, String>), LinkError> {
    let link = find_link(store.read(), &proved.issuer, &proved.identity.subject).await?;
    if let Some(link) = link {
        // Links go with their account (ON DELETE CASCADE); a missing one is no account.
        let account = find_by_id(store.read(), link.account_id)
            .await?
            .ok_or_else(|| link.email.clone());
        return Ok((Some(link), account));
    }
    let trusted = provider.trust_email().then_some(provider.domains.as_slice());
    let email = judge_first_sign_in(&proved.identity, expected, trusted).map_err(LinkError::Identity)?;
    Ok((None, find_by_email(store.read(), &email).await?.ok_or(email)))
}

pub async fn land(
    store: &Store,
    clock: &dyn Clock,
    provider: &ProviderRecord,
    (flow, proved): (&Flow, &Proved),
    client_ip: &str,
) -> Result<Landed, LinkError> {
    match &flow.purpose {
        FlowPurpose::SignIn { next } => {
            let (link, account) = account_for(store, provider, proved, &flow.expected_email).await?;
            let account = account.map_err(LinkError::NoAccount)?;
            refuse_unusable(&account)?;
            let now = clock.now();
            let mut tx = store.begin().await?;
            let signed_in =
                sign_in_through(&mut tx, provider, proved, (link, account), client_ip, now).await?;
            commit(tx).await?;
            Ok(Landed::SignedIn {
                signed_in,
                next: next.clone(),
            })
        }
        FlowPurpose::Invitation { token, display_name } => {
            let lookup = look_up_invitation(store, clock, token).await?;
            if lookup.state != InvitationState::Pending {
                return Err(RedeemError::NotUsable(lookup.state).into());
            }
            let expected = lookup.invitation.email.clone();
            let (link, account) = account_for(store, provider, proved, &expected).await?;
            if let Ok(account) = &account {
                refuse_unusable(account)?;
                if account.email != expected {
                    let got = account.email.clone();
                    return Err(LinkError::Identity(IdentityProblem::Mismatch { got, expected }));
                }
            }
            let typed = if display_name.trim().is_empty() {
                &lookup.invitation.display_name
            } else {
                display_name
            };
            let name = chosen_name(typed, proved, &expected);
            redeem(
                store,
                clock.now(),
                (provider, proved),
                (&lookup, token, &name),
                (link, account),
                client_ip,
            )
            .await
        }
    }
}

fn refuse_unusable(account: &AccountRecord) -> Result<(), LinkError> {
    if account.is_disabled() {
        Err(LinkError::Disabled)
    } else if is_staff(account) {
        Err(LinkError::Staff)
    } else {
        Ok(())
    }
}

/// The name from the request or invitation, else the provider's, else the address's first part.
fn chosen_name(typed: &str, proved: &Proved, email: &str) -> String {
    let typed = typed.trim();
    let from_provider = proved
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| rules::validation::check_display_name(n).is_ok());
    if rules::validation::check_display_name(typed).is_ok() {
        typed.to_string()
    } else if let Some(name) = from_provider {
        name.to_string()
    } else {
        email.split('@').next().unwrap_or(email).to_string()
    }
}

async fn redeem(
    store: &Store,
    now: i64,
    (provider, proved): (&ProviderRecord, &Proved),
    (lookup, token, name): (&InvitationLookup, &str, &str),
    (link, account): (Option<LinkedIdentity>, Result<AccountRecord, String>),
    client_ip: &str,
) -> Result<Landed, LinkError> {
    let mut tx = store.begin().await?;
    spend(&mut tx, &hash_token(token), now).await?;
    let account = match account {
        Ok(account) => account,
        Err(_) => create_partner(&mut tx, lookup, name, None, client_ip, now).await?,
    };
    grant(&mut tx, lookup, &account, client_ip, now).await?;
    let signed_in = sign_in_through(&mut tx, provider, proved, (link, account), client_ip, now).await?;
    commit(tx).await?;
    Ok(Landed::Redeemed {
        signed_in,
        resource_name: lookup.resource.name.clone(),
        resource_id: lookup.resource.id,
    })
}

/// Links the identity the first time (audited), notes its use later, and opens the sign-in
/// with the provider's issuer as the method.
async fn sign_in_through(
    tx: &mut Tx,
    provider: &ProviderRecord,
    proved: &Proved,
    (link, account): (Option<LinkedIdentity>, AccountRecord),
    client_ip: &str,
    now: i64,
) -> Result<SignedIn, LinkError> {
    let actor = Actor::account(account.id, &account.email, client_ip);
    let email = proved.identity.email.as_deref().unwrap_or_default();
    match link {
        Some(link) => touch_link(tx, link.id, email, now).await?,
        None => {
            let new = NewLink {
                account_id: account.id,
                provider_id: provider.id(),
                issuer: &proved.issuer,
                subject: &proved.identity.subject,
                email: &account.email,
            };
            insert_link(tx, &new, now).await?;
            let event = AuditEvent::new(&actor, actions::IDENTITY_LINKED, now)
                .target("account", account.id, &account.email)
                .details(json!({ "issuer": proved.issuer, "subject": proved.identity.subject }));
            record_event(tx, &event).await?;
        }
    }
    let event = AuditEvent::new(&actor, actions::SIGN_IN_SUCCEEDED, now)
        .target("account", account.id, &account.email)
        .details(json!({ "sign_in_with": proved.issuer, "second_factor": proved.mfa }));
    record_event(tx, &event).await?;
    let proved_mfa = proved.mfa.then_some("provider");
    Ok(open_sign_in_proved(tx, account, (now, client_ip), FirstFactor::Provider, proved_mfa).await?)
}

/// A trip that did not end in a sign-in, for the audit log: the provider and why.
pub async fn record_failure(
    store: &Store,
    (issuer, expected): (&str, &str),
    reason: &str,
    client_ip: &str,
    now: i64,
) -> Result<(), StoreError> {
    let event = AuditEvent::new(
        &Actor::anonymous(expected, client_ip),
        actions::SIGN_IN_FAILED,
        now,
    )
    .details(json!({ "sign_in_with": issuer, "reason": reason }));
    let mut tx = store.begin().await?;
    record_event(&mut tx, &event).await?;
    commit(tx).await
}
