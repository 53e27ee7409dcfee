//! The approvers' side: the review queue, one request in detail, and the decision.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;
use rules::requests::access_request::{Answer, RequestState};

pub const QUEUE_PAGE_SIZE: i64 = 25;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub request_id: i64,
    pub resource_name: String,
    pub email: String,
    pub display_name: String,
    pub organisation: String,
    pub stage: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewQueue {
    pub items: Vec<ReviewItem>,
    /// Cursor of the next page, if there is one.
    pub next: Option<String>,
    /// The resources the filter offers (id, name).
    pub resources: Vec<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub stage: i64,
    pub approver_name: String,
    pub approved: bool,
    pub justification: String,
    /// The approvers an admin decided in place of, or empty.
    pub in_place_of: String,
    pub decided_at: i64,
}

/// One step of a request's history, from the audit log.
/// Why the reader may not decide a request; the page words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoDecision {
    OwnRequest,
    Closed(RequestState),
    DecidedThisStage,
    NotAnApprover,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailStep {
    pub at: i64,
    pub actor: String,
    /// The audit action, worded by the page in the reader's language.
    pub action: String,
    /// The approval stage it concerned, if any.
    pub stage: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDetail {
    pub request_id: i64,
    pub resource_name: String,
    pub email: String,
    pub display_name: String,
    pub organisation: String,
    pub justification: String,
    pub answers: Vec<Answer>,
    pub terms_version: Option<i64>,
    pub state: RequestState,
    pub stage: i64,
    pub stage_count: i64,
    pub created_at: i64,
    pub decide_by: i64,
    /// The server's time, for "in 3 days".
    pub now: i64,
    pub decisions: Vec<DecisionView>,
    pub trail: Vec<TrailStep>,
    /// Whether the viewer may decide now; otherwise why not.
    pub can_decide: bool,
    pub why_not: Option<NoDecision>,
    /// The resource asks for a second factor this session has not given: the page sends the
    /// reader to give it before the decision form.
    pub second_factor_first: bool,
    /// When the viewer is an admin who would decide in place of the stage's approvers: their
    /// names (possibly none left).
    pub in_place_of: Option<Vec<String>>,
}

#[cfg(any(feature = "ssr", test))]
fn parse_cursor(cursor: &str) -> Option<(i64, i64)> {
    let (time, id) = cursor.split_once('.')?;
    Some((time.parse().ok()?, id.parse().ok()?))
}

#[server(prefix = "/api", endpoint = "review_queue")]
pub async fn get_review_queue(resource: Option<i64>, after: Option<String>) -> Result<ReviewQueue, AppError> {
    use crate::api::session::require_account;
    use services::approvals::review::queue;

    let (state, _, account) = require_account().await?;
    let after = after.as_deref().and_then(parse_cursor);
    let page = queue(&state.store, &account, resource, after, QUEUE_PAGE_SIZE).await?;
    Ok(ReviewQueue {
        items: page
            .rows
            .into_iter()
            .map(|r| ReviewItem {
                request_id: r.request_id,
                resource_name: r.resource_name,
                email: r.email,
                display_name: r.display_name,
                organisation: r.organisation,
                stage: r.stage,
                created_at: r.created_at,
            })
            .collect(),
        next: page.next.map(|(time, id)| format!("{time}.{id}")),
        resources: page.resources.into_iter().map(|r| (r.id, r.name)).collect(),
    })
}

#[server(prefix = "/api", endpoint = "review_detail")]
pub async fn get_review_detail(request_id: i64) -> Result<ReviewDetail, AppError> {
    use crate::api::session::{audit_refusal, internal, require_second_factor_for, require_sign_in_record};
    use services::approvals::review::{request_in_review, ReviewError};

    let (state, _, record) = require_sign_in_record().await?;
    let account = record.account.clone();
    let seen = match request_in_review(&state.store, &account, request_id).await {
        Ok(seen) => seen,
        Err(ReviewError::NotFound) => return Err(AppError::NotFound),
        Err(ReviewError::NotInvolved) => {
            audit_refusal(&state, &account, &format!("access request {request_id}")).await;
            return Err(AppError::Forbidden);
        }
        Err(ReviewError::Store(error)) => return Err(internal(error)),
    };
    let why_not = why_not(seen.may, seen.state);
    let second_factor_first = why_not.is_none()
        && require_second_factor_for(&state, &record, seen.resource.id)
            .await
            .is_err();
    let request = seen.request;
    Ok(ReviewDetail {
        second_factor_first,
        request_id: request.id,
        resource_name: seen.resource.name,
        answers: serde_json::from_str(&request.answers).unwrap_or_default(),
        terms_version: request.terms_version,
        state: seen.state,
        stage: request.stage,
        stage_count: seen.stage_count,
        created_at: request.created_at,
        decide_by: request.decide_by,
        now: state.clock.now(),
        decisions: seen.decisions.into_iter().map(decision_view).collect(),
        trail: seen.trail.into_iter().map(trail_step).collect(),
        can_decide: why_not.is_none(),
        why_not,
        in_place_of: seen.in_place_of,
        email: request.email,
        display_name: request.display_name,
        organisation: request.organisation,
        justification: request.justification,
    })
}

#[cfg(feature = "ssr")]
fn decision_view(d: storage::approvals::decisions::DecisionRow) -> DecisionView {
    DecisionView {
        stage: d.stage,
        approver_name: d.approver_name,
        approved: d.outcome == "approved",
        justification: d.justification,
        in_place_of: d.in_place_of,
        decided_at: d.decided_at,
    }
}

/// Why the page offers no decision (`None`: it does).
#[cfg(feature = "ssr")]
fn why_not(may: rules::approvals::who_decides::MayDecide, request_state: RequestState) -> Option<NoDecision> {
    use rules::approvals::who_decides::{MayDecide, WhyNot};
    match may {
        MayDecide::AsApprover | MayDecide::InPlaceOfApprovers => None,
        MayDecide::No(WhyNot::OwnRequest) => Some(NoDecision::OwnRequest),
        MayDecide::No(WhyNot::Closed) => Some(NoDecision::Closed(request_state)),
        MayDecide::No(WhyNot::DecidedThisStage) => Some(NoDecision::DecidedThisStage),
        MayDecide::No(WhyNot::NotAnApprover) => Some(NoDecision::NotAnApprover),
    }
}

/// One line of the request's history, from its audit event.
#[cfg(feature = "ssr")]
fn trail_step(event: storage::audit::audit_events::AuditRow) -> TrailStep {
    let stage = serde_json::from_str::<serde_json::Value>(&event.details)
        .ok()
        .and_then(|d| d.get("stage").and_then(|s| s.as_i64()));
    TrailStep {
        at: event.occurred_at,
        actor: event.actor,
        action: event.action,
        stage,
    }
}

/// `outcome` is "approve" or "deny" (the button pressed).
#[server(prefix = "/api", endpoint = "decide_request")]
pub async fn decide_request(
    request_id: i64,
    outcome: String,
    justification: String,
    /// Present when an admin decides in place of the stage's approvers.
    #[server(default)]
    in_place: Option<String>,
) -> Result<(), AppError> {
    use crate::api::session::{audit_refusal, client_ip, internal, mail_context, require_sign_in_record};
    use rules::audit::event::Actor;
    use services::approvals::decide::{decide, DecideError, Decided, DecisionInput, Outcome};

    let (state, _, record) = require_sign_in_record().await?;
    let account = record.account;
    let outcome =
        Outcome::parse(&outcome).ok_or_else(|| AppError::invalid("outcome", "@choose_approve_deny"))?;
    let input = DecisionInput {
        request_id,
        outcome,
        justification,
        in_place: in_place.is_some(),
        second_factor_given: record.second_factor.is_some(),
    };
    match decide(
        &state.store,
        &*state.clock,
        &mail_context(&state),
        &account,
        &input,
        &Actor::account(account.id, &account.email, &client_ip()),
    )
    .await
    {
        Ok(decided) => {
            let said = match decided {
                Decided::Approved => "approved",
                Decided::Denied => "denied",
                Decided::MovedToStage(_) => "advanced",
                Decided::Recorded => "recorded",
            };
            if input.in_place {
                leptos_axum::redirect(&format!("/review/{request_id}?decided={said}"));
            } else {
                leptos_axum::redirect(&format!("/review?decided={said}"));
            }
            Ok(())
        }
        Err(DecideError::NotFound) => Err(AppError::NotFound),
        Err(error @ (DecideError::AlreadyDecided | DecideError::OwnRequest)) => {
            Err(AppError::Refused(error.to_string()))
        }
        Err(DecideError::NotAnApprover) => {
            audit_refusal(
                &state,
                &account,
                &format!("decision on access request {request_id}"),
            )
            .await;
            Err(AppError::Forbidden)
        }
        Err(DecideError::Invalid(errors)) => Err(AppError::Invalid(errors)),
        Err(DecideError::SecondFactorNeeded) => Err(AppError::SecondFactorNeeded),
        Err(DecideError::Store(error)) => Err(internal(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_cursor;

    #[test]
    fn cursors_are_time_dot_id() {
        assert_eq!(parse_cursor("1700.42"), Some((1700, 42)));
        assert_eq!(parse_cursor("garbage"), None);
    }
}
