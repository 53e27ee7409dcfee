//! What partners see: the catalog, the request form and its status, an invitation, My access, terms.

// Drawn without the router, on the server only (crate::plain_page).
#[cfg(feature = "ssr")]
pub mod accept_terms;
#[cfg(feature = "ssr")]
pub mod catalog;
#[cfg(feature = "ssr")]
pub mod my_access;
#[cfg(feature = "ssr")]
pub mod redeem_invitation;
#[cfg(feature = "ssr")]
pub mod request_access;
#[cfg(feature = "ssr")]
pub mod request_sent;
#[cfg(feature = "ssr")]
pub mod request_status;

use leptos_i18n::td_string;
use locales::Locale;
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

pub(crate) use crate::components::words::kind_name;
