//! Submitting, following and withdrawing access requests.

use crate::audit::record_event;
use crate::mail::MailContext;
use crate::requests::submission_write::{NewRequestRow, Submission};
use crate::tokens::{hash_token, looks_like_token};
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Clock;
use rules::email::normalise_email;
use rules::error::FieldErrors;
use rules::requests::access_request::{AccessRequestInput, RequestState};
use rules::requests::policy::{decide_request, Policy, PolicyDecision};
use storage::administration::resources::{find_by_id, ResourceRecord};
use storage::approvals::tasks::delete_approval_tasks;
use storage::requests::access_requests::{close_request, find_by_status_token, AccessRequestRecord};
use storage::{commit, Store, StoreError};

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
    language: &str,
) -> Result<Submitted, RequestError> {
    let (resource, policy) = requestable_resource(store, slug).await?;
    let answers = input.check(&policy).map_err(RequestError::Invalid)?;
    let email = normalise_email(&input.email)
        .map_err(|m| RequestError::Invalid(FieldErrors::new().with("email", m)))?;
    let request = NewRequestRow::new(&resource, &policy, &email, &input, &answers, language);
    let decision = decide_request(&email, &policy);
    let makes_tasks = decision == PolicyDecision::PendingAtStageOne;
    let submission = Submission {
        decision,
        actor: Actor::anonymous(&email, client_ip),
        mail: mail.clone(),
        resource,
        policy,
        request,
        now: clock.now(),
    };
    // Submissions are the portal's busiest write: those that arrive together are written
    // together (see submission_write.rs).
    let submitted = store.write_batched(submission).await?;
    if makes_tasks {
        store.reviews_changed();
    }
    submitted
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
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    store.reviews_changed();
    Ok(())
}
