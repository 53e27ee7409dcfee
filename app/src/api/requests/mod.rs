//! Access requests: the catalog and request form, and a request's status page.

pub mod catalog;
pub mod status;
