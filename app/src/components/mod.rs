//! View pieces shared by several pages.

pub mod admin_area;
pub mod audit_words;
pub mod chart;
pub mod document;
pub mod filters;
pub mod form;
pub mod here;
pub mod language;
pub mod layout;
pub mod local_time;
pub mod problem;
pub mod translations;
pub mod words;
