//! Memberships: a partner's access, the people of a resource, and the lifecycle jobs (expiry,
//! reminders, deadlines).

pub mod lifecycle;
pub mod listing;
pub mod my_access;
pub mod resource_people;
