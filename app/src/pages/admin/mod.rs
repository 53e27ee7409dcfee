//! What admins see: the admin area's pages, and the first-admin setup.

pub mod account_identities;
pub mod accounts;
pub mod api_tokens;
pub mod app_sign_in;
pub mod audit;
pub mod dashboard;
pub mod edit_resource;
pub mod identity_providers;
pub mod invitations;
pub mod jobs;
pub mod policy;
pub mod requests;
pub mod resources;
pub mod second_factors;
pub mod settings;
pub mod setup;
pub mod signing_keys;
pub mod webhook_endpoint;
pub mod webhooks;
