//! Memberships by API: who holds a resource now, what an account holds, and the question a
//! downstream app asks: "may this person use me?".

use axum::extract::State;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use app::state::AppState;
use rules::email::normalise_email;
use services::memberships::listing::{self, Holding};
use storage::memberships::membership::MembershipRow;

use super::auth::Caller;
use super::lists::{Page, DEFAULT_LIMIT, MAX_LIMIT};
use crate::api_error::{ApiError, ApiQuery, ErrorBody};

/// Access someone holds now.
#[derive(Debug, Serialize, ToSchema)]
pub struct Membership {
    pub id: i64,
    pub account_id: i64,
    pub email: String,
    pub display_name: String,
    pub resource_id: i64,
    pub resource_name: String,
    /// How it came about: `request`, `auto_approve`, `invite`, `bulk` or `api`.
    pub source: String,
    pub granted_at: i64,
    /// Unix seconds when the access ends; absent when it does not.
    pub expires_at: Option<i64>,
}

impl From<MembershipRow> for Membership {
    fn from(m: MembershipRow) -> Self {
        Self {
            id: m.id,
            account_id: m.account_id,
            email: m.email,
            display_name: m.display_name,
            resource_id: m.resource_id,
            resource_name: m.resource_name,
            source: m.source,
            granted_at: m.granted_at,
            expires_at: m.expires_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembershipQuery {
    /// Only this resource's members.
    #[param(minimum = 1)]
    pub resource_id: Option<i64>,
    /// What this account holds.
    #[param(minimum = 1)]
    pub account_id: Option<i64>,
    pub cursor: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// Live memberships (not ended, not past their end), of a resource, an account or all, by id.
#[utoipa::path(get, path = "/api/v1/memberships", tag = "Memberships", params(MembershipQuery),
    security(("token" = ["memberships:read"])),
    responses(
        (status = 200, description = "One page of memberships", body = Page<Membership>),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token lacks the scope", body = ErrorBody),
        (status = 429, description = "Too many calls", body = ErrorBody),
    ))]
pub async fn list_memberships(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiQuery(query): ApiQuery<MembershipQuery>,
) -> Result<Json<Page<Membership>>, ApiError> {
    caller.require("memberships:read")?;
    for (field, value) in [
        ("resource_id", query.resource_id),
        ("account_id", query.account_id),
    ] {
        if value.is_some_and(|id| id < 1) {
            return Err(ApiError::invalid(field, "@ids_are_positive_whole"));
        }
    }
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            rules::message::with("page_size", &[("max", &MAX_LIMIT.to_string())]),
        ));
    }
    let found = listing::memberships(
        &state.store,
        query.resource_id,
        query.account_id,
        query.cursor,
        limit,
        state.clock.now(),
    )
    .await?;
    Ok(Json(Page {
        items: found.rows.into_iter().map(Membership::from).collect(),
        next_cursor: found.next,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// The person's email address.
    #[param(max_length = 254, format = Email)]
    pub email: String,
    #[param(minimum = 1)]
    pub resource_id: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipCheck {
    /// The address as the portal stores it (lower-cased domain, trimmed).
    pub email: String,
    pub resource_id: i64,
    /// True when the person may use the resource now.
    pub member: bool,
    /// When the access ends; absent when not a member or when it does not end.
    pub expires_at: Option<i64>,
    /// The membership, when there is one.
    pub membership_id: Option<i64>,
}

/// Whether one person may use one resource now.
#[utoipa::path(get, path = "/api/v1/memberships/check", tag = "Memberships", params(CheckQuery),
    security(("token" = ["memberships:read"])),
    responses(
        (status = 200, description = "The answer", body = MembershipCheck),
        (status = 400, description = "The email or resource_id is not valid", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token lacks the scope", body = ErrorBody),
        (status = 404, description = "No such resource", body = ErrorBody),
        (status = 429, description = "Too many calls", body = ErrorBody),
    ))]
pub async fn check_membership(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiQuery(query): ApiQuery<CheckQuery>,
) -> Result<Json<MembershipCheck>, ApiError> {
    caller.require("memberships:read")?;
    let email = normalise_email(&query.email).map_err(|message| ApiError::invalid("email", message))?;
    if query.resource_id < 1 {
        return Err(ApiError::invalid("resource_id", "@ids_are_positive_whole"));
    }
    let held = match listing::holding(&state.store, &email, query.resource_id, state.clock.now()).await? {
        Holding::NoSuchResource => return Err(ApiError::not_found("resource")),
        Holding::Holds(membership) => Some(membership),
        Holding::DoesNotHold => None,
    };
    Ok(Json(MembershipCheck {
        email,
        resource_id: query.resource_id,
        member: held.is_some(),
        expires_at: held.as_ref().and_then(|m| m.expires_at),
        membership_id: held.map(|m| m.id),
    }))
}
