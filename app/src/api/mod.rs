//! Server functions, grouped by capability. Each one reads like a paragraph: who is calling,
//! may they, is the input valid, call one domain service, map the result.

pub mod admin_accounts;
pub mod admin_area;
pub mod admin_audit;
pub mod admin_dashboard;
pub mod admin_jobs;
pub mod admin_lists;
pub mod admin_policy;
pub mod admin_resources;
pub mod admin_settings;
pub mod admin_tokens;
pub mod admin_webhooks;
pub mod auth;
pub mod bulk_invites;
pub mod catalog;
pub mod invitations;
pub mod my_access;
pub mod resource_people;
pub mod review;
pub mod setup;
pub mod site;
pub mod status;
pub mod welcome;

#[cfg(feature = "ssr")]
pub mod request;
