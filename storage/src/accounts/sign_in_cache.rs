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
//!   [`FRESH_FOR`], after which the copy is read again.
//!
//! A read that began before a change is never kept: each change bumps a generation, and a copy is
//! only stored if the generation it was read under is still the current one. The absolute
//! lifetime of a sign-in is checked against the clock on every request, kept or not.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rules::clock::Timestamp;

use super::sign_ins::SignInRecord;

/// How long a copy serves before it is read again, for changes made through other instances.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// At most this many sessions are kept; past it, the copies are dropped and kept again as
/// their sessions come back (each lives [`FRESH_FOR`] anyway).
const MOST: usize = 20_000;

/// What a session's request needs to know without asking the database.
#[derive(Debug, Clone)]
pub struct KeptSignIn {
    /// The sign-in the session points at, and its account.
    pub record: SignInRecord,
    /// When the session was last saved to restart its idle timer (server/src/sessions.rs).
    pub touched: Option<Timestamp>,
}

struct Copy {
    kept: Arc<KeptSignIn>,
    read_at: Instant,
}

#[derive(Default)]
pub struct SignInCache {
    copies: Mutex<HashMap<String, Copy>>,
    generation: AtomicU64,
}

impl std::fmt::Debug for SignInCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInCache")
            .field("generation", &self.generation.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl SignInCache {
    /// The copy kept for `session`, if it is still fresh.
    pub fn get(&self, session: &str) -> Option<Arc<KeptSignIn>> {
        self.lock()
            .get(session)
            .filter(|copy| copy.read_at.elapsed() < FRESH_FOR)
            .map(|copy| copy.kept.clone())
    }

    /// The generation to pass to [`SignInCache::keep`]: read it before reading the database.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps what was read for `session` under `generation`, unless something changed since.
    pub fn keep(&self, session: &str, kept: KeptSignIn, generation: u64) {
        let mut copies = self.lock();
        // Checked under the lock: `changed` bumps, then clears under it.
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if copies.len() >= MOST {
            copies.retain(|_, copy| copy.read_at.elapsed() < FRESH_FOR);
            if copies.len() >= MOST {
                copies.clear();
            }
        }
        let copy = Copy {
            kept: Arc::new(kept),
            read_at: Instant::now(),
        };
        copies.insert(session.to_string(), copy);
    }

    /// The session changed through this request (signed in again, out, or its idle timer
    /// restarted): its copy goes.
    pub fn forget(&self, session: &str) {
        self.lock().remove(session);
    }

    /// A sign-in or an account changed (call after the commit): every copy goes.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Copy>> {
        self.copies
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::account::AccountRecord;

    fn kept(name: &str) -> KeptSignIn {
        KeptSignIn {
            record: SignInRecord {
                id: format!("sign-in-of-{name}"),
                signed_in_at: 0,
                first_factor: None,
                account: AccountRecord {
                    id: 1,
                    email: format!("{name}@example.com"),
                    display_name: name.into(),
                    password_hash: None,
                    is_admin: 0,
                    is_staff: 0,
                    disabled_at: None,
                    language: String::new(),
                },
                second_factor: None,
                second_factor_required: false,
            },
            touched: Some(5),
        }
    }

    #[test]
    fn a_kept_sign_in_is_found_by_its_session_only() {
        let cache = SignInCache::default();
        cache.keep("s1", kept("ada"), cache.generation());
        let found = cache.get("s1").expect("kept");
        assert_eq!(found.record.account.email, "ada@example.com");
        assert_eq!(found.touched, Some(5));
        assert!(cache.get("s2").is_none());
    }

    #[test]
    fn a_change_drops_every_copy_and_refuses_reads_begun_before_it() {
        let cache = SignInCache::default();
        let before = cache.generation();
        cache.keep("s1", kept("ada"), before);
        cache.changed();
        assert!(cache.get("s1").is_none(), "dropped");
        cache.keep("s2", kept("bob"), before);
        assert!(
            cache.get("s2").is_none(),
            "read under the old generation: not kept"
        );
        cache.keep("s2", kept("bob"), cache.generation());
        assert!(cache.get("s2").is_some());
    }

    #[test]
    fn a_forgotten_session_is_read_again() {
        let cache = SignInCache::default();
        cache.keep("s1", kept("ada"), cache.generation());
        cache.keep("s2", kept("bob"), cache.generation());
        cache.forget("s1");
        assert!(cache.get("s1").is_none());
        assert!(cache.get("s2").is_some(), "the others stay");
    }

    #[test]
    fn a_full_cache_starts_again_rather_than_grow() {
        let cache = SignInCache::default();
        for n in 0..MOST + 5 {
            cache.keep(&format!("s{n}"), kept("ada"), cache.generation());
        }
        assert!(cache.lock().len() <= MOST);
        assert!(
            cache.get(&format!("s{}", MOST + 4)).is_some(),
            "the newest is kept"
        );
    }
}
