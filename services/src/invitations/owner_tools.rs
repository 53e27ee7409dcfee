//! What an owner (or an admin) does for one resource: invite a partner directly, end or extend a
//! membership, resend or withdraw an invitation. Every action checks that the account may manage
//! the resource, runs in one transaction with its email and audit event, and is audited.

use serde_json::json;

use crate::audit::record_event;
use crate::invitations::issue::{issue_invitation, InvitationToIssue, Issued};
use crate::mail::{MailContext, Recipient};
use crate::tokens::new_token;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::email::{email_domain, normalise_email};
use rules::error::FieldErrors;
use rules::invitations::direct_invite::DirectInviteInput;
use rules::invitations::invitation::InvitationSource;
use rules::languages::message_language;
use rules::requests::policy::{any_matches, AccessDuration};
use storage::accounts::account::AccountRecord;
use storage::administration::resources::{find_by_id, ResourceRecord};
use storage::invitations::invitation::find_by_id as find_invitation;
use storage::memberships::membership::end_membership;
use storage::memberships::resource_people::{
    find_member, is_member, is_owner, replace_invitation_token, resends_since, revoke_invitation, set_expiry,
};
use storage::outbox::enqueue;
use storage::requests::policies::effective_policy;
use storage::{commit, Store, StoreError};

/// Resends allowed per invitation in 24 hours.
pub const MAX_RESENDS_PER_DAY: i64 = 5;

#[derive(Debug, thiserror::Error)]
pub enum OwnerError {
    #[error("not found")]
    NotFound,
    #[error("not an owner of this resource")]
    NotOwner,
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// A refusal for the person, not tied to a field.
    #[error("{0}")]
    Refused(String),
    /// A bulk list that cannot be used as a whole.
    #[error("unusable list")]
    List(crate::invitations::bulk::rows::ListProblem),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The resource, if `account` may manage it (an admin, or one of its owners).
pub async fn managed_resource(
    store: &Store,
    account: &AccountRecord,
    resource_id: i64,
) -> Result<ResourceRecord, OwnerError> {
    let resource = find_by_id(store.read(), resource_id)
        .await?
        .ok_or(OwnerError::NotFound)?;
    if account.is_admin() || is_owner(store.read(), resource_id, account.id).await? {
        Ok(resource)
    } else {
        Err(OwnerError::NotOwner)
    }
}

/// Who does it, as the audit log and the invitation email name them.
pub struct Acting<'a> {
    pub account: &'a AccountRecord,
    pub actor: &'a Actor,
    pub mail: &'a MailContext,
    pub now: i64,
}

/// How a direct invitation reaches the partner.
pub struct Delivery<'a> {
    pub source: InvitationSource,
    /// Where the partner goes after redeeming; empty for the portal's own page.
    pub redirect_url: &'a str,
    /// False: nothing is emailed, the caller hands the link over (API clients).
    pub send_email: bool,
}

impl Delivery<'static> {
    /// An owner's invite from the browser: emailed, back to the portal after redeeming.
    pub const BY_EMAIL: Delivery<'static> = Delivery {
        source: InvitationSource::Invite,
        redirect_url: "",
        send_email: true,
    };
}

/// Invites one partner; the policy's denied domains still apply. `Issued::AlreadyPending` when
/// an invitation was already waiting for them (it stands; nothing new is sent).
pub async fn invite_directly(
    store: &Store,
    acting: &Acting<'_>,
    resource_id: i64,
    input: &DirectInviteInput,
    delivery: &Delivery<'_>,
) -> Result<Issued, OwnerError> {
    let resource = managed_resource(store, acting.account, resource_id).await?;
    if resource.archived_at.is_some() {
        return Err(OwnerError::Refused(rules::message::with(
            "resource_archived_named",
            &[("resource", &resource.name)],
        )));
    }
    let email = normalise_email(&input.email)
        .map_err(|m| OwnerError::Invalid(FieldErrors::new().with("email", m)))?;
    let language = message_language(&input.language, locales::tags())
        .map_err(|m| OwnerError::Invalid(FieldErrors::new().with("language", m)))?;
    let policy = effective_policy(store.read(), &resource).await?;
    let domain = email_domain(&email);
    if any_matches(domain, &policy.denied_domains) {
        return Err(OwnerError::Invalid(FieldErrors::new().with(
            "email",
            rules::message::with(
                "domain_denied_by_policy",
                &[("domain", domain), ("resource", &resource.name)],
            ),
        )));
    }
    if is_member(store.read(), resource.id, &email, acting.now).await? {
        return Err(OwnerError::Invalid(FieldErrors::new().with(
            "email",
            rules::message::with(
                "already_has_access",
                &[("email", &email), ("resource", &resource.name)],
            ),
        )));
    }
    let mut tx = store.begin().await?;
    let issued = issue_invitation(
        &mut tx,
        acting.mail,
        &InvitationToIssue {
            resource: &resource,
            email: &email,
            display_name: input.display_name.trim(),
            source: delivery.source,
            request_id: None,
            inviter_name: &acting.account.display_name,
            invited_by_account_id: Some(acting.account.id),
            message: input.message.trim(),
            language,
            policy: &policy,
            redirect_url: delivery.redirect_url,
            send_email: delivery.send_email,
        },
        acting.actor,
        acting.now,
    )
    .await?;
    commit(tx).await?;
    Ok(issued)
}

/// Ends a member's access to the resource and tells them.
pub async fn revoke_member(
    store: &Store,
    acting: &Acting<'_>,
    resource_id: i64,
    membership_id: i64,
) -> Result<(), OwnerError> {
    let resource = managed_resource(store, acting.account, resource_id).await?;
    let member = find_member(store.read(), resource.id, membership_id, acting.now)
        .await?
        .ok_or(OwnerError::NotFound)?;
    let mut tx = store.begin().await?;
    if end_membership(
        &mut tx,
        member.membership_id,
        member.account_id,
        "revoked",
        acting.now,
    )
    .await?
    .is_none()
    {
        return Err(OwnerError::NotFound);
    }
    enqueue(
        &mut tx,
        &acting
            .mail
            .access_revoked(Recipient::new(&member.email, &member.language), &resource.name),
        acting.now,
    )
    .await?;
    let event = AuditEvent::new(acting.actor, actions::MEMBERSHIP_REVOKED, acting.now)
        .target("membership", member.membership_id, &member.email)
        .resource(resource.id);
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(())
}

/// Extends a member's access as far as the policy grants from today: N more days, or up to
/// the policy's date. Returns the new end; refused when the policy would not make it later.
pub async fn extend_member(
    store: &Store,
    acting: &Acting<'_>,
    resource_id: i64,
    membership_id: i64,
) -> Result<Option<i64>, OwnerError> {
    let resource = managed_resource(store, acting.account, resource_id).await?;
    let member = find_member(store.read(), resource.id, membership_id, acting.now)
        .await?
        .ok_or(OwnerError::NotFound)?;
    let policy = effective_policy(store.read(), &resource).await?;
    let Some(current) = member.expires_at else {
        return Err(OwnerError::Refused("@access_has_no_end".to_string()));
    };
    let new_end = match policy.access_duration {
        AccessDuration::Never => None,
        other => other.expires_at(acting.now),
    };
    if new_end.is_some_and(|end| end <= current) {
        return Err(OwnerError::Refused("@policy_allows_no_later".to_string()));
    }
    let mut tx = store.begin().await?;
    if !set_expiry(&mut tx, member.membership_id, new_end).await? {
        return Err(OwnerError::NotFound);
    }
    let event = AuditEvent::new(acting.actor, actions::MEMBERSHIP_EXTENDED, acting.now)
        .target("membership", member.membership_id, &member.email)
        .resource(resource.id)
        .details(json!({ "from": current, "to": new_end }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(new_end)
}

/// Sends a pending invitation again with a new link (the old one stops working) and a fresh
/// lifetime; at most [`MAX_RESENDS_PER_DAY`] times in 24 hours.
pub async fn resend_invitation(
    store: &Store,
    acting: &Acting<'_>,
    resource_id: i64,
    invitation_id: i64,
) -> Result<(), OwnerError> {
    let resource = managed_resource(store, acting.account, resource_id).await?;
    let invitation = find_invitation(store.read(), invitation_id)
        .await?
        .filter(|i| i.resource_id == resource.id && i.state == "pending")
        .ok_or(OwnerError::NotFound)?;
    if resends_since(store.read(), invitation.id, acting.now - 86_400).await? >= MAX_RESENDS_PER_DAY {
        return Err(OwnerError::Refused(rules::message::with(
            "resent_too_often",
            &[("times", &MAX_RESENDS_PER_DAY.to_string())],
        )));
    }
    let policy = effective_policy(store.read(), &resource).await?;
    let token = new_token();
    let expires_at = acting.now + i64::from(policy.invitation_lifetime_hours) * 3600;
    let mut tx = store.begin().await?;
    if !replace_invitation_token(&mut tx, invitation.id, &token.hash, expires_at).await? {
        return Err(OwnerError::NotFound);
    }
    let email = acting.mail.invitation(
        Recipient::new(&invitation.email, &invitation.language),
        &resource.name,
        &acting.account.display_name,
        &invitation.message,
        &format!("/invite/{}", token.raw),
        (acting.now, expires_at),
    );
    enqueue(&mut tx, &email, acting.now).await?;
    let event = AuditEvent::new(acting.actor, actions::INVITATION_RESENT, acting.now)
        .target("invitation", invitation.id, &invitation.email)
        .resource(resource.id)
        .details(json!({ "expires_at": expires_at }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(())
}

/// Withdraws a pending invitation: its link then says it was withdrawn.
pub async fn withdraw_invitation(
    store: &Store,
    acting: &Acting<'_>,
    resource_id: i64,
    invitation_id: i64,
) -> Result<(), OwnerError> {
    let resource = managed_resource(store, acting.account, resource_id).await?;
    let invitation = find_invitation(store.read(), invitation_id)
        .await?
        .filter(|i| i.resource_id == resource.id)
        .ok_or(OwnerError::NotFound)?;
    let mut tx = store.begin().await?;
    if !revoke_invitation(&mut tx, invitation.id, acting.now).await? {
        return Err(OwnerError::Refused("@invitation_no_longer_pending".to_string()));
    }
    let event = AuditEvent::new(acting.actor, actions::INVITATION_REVOKED, acting.now)
        .target("invitation", invitation.id, &invitation.email)
        .resource(resource.id);
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(())
}
