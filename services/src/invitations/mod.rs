//! Invitations: issuing, redeeming, an owner's direct invites and resends, bulk invites.

pub mod bulk;
pub mod issue;
pub mod owner_tools;
pub mod redeem;
pub mod redeem_by_code;
