//! Portico's services: one function per use case. Each authorises, validates with the rules,
//! writes through the storage layer in one transaction, records the audit event and queues the
//! email. Server-only; the adapters (server functions, REST) call these and nothing below them.
//!
//! Folders by feature, with the same names as in `rules` and `storage`.

#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod accounts;
pub mod administration;
pub mod approvals;
pub mod federation;
pub mod integrations;
pub mod invitations;
pub mod memberships;
pub mod mfa;
pub mod oidc;
pub mod requests;

pub mod audit;
pub mod mail;
pub mod paging;
pub mod server_key;
pub mod tokens;
