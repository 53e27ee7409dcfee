//! Invitations: single ones and bulk invite batches.

pub mod bulk_invites;
pub mod invitation;
