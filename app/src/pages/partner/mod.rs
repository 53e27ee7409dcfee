//! What partners see: the catalog, the request form and its status, an invitation, My access, terms.

pub mod accept_terms;
pub mod catalog;
pub mod my_access;
pub mod redeem_invitation;
pub mod request_access;
pub mod request_status;
