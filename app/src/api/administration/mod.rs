//! Administration: the admin area's door, resources, policies, settings, the dashboard, jobs and lists.

pub mod admin_area;
pub mod dashboard;
pub mod jobs;
pub mod lists;
pub mod policy;
pub mod resources;
pub mod settings;
