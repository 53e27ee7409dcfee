//! Approvals: who approves a stage, recording a decision, and what a reviewer reads.

pub mod approvers;
pub mod decide;
pub mod review;
