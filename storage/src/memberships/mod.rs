//! Memberships: who holds a resource, the people of a resource, and the lifecycle jobs' queries.

pub mod lifecycle;
pub mod membership;
pub mod resource_people;

/// The one SQL condition for a live membership: not ended, and not expired at `now`. `prefix` is
/// the memberships table's alias with its dot (`"m."`, or `""`), `now` the SQL for the moment (a
/// parameter such as `"$2"`, or `"{now}"` inside a `format!`). It expands to a literal, so the
/// queries built with `concat!` stay constants.
macro_rules! live_membership {
    ($prefix:literal, $now:literal) => {
        concat!(
            $prefix,
            "ended_at IS NULL AND (",
            $prefix,
            "expires_at IS NULL OR ",
            $prefix,
            "expires_at > ",
            $now,
            ")"
        )
    };
}
pub(crate) use live_membership;
