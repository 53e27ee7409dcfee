//! Accounts: who is looking, the sign-in and account forms, and sign-in throttling.

pub mod account;
pub mod first_factor;
pub mod one_time_code;
pub mod throttle;
