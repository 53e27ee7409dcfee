//! Memberships: a partner's My access, and the people of one resource for its owners.

pub mod my_access;
pub mod resource_people;
