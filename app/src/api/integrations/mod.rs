//! Integrations: API tokens and webhooks.

pub mod api_tokens;
pub mod webhooks;
