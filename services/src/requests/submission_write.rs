//! Writing request submissions, many at a time.
//!
//! Submissions are the portal's busiest write. Each is decided before the write begins (see
//! request_service.rs) and then written through the store's batch writer (store/batch_writer.rs):
//! the submissions waiting together are written with one multi-row statement per table (their
//! requests, approval tasks, emails, audit events and webhook deliveries) in one transaction.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use futures::future::BoxFuture;
use serde_json::json;

use crate::approvals::approvers::{approvers_among, stage_candidates_of};
use crate::audit::{record_event, record_events};
use crate::invitations::issue::{issue_invitation, InvitationToIssue};
use crate::mail::{MailContext, Recipient};
use crate::requests::submission::{RequestError, Submitted};
use crate::tokens::{new_token, NewToken};
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Timestamp;
use rules::email::email_domain;
use rules::invitations::invitation::InvitationSource;
use rules::requests::access_request::{AccessRequestInput, Answer};
use rules::requests::policy::{Policy, PolicyDecision};
use storage::accounts::account::Contact;
use storage::administration::resources::ResourceRecord;
use storage::approvals::tasks::insert_approval_tasks_for;
use storage::batch_writer::BatchWrite;
use storage::outbox::{enqueue, enqueue_timed, OutboxMessage};
use storage::requests::access_requests::{
    find_pending, insert_request, insert_requests, replace_status_token, NewAccessRequest,
};
use storage::requests::policies::policy_json;
use storage::{StoreError, StoreResult, Tx};

/// Everything one submission writes, decided before the write begins.
pub(super) struct Submission {
    pub decision: PolicyDecision,
    pub actor: Actor,
    pub mail: MailContext,
    pub resource: ResourceRecord,
    pub policy: Policy,
    pub request: NewRequestRow,
    pub now: Timestamp,
}

/// What a submission's caller is told: a refusal by policy is written too (its audit event) and
/// answered as the inner error, so it is committed like any other outcome.
type Outcome = Result<Submitted, RequestError>;

impl BatchWrite for Submission {
    type Answer = Outcome;

    fn write_all<'t>(tx: &'t mut Tx, items: &'t [Self]) -> BoxFuture<'t, StoreResult<Vec<Outcome>>> {
        Box::pin(write_submissions(tx, items))
    }
}

async fn write_submissions(tx: &mut Tx, submissions: &[Submission]) -> StoreResult<Vec<Outcome>> {
    let mut outcomes: Vec<Option<Outcome>> = submissions.iter().map(|_| None).collect();
    let mut events = Vec::new();
    let mut opening = Vec::new();
    for (n, submission) in submissions.iter().enumerate() {
        match &submission.decision {
            PolicyDecision::Deny(reason) => {
                let Submission {
                    resource, request, ..
                } = submission;
                let event = AuditEvent::new(
                    &submission.actor,
                    actions::REQUEST_REFUSED_BY_POLICY,
                    submission.now,
                )
                .target("resource", resource.id, &resource.name)
                .resource(resource.id)
                .details(json!({ "reason": format!("{reason:?}"), "email": request.email }));
                events.push(event);
                let message = reason.message(email_domain(&request.email), &resource.name);
                outcomes[n] = Some(Err(RequestError::Refused(message)));
            }
            PolicyDecision::AutoApprove => {
                submission.approve_at_once(tx).await?;
                outcomes[n] = Some(Ok(Submitted::Invited));
            }
            PolicyDecision::PendingAtStageOne => opening.push(n),
        }
    }
    let pending_already = open_requests(tx, submissions, &opening, &mut events).await?;
    record_events(tx, &events).await?;
    for n in opening {
        outcomes[n] = Some(Ok(Submitted::Received));
    }
    // One is pending already (the insert turned it away): that one gets a fresh link.
    for n in pending_already {
        submissions[n].resend_status_link(tx).await?;
    }
    outcomes
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .ok_or(StoreError::Conflict)
}

/// Opens the pending requests of `opening` (indexes into `submissions`) with their approval
/// tasks and emails, and adds their audit events to `events`. Answers the indexes of those the
/// insert turned away because the email has a request pending for the resource already.
async fn open_requests(
    tx: &mut Tx,
    submissions: &[Submission],
    opening: &[usize],
    events: &mut Vec<AuditEvent>,
) -> StoreResult<Vec<usize>> {
    let tokens: Vec<NewToken> = opening.iter().map(|_| new_token()).collect();
    let rows: Vec<NewAccessRequest> = opening
        .iter()
        .zip(&tokens)
        .map(|(n, token)| {
            submissions[*n]
                .request
                .row(&token.hash, "pending", submissions[*n].now)
        })
        .collect();
    let timed: Vec<(&NewAccessRequest, Timestamp)> = rows
        .iter()
        .zip(opening)
        .map(|(row, n)| (row, submissions[*n].now))
        .collect();
    let ids = insert_requests(tx, &timed).await?;

    let (candidates, keys) = first_stage_candidates(tx, submissions, opening, &ids).await?;
    let mut tasks = Vec::new();
    let mut messages: Vec<(OutboxMessage, Timestamp)> = Vec::new();
    let mut turned_away = Vec::new();
    for ((n, token), id) in opening.iter().zip(&tokens).zip(ids) {
        let Submission {
            resource,
            request,
            actor,
            now,
            ..
        } = &submissions[*n];
        let Some(request_id) = id else {
            turned_away.push(*n);
            continue;
        };
        let key = keys[&(resource.id, request.policy.as_str())];
        let approvers = approvers_among(tx, &candidates[key], &request.email).await?;
        tasks.extend(approvers.iter().map(|approver| (request_id, approver.id, *now)));
        messages.extend(opening_mail(&submissions[*n], &token.raw, request_id, &approvers));
        let ids: Vec<i64> = approvers.iter().map(|approver| approver.id).collect();
        events.push(
            AuditEvent::new(actor, actions::REQUEST_CREATED, *now)
                .target("access_request", request_id, &request.email)
                .resource(resource.id)
                .details(json!({ "stage": 1, "approvers": ids })),
        );
    }
    insert_approval_tasks_for(tx, 1, &tasks).await?;
    let messages: Vec<(&OutboxMessage, Timestamp)> = messages.iter().map(|(m, at)| (m, *at)).collect();
    enqueue_timed(tx, &messages).await?;
    Ok(turned_away)
}

/// Who may be asked at the first stage, found once per resource and policy (the same for every
/// request of them), in one query for all that go by their owners. Answers the candidates and,
/// for each (resource, policy), the index of its list.
async fn first_stage_candidates<'a>(
    tx: &mut Tx,
    submissions: &'a [Submission],
    opening: &[usize],
    ids: &[Option<i64>],
) -> StoreResult<(Vec<Vec<Contact>>, HashMap<(i64, &'a str), usize>)> {
    let mut wanted: Vec<(i64, &Policy)> = Vec::new();
    let mut keys: HashMap<(i64, &str), usize> = HashMap::new();
    for (n, id) in opening.iter().zip(ids) {
        let Submission {
            resource,
            policy,
            request,
            ..
        } = &submissions[*n];
        if id.is_some() {
            if let Entry::Vacant(slot) = keys.entry((resource.id, request.policy.as_str())) {
                slot.insert(wanted.len());
                wanted.push((resource.id, policy));
            }
        }
    }
    Ok((stage_candidates_of(tx, 1, &wanted).await?, keys))
}

/// The mail a newly opened request sends: its status link to the partner, and a request to
/// decide to each approver.
fn opening_mail(
    submission: &Submission,
    status_token: &str,
    request_id: i64,
    approvers: &[Contact],
) -> Vec<(OutboxMessage, Timestamp)> {
    let Submission {
        mail,
        resource,
        request,
        now,
        ..
    } = submission;
    let status_path = format!("/status/{status_token}");
    let review_path = format!("/review/{request_id}");
    let mut messages = vec![(
        mail.request_received(request.recipient(), &resource.name, &status_path),
        *now,
    )];
    messages.extend(approvers.iter().map(|approver| {
        let message = mail.approval_needed(
            Recipient::new(&approver.email, &approver.language),
            &request.display_name,
            &request.organisation,
            &resource.name,
            &review_path,
        );
        (message, *now)
    }));
    messages
}

impl Submission {
    /// The policy approves at once: the request is written approved and the invitation sent.
    async fn approve_at_once(&self, tx: &mut Tx) -> StoreResult<()> {
        let Submission {
            actor,
            mail,
            resource,
            policy,
            request,
            now,
            ..
        } = self;
        let token = new_token();
        let request_id = insert_request(tx, &request.row(&token.hash, "approved", *now), *now)
            .await?
            .ok_or(StoreError::Conflict)?; // only pending requests can collide
        let event = AuditEvent::new(actor, actions::REQUEST_AUTO_APPROVED, *now)
            .target("access_request", request_id, &request.email)
            .resource(resource.id);
        record_event(tx, &event).await?;
        let invitation = InvitationToIssue {
            resource,
            email: &request.email,
            display_name: &request.display_name,
            source: InvitationSource::AutoApprove,
            request_id: Some(request_id),
            inviter_name: &mail.portal_name,
            invited_by_account_id: None,
            message: "",
            language: &request.language,
            policy,
            redirect_url: "",
            send_email: true,
        };
        issue_invitation(tx, mail, &invitation, &Actor::system(), *now).await?;
        Ok(())
    }

    /// A second request while one is pending creates nothing: the person gets a fresh status
    /// link for the one pending.
    async fn resend_status_link(&self, tx: &mut Tx) -> StoreResult<()> {
        let Submission {
            actor,
            mail,
            resource,
            request,
            now,
            ..
        } = self;
        let existing = find_pending(&mut **tx, &request.email, resource.id)
            .await?
            .ok_or(StoreError::Conflict)?;
        let token = new_token();
        replace_status_token(tx, existing.id, &token.hash, *now).await?;
        let status_path = format!("/status/{}", token.raw);
        // In the language the person asks in now.
        let to = Recipient::new(&existing.email, &request.language);
        let message = mail.request_still_pending(to, &resource.name, &status_path);
        enqueue(tx, &message, *now).await?;
        let event = AuditEvent::new(actor, actions::REQUEST_RESUBMITTED, *now)
            .target("access_request", existing.id, &existing.email)
            .resource(resource.id);
        record_event(tx, &event).await?;
        Ok(())
    }
}

/// The stored form of a new request.
pub(super) struct NewRequestRow {
    resource_id: i64,
    email: String,
    display_name: String,
    organisation: String,
    justification: String,
    answers: String,
    terms_version: Option<i64>,
    policy: String,
    timeout_seconds: i64,
    language: String,
}

impl NewRequestRow {
    /// `email` is the normalised address; `language` the page's when the partner asked.
    pub fn new(
        resource: &ResourceRecord,
        policy: &Policy,
        email: &str,
        input: &AccessRequestInput,
        answers: &[Answer],
        language: &str,
    ) -> Self {
        NewRequestRow {
            resource_id: resource.id,
            email: email.to_string(),
            display_name: input.display_name.trim().to_string(),
            organisation: input.organisation.trim().to_string(),
            justification: input.justification.trim().to_string(),
            answers: serde_json::to_string(answers).unwrap_or_else(|_| "[]".into()),
            terms_version: policy.terms.as_ref().map(|t| i64::from(t.version)),
            policy: policy_json(policy),
            timeout_seconds: i64::from(policy.decision_timeout_days) * 86_400,
            language: language.to_string(),
        }
    }

    /// The partner, as their emails about this request address them.
    fn recipient(&self) -> Recipient<'_> {
        Recipient::new(&self.email, &self.language)
    }

    fn row<'a>(&'a self, token_hash: &'a str, state: &'a str, now: Timestamp) -> NewAccessRequest<'a> {
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
            language: &self.language,
        }
    }
}
