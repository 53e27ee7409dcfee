//! Standing sign-ins kept in memory, by the session that holds them.
//!
//! Every signed-in request asked the database twice before it did anything of its own: the
//! session's record (tower-sessions) and the sign-in with its account. On SQLite each question is
//! a hand-off to sqlx's worker thread and back, and that switching was a third of the CPU of a
//! signed-in page under `make bench` (docs/performance.md). So each instance keeps, for a session
//! it has just served, the sign-in the session points at:
//! - a change made through this instance (sign-out, a second factor given, an account disabled,
//!   made admin or given a language; [`SignInCache::changed`], called after the commit) drops
//!   every copy at once, so the next request reads again;
//! - a change made through another instance (PostgreSQL, many instances) shows here within
//!   [`FRESH_FOR`], after which the copy is read again;
//! - a read that began before a change is never kept (storage/src/kept.rs).
//!
//! The absolute lifetime of a sign-in is checked against the clock on every request, kept or not.

use rules::clock::Timestamp;

use super::sign_ins::SignInRecord;
use crate::kept::KeptCopies;

pub use crate::kept::FRESH_FOR;

/// What a session's request needs to know without asking the database.
#[derive(Debug, Clone)]
pub struct KeptSignIn {
    /// The sign-in the session points at, and its account.
    pub record: SignInRecord,
    /// When the session was last saved to restart its idle timer (server/src/sessions.rs).
    pub touched: Option<Timestamp>,
}

/// The sign-ins kept, by session.
pub type SignInCache = KeptCopies<KeptSignIn>;
