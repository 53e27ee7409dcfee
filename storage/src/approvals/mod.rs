//! Approvals: the decisions recorded and the tasks that feed each approver's review queue.

pub mod decisions;
pub mod queue;
pub mod tasks;
