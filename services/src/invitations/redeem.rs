//! Redeeming an invitation: the one step that creates (or joins) an account and grants access.
//! A GET only looks; redemption is a POST, spent by one conditional UPDATE inside the
//! transaction that creates the account and the membership.

use serde_json::json;
use validator::Validate;

use crate::accounts::passwords::{check_new_password, hash_password};
use crate::accounts::sign_in::{open_sign_in, sign_in, SignInError, SignedIn};
use crate::audit::record_event;
use crate::mfa::requirement::asks_second_factor;
use crate::tokens::{hash_token, looks_like_token};
use rules::accounts::account::NewPartnerInput;
use rules::accounts::first_factor::FirstFactor;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Clock;
use rules::error::FieldErrors;
use rules::invitations::invitation::InvitationState;
use rules::requests::policy::AccessDuration;
use storage::accounts::account::{
    find_by_email, find_by_id as find_account, insert_account, set_language, AccountRecord, NewAccount,
};
use storage::administration::resources::{find_by_id as find_resource, ResourceRecord};
use storage::invitations::invitation::{find_by_token, mark_redeemed, record_redeemer, InvitationRecord};
use storage::memberships::membership::{grant_membership, NewMembership};
use storage::{commit, Store, StoreError, Tx};

#[derive(Debug, thiserror::Error)]
pub enum RedeemError {
    #[error("no such invitation")]
    NotFound,
    #[error("the invitation is {0:?}")]
    NotUsable(InvitationState),
    /// Signed in as someone else than the invited address.
    #[error("this invitation is for another email address")]
    WrongAccount,
    /// The invited email has an account: sign in as it instead of creating one.
    #[error("an account exists for the invited email")]
    AccountExists,
    #[error("the form has errors")]
    Invalid(FieldErrors),
    #[error("the email or password is not right")]
    BadCredentials,
    #[error("too many failed sign-ins; wait {0} s")]
    Throttled(u64),
    #[error("password hashing failed")]
    Hashing,
    /// The resource's policy asks for a second factor the signed-in session has not given.
    #[error("a second factor is needed first")]
    SecondFactorNeeded,
    /// Refused by a portal setting: a message code.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An invitation as its link shows it.
pub struct InvitationLookup {
    pub invitation: InvitationRecord,
    pub resource: ResourceRecord,
    pub inviter_name: String,
    /// Its state as a person sees it (pending past its end is expired).
    pub state: InvitationState,
    /// Whether the invited email already has an account (then the partner signs in).
    pub account_exists: bool,
    /// Whether that account has a password (one made with a code has none).
    pub account_has_password: bool,
    /// Whether that account is an owner's or admin's: they sign in with their password only.
    pub account_is_staff: bool,
}

pub async fn look_up_invitation(
    store: &Store,
    clock: &dyn Clock,
    raw_token: &str,
) -> Result<InvitationLookup, RedeemError> {
    if !looks_like_token(raw_token) {
        return Err(RedeemError::NotFound);
    }
    let invitation = find_by_token(store.read(), &hash_token(raw_token))
        .await?
        .ok_or(RedeemError::NotFound)?;
    let resource = find_resource(store.read(), invitation.resource_id)
        .await?
        .ok_or(RedeemError::NotFound)?;
    let inviter_name = match invitation.invited_by_account_id {
        Some(id) => find_account(store.read(), id).await?.map(|a| a.display_name),
        None => None,
    }
    .unwrap_or_else(|| "The access team".to_string());
    let state = InvitationState::parse(&invitation.state)
        .unwrap_or(InvitationState::Revoked)
        .as_seen(invitation.expires_at, clock.now());
    let account = find_by_email(store.read(), &invitation.email).await?;
    let account_exists = account.is_some();
    let account_has_password = account.as_ref().is_some_and(|a| a.password_hash.is_some());
    let account_is_staff = account.is_some_and(|a| a.is_staff() || a.is_admin());
    Ok(InvitationLookup {
        invitation,
        resource,
        inviter_name,
        state,
        account_exists,
        account_has_password,
        account_is_staff,
    })
}

/// Who redeems.
pub enum Redeemer<'a> {
    /// Already signed in (must be the invited address); whether that sign-in has given a second
    /// factor, which a resource whose policy asks for one needs.
    SignedIn {
        account: &'a AccountRecord,
        second_factor_given: bool,
    },
    /// The invited address has an account: its password, checked like any sign-in.
    ExistingAccount { password: String },
    /// A first visit: the account is created from this form.
    NewAccount(NewPartnerInput),
}

pub struct Redeemed {
    pub resource_name: String,
    /// The resource (its policy may ask for a second factor before it is used).
    pub resource_id: i64,
    /// A new sign-in to start a session with (not when the person was already signed in).
    pub signed_in: Option<SignedIn>,
}

pub async fn redeem_invitation(
    store: &Store,
    clock: &dyn Clock,
    raw_token: &str,
    redeemer: Redeemer<'_>,
    client_ip: &str,
) -> Result<Redeemed, RedeemError> {
    let lookup = look_up_invitation(store, clock, raw_token).await?;
    if lookup.state != InvitationState::Pending {
        return Err(RedeemError::NotUsable(lookup.state));
    }
    let email = lookup.invitation.email.clone();
    let token_hash = hash_token(raw_token);
    let resource_name = lookup.resource.name.clone();
    let signed_in = match redeemer {
        Redeemer::SignedIn {
            account,
            second_factor_given,
        } => {
            if account.email != email {
                return Err(RedeemError::WrongAccount);
            }
            let mut tx = store.begin().await?;
            if !second_factor_given && asks_second_factor(&mut tx, lookup.resource.id).await? {
                return Err(RedeemError::SecondFactorNeeded);
            }
            spend(&mut tx, &token_hash, clock.now()).await?;
            grant(&mut tx, &lookup, account, client_ip, clock.now()).await?;
            commit(tx).await?;
            None
        }
        Redeemer::ExistingAccount { password } => {
            let signed_in =
                sign_in(store, clock, &email, password, client_ip)
                    .await
                    .map_err(|e| match e {
                        SignInError::BadCredentials => RedeemError::BadCredentials,
                        SignInError::Throttled(seconds) => RedeemError::Throttled(seconds),
                        SignInError::Store(error) => RedeemError::Store(error),
                    })?;
            let mut tx = store.begin().await?;
            spend(&mut tx, &token_hash, clock.now()).await?;
            grant(&mut tx, &lookup, &signed_in.account, client_ip, clock.now()).await?;
            commit(tx).await?;
            Some(signed_in)
        }
        Redeemer::NewAccount(input) => {
            Some(redeem_as_new_account(store, clock, &lookup, &token_hash, input, client_ip).await?)
        }
    };
    Ok(Redeemed {
        resource_name,
        resource_id: lookup.resource.id,
        signed_in,
    })
}

async fn redeem_as_new_account(
    store: &Store,
    clock: &dyn Clock,
    lookup: &InvitationLookup,
    token_hash: &str,
    input: NewPartnerInput,
    client_ip: &str,
) -> Result<SignedIn, RedeemError> {
    if lookup.account_exists {
        return Err(RedeemError::AccountExists);
    }
    if !storage::administration::portal_settings::load_sign_in_methods(store.read())
        .await?
        .partner_passwords
    {
        return Err(RedeemError::Refused("@passwords_off_for_new_partners".into()));
    }
    let email = &lookup.invitation.email;
    let mut errors = input
        .validate()
        .err()
        .map(|r| FieldErrors::from_validation(&r))
        .unwrap_or_default();
    if errors.message("password").is_none() {
        if let Err(message) = check_new_password(&input.password, email) {
            errors.add("password", message);
        }
    }
    if !errors.is_empty() {
        return Err(RedeemError::Invalid(
            errors.echo(&[("display_name", &input.display_name)]),
        ));
    }
    let hash = hash_password(input.password)
        .await
        .map_err(|_| RedeemError::Hashing)?;
    let now = clock.now();
    let mut tx = store.begin().await?;
    // Spend the token first: of many simultaneous submissions, exactly one gets past this line.
    spend(&mut tx, token_hash, now).await?;
    let account = create_partner(
        &mut tx,
        lookup,
        input.display_name.trim(),
        Some(&hash),
        client_ip,
        now,
    )
    .await?;
    grant(&mut tx, lookup, &account, client_ip, now).await?;
    let signed_in = open_sign_in(&mut tx, account, (now, client_ip), FirstFactor::EmailLink).await?;
    commit(tx).await?;
    Ok(signed_in)
}

/// Creates the invited partner's account (without a password when they prove their address
/// with a code), in the language they were invited in, accepting the terms in force.
pub(crate) async fn create_partner(
    tx: &mut Tx,
    lookup: &InvitationLookup,
    display_name: &str,
    password_hash: Option<&str>,
    client_ip: &str,
    now: i64,
) -> Result<AccountRecord, RedeemError> {
    let new_account = NewAccount {
        email: &lookup.invitation.email,
        display_name,
        password_hash,
        is_admin: false,
        is_staff: false,
    };
    let account_id = match insert_account(tx, &new_account, now).await {
        Err(StoreError::Conflict) => return Err(RedeemError::AccountExists),
        other => other?,
    };
    // The language they were invited in stays theirs, for the emails that follow.
    if !lookup.invitation.language.is_empty() {
        set_language(tx, account_id, &lookup.invitation.language).await?;
    }
    let account = find_account(&mut **tx, account_id)
        .await?
        .ok_or(RedeemError::NotFound)?;
    let actor = Actor::account(account.id, &account.email, client_ip);
    let event =
        AuditEvent::new(&actor, actions::ACCOUNT_CREATED, now).target("account", account.id, &account.email);
    record_event(tx, &event).await?;
    crate::administration::portal_settings::accept_on_creation(tx, &actor, account.id, now).await?;
    Ok(account)
}

/// Spends the invitation, or explains that someone (or time) got there first.
pub(crate) async fn spend(tx: &mut Tx, token_hash: &str, now: i64) -> Result<(), RedeemError> {
    if mark_redeemed(tx, token_hash, now).await? {
        Ok(())
    } else {
        Err(RedeemError::NotUsable(InvitationState::Redeemed))
    }
}

/// Grants the membership the invitation promises, for as long as its policy said.
pub(crate) async fn grant(
    tx: &mut Tx,
    lookup: &InvitationLookup,
    account: &AccountRecord,
    client_ip: &str,
    now: i64,
) -> Result<(), RedeemError> {
    let invitation = &lookup.invitation;
    let duration: AccessDuration =
        serde_json::from_str(&invitation.access_duration).unwrap_or(AccessDuration::Never);
    let membership = NewMembership {
        account_id: account.id,
        resource_id: invitation.resource_id,
        source: &invitation.source,
        invitation_id: Some(invitation.id),
        expires_at: duration.expires_at(now),
    };
    let membership_id = grant_membership(tx, &membership, now).await?;
    record_redeemer(tx, invitation.id, account.id).await?;
    let actor = Actor::account(account.id, &account.email, client_ip);
    let event = AuditEvent::new(&actor, actions::INVITATION_REDEEMED, now)
        .target("invitation", invitation.id, &invitation.email)
        .resource(invitation.resource_id)
        .details(json!({ "membership_id": membership_id, "expires_at": membership.expires_at }));
    record_event(tx, &event).await?;
    Ok(())
}
