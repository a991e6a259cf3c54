//! Decoded scope documents shared between lineages: the platform scopes
//! (framework, organization, line of business, template) are the same for
//! thousands of services, so a first request for a service loads and
//! decodes only the documents not held yet, in practice the service's own.
//!
//! A document is kept under (host, scope id, `ScopeVersion`) and only ever
//! reused when the store, in the same statement that reads the lineage,
//! reports that version as current (`Store::lineage_shared`): never stale.
//! Each document is kept with the revision of each of its objects, so that
//! an execution can pin the runbook it resolves from shared documents too.
//! Bounded in bytes (quick_cache, weighed by `weight::document_bytes`).

use std::{
    collections::HashMap,
    mem::size_of,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use quick_cache::{Weighter, sync::Cache};

use super::weight;
use crate::{
    domain::{Host, ObjectRef, ScopeDocument, ScopeId, execution::pinned::Revisions},
    store::{ScopeVersion, SharedLineage},
};

/// The most ancestor versions remembered per host, to name as known; past
/// it the host's list starts again (only a hint: documents stay cached).
const MAX_ANCESTORS_PER_HOST: usize = 4096;

type DocKey = (Host, ScopeId, ScopeVersion);

/// One decoded document of a lineage and the revision of each of its objects.
#[derive(Debug, Clone)]
pub struct SharedDoc {
    pub doc: Arc<ScopeDocument>,
    pub revisions: Arc<Vec<(ObjectRef, u64)>>,
}

/// A lineage's documents, as shared.
pub struct SharedDocs(pub Vec<SharedDoc>);

impl SharedDocs {
    /// The documents alone.
    pub fn docs(&self) -> Vec<Arc<ScopeDocument>> {
        self.0.iter().map(|d| d.doc.clone()).collect()
    }

    /// Every object of every document with its revision, per scope.
    pub fn revisions(&self) -> Revisions {
        (self.0.iter())
            .map(|d| (d.doc.scope.id.clone(), d.revisions.as_ref().clone()))
            .collect()
    }
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<DocKey, (SharedDoc, u64)> for ByBytes {
    fn weight(&self, _key: &DocKey, entry: &(SharedDoc, u64)) -> u64 {
        entry.1
    }
}

/// The shared documents (see the module docs).
pub struct SharedScopes {
    docs: Cache<DocKey, (SharedDoc, u64), ByBytes>,
    /// The last version seen of each scope that was an ancestor in a lineage.
    ancestors: Mutex<HashMap<Host, HashMap<ScopeId, ScopeVersion>>>,
    decoded: AtomicU64,
}

/// The documents a caller holds for one lineage read, to name as known.
pub struct Held(Vec<(ScopeId, ScopeVersion, SharedDoc)>);

impl Held {
    /// The (id, version) pairs to pass to `Store::lineage_shared`.
    pub fn known(&self) -> Vec<(ScopeId, ScopeVersion)> {
        self.0.iter().map(|(id, v, _)| (id.clone(), *v)).collect()
    }
}

impl SharedScopes {
    /// A cache of at most about `max_bytes` of decoded documents.
    pub fn new(max_bytes: u64) -> Self {
        let estimated_items = usize::try_from(max_bytes / 16384).unwrap_or(usize::MAX);
        Self {
            docs: Cache::with_weighter(estimated_items.max(16), max_bytes, ByBytes),
            ancestors: Mutex::default(),
            decoded: AtomicU64::new(0),
        }
    }

    /// Documents decoded from the store so far (those reused are not counted).
    pub fn decoded(&self) -> u64 {
        self.decoded.load(Ordering::Relaxed)
    }

    /// The estimated bytes held now.
    pub fn bytes(&self) -> u64 {
        self.docs.weight()
    }

    /// The held documents of the ancestors last seen in `host`.
    pub fn held(&self, host: &Host) -> Held {
        let seen: Vec<(ScopeId, ScopeVersion)> = match self.ancestors.lock() {
            Ok(map) => map
                .get(host)
                .map(|m| m.iter().map(|(id, v)| (id.clone(), *v)).collect())
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        let held = seen
            .into_iter()
            .filter_map(|(id, v)| {
                let doc = self.docs.get(&(host.clone(), id.clone(), v))?.0;
                Some((id, v, doc))
            })
            .collect();
        Held(held)
    }

    /// The lineage's documents from what was read and what was held; the
    /// documents read are kept. `None` when a scope's document is in
    /// neither (the store answered against the contract): read it whole.
    pub fn assemble(
        &self,
        host: &Host,
        asked: &ScopeId,
        held: Held,
        mut read: SharedLineage,
    ) -> Option<SharedDocs> {
        self.decoded
            .fetch_add(read.docs.len() as u64, Ordering::Relaxed);
        metrics::counter!("runbook_shared_documents_decoded_total")
            .increment(read.docs.len() as u64);
        let mut fresh: HashMap<ScopeId, SharedDoc> = HashMap::new();
        let versions: HashMap<&ScopeId, ScopeVersion> =
            read.scopes.iter().map(|(id, v)| (id, *v)).collect();
        for doc in std::mem::take(&mut read.docs) {
            let id = doc.scope.id.clone();
            let revisions = read.revisions.remove(&id).unwrap_or_default();
            let shared = SharedDoc {
                doc: Arc::new(doc),
                revisions: Arc::new(revisions),
            };
            if let Some(v) = versions.get(&id) {
                let weight = (size_of::<DocKey>() + 64) as u64
                    + weight::document_bytes(&shared.doc)
                    + weight::revisions_bytes(&shared.revisions);
                self.docs
                    .insert((host.clone(), id.clone(), *v), (shared.clone(), weight));
            }
            fresh.insert(id, shared);
        }
        let mut held: HashMap<(ScopeId, ScopeVersion), SharedDoc> =
            held.0.into_iter().map(|(id, v, d)| ((id, v), d)).collect();
        self.remember(host, asked, &read.scopes);
        metrics::gauge!("runbook_shared_documents_bytes").set(self.docs.weight() as f64);
        read.scopes
            .into_iter()
            .map(|(id, v)| fresh.remove(&id).or_else(|| held.remove(&(id, v))))
            .collect::<Option<Vec<_>>>()
            .map(SharedDocs)
    }

    /// Notes the versions of the lineage's ancestors (not the scope asked).
    fn remember(&self, host: &Host, asked: &ScopeId, scopes: &[(ScopeId, ScopeVersion)]) {
        let Ok(mut map) = self.ancestors.lock() else {
            return;
        };
        let seen = map.entry(host.clone()).or_default();
        if seen.len() > MAX_ANCESTORS_PER_HOST {
            seen.clear();
        }
        for (id, v) in scopes.iter().filter(|(id, _)| id != asked) {
            seen.insert(id.clone(), *v);
        }
    }
}
