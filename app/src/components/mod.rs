//! View pieces shared by several pages.

pub mod filters;
pub mod form;
pub mod layout;
pub mod problem;
