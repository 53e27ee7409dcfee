//! Access requests: submitting one (with its batched write), following and withdrawing it.

pub mod status;
pub mod submission;
pub mod submission_write;
