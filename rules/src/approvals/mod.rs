//! Approvals: who may decide an access request at its current stage.

pub mod who_decides;
