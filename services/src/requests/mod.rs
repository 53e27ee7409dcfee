//! Access requests: submitting one (with its batched write) and its outcome.

pub mod submission;
pub mod submission_write;
