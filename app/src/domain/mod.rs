//! Services of the product (server-only): one function per use case. The rules they apply live
//! in the `rules` crate.

pub mod account_admin;
pub mod api_token_service;
pub mod bulk;
pub mod decision_service;
pub mod invitation_service;
pub mod lifecycle;
pub mod look;
pub mod mail;
pub mod membership_service;
pub mod owner_tools;
pub mod owner_welcome;
pub mod passwords;
pub mod policies;
pub mod portal_settings;
pub mod redeem_service;
pub mod request_service;
pub mod resource_admin;
pub mod setup;
pub mod sign_in;
pub mod submission_write;
pub mod tokens;
pub mod webhook_admin;
