//! Audit: the audit log.

pub mod audit_log;
