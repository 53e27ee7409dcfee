//! Administration: resources, portal settings, the admin's lists and dashboard counts.

pub mod admin_lists;
pub mod dashboard;
pub mod portal_settings;
pub mod resources;
