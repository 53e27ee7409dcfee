//! Accounts: sign-in, passwords, first-admin setup, an owner's welcome, account administration.

pub mod account_admin;
pub mod owner_welcome;
pub mod passwords;
pub mod setup;
pub mod sign_in;
