//! Access requests by API: list, get with the decision trail, and decide as the token's admin.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use app::api::administration::lists::REQUEST_STATES;
use app::state::AppState;
use services::administration::lists;
use services::approvals::decide::{decide, DecideError, Decided, DecisionInput, Outcome};
use storage::administration::admin_lists::RequestListRow;

use super::auth::Caller;
use super::lists::{CommonFilter, Order, Page};
use crate::api_error::{ApiError, ApiId, ApiJson, ApiQuery, ErrorBody};

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Pending,
    Approved,
    Denied,
    Expired,
    Cancelled,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessRequest {
    pub id: i64,
    pub resource_id: i64,
    pub resource_name: String,
    pub email: String,
    pub display_name: String,
    pub organisation: String,
    /// `pending`, `approved`, `denied`, `expired` (not decided in time) or `cancelled`.
    pub state: String,
    /// The approval stage it is at (1-based).
    pub stage: i64,
    pub created_at: i64,
    /// Unix seconds; a pending request not decided by then expires.
    pub decide_by: i64,
    pub closed_at: Option<i64>,
}

impl From<RequestListRow> for AccessRequest {
    fn from(r: RequestListRow) -> Self {
        Self {
            id: r.id,
            resource_id: r.resource_id,
            resource_name: r.resource_name,
            email: r.email,
            display_name: r.display_name,
            organisation: r.organisation,
            state: r.state,
            stage: r.stage,
            created_at: r.created_at,
            decide_by: r.decide_by,
            closed_at: r.closed_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Decision {
    pub stage: i64,
    pub approver_name: String,
    pub approver_email: String,
    /// `approved` or `denied`.
    pub outcome: String,
    pub justification: String,
    /// The approvers an admin decided in place of (names); empty otherwise.
    pub in_place_of: String,
    pub decided_at: i64,
}

/// One entry of the request's history, from the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrailEntry {
    pub at: i64,
    pub actor: String,
    /// The audit action, e.g. `request.created`, `decision.recorded`, `request.approved`.
    pub action: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Answer {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestDetail {
    #[serde(flatten)]
    pub request: AccessRequest,
    /// Why the partner asked.
    pub justification: String,
    /// The answers to the policy's questions.
    pub answers: Vec<Answer>,
    pub decisions: Vec<Decision>,
    pub trail: Vec<TrailEntry>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    #[param(inline)]
    pub state: Option<RequestState>,
    #[param(minimum = 1)]
    pub resource_id: Option<i64>,
    /// Part of the partner's email address.
    #[param(max_length = 254)]
    pub email: Option<String>,
    #[param(value_type = Option<String>, format = Date)]
    pub created_from: Option<String>,
    #[param(value_type = Option<String>, format = Date)]
    pub created_to: Option<String>,
    #[param(inline)]
    pub order: Option<Order>,
    pub cursor: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

fn state_name(state: RequestState) -> &'static str {
    match state {
        RequestState::Pending => "pending",
        RequestState::Approved => "approved",
        RequestState::Denied => "denied",
        RequestState::Expired => "expired",
        RequestState::Cancelled => "cancelled",
    }
}

/// Access requests across every resource, newest first unless `order=oldest`.
#[utoipa::path(get, path = "/api/v1/requests", tag = "Requests", params(RequestQuery),
    security(("token" = ["requests:read"])),
    responses(
        (status = 200, description = "One page of requests", body = Page<AccessRequest>),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token lacks the scope", body = ErrorBody),
        (status = 429, description = "Too many calls", body = ErrorBody),
    ))]
pub async fn list_requests(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiQuery(query): ApiQuery<RequestQuery>,
) -> Result<Json<Page<AccessRequest>>, ApiError> {
    caller.require("requests:read")?;
    let (filter, limit) = CommonFilter {
        state: query.state.map_or("", state_name),
        resource_id: query.resource_id,
        email: query.email.as_deref(),
        created_from: query.created_from.as_deref(),
        created_to: query.created_to.as_deref(),
        order: query.order,
        limit: query.limit,
    }
    .check(&REQUEST_STATES)?;
    let found = lists::requests(&state.store, &filter, query.cursor, limit).await?;
    Ok(Json(Page {
        items: found.rows.into_iter().map(AccessRequest::from).collect(),
        next_cursor: found.next,
    }))
}

/// One request, with its answers, decisions and history.
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "Requests",
    params(("id" = i64, Path, minimum = 1)), security(("token" = ["requests:read"])),
    responses(
        (status = 200, description = "The request", body = RequestDetail),
        (status = 400, description = "The id is not valid", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token lacks the scope", body = ErrorBody),
        (status = 404, description = "No such request", body = ErrorBody),
        (status = 429, description = "Too many calls", body = ErrorBody),
    ))]
pub async fn get_request(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiId(id): ApiId,
) -> Result<Json<RequestDetail>, ApiError> {
    caller.require("requests:read")?;
    Ok(Json(detail(&state, id).await?))
}

async fn detail(state: &AppState, id: i64) -> Result<RequestDetail, ApiError> {
    let found = lists::request(&state.store, id)
        .await?
        .ok_or_else(|| ApiError::not_found("request"))?;
    Ok(RequestDetail {
        request: found.row.into(),
        justification: found.justification,
        answers: serde_json::from_str(&found.answers).unwrap_or_default(),
        decisions: found
            .decisions
            .into_iter()
            .map(|d| Decision {
                stage: d.stage,
                approver_name: d.approver_name,
                approver_email: d.approver_email,
                outcome: d.outcome,
                justification: d.justification,
                in_place_of: d.in_place_of,
                decided_at: d.decided_at,
            })
            .collect(),
        trail: found
            .history
            .into_iter()
            .map(|e| TrailEntry {
                at: e.occurred_at,
                actor: e.actor,
                action: e.action,
            })
            .collect(),
    })
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    Approve,
    Deny,
}

/// `outcome` approve or deny; `justification` (at most 2,000 characters) is required to deny,
/// since the partner reads it; `in_place`: the token's admin is not an approver of the current
/// stage and decides in place of its approvers (who are away); without it such a decision is
/// refused with 403.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDecision {
    pub outcome: DecisionOutcome,
    #[serde(default)]
    pub justification: String,
    #[serde(default)]
    pub in_place: bool,
}

/// Written by hand: the rule "a denial needs a justification" is two shapes of one body.
impl utoipa::PartialSchema for NewDecision {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Type};
        let shape = |outcome: &str, justification_pattern: Option<&str>| {
            let mut justification = ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(2000))
                .description(Some("Why; the partner reads it when denied."));
            let mut object = ObjectBuilder::new()
                .property(
                    "outcome",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some([outcome])),
                )
                .required("outcome")
                .property(
                    "in_place",
                    ObjectBuilder::new()
                        .schema_type(Type::Boolean)
                        .description(Some("Decide in place of the stage's approvers (admins only).")),
                )
                .additional_properties(Some(AdditionalProperties::FreeForm(false)));
            if let Some(pattern) = justification_pattern {
                justification = justification.pattern(Some(pattern));
                object = object
                    .property("justification", justification)
                    .required("justification");
            } else {
                object = object.property("justification", justification);
            }
            object
        };
        OneOfBuilder::new()
            .item(shape("approve", None))
            .item(shape("deny", Some(r"\S")))
            .description(Some(
                "An approval (justification optional) or a denial (justification required).",
            ))
            .into()
    }
}

impl ToSchema for NewDecision {}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionResult {
    /// `recorded` (the stage waits for others), `advanced` (to the next stage), `approved`
    /// (the partner was invited) or `denied`.
    pub result: String,
    pub request: AccessRequest,
}

/// Approves or denies a request as the token's admin, with the same rules as the review page.
#[utoipa::path(post, path = "/api/v1/requests/{id}/decision", tag = "Requests", request_body = NewDecision,
    params(("id" = i64, Path, minimum = 1)), security(("token" = ["requests:decide"])),
    responses(
        (status = 200, description = "Decided", body = DecisionResult),
        (status = 400, description = "The justification is missing or too long", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token lacks the scope, its admin does not decide this stage, or the resource asks for a second factor (decide it in the portal)", body = ErrorBody),
        (status = 404, description = "No such request", body = ErrorBody),
        (status = 409, description = "Already decided, or the admin's own request", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "The body lacks fields or has unknown ones", body = ErrorBody),
        (status = 429, description = "Too many calls", body = ErrorBody),
    ))]
pub async fn decide_request(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<NewDecision>,
) -> Result<(StatusCode, Json<DecisionResult>), ApiError> {
    caller.require("requests:decide")?;
    let input = DecisionInput {
        request_id: id,
        outcome: match body.outcome {
            DecisionOutcome::Approve => Outcome::Approve,
            DecisionOutcome::Deny => Outcome::Deny,
        },
        justification: body.justification,
        in_place: body.in_place,
        // A token is one factor: resources that ask for a second are decided in the portal.
        second_factor_given: false,
    };
    let mail = state.look.mail(&state.settings);
    let decided = decide(
        &state.store,
        &*state.clock,
        &mail,
        &caller.account,
        &input,
        &caller.actor,
    )
    .await
    .map_err(|error| match error {
        DecideError::NotFound => ApiError::not_found("request"),
        error @ (DecideError::AlreadyDecided | DecideError::OwnRequest) => {
            ApiError::conflict(error.to_string())
        }
        DecideError::NotAnApprover => ApiError::forbidden("not_an_approver", "@not_an_approver_api"),
        DecideError::SecondFactorNeeded => {
            ApiError::forbidden("second_factor_needed", "@second_factor_needed_api")
        }
        DecideError::Invalid(errors) => ApiError::from_fields(&errors, &[]),
        DecideError::Store(error) => ApiError::internal(error),
    })?;
    let result = match decided {
        Decided::Recorded => "recorded",
        Decided::MovedToStage(_) => "advanced",
        Decided::Approved => "approved",
        Decided::Denied => "denied",
    };
    let request = lists::request_entry(&state.store, id)
        .await?
        .ok_or_else(|| ApiError::not_found("request"))?;
    Ok((
        StatusCode::OK,
        Json(DecisionResult {
            result: result.to_string(),
            request: request.into(),
        }),
    ))
}
