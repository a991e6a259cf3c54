//! The effective-runbook cache: resolved answers kept with the host
//! generation they were computed at, bounded in bytes.
//!
//! An entry is served only after one cheap check that the host's generation
//! (`Store::generation`: the id of the last change touching the host) still
//! equals the one the entry was computed at. A write to any scope of the host
//! moves its generation, so the next request through ANY replica sharing the
//! database reloads: never stale, whatever process made the write. The
//! content cached under a generation is read in the same statement as the
//! generation (`Store::lineage_at`), or after it, so it is at least as new.
//!
//! Memory is bounded by `--cache-max-bytes`: each entry weighs an estimate of
//! its heap size (strings, lists, maps) and the cache (quick_cache, S3-FIFO)
//! evicts the least useful entries past the bound. A quarter of the bound
//! goes to the decoded scope documents lineages share (`shared`), the rest
//! to resolved answers.

mod checks;
mod shared;
mod weight;

pub use shared::{Held, SharedDoc, SharedDocs, SharedScopes};

use std::{mem::size_of, sync::Arc};

use quick_cache::{Weighter, sync::Cache};

use crate::{
    domain::{ErrorCode, Host, ScopeId},
    resolve::{ErrorCodeView, IndexedRunbook, ResolveError},
    store::{Store, StoreError},
};

/// The default bound: 64 MiB, some ten thousand resolved runbooks.
pub const DEFAULT_RUNBOOK_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// Which answer an entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// `runbook(serviceId, errorCode?)`.
    Runbook,
    /// `errorCode(code, serviceId)`.
    ErrorCode,
}

/// What a request asked: the same question gets the same entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RunbookKey {
    pub view: View,
    pub host: Host,
    pub service: ScopeId,
    pub code: Option<ErrorCode>,
}

/// A resolved answer, shared by every request that gets it.
#[derive(Debug, Clone)]
pub enum Answer {
    /// The service does not exist in the host.
    Missing,
    /// The effective runbook, indexed, or why the lineage does not resolve.
    Runbook(Result<Arc<IndexedRunbook>, Arc<ResolveError>>),
    /// The merged error code (or none), or why the lineage does not resolve.
    ErrorCode(Arc<Result<Option<ErrorCodeView>, ResolveError>>),
}

/// An answer with the generation it was computed at and its weight.
#[derive(Debug, Clone)]
pub struct Entry {
    pub generation: u64,
    pub answer: Answer,
    weight: u64,
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<RunbookKey, Entry> for ByBytes {
    fn weight(&self, _key: &RunbookKey, entry: &Entry) -> u64 {
        entry.weight
    }
}

/// The cache (see the module docs). Cheap to share behind an `Arc`.
pub struct RunbookCache {
    entries: Cache<RunbookKey, Entry, ByBytes>,
    max_bytes: u64,
    checks: Arc<checks::Checks>,
    shared: SharedScopes,
}

/// How a lookup went, for `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// Present and current: served without loading.
    Hit,
    /// Present but computed at an older generation: reloaded.
    Stale,
    /// Absent: loaded.
    Miss,
}

impl Lookup {
    fn as_str(self) -> &'static str {
        match self {
            Self::Hit => "hit",
            Self::Stale => "stale",
            Self::Miss => "miss",
        }
    }
}

impl RunbookCache {
    /// A cache of at most about `max_bytes`; None when `max_bytes` is 0 (off).
    pub fn new(max_bytes: u64) -> Option<Self> {
        if max_bytes == 0 {
            return None;
        }
        // A resolved runbook weighs some kilobytes; the estimate only sizes tables.
        let shared_bytes = max_bytes / 4;
        let answer_bytes = max_bytes - shared_bytes;
        let estimated_items = usize::try_from(answer_bytes / 8192).unwrap_or(usize::MAX);
        Some(Self {
            entries: Cache::with_weighter(estimated_items.max(16), answer_bytes.max(1), ByBytes),
            max_bytes,
            checks: Arc::default(),
            shared: SharedScopes::new(shared_bytes.max(1)),
        })
    }

    /// The bound given, in bytes.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// The estimated bytes the entries and shared documents hold now.
    pub fn bytes(&self) -> u64 {
        self.entries.weight() + self.shared.bytes()
    }

    /// The decoded scope documents lineages share.
    pub fn shared(&self) -> &SharedScopes {
        &self.shared
    }

    /// Number of entries held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The host's generation, read after this call began; concurrent calls
    /// share reads (see `checks`), one call alone makes one.
    pub async fn generation(&self, store: &Arc<dyn Store>, host: &Host) -> Result<u64, StoreError> {
        self.checks.generation(store, host).await
    }

    /// The entry for a question, current or not.
    pub fn get(&self, key: &RunbookKey) -> Option<Entry> {
        self.entries.get(key)
    }

    /// Records how a lookup went (`runbook_cache_lookups_total{view,result}`).
    pub fn record(&self, key: &RunbookKey, lookup: Lookup) {
        let view = match key.view {
            View::Runbook => "runbook",
            View::ErrorCode => "error_code",
        };
        metrics::counter!("runbook_cache_lookups_total", "view" => view, "result" => lookup.as_str())
            .increment(1);
    }

    /// Keeps an answer computed at `generation`, unless a newer one is held.
    pub fn insert(&self, key: RunbookKey, generation: u64, answer: Answer) {
        if self
            .entries
            .peek(&key)
            .is_some_and(|held| held.generation > generation)
        {
            return;
        }
        let weight = (size_of::<RunbookKey>() + size_of::<Entry>() + 64) as u64
            + weight::key_bytes(&key)
            + weight::answer_bytes(&answer);
        self.entries.insert(
            key,
            Entry {
                generation,
                answer,
                weight,
            },
        );
        metrics::gauge!("runbook_cache_bytes").set(self.entries.weight() as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(service: &str) -> RunbookKey {
        RunbookKey {
            view: View::Runbook,
            host: Host::parse("lightapi.net").expect("host"),
            service: ScopeId::parse(service).expect("id"),
            code: None,
        }
    }

    #[test]
    fn zero_bytes_is_off() {
        assert!(RunbookCache::new(0).is_none());
    }

    #[test]
    fn the_bound_holds_and_newer_generations_win() {
        let cache = RunbookCache::new(64 * 1024).expect("on");
        for i in 0..10_000 {
            cache.insert(key(&format!("svc-{i}")), 1, Answer::Missing);
        }
        assert!(cache.bytes() <= cache.max_bytes(), "{}", cache.bytes());
        assert!(cache.len() < 10_000);
        cache.insert(key("a"), 5, Answer::Missing);
        cache.insert(key("a"), 3, Answer::Missing);
        assert_eq!(cache.get(&key("a")).map(|e| e.generation), Some(5));
    }
}
