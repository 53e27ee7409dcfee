//! Issuing invitations (after a final approval, an auto-approval, or an owner's invite) and
//! redeeming them.

use serde_json::json;

use crate::audit::record_event;
use crate::mail::{MailContext, Recipient};
use crate::tokens::new_token;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::invitations::invitation::InvitationSource;
use rules::requests::policy::Policy;
use storage::administration::resources::ResourceRecord;
use storage::invitations::invitation::{find_pending, insert_invitation, mark_expired, NewInvitation};
use storage::outbox::enqueue;
use storage::{StoreError, StoreResult, Tx};

pub struct InvitationToIssue<'a> {
    pub resource: &'a ResourceRecord,
    pub email: &'a str,
    pub display_name: &'a str,
    pub source: InvitationSource,
    pub request_id: Option<i64>,
    /// Who invites, as the email will name them.
    pub inviter_name: &'a str,
    pub invited_by_account_id: Option<i64>,
    pub message: &'a str,
    /// The language of its emails: a tag, or '' for the portal's default.
    pub language: &'a str,
    pub policy: &'a Policy,
    /// Where the partner goes after redeeming; empty for the portal's own page.
    pub redirect_url: &'a str,
    /// False when the caller hands the link over itself (API clients may): nothing is emailed.
    pub send_email: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issued {
    /// A new invitation, emailed to the person unless the caller said not to.
    New { invitation_id: i64, redeem_path: String },
    /// One was already pending for this person and resource; it stands.
    AlreadyPending { invitation_id: i64 },
}

/// Issues an invitation inside the caller's transaction and queues its email.
pub async fn issue_invitation(
    tx: &mut Tx,
    mail: &MailContext,
    invitation: &InvitationToIssue<'_>,
    actor: &Actor,
    now: i64,
) -> StoreResult<Issued> {
    let resource = invitation.resource;
    if let Some(existing) = find_pending(&mut **tx, invitation.email, resource.id).await? {
        // A pending one past its end no longer counts: mark it and make a new one.
        if !mark_expired(tx, existing.id, now).await? {
            return Ok(Issued::AlreadyPending {
                invitation_id: existing.id,
            });
        }
    }
    let token = new_token();
    let expires_at = now + i64::from(invitation.policy.invitation_lifetime_hours) * 3600;
    let duration =
        serde_json::to_string(&invitation.policy.access_duration).unwrap_or_else(|_| "\"Never\"".into());
    let new = NewInvitation {
        resource_id: resource.id,
        email: invitation.email,
        display_name: invitation.display_name,
        token_hash: &token.hash,
        source: invitation.source.as_str(),
        request_id: invitation.request_id,
        invited_by_account_id: invitation.invited_by_account_id,
        message: invitation.message,
        access_duration: &duration,
        expires_at,
        redirect_url: invitation.redirect_url,
        language: invitation.language,
    };
    let invitation_id = match insert_invitation(tx, &new, now).await {
        Ok(id) => id,
        Err(StoreError::Conflict) => {
            let existing = find_pending(&mut **tx, invitation.email, resource.id).await?;
            return Ok(Issued::AlreadyPending {
                invitation_id: existing.map(|e| e.id).unwrap_or_default(),
            });
        }
        Err(other) => return Err(other),
    };
    let redeem_path = format!("/invite/{}", token.raw);
    if invitation.send_email {
        let email = mail.invitation(
            Recipient::new(invitation.email, invitation.language),
            &resource.name,
            invitation.inviter_name,
            invitation.message,
            &redeem_path,
            (now, expires_at),
        );
        enqueue(tx, &email, now).await?;
    }
    let event = AuditEvent::new(actor, actions::INVITATION_CREATED, now)
        .target("invitation", invitation_id, invitation.email)
        .resource(resource.id)
        .details(json!({ "source": invitation.source.as_str(), "request_id": invitation.request_id, "expires_at": expires_at, "emailed": invitation.send_email }));
    record_event(tx, &event).await?;
    Ok(Issued::New {
        invitation_id,
        redeem_path,
    })
}
