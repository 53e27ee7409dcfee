//! Integrations: API tokens and webhook endpoints and deliveries.

pub mod api_tokens;
pub mod webhooks;
