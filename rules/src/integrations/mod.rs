//! Integrations: API tokens and webhooks.

pub mod api_token;
pub mod webhook;
