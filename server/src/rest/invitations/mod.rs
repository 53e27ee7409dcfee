//! Invitations by API: create (emailed, or the link handed back), list, get, resend, revoke.
//! The rules and audit events are those of invitations made in the browser.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use validator::Validate;

use app::api::administration::lists::INVITATION_STATES;
use app::state::AppState;
use rules::error::FieldErrors;
use rules::invitations::direct_invite::DirectInviteInput;
use rules::invitations::invitation::InvitationSource;
use services::administration::lists;
use services::invitations::issue::Issued;
use services::invitations::owner_tools::{invite_directly, resend_invitation, withdraw_invitation, Delivery};

mod shapes;
pub use shapes::*;

use super::auth::Caller;
use super::lists::{CommonFilter, Page};
use crate::api_error::{ApiError, ApiId, ApiJson, ApiQuery, ErrorBody};

/// Invitations across every resource, newest first unless `order=oldest`.
#[utoipa::path(get, path = "/api/v1/invitations", tag = "Invitations", params(InvitationQuery),
    security(("token" = ["invitations:read"])),
    responses(
        (status = 200, description = "One page of invitations", body = Page<Invitation>),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token lacks the scope", body = ErrorBody),
        (status = 429, description = "Too many calls", body = ErrorBody),
    ))]
pub async fn list_invitations(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiQuery(query): ApiQuery<InvitationQuery>,
) -> Result<Json<Page<Invitation>>, ApiError> {
    caller.require("invitations:read")?;
    let state_text = if query.expiring == Some(true) {
        "expiring"
    } else {
        query.state.map_or("", state_name)
    };
    let (filter, limit) = CommonFilter {
        state: state_text,
        resource_id: query.resource_id,
        email: query.email.as_deref(),
        created_from: query.created_from.as_deref(),
        created_to: query.created_to.as_deref(),
        order: query.order,
        limit: query.limit,
    }
    .check(&INVITATION_STATES)?;
    let now = state.clock.now();
    let found = lists::invitations(&state.store, &filter, query.cursor, limit, now).await?;
    Ok(Json(Page {
        items: found.rows.into_iter().map(|r| invitation(r, now)).collect(),
        next_cursor: found.next,
    }))
}

/// One invitation.
#[utoipa::path(get, path = "/api/v1/invitations/{id}", tag = "Invitations",
    params(("id" = i64, Path, minimum = 1)), security(("token" = ["invitations:read"])),
    responses(
        (status = 200, description = "The invitation", body = Invitation),
        (status = 400, description = "The id is not valid", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token lacks the scope", body = ErrorBody),
        (status = 404, description = "No such invitation", body = ErrorBody),
        (status = 429, description = "Too many calls", body = ErrorBody),
    ))]
pub async fn get_invitation(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiId(id): ApiId,
) -> Result<Json<Invitation>, ApiError> {
    caller.require("invitations:read")?;
    Ok(Json(load(&state, id).await?))
}

async fn load(state: &AppState, id: i64) -> Result<Invitation, ApiError> {
    let row = lists::invitation(&state.store, id)
        .await?
        .ok_or_else(|| ApiError::not_found("invitation"))?;
    Ok(invitation(row, state.clock.now()))
}

/// The redirect address, if given: absolute http(s), without credentials.
fn check_redirect(url: Option<&str>) -> Result<String, ApiError> {
    let Some(text) = url.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(String::new());
    };
    let bad = |message: &str| ApiError::invalid("redirect_url", message);
    if text.chars().count() > 2000 {
        return Err(bad("@use_address_most_2"));
    }
    let parsed = url::Url::parse(text).map_err(|_| bad("@give_absolute_address_like"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(bad("@only_http_https_addresses_2"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad("@leave_user_names_passwords"));
    }
    Ok(parsed.to_string())
}

/// The API takes a language exactly as the OpenAPI document lists it (a tag Portico speaks), or
/// none (the portal's default); anything else is refused with the list.
fn message_language(wanted: Option<&str>) -> Result<&'static str, ApiError> {
    let spoken = locales::tags();
    match wanted {
        None => Ok(""),
        Some(wanted) => spoken.iter().copied().find(|tag| *tag == wanted).ok_or_else(|| {
            ApiError::invalid(
                "message_language",
                format!("Choose one of {}.", spoken.join(", ")),
            )
        }),
    }
}

/// Invites a partner to a resource. The resource's policy still applies (denied domains); an
/// invitation already pending for the same person and resource is a 409.
#[utoipa::path(post, path = "/api/v1/invitations", tag = "Invitations", request_body = NewInvitation,
    security(("token" = ["invitations:write"])),
    responses(
        (status = 201, description = "Invited", body = CreatedInvitation),
        (status = 400, description = "A field is not valid (see `field`)", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token lacks the scope", body = ErrorBody),
        (status = 404, description = "No such resource", body = ErrorBody),
        (status = 409, description = "Already invited, already a member, or the resource is archived", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "The body lacks fields or has unknown ones", body = ErrorBody),
        (status = 429, description = "Too many calls", body = ErrorBody),
    ))]
pub async fn create_invitation(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(body): ApiJson<NewInvitation>,
) -> Result<(StatusCode, Json<CreatedInvitation>), ApiError> {
    caller.require("invitations:write")?;
    let language = message_language(body.message_language.as_deref())?;
    let input = DirectInviteInput {
        email: body.email,
        display_name: body.display_name,
        message: body.message.unwrap_or_default(),
        language: language.to_string(),
    };
    if let Err(report) = input.validate() {
        return Err(ApiError::from_fields(&FieldErrors::from_validation(&report), &[]));
    }
    if body.resource_id < 1 {
        return Err(ApiError::invalid("resource_id", "@give_id_resource_positive"));
    }
    let redirect_url = check_redirect(body.redirect_url.as_deref())?;
    let mail = state.look.mail(&state.settings);
    let acting = caller.acting(&mail, state.clock.now());
    let delivery = Delivery {
        source: InvitationSource::Api,
        redirect_url: &redirect_url,
        send_email: body.send_email,
    };
    let issued = invite_directly(&state.store, &acting, body.resource_id, &input, &delivery)
        .await
        .map_err(|e| match e {
            // The email rule speaks of "access" to a named resource: a conflict, not a typo.
            services::invitations::owner_tools::OwnerError::Invalid(errors)
                if errors
                    .message("email")
                    .is_some_and(|m| m.starts_with("@already_has_access")) =>
            {
                ApiError::conflict(errors.message("email").unwrap_or_default().to_string()).field("email")
            }
            other => ApiError::from_owner(other, "resource", &[]),
        })?;
    match issued {
        Issued::New {
            invitation_id,
            redeem_path,
        } => {
            let invitation = load(&state, invitation_id).await?;
            let redeem_url = (!body.send_email).then(|| state.settings.link(&redeem_path));
            Ok((
                StatusCode::CREATED,
                Json(CreatedInvitation {
                    invitation,
                    redeem_url,
                }),
            ))
        }
        Issued::AlreadyPending { invitation_id } => Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_invited",
            rules::message::with(
                "invitation_already_waiting",
                &[("id", &invitation_id.to_string())],
            ),
        )
        .field("email")),
    }
}

/// Emails a pending invitation again with a new link (the old one stops working) and a fresh
/// lifetime; at most 5 times in 24 hours.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/resend", tag = "Invitations",
    params(("id" = i64, Path, minimum = 1)), security(("token" = ["invitations:write"])),
    responses(
        (status = 200, description = "Resent", body = Invitation),
        (status = 400, description = "The id is not valid", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token lacks the scope", body = ErrorBody),
        (status = 404, description = "No such invitation", body = ErrorBody),
        (status = 409, description = "Not pending, or resent too often today", body = ErrorBody),
        (status = 429, description = "Too many calls", body = ErrorBody),
    ))]
pub async fn resend(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiId(id): ApiId,
) -> Result<Json<Invitation>, ApiError> {
    act(&state, &caller, id, Act::Resend).await
}

/// Withdraws a pending invitation: its link then says so.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/revoke", tag = "Invitations",
    params(("id" = i64, Path, minimum = 1)), security(("token" = ["invitations:write"])),
    responses(
        (status = 200, description = "Revoked", body = Invitation),
        (status = 400, description = "The id is not valid", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token lacks the scope", body = ErrorBody),
        (status = 404, description = "No such invitation", body = ErrorBody),
        (status = 409, description = "No longer pending", body = ErrorBody),
        (status = 429, description = "Too many calls", body = ErrorBody),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiId(id): ApiId,
) -> Result<Json<Invitation>, ApiError> {
    act(&state, &caller, id, Act::Revoke).await
}

enum Act {
    Resend,
    Revoke,
}

/// Resends or revokes through the owner services (their rules and audit events), answering
/// with the invitation as it is afterwards.
async fn act(state: &AppState, caller: &Caller, id: i64, what: Act) -> Result<Json<Invitation>, ApiError> {
    caller.require("invitations:write")?;
    let current = load(state, id).await?;
    let mail = state.look.mail(&state.settings);
    let acting = caller.acting(&mail, state.clock.now());
    let done = match what {
        Act::Resend if current.state != "pending" => {
            return Err(ApiError::conflict(rules::message::with(
                "invitation_not_pending",
                &[("state", &current.state)],
            )))
        }
        Act::Resend => resend_invitation(&state.store, &acting, current.resource_id, id).await,
        Act::Revoke => withdraw_invitation(&state.store, &acting, current.resource_id, id).await,
    };
    done.map_err(|e| ApiError::from_owner(e, "invitation", &[]))?;
    Ok(Json(load(state, id).await?))
}

#[cfg(test)]
mod tests {
    use super::check_redirect;

    #[test]
    fn redirects_are_absolute_http_addresses_without_credentials() {
        assert_eq!(check_redirect(None).unwrap(), "");
        assert_eq!(check_redirect(Some("  ")).unwrap(), "");
        assert_eq!(
            check_redirect(Some("https://app.example.com/welcome")).unwrap(),
            "https://app.example.com/welcome"
        );
        for bad in [
            "/welcome",
            "javascript:alert(1)",
            "ftp://x.example",
            "https://u:p@x.example/",
        ] {
            let error = check_redirect(Some(bad)).unwrap_err();
            assert_eq!(error.body.field.as_deref(), Some("redirect_url"), "{bad}");
        }
    }
}
