//! Accounts: signing in and out, first-admin setup, an owner's welcome, the admin's account list.

pub mod admin_accounts;
pub mod auth;
pub mod codes;
pub mod setup;
pub mod welcome;
