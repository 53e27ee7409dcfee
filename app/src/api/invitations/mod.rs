//! Invitations: redeeming one, and an owner's bulk invites.

pub mod bulk_invites;
pub mod redeem;
