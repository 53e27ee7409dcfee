//! Approvers decide: one decision per approver and stage, the request moves on exactly once,
//! and the last approval turns it into an invitation.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::approvals::approvers::stage_approvers;
use crate::audit::record_event;
use crate::invitations::issue::{issue_invitation, InvitationToIssue};
use crate::mail::{MailContext, Recipient};
use crate::mfa::requirement::asks_second_factor;
use rules::approvals::who_decides::{may_decide, MayDecide, Standing, WhyNot};
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Clock;
use rules::error::FieldErrors;
use rules::invitations::invitation::InvitationSource;
use rules::requests::access_request::RequestState;
use rules::requests::policy::StageRule;
use storage::accounts::account::AccountRecord;
use storage::administration::resources::{find_by_id, ResourceRecord};
use storage::approvals::decisions::{insert_decision, list_decisions, NewDecision};
use storage::approvals::tasks::{
    delete_approval_task, delete_approval_tasks, insert_approval_tasks, is_open_approver,
    open_approver_names, open_approvers,
};
use storage::outbox::enqueue;
use storage::requests::access_requests::{
    advance_stage, close_request, find_for_update, AccessRequestRecord,
};
use storage::requests::policies::parse_policy;
use storage::{commit, Store, StoreError, Tx};

pub const JUSTIFICATION_MAX_CHARS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Approve,
    Deny,
}

impl Outcome {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "approve" => Some(Outcome::Approve),
            "deny" => Some(Outcome::Deny),
            _ => None,
        }
    }

    fn stored(self) -> &'static str {
        match self {
            Outcome::Approve => "approved",
            Outcome::Deny => "denied",
        }
    }
}

/// The justification rule: required to deny, bounded always.
pub fn check_justification(outcome: Outcome, justification: &str) -> Result<(), String> {
    let length = justification.trim().chars().count();
    if outcome == Outcome::Deny && length == 0 {
        Err("@say_why_you_deny".into())
    } else if length > JUSTIFICATION_MAX_CHARS {
        Err(rules::message::with(
            "too_long",
            &[("max", &JUSTIFICATION_MAX_CHARS.to_string())],
        ))
    } else {
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error("no such request")]
    NotFound,
    /// The wording people read, on the review page and in the API alike.
    #[error("@already_decided_stage")]
    AlreadyDecided,
    #[error("@not_among_approvers")]
    NotAnApprover,
    #[error("@nobody_decides_own")]
    OwnRequest,
    /// The resource's policy asks for a second factor, and this session has given none.
    #[error("@second_factor_needed_to_decide")]
    SecondFactorNeeded,
    #[error("the form has errors")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decided {
    /// This stage needs more approvals; yours is recorded.
    Recorded,
    /// The request moved on to this stage.
    MovedToStage(i64),
    /// Final approval: the partner has been invited.
    Approved,
    Denied,
}

/// One approver's answer to one request.
#[derive(Debug, Clone)]
pub struct DecisionInput {
    pub request_id: i64,
    pub outcome: Outcome,
    pub justification: String,
    /// An admin who is not an approver of the stage decides it in place of its approvers
    /// (who are away): the decision completes the stage and names them.
    pub in_place: bool,
    /// The approver's session has given a second factor (an API token never has).
    pub second_factor_given: bool,
}

pub async fn decide(
    store: &Store,
    clock: &dyn Clock,
    mail: &MailContext,
    approver: &AccountRecord,
    input: &DecisionInput,
    actor: &Actor,
) -> Result<Decided, DecideError> {
    let (request_id, outcome, justification) =
        (input.request_id, input.outcome, input.justification.as_str());
    check_justification(outcome, justification).map_err(|m| {
        DecideError::Invalid(
            FieldErrors::new()
                .with("justification", m)
                .echo(&[("justification", justification)]),
        )
    })?;
    let justification = justification.trim();
    let now = clock.now();
    let mut tx = store.begin().await?;
    let request = find_for_update(&mut tx, store.engine(), request_id)
        .await?
        .ok_or(DecideError::NotFound)?;
    let in_place_of = check_may_decide(&mut tx, &request, approver, input.in_place).await?;
    if !input.second_factor_given && asks_second_factor(&mut tx, request.resource_id).await? {
        return Err(DecideError::SecondFactorNeeded);
    }
    let decision = NewDecision {
        request_id: request.id,
        stage: request.stage,
        approver: approver.id,
        outcome: outcome.stored(),
        justification,
        in_place_of: &in_place_of,
    };
    record_decision(&mut tx, &request, &decision, actor, now).await?;
    let result = match outcome {
        Outcome::Deny => deny(&mut tx, mail, &request, justification, actor, now).await?,
        Outcome::Approve => {
            after_approval(&mut tx, mail, &request, approver, &in_place_of, actor, now).await?
        }
    };
    commit(tx).await?;
    store.reviews_changed();
    Ok(result)
}

/// Asks the rule whether `approver` may decide the request at its current stage; answers the
/// names they decide in place of (empty when they are one of the stage's approvers).
async fn check_may_decide(
    tx: &mut Tx,
    request: &AccessRequestRecord,
    approver: &AccountRecord,
    in_place: bool,
) -> Result<String, DecideError> {
    let stage = request.stage;
    let is_open = is_open_approver(&mut **tx, request.id, stage, approver.id).await?;
    let decided_this_stage = !is_open
        && list_decisions(&mut **tx, request.id)
            .await?
            .iter()
            .any(|d| d.stage == stage && d.approver_account_id == approver.id);
    let standing = Standing {
        is_pending: RequestState::parse(&request.state) == Some(RequestState::Pending),
        is_own_request: request.email == approver.email,
        is_open_approver: is_open,
        decided_this_stage,
        is_admin: approver.is_admin(),
    };
    match may_decide(standing) {
        MayDecide::AsApprover => Ok(String::new()),
        MayDecide::InPlaceOfApprovers if in_place => {
            let names = open_approver_names(&mut **tx, request.id, stage)
                .await?
                .join(", ");
            Ok(if names.is_empty() {
                "the stage's approvers".to_string()
            } else {
                names
            })
        }
        MayDecide::InPlaceOfApprovers | MayDecide::No(WhyNot::NotAnApprover) => {
            Err(DecideError::NotAnApprover)
        }
        MayDecide::No(WhyNot::OwnRequest) => Err(DecideError::OwnRequest),
        MayDecide::No(WhyNot::Closed | WhyNot::DecidedThisStage) => Err(DecideError::AlreadyDecided),
    }
}

/// Stores the decision (at most one per approver and stage), ends the approver's task and
/// records the audit event.
async fn record_decision(
    tx: &mut Tx,
    request: &AccessRequestRecord,
    decision: &NewDecision<'_>,
    actor: &Actor,
    now: i64,
) -> Result<(), DecideError> {
    match insert_decision(tx, decision, now).await {
        Err(StoreError::Conflict) => return Err(DecideError::AlreadyDecided),
        other => other?,
    }
    delete_approval_task(tx, request.id, decision.stage, decision.approver).await?;
    let (stage, outcome, justification) = (decision.stage, decision.outcome, decision.justification);
    let (action, details) = if decision.in_place_of.is_empty() {
        (
            actions::DECISION_RECORDED,
            json!({ "stage": stage, "outcome": outcome, "justification": justification }),
        )
    } else {
        (
            actions::DECISION_IN_PLACE,
            json!({ "stage": stage, "outcome": outcome, "justification": justification,
                    "in_place_of": decision.in_place_of }),
        )
    };
    let event = AuditEvent::new(actor, action, now)
        .target("access_request", request.id, &request.email)
        .resource(request.resource_id)
        .details(details);
    record_event(tx, &event).await?;
    Ok(())
}

/// After an approval: wait for the stage's other approvers (when all must approve), move on to
/// the next stage, or, at the last one, approve the request and invite the partner.
async fn after_approval(
    tx: &mut Tx,
    mail: &MailContext,
    request: &AccessRequestRecord,
    approver: &AccountRecord,
    in_place_of: &str,
    actor: &Actor,
    now: i64,
) -> Result<Decided, DecideError> {
    let stage = request.stage;
    let policy = parse_policy(&request.policy);
    let rule = policy.stage(stage).map(|s| s.rule).unwrap_or(StageRule::AnyOne);
    // Standing in completes the stage: nobody else is waited for.
    let waiting_for_others = in_place_of.is_empty()
        && rule == StageRule::Everyone
        && !open_approvers(&mut **tx, request.id, stage).await?.is_empty();
    Ok(if waiting_for_others {
        Decided::Recorded
    } else if stage < policy.stage_count() {
        move_to_next_stage(tx, mail, request, &policy, actor, now).await?
    } else {
        approve(tx, mail, request, &policy, approver, actor, now).await?
    })
}

async fn deny(
    tx: &mut Tx,
    mail: &MailContext,
    request: &AccessRequestRecord,
    justification: &str,
    actor: &Actor,
    now: i64,
) -> Result<Decided, DecideError> {
    let resource = close_at_current_stage(tx, request, RequestState::Denied, now).await?;
    enqueue(
        tx,
        &mail.request_denied(
            Recipient::new(&request.email, &request.language),
            &resource.name,
            justification,
        ),
        now,
    )
    .await?;
    let event = AuditEvent::new(actor, actions::REQUEST_DENIED, now)
        .target("access_request", request.id, &request.email)
        .resource(request.resource_id)
        .details(json!({ "stage": request.stage }));
    record_event(tx, &event).await?;
    Ok(Decided::Denied)
}

/// Closes a request still at the stage it was read at, ends its approval tasks, and returns its
/// resource; `AlreadyDecided` when someone else moved it first.
async fn close_at_current_stage(
    tx: &mut Tx,
    request: &AccessRequestRecord,
    state: RequestState,
    now: i64,
) -> Result<ResourceRecord, DecideError> {
    if !close_request(tx, request.id, Some(request.stage), state.as_str(), now).await? {
        return Err(DecideError::AlreadyDecided);
    }
    delete_approval_tasks(tx, request.id).await?;
    find_by_id(&mut **tx, request.resource_id)
        .await?
        .ok_or(DecideError::NotFound)
}

async fn move_to_next_stage(
    tx: &mut Tx,
    mail: &MailContext,
    request: &AccessRequestRecord,
    policy: &rules::requests::policy::Policy,
    actor: &Actor,
    now: i64,
) -> Result<Decided, DecideError> {
    if !advance_stage(tx, request.id, request.stage, now).await? {
        return Err(DecideError::AlreadyDecided);
    }
    delete_approval_tasks(tx, request.id).await?;
    let next = request.stage + 1;
    let approvers = stage_approvers(tx, policy, next, request.resource_id, &request.email).await?;
    let ids: Vec<i64> = approvers.iter().map(|approver| approver.id).collect();
    insert_approval_tasks(tx, request.id, next, &ids, now).await?;
    let resource = find_by_id(&mut **tx, request.resource_id)
        .await?
        .ok_or(DecideError::NotFound)?;
    for approver in &approvers {
        let message = mail.approval_needed(
            Recipient::new(&approver.email, &approver.language),
            &request.display_name,
            &request.organisation,
            &resource.name,
            &format!("/review/{}", request.id),
        );
        enqueue(tx, &message, now).await?;
    }
    let event = AuditEvent::new(actor, actions::REQUEST_ADVANCED, now)
        .target("access_request", request.id, &request.email)
        .resource(request.resource_id)
        .details(json!({ "stage": next, "approvers": ids }));
    record_event(tx, &event).await?;
    Ok(Decided::MovedToStage(next))
}

async fn approve(
    tx: &mut Tx,
    mail: &MailContext,
    request: &AccessRequestRecord,
    policy: &rules::requests::policy::Policy,
    approver: &AccountRecord,
    actor: &Actor,
    now: i64,
) -> Result<Decided, DecideError> {
    let resource = close_at_current_stage(tx, request, RequestState::Approved, now).await?;
    let event = AuditEvent::new(actor, actions::REQUEST_APPROVED, now)
        .target("access_request", request.id, &request.email)
        .resource(request.resource_id);
    record_event(tx, &event).await?;
    let invitation = InvitationToIssue {
        resource: &resource,
        email: &request.email,
        display_name: &request.display_name,
        source: InvitationSource::Request,
        request_id: Some(request.id),
        inviter_name: &approver.display_name,
        invited_by_account_id: Some(approver.id),
        message: "",
        // The partner's language when they asked.
        language: &request.language,
        policy,
        redirect_url: "",
        send_email: true,
    };
    issue_invitation(tx, mail, &invitation, actor, now).await?;
    Ok(Decided::Approved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_denial_needs_a_reason_and_an_approval_does_not() {
        assert!(check_justification(Outcome::Deny, "  ").is_err());
        assert!(check_justification(Outcome::Deny, "Not a current partner.").is_ok());
        assert!(check_justification(Outcome::Approve, "").is_ok());
        assert!(check_justification(Outcome::Approve, &"x".repeat(2001)).is_err());
    }
}
