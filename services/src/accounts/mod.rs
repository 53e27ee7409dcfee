//! Accounts: sign-in, passwords, first-admin setup, an owner's welcome, account administration,
//! and what a person chooses for themselves (preferences).

pub mod account_admin;
pub mod one_time_codes;
pub mod owner_welcome;
pub mod passwords;
pub mod preferences;
pub mod setup;
pub mod sign_in;
