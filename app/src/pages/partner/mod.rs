//! What partners see: the catalog, the request form and its status, an invitation, My access, terms.

pub mod accept_terms;
pub mod catalog;
pub mod my_access;
pub mod redeem_invitation;
pub mod request_access;
pub mod request_status;

use leptos_i18n::td_string;
use locales::Locale;
use rules::administration::resource::ResourceKind;
use rules::requests::access_request::RequestState;

/// How a request's state reads to the partner.
pub(crate) fn state_name(l: Locale, state: RequestState) -> &'static str {
    match state {
        RequestState::Pending => td_string!(l, partner.state_pending),
        RequestState::Approved => td_string!(l, partner.state_approved),
        RequestState::Denied => td_string!(l, partner.state_denied),
        RequestState::Expired => td_string!(l, partner.state_expired),
        RequestState::Cancelled => td_string!(l, partner.state_cancelled),
    }
}

/// "App" or "Group", in `l`.
pub(crate) fn kind_name(l: Locale, kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::App => td_string!(l, home.kind_app),
        ResourceKind::Group => td_string!(l, home.kind_group),
    }
}
