//! Approvals: who approves a stage, and recording a decision.

pub mod approvers;
pub mod decide;
