//! Audit: the events the portal records and the filters of the audit log.

pub mod describe;
pub mod event;
pub mod filter;
