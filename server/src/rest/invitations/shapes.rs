//! What the invitations API reads and writes: the JSON shapes (with their OpenAPI schemas) and
//! how a stored invitation becomes one.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use storage::administration::admin_lists::{InvitationListRow, EXPIRING_WITHIN};

use crate::rest::lists::Order;

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    Pending,
    Redeemed,
    Revoked,
    Expired,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Invitation {
    pub id: i64,
    pub resource_id: i64,
    pub resource_name: String,
    pub email: String,
    pub display_name: String,
    /// `pending`, `redeemed`, `revoked` or `expired`.
    pub state: String,
    /// How it came about: `request`, `auto_approve`, `invite`, `bulk` or `api`.
    pub source: String,
    /// Who invited, when a person (or a token's admin) did.
    pub invited_by: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds; a pending invitation stops working then.
    pub expires_at: i64,
    pub redeemed_at: Option<i64>,
    /// Where the partner is sent after redeeming; empty for the portal's own page.
    pub redirect_url: String,
    /// Pending and lapsing within 48 hours.
    pub expiring: bool,
}

pub(super) fn invitation(row: InvitationListRow, now: i64) -> Invitation {
    Invitation {
        expiring: row.state == "pending" && row.expires_at < now + EXPIRING_WITHIN,
        id: row.id,
        resource_id: row.resource_id,
        resource_name: row.resource_name,
        email: row.email,
        display_name: row.display_name,
        state: row.state,
        source: row.source,
        invited_by: row.inviter_name,
        created_at: row.created_at,
        expires_at: row.expires_at,
        redeemed_at: row.redeemed_at,
        redirect_url: row.redirect_url,
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    /// The partner's email address; the invitation is bound to it.
    #[schema(max_length = 254, format = Email)]
    pub email: String,
    /// The partner's name as emails greet them: some visible text, no control characters.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub display_name: String,
    #[schema(minimum = 1)]
    #[serde(deserialize_with = "crate::api_error::whole_number")]
    pub resource_id: i64,
    /// An absolute http(s) address to send the partner to after redeeming (empty: none).
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^(|https?://[a-z0-9]+(\.[a-z0-9]+)*(:[1-9][0-9]{0,3})?(/[A-Za-z0-9._~/-]*)?)$"
    )]
    pub redirect_url: Option<String>,
    /// A note included in the invitation email.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub message: Option<String>,
    /// The language of the invitation email, and of the partner's emails after they accept:
    /// one of the languages Portico speaks, by its tag (`en`, `nl`). Left out: the portal's
    /// default language. Any other value is a 400 that names the languages supported.
    #[serde(default)]
    #[schema(example = "nl")]
    pub message_language: Option<String>,
    /// `false`: nothing is emailed, and the response carries the link to hand over.
    #[serde(default = "yes")]
    #[schema(default = true)]
    pub send_email: bool,
}

pub(super) fn yes() -> bool {
    true
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedInvitation {
    pub invitation: Invitation,
    /// The link that redeems the invitation; only when `send_email` was false. Treat it as a
    /// password: whoever holds it can redeem the invitation (as the invited email).
    pub redeem_url: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvitationQuery {
    /// Only invitations in this state.
    #[param(inline)]
    pub state: Option<InvitationState>,
    /// Only pending invitations lapsing within 48 hours (ignores `state`).
    pub expiring: Option<bool>,
    #[param(minimum = 1)]
    pub resource_id: Option<i64>,
    /// Part of the invited email address.
    #[param(max_length = 254)]
    pub email: Option<String>,
    /// Created on or after this day (UTC).
    #[param(value_type = Option<String>, format = Date)]
    pub created_from: Option<String>,
    /// Created on or before this day (UTC).
    #[param(value_type = Option<String>, format = Date)]
    pub created_to: Option<String>,
    #[param(inline)]
    pub order: Option<Order>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

pub(super) fn state_name(state: InvitationState) -> &'static str {
    match state {
        InvitationState::Pending => "pending",
        InvitationState::Redeemed => "redeemed",
        InvitationState::Revoked => "revoked",
        InvitationState::Expired => "expired",
    }
}
