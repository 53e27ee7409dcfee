//! Access requests, the stored policies, and the catalog kept in memory.

pub mod access_requests;
pub mod catalog_cache;
pub mod policies;
