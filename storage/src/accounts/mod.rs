//! Accounts: people, their sign-ins and failures, password links and the setup token.

pub mod account;
pub mod one_time_codes;
pub mod password_links;
pub mod setup_tokens;
pub mod sign_in_cache;
pub mod sign_in_failures;
pub mod sign_ins;
