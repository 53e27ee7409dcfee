//! Memberships: a partner's access, and the lifecycle jobs (expiry, reminders, deadlines).

pub mod lifecycle;
pub mod my_access;
