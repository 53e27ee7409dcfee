//! Identity providers and the outside identities linked to accounts.

pub mod identities;
pub mod providers;
