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
//! evicts the least useful entries past the bound.

use std::{mem::size_of, sync::Arc};

use quick_cache::{Weighter, sync::Cache};
use serde_json::{Map, Value};

use crate::{
    domain::{Contact, ErrorCode, Host, Scope, ScopeId},
    resolve::{
        EffectiveErrorCode, EffectiveProcedure, EffectiveRunbook, ResolveError, Source, Warning,
    },
    runbooks::ErrorCodeView,
};

/// The default bound: 64 MiB, some ten thousand resolved runbooks.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

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
pub struct Key {
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
    /// The effective runbook, or why the lineage does not resolve.
    Runbook(Arc<Result<EffectiveRunbook, ResolveError>>),
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

impl Weighter<Key, Entry> for ByBytes {
    fn weight(&self, _key: &Key, entry: &Entry) -> u64 {
        entry.weight
    }
}

/// The cache (see the module docs). Cheap to share behind an `Arc`.
pub struct RunbookCache {
    entries: Cache<Key, Entry, ByBytes>,
    max_bytes: u64,
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
        let estimated_items = usize::try_from(max_bytes / 8192).unwrap_or(usize::MAX);
        Some(Self {
            entries: Cache::with_weighter(estimated_items.max(16), max_bytes, ByBytes),
            max_bytes,
        })
    }

    /// The bound given, in bytes.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// The estimated bytes the entries hold now.
    pub fn bytes(&self) -> u64 {
        self.entries.weight()
    }

    /// Number of entries held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry for a question, current or not.
    pub fn get(&self, key: &Key) -> Option<Entry> {
        self.entries.get(key)
    }

    /// Records how a lookup went (`runbook_cache_lookups_total{view,result}`).
    pub fn record(&self, key: &Key, lookup: Lookup) {
        let view = match key.view {
            View::Runbook => "runbook",
            View::ErrorCode => "error_code",
        };
        metrics::counter!("runbook_cache_lookups_total", "view" => view, "result" => lookup.as_str())
            .increment(1);
    }

    /// Keeps an answer computed at `generation`, unless a newer one is held.
    pub fn insert(&self, key: Key, generation: u64, answer: Answer) {
        if self
            .entries
            .peek(&key)
            .is_some_and(|held| held.generation > generation)
        {
            return;
        }
        let weight = (size_of::<Key>() + size_of::<Entry>() + 64) as u64
            + key_bytes(&key)
            + answer_bytes(&answer);
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

fn key_bytes(key: &Key) -> u64 {
    (key.host.as_str().len()
        + key.service.as_str().len()
        + key.code.as_ref().map_or(0, |c| c.as_str().len())) as u64
}

/// An estimate of the heap bytes an answer holds (allocator overhead aside).
fn answer_bytes(answer: &Answer) -> u64 {
    let bytes = match answer {
        Answer::Missing => 0,
        Answer::Runbook(result) => match result.as_ref() {
            Ok(rb) => runbook_bytes(rb),
            Err(e) => 256 + e.to_string().len(),
        },
        Answer::ErrorCode(result) => match result.as_ref() {
            Ok(Some((code, scopes))) => {
                error_code_bytes(code) + scopes.values().map(|s| 64 + scope_bytes(s)).sum::<usize>()
            }
            Ok(None) => 0,
            Err(e) => 256 + e.to_string().len(),
        },
    };
    bytes as u64
}

fn runbook_bytes(rb: &EffectiveRunbook) -> usize {
    let lineage: usize = rb.lineage.iter().map(scope_bytes).sum();
    let procedures: usize = rb.procedures.iter().map(procedure_bytes).sum();
    let branches: usize = rb
        .branches
        .iter()
        .map(|b| {
            size_of_val(b)
                + b.from.as_str().len()
                + b.label.as_str().len()
                + b.to.as_str().len()
                + opt(b.condition.as_deref())
                + source_bytes(&b.source)
        })
        .sum();
    let entries: usize = rb
        .entries
        .iter()
        .map(|e| size_of_val(e) + 16 + e.key.as_str().len() + e.scope.as_str().len())
        .sum();
    let removed = rb.removed.len() * 96;
    let warnings: usize = rb.warnings.iter().map(warning_bytes).sum();
    size_of::<EffectiveRunbook>()
        + lineage
        + procedures
        + branches
        + entries
        + removed
        + contacts_bytes(&rb.contacts)
        + warnings
        + rb.error_code.as_ref().map_or(0, error_code_bytes)
}

fn procedure_bytes(p: &EffectiveProcedure) -> usize {
    size_of::<EffectiveProcedure>()
        + p.key.as_str().len()
        + p.title.len()
        + opt(p.body.as_deref())
        + p.automation.as_ref().map_or(0, json_bytes)
        + p.tags.iter().map(|t| 24 + t.len()).sum::<usize>()
        + source_bytes(&p.source)
}

fn scope_bytes(s: &Scope) -> usize {
    size_of::<Scope>()
        + s.host.as_str().len()
        + s.id.as_str().len()
        + s.name.len()
        + s.parents
            .iter()
            .map(|p| 24 + p.as_str().len())
            .sum::<usize>()
        + s.owners.iter().map(|o| 24 + o.len()).sum::<usize>()
        + contacts_bytes(&s.contacts)
}

fn contacts_bytes(contacts: &[Contact]) -> usize {
    contacts
        .iter()
        .map(|c| {
            size_of::<Contact>()
                + c.name.len()
                + opt(c.email.as_deref())
                + opt(c.phone.as_deref())
                + opt(c.chat.as_deref())
        })
        .sum()
}

fn error_code_bytes(c: &EffectiveErrorCode) -> usize {
    size_of::<EffectiveErrorCode>()
        + opt(c.message.as_deref())
        + opt(c.description.as_deref())
        + opt(c.severity.as_deref())
        + source_bytes(&c.source)
}

fn warning_bytes(w: &Warning) -> usize {
    size_of::<Warning>()
        + w.message.len()
        + w.scope.as_ref().map_or(0, |s| s.as_str().len())
        + opt(w.key.as_deref())
}

fn source_bytes(s: &Source) -> usize {
    s.origin.as_str().len()
        + s.layers
            .iter()
            .map(|l| 24 + l.as_str().len())
            .sum::<usize>()
}

/// JSON held as `serde_json` values: its text length plus per-value overhead.
fn json_bytes(map: &Map<String, Value>) -> usize {
    fn value(v: &Value) -> usize {
        32 + match v {
            Value::String(s) => s.len(),
            Value::Array(items) => items.iter().map(value).sum(),
            Value::Object(map) => map.iter().map(|(k, v)| 24 + k.len() + value(v)).sum(),
            _ => 0,
        }
    }
    map.iter().map(|(k, v)| 24 + k.len() + value(v)).sum()
}

fn opt(s: Option<&str>) -> usize {
    s.map_or(0, str::len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(service: &str) -> Key {
        Key {
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
