//! Copies of rows kept in memory for a moment, by key, for reads that every request of a hot
//! path would otherwise make (on SQLite each one a hand-off to sqlx's worker thread and back):
//! standing sign-ins by session (accounts/sign_in_cache.rs), the apps registered with the
//! provider by client id (oidc/clients.rs), whether a partner has anything to review, by
//! account (accounts/account.rs), and a partner's "My access", by account (memberships/my_access.rs,
//! which keeps its copy only until the next commit: writes.rs).
//!
//! - A change made through this instance ([`KeptCopies::changed`], called after the commit)
//!   drops every copy at once, so the next request reads again.
//! - A change made through another instance (PostgreSQL, many instances) shows here within
//!   [`FRESH_FOR`], after which the copy is read again.
//!
//! A read that began before a change is never kept: each change bumps a generation, and a copy
//! is only stored if the generation it was read under is still the current one.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a copy serves before it is read again, for changes made through other instances.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// At most this many keys are kept unless a store of copies says fewer ([`KeptCopies::at_most`]);
/// past it, the copies are dropped and kept again as their keys come back (each lives
/// [`FRESH_FOR`] anyway).
const MOST: usize = 20_000;

struct Copy<V> {
    kept: Arc<V>,
    read_at: Instant,
}

pub struct KeptCopies<V> {
    copies: Mutex<HashMap<String, Copy<V>>>,
    generation: AtomicU64,
    most: usize,
}

impl<V> Default for KeptCopies<V> {
    fn default() -> Self {
        Self::at_most(MOST)
    }
}

impl<V> std::fmt::Debug for KeptCopies<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeptCopies")
            .field("generation", &self.generation.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl<V> KeptCopies<V> {
    /// Copies of at most `most` keys at once: for copies large enough that the default bound
    /// would hold too much memory.
    pub fn at_most(most: usize) -> Self {
        Self {
            copies: Mutex::default(),
            generation: AtomicU64::default(),
            most,
        }
    }

    /// The copy kept for `key`, if it is still fresh.
    pub fn get(&self, key: &str) -> Option<Arc<V>> {
        self.get_if(key, |_| true)
    }

    /// The copy kept for `key`, if it is still fresh and `serves` says it answers this read.
    pub fn get_if(&self, key: &str, serves: impl FnOnce(&V) -> bool) -> Option<Arc<V>> {
        self.lock()
            .get(key)
            .filter(|copy| copy.read_at.elapsed() < FRESH_FOR && serves(&copy.kept))
            .map(|copy| copy.kept.clone())
    }

    /// The generation to pass to [`KeptCopies::keep`]: read it before reading the database.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps what was read for `key` under `generation`, unless something changed since.
    pub fn keep(&self, key: &str, kept: V, generation: u64) {
        let mut copies = self.lock();
        // Checked under the lock: `changed` bumps, then clears under it.
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if copies.len() >= self.most {
            copies.retain(|_, copy| copy.read_at.elapsed() < FRESH_FOR);
            if copies.len() >= self.most {
                copies.clear();
            }
        }
        let copy = Copy {
            kept: Arc::new(kept),
            read_at: Instant::now(),
        };
        copies.insert(key.to_string(), copy);
    }

    /// What `key` names changed through this request: its copy goes.
    pub fn forget(&self, key: &str) {
        self.lock().remove(key);
    }

    /// Something kept changed (call after the commit): every copy goes.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Copy<V>>> {
        self.copies
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_found_by_its_key_only() {
        let kept = KeptCopies::default();
        kept.keep("s1", "ada".to_string(), kept.generation());
        assert_eq!(kept.get("s1").as_deref().map(String::as_str), Some("ada"));
        assert!(kept.get("s2").is_none());
    }

    #[test]
    fn a_change_drops_every_copy_and_refuses_reads_begun_before_it() {
        let kept = KeptCopies::default();
        let before = kept.generation();
        kept.keep("s1", "ada".to_string(), before);
        kept.changed();
        assert!(kept.get("s1").is_none(), "dropped");
        kept.keep("s2", "bob".to_string(), before);
        assert!(
            kept.get("s2").is_none(),
            "read under the old generation: not kept"
        );
        kept.keep("s2", "bob".to_string(), kept.generation());
        assert!(kept.get("s2").is_some());
    }

    #[test]
    fn a_smaller_bound_holds_fewer_keys() {
        let kept = KeptCopies::at_most(3);
        for n in 0..5 {
            kept.keep(&format!("s{n}"), n, kept.generation());
        }
        assert!(kept.lock().len() <= 3);
        assert_eq!(kept.get("s4").as_deref(), Some(&4), "the newest is kept");
    }

    #[test]
    fn a_copy_serves_only_the_reads_it_answers() {
        let kept = KeptCopies::default();
        kept.keep("s1", 7, kept.generation());
        assert_eq!(kept.get_if("s1", |n| *n == 7).as_deref(), Some(&7));
        assert!(kept.get_if("s1", |n| *n == 8).is_none());
    }

    #[test]
    fn a_forgotten_key_is_read_again() {
        let kept = KeptCopies::default();
        kept.keep("s1", "ada".to_string(), kept.generation());
        kept.keep("s2", "bob".to_string(), kept.generation());
        kept.forget("s1");
        assert!(kept.get("s1").is_none());
        assert!(kept.get("s2").is_some(), "the others stay");
    }

    #[test]
    fn a_full_store_of_copies_starts_again_rather_than_grow() {
        let kept = KeptCopies::default();
        for n in 0..MOST + 5 {
            kept.keep(&format!("s{n}"), "ada".to_string(), kept.generation());
        }
        assert!(kept.lock().len() <= MOST);
        assert!(
            kept.get(&format!("s{}", MOST + 4)).is_some(),
            "the newest is kept"
        );
    }
}
