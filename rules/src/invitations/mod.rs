//! Invitations: their states and sources, the direct invite form and bulk invite lists.

pub mod bulk_list;
pub mod direct_invite;
pub mod invitation;
