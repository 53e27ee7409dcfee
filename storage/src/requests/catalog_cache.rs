//! The catalog kept in memory: what partners may ask for, and the default policy.
//!
//! Every partner page and every submitted request needs the requestable resources and the policy
//! that applies to them, and they change only when an admin edits a resource or a policy. Reading
//! them from the database on every request was most of the catalog page's cost on SQLite (`make
//! bench`), so each instance keeps a copy:
//! - an edit through this instance ([`CatalogCache::changed`], called after the commit) drops the
//!   copy at once, so the admin and everyone else sees it on the next request;
//! - an edit through another instance (PostgreSQL, many instances) shows here within [`FRESH_FOR`],
//!   after which the copy is read again.
//!
//! A read that began before a change is never kept: each change bumps a generation, and a copy is
//! only stored if the generation it was read under is still the current one.
//!
//! When a copy is merely old (no change announced here), one request reads again while the others
//! go on with the old copy instead of queueing behind that read every [`FRESH_FOR`]. A read that
//! finds nothing changed keeps the same [`Catalog`] value, so what was drawn from it (the kept
//! partner pages, server/src/page_cache.rs) stays valid instead of being rendered again.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::AnyPool;

use crate::administration::resources::{list_requestable, ResourceRecord};
use crate::requests::policies::{default_policy, own_policy};
use crate::StoreResult;
use rules::requests::policy::Policy;

/// How long a copy serves before it is read again, for changes made through other instances.
pub const FRESH_FOR: Duration = Duration::from_secs(2);

/// The requestable resources (ordered by name) and the default policy, as read at one moment.
#[derive(Debug, PartialEq)]
pub struct Catalog {
    pub resources: Vec<ResourceRecord>,
    pub default_policy: Policy,
}

impl Catalog {
    /// The requestable resource at `slug`.
    pub fn find(&self, slug: &str) -> Option<&ResourceRecord> {
        self.resources.iter().find(|r| r.slug == slug)
    }

    /// The resource's own policy, or else the default.
    pub fn policy_of(&self, resource: &ResourceRecord) -> Policy {
        own_policy(resource).unwrap_or_else(|| self.default_policy.clone())
    }
}

struct Copy {
    catalog: Arc<Catalog>,
    read_at: Instant,
    generation: u64,
}

#[derive(Default)]
pub struct CatalogCache {
    copy: Mutex<Option<Copy>>,
    generation: AtomicU64,
    /// One reader at a time goes to the database; the others wait for its copy.
    reading: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for CatalogCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogCache")
            .field("generation", &self.generation.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl CatalogCache {
    /// The catalog, from memory when the copy is current, else read from `db`.
    pub async fn get(&self, db: &AnyPool) -> StoreResult<Arc<Catalog>> {
        let old = match self.fresh_copy(self.generation.load(Ordering::Acquire)) {
            Ok(fresh) => return Ok(fresh),
            Err(old) => old,
        };
        let _reading = match (self.reading.try_lock(), &old) {
            (Ok(reading), _) => reading,
            // Someone is reading again already: the old copy serves meanwhile.
            (Err(_), Some(old)) => return Ok(old.clone()),
            (Err(_), None) => self.reading.lock().await,
        };
        let generation = self.generation.load(Ordering::Acquire);
        let old = match self.fresh_copy(generation) {
            Ok(fresh) => return Ok(fresh),
            Err(old) => old,
        };
        let read = Catalog {
            resources: list_requestable(db).await?,
            default_policy: default_policy(db).await?,
        };
        let catalog = match old {
            Some(old) if *old == read => old,
            _ => Arc::new(read),
        };
        if self.generation.load(Ordering::Acquire) == generation {
            *self.lock() = Some(Copy {
                catalog: catalog.clone(),
                read_at: Instant::now(),
                generation,
            });
        }
        Ok(catalog)
    }

    /// A resource or a policy changed (call after the commit): the next request reads again.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        *self.lock() = None;
    }

    /// The copy read under `generation` if it is still fresh; otherwise the old copy read
    /// under it, if there is one.
    fn fresh_copy(&self, generation: u64) -> Result<Arc<Catalog>, Option<Arc<Catalog>>> {
        match self.lock().as_ref().filter(|copy| copy.generation == generation) {
            Some(copy) if copy.read_at.elapsed() < FRESH_FOR => Ok(copy.catalog.clone()),
            other => Err(other.map(|copy| copy.catalog.clone())),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Copy>> {
        self.copy.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
