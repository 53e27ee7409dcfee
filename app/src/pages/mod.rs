//! One file per screen, named after what the person does there.

pub mod home;
pub mod not_found;
pub mod setup_admin;
pub mod sign_in;
