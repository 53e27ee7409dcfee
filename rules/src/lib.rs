//! Portico's rules: the product's types and decisions as plain functions over plain data.
//! No storage, no views: this crate builds for the server and for the browser's WebAssembly,
//! so a page and the service behind it ask the very same rule.
//!
//! Folders by feature, with the same names as in `storage` and `services`.

#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod accounts;
pub mod administration;
pub mod approvals;
pub mod audit;
pub mod federation;
pub mod integrations;
pub mod invitations;
pub mod languages;
pub mod mfa;
pub mod oidc;
pub mod requests;

pub mod clock;
pub mod dates;
pub mod email;
pub mod error;
pub mod list_filter;
pub mod message;
pub mod translated;
pub mod validation;
