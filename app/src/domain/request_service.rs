//! Submitting, following and withdrawing access requests.

use serde_json::json;

use super::access_requests::{AccessRequestInput, RequestState};
use super::audit::{actions, Actor, AuditEvent};
use super::clock::Clock;
use super::email::{email_domain, normalise_email};
use super::invitation_service::{issue_invitation, InvitationToIssue};
use super::invitations::InvitationSource;
use super::mail::MailContext;
use super::policies::{policy_json, stage_approvers};
use super::policy::{decide_request, Policy, PolicyDecision};
use super::tokens::{hash_token, looks_like_token, new_token};
use crate::error::FieldErrors;
use crate::store::access_requests::{
    close_request, delete_approval_tasks, find_by_status_token, find_pending, insert_approval_tasks,
    insert_request, replace_status_token, AccessRequestRecord, NewAccessRequest,
};
use crate::store::audit_events::insert_audit_event;
use crate::store::outbox::{enqueue, enqueue_all};
use crate::store::resources::{find_by_id, ResourceRecord};
use crate::store::{commit, Store, StoreError, Tx};

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("no such requestable resource")]
    NotFound,
    #[error("the form has errors")]
    Invalid(FieldErrors),
    /// The policy refuses this address; the message says why, for the person.
    #[error("refused by policy: {0}")]
    Refused(String),
    #[error("the request is no longer waiting")]
    NotPending,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the partner is told. Deliberately the same whether or not the email already has an
/// account or a pending request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitted {
    /// Waiting for approvers; a status link was emailed.
    Received,
    /// Approved by policy at once; the invitation was emailed.
    Invited,
}

/// A resource partners may ask for, with the policy that applies to it.
pub async fn requestable_resource(
    store: &Store,
    slug: &str,
) -> Result<(ResourceRecord, Policy), RequestError> {
    let catalog = store.catalog().await?;
    let resource = catalog.find(slug).ok_or(RequestError::NotFound)?;
    Ok((resource.clone(), catalog.policy_of(resource)))
}

pub async fn submit_request(
    store: &Store,
    clock: &dyn Clock,
    mail: &MailContext,
    slug: &str,
    input: AccessRequestInput,
    client_ip: &str,
) -> Result<Submitted, RequestError> {
    let (resource, policy) = requestable_resource(store, slug).await?;
    let answers = input.check(&policy).map_err(RequestError::Invalid)?;
    let email = normalise_email(&input.email)
        .map_err(|m| RequestError::Invalid(FieldErrors::new().with("email", m)))?;
    let request = NewRequestRow::from_input(
        &resource,
        &policy,
        &email,
        input.display_name.trim(),
        &input,
        &answers,
    );
    let submission = Submission {
        decision: decide_request(&email, &policy),
        actor: Actor::anonymous(&email, client_ip),
        mail: mail.clone(),
        resource,
        policy,
        request,
        now: clock.now(),
    };
    // Submissions are the portal's busiest write: on SQLite they share commits.
    store
        .group_commit(move |tx| Box::pin(async move { submission.write(tx).await }))
        .await?
}

/// Everything one submission writes, decided before the write begins.
struct Submission {
    decision: PolicyDecision,
    actor: Actor,
    mail: MailContext,
    resource: ResourceRecord,
    policy: Policy,
    request: NewRequestRow,
    now: i64,
}

impl Submission {
    /// Writes the submission. A refusal by policy is written too (as an audit event) and is
    /// answered as the inner error, so it is committed like any other outcome.
    async fn write(self, tx: &mut Tx) -> Result<Result<Submitted, RequestError>, StoreError> {
        let Submission {
            decision,
            actor,
            mail,
            resource,
            policy,
            request,
            now,
        } = self;
        let email = request.email.as_str();
        match decision {
            PolicyDecision::Deny(reason) => {
                let event = AuditEvent::new(&actor, actions::REQUEST_REFUSED_BY_POLICY, now)
                    .target("resource", resource.id, &resource.name)
                    .resource(resource.id)
                    .details(json!({ "reason": format!("{reason:?}"), "email": email }));
                insert_audit_event(tx, &event).await?;
                Ok(Err(RequestError::Refused(
                    reason.message(email_domain(email), &resource.name),
                )))
            }
            PolicyDecision::AutoApprove => {
                let token = new_token();
                let request_id = insert_request(tx, &request.row(&token.hash, "approved", now), now)
                    .await?
                    .ok_or(StoreError::Conflict)?; // only pending requests can collide
                let event = AuditEvent::new(&actor, actions::REQUEST_AUTO_APPROVED, now)
                    .target("access_request", request_id, email)
                    .resource(resource.id);
                insert_audit_event(tx, &event).await?;
                let invitation = InvitationToIssue {
                    resource: &resource,
                    email,
                    display_name: &request.display_name,
                    source: InvitationSource::AutoApprove,
                    request_id: Some(request_id),
                    inviter_name: &mail.portal_name,
                    invited_by_account_id: None,
                    message: "",
                    policy: &policy,
                    redirect_url: "",
                    send_email: true,
                };
                issue_invitation(tx, &mail, &invitation, &Actor::system(), now).await?;
                Ok(Ok(Submitted::Invited))
            }
            PolicyDecision::PendingAtStageOne => {
                if !open_request(tx, &mail, &resource, &policy, &request, &actor, now).await? {
                    // One is pending already (the insert found it): that one gets a fresh link.
                    let existing = find_pending(&mut **tx, email, resource.id)
                        .await?
                        .ok_or(StoreError::Conflict)?;
                    resend_status_link(tx, &mail, &resource, &existing, &actor, now).await?;
                }
                Ok(Ok(Submitted::Received))
            }
        }
    }
}

/// The stored form of a new request.
struct NewRequestRow {
    resource_id: i64,
    email: String,
    display_name: String,
    organisation: String,
    justification: String,
    answers: String,
    terms_version: Option<i64>,
    policy: String,
    timeout_seconds: i64,
}

impl NewRequestRow {
    fn from_input(
        resource: &ResourceRecord,
        policy: &Policy,
        email: &str,
        display_name: &str,
        input: &AccessRequestInput,
        answers: &[super::access_requests::Answer],
    ) -> Self {
        NewRequestRow {
            resource_id: resource.id,
            email: email.to_string(),
            display_name: display_name.to_string(),
            organisation: input.organisation.trim().to_string(),
            justification: input.justification.trim().to_string(),
            answers: serde_json::to_string(answers).unwrap_or_else(|_| "[]".into()),
            terms_version: policy.terms.as_ref().map(|t| i64::from(t.version)),
            policy: policy_json(policy),
            timeout_seconds: i64::from(policy.decision_timeout_days) * 86_400,
        }
    }

    fn row<'a>(&'a self, token_hash: &'a str, state: &'a str, now: i64) -> NewAccessRequest<'a> {
        NewAccessRequest {
            resource_id: self.resource_id,
            email: &self.email,
            display_name: &self.display_name,
            organisation: &self.organisation,
            justification: &self.justification,
            answers: &self.answers,
            terms_version: self.terms_version,
            policy: &self.policy,
            state,
            status_token_hash: token_hash,
            decide_by: now + self.timeout_seconds,
        }
    }
}

/// Opens a pending request: false (and nothing written) when the email has one pending already.
async fn open_request(
    tx: &mut Tx,
    mail: &MailContext,
    resource: &ResourceRecord,
    policy: &Policy,
    request: &NewRequestRow,
    actor: &Actor,
    now: i64,
) -> Result<bool, StoreError> {
    let token = new_token();
    let Some(request_id) = insert_request(tx, &request.row(&token.hash, "pending", now), now).await? else {
        return Ok(false);
    };
    let approvers = stage_approvers(tx, policy, 1, resource.id, &request.email).await?;
    let ids: Vec<i64> = approvers.iter().map(|(id, _)| *id).collect();
    insert_approval_tasks(tx, request_id, 1, &ids, now).await?;
    let mut messages =
        vec![mail.request_received(&request.email, &resource.name, &format!("/status/{}", token.raw))];
    messages.extend(approvers.iter().map(|(_, approver_email)| {
        mail.approval_needed(
            approver_email,
            &request.display_name,
            &request.organisation,
            &resource.name,
            &format!("/review/{request_id}"),
        )
    }));
    enqueue_all(tx, &messages, now).await?;
    let event = AuditEvent::new(actor, actions::REQUEST_CREATED, now)
        .target("access_request", request_id, &request.email)
        .resource(resource.id)
        .details(json!({ "stage": 1, "approvers": ids }));
    insert_audit_event(tx, &event).await?;
    Ok(true)
}

/// A second request while one is pending creates nothing: the person gets a fresh status link.
async fn resend_status_link(
    tx: &mut Tx,
    mail: &MailContext,
    resource: &ResourceRecord,
    existing: &AccessRequestRecord,
    actor: &Actor,
    now: i64,
) -> Result<(), StoreError> {
    let token = new_token();
    replace_status_token(tx, existing.id, &token.hash, now).await?;
    let message =
        mail.request_still_pending(&existing.email, &resource.name, &format!("/status/{}", token.raw));
    enqueue(tx, &message, now).await?;
    let event = AuditEvent::new(actor, actions::REQUEST_RESUBMITTED, now)
        .target("access_request", existing.id, &existing.email)
        .resource(resource.id);
    insert_audit_event(tx, &event).await?;
    Ok(())
}

/// A request seen through its private status link.
pub async fn request_by_status_token(
    store: &Store,
    raw_token: &str,
) -> Result<(AccessRequestRecord, ResourceRecord), RequestError> {
    if !looks_like_token(raw_token) {
        return Err(RequestError::NotFound);
    }
    let request = find_by_status_token(store.read(), &hash_token(raw_token))
        .await?
        .ok_or(RequestError::NotFound)?;
    let resource = find_by_id(store.read(), request.resource_id)
        .await?
        .ok_or(RequestError::NotFound)?;
    Ok((request, resource))
}

/// The partner withdraws a request that is still pending.
pub async fn cancel_request(
    store: &Store,
    clock: &dyn Clock,
    raw_token: &str,
    client_ip: &str,
) -> Result<(), RequestError> {
    let (request, resource) = request_by_status_token(store, raw_token).await?;
    if RequestState::parse(&request.state) != Some(RequestState::Pending) {
        return Err(RequestError::NotPending);
    }
    let now = clock.now();
    let mut tx = store.begin().await?;
    if !close_request(&mut tx, request.id, None, RequestState::Cancelled.as_str(), now).await? {
        return Err(RequestError::NotPending);
    }
    delete_approval_tasks(&mut tx, request.id).await?;
    let event = AuditEvent::new(
        &Actor::anonymous(&request.email, client_ip),
        actions::REQUEST_CANCELLED,
        now,
    )
    .target("access_request", request.id, &request.email)
    .resource(resource.id);
    insert_audit_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(())
}
