//! Server functions, grouped by capability. Each one reads like a paragraph: who is calling,
//! may they, is the input valid, call one domain service, map the result.

pub mod accounts;
pub mod administration;
pub mod approvals;
pub mod audit;
pub mod federation;
pub mod integrations;
pub mod invitations;
pub mod languages;
pub mod memberships;
pub mod mfa;
pub mod oidc;
pub mod requests;
pub mod site;

/// Who is calling and the portal's state, for every server function (server-only).
#[cfg(feature = "ssr")]
pub mod session;
