//! Administration: resources, policies as the admin edits them, portal settings and branding.

pub mod branding;
pub mod dashboard;
pub mod policy_form;
pub mod resource;
pub mod settings_text;
