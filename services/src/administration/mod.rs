//! Administration: resources and their owners and policies, portal settings, the portal's look.

pub mod dashboard;
pub mod lists;
pub mod look;
pub mod policy_editing;
pub mod portal_settings;
pub mod resource_admin;
pub mod sign_in_methods;
