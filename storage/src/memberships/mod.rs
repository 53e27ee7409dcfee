//! Memberships: who holds a resource, the people of a resource, and the lifecycle jobs' queries.

pub mod lifecycle;
pub mod membership;
pub mod my_access;
pub mod resource_people;
