//! Administration: resources and their owners and policies, portal settings, the portal's look.

pub mod look;
pub mod portal_settings;
pub mod resource_admin;
