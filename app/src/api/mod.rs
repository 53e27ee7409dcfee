//! Server functions, grouped by capability. Each one reads like a paragraph: who is calling,
//! may they, is the input valid, call one domain service, map the result.

pub mod auth;
pub mod setup;
pub mod site;

#[cfg(feature = "ssr")]
pub mod request;
