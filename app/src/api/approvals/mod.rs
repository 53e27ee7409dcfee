//! Approvals: the review queue, one request in detail, and the decision.

pub mod review;
