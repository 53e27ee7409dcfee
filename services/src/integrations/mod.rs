//! Integrations: API tokens and webhooks.

pub mod api_calls;
pub mod api_tokens;
pub mod webhooks;
