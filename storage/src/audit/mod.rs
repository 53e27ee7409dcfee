//! Audit: the append-only event log.

pub mod audit_events;
