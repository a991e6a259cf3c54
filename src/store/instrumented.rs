//! A [`Store`] decorator that counts round trips: every call of a trait
//! method is one, counted per method into the `store_round_trips_total`
//! Prometheus counter (labels `backend` and `method`, rendered at `/metrics`)
//! and into in-process atomics that tests read through [`RoundTrips`].
//!
//! `Runbooks::new` wraps whatever store it is given, so every backend is
//! counted the same way. A trait call is what the service asks of the store;
//! a SQL backend answers most of them with one statement (`lineage_documents`,
//! `generation`, `lineage_at`, `lineage_shared`), a commit with one transaction.

use std::{
    collections::BTreeMap,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use async_trait::async_trait;

use super::{
    ChangeSet, CommitError, Committed, ErrorCodeDefinition, HistoryFilter, HistoryRecord,
    LineageAt, ScopeVersion, SharedLineage, Snapshot, Store, StoreResult,
};
use crate::domain::{
    ErrorCode, Host, ObjectRef, Scope, ScopeDocument, ScopeId, ScopeKind,
    search::{SearchHit, SearchTerms},
};

/// The trait methods that reach the database, in counter order.
const METHODS: [&str; 22] = [
    "ping",
    "refresh_statistics",
    "is_empty",
    "hosts",
    "lineage_documents",
    "documents",
    "host_documents",
    "scopes",
    "list_scopes",
    "children",
    "error_code_definitions",
    "list_error_codes",
    "generation",
    "snapshot",
    "revisions",
    "commit",
    "history",
    "replace_documents",
    "lineage_at",
    "search",
    "lineage_revisions_at",
    "lineage_shared",
];

/// Index of a method in [`METHODS`].
#[derive(Clone, Copy)]
enum Method {
    Ping,
    RefreshStatistics,
    IsEmpty,
    Hosts,
    LineageDocuments,
    Documents,
    HostDocuments,
    Scopes,
    ListScopes,
    Children,
    ErrorCodeDefinitions,
    ListErrorCodes,
    Generation,
    Snapshot,
    Revisions,
    Commit,
    History,
    ReplaceDocuments,
    LineageAt,
    Search,
    LineageRevisionsAt,
    LineageShared,
}

/// Round trips made through one instrumented store, per method. Cheap to
/// clone: clones share the counts.
#[derive(Clone)]
pub struct RoundTrips {
    names: &'static [&'static str],
    counts: Arc<[AtomicU64]>,
}

impl Default for RoundTrips {
    /// Counts of the [`Store`] trait's methods.
    fn default() -> Self {
        Self::of_methods(&METHODS)
    }
}

impl RoundTrips {
    /// Counts of the methods named, all at 0 (the execution store's, say).
    pub(crate) fn of_methods(names: &'static [&'static str]) -> Self {
        Self {
            names,
            counts: names.iter().map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// Every round trip so far.
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }

    /// The round trips of one trait method so far (0 for an unknown name).
    pub fn of(&self, method: &str) -> u64 {
        self.names
            .iter()
            .position(|m| *m == method)
            .map_or(0, |i| self.counts[i].load(Ordering::Relaxed))
    }

    /// The methods called so far and how often, by name.
    pub fn by_method(&self) -> BTreeMap<&'static str, u64> {
        self.names
            .iter()
            .zip(self.counts.iter())
            .map(|(m, c)| (*m, c.load(Ordering::Relaxed)))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// Counts one call of the method at `index` of the names.
    pub(crate) fn count(&self, index: usize, backend: &'static str) {
        let (Some(name), Some(counter)) = (self.names.get(index), self.counts.get(index)) else {
            return;
        };
        counter.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("store_round_trips_total", "backend" => backend, "method" => *name)
            .increment(1);
    }
}

/// A store whose every call is counted (see the module docs).
pub struct Instrumented {
    inner: Arc<dyn Store>,
    counts: RoundTrips,
}

impl Instrumented {
    /// Counts the calls made to `inner`.
    pub fn new(inner: Arc<dyn Store>) -> Self {
        Self {
            inner,
            counts: RoundTrips::default(),
        }
    }

    /// The counts, shared with this store.
    pub fn round_trips(&self) -> RoundTrips {
        self.counts.clone()
    }

    fn count(&self, method: Method) -> &dyn Store {
        self.counts.count(method as usize, self.inner.backend());
        self.inner.as_ref()
    }
}

#[async_trait]
impl Store for Instrumented {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    async fn ping(&self) -> StoreResult<()> {
        self.count(Method::Ping).ping().await
    }

    async fn refresh_statistics(&self) -> StoreResult<()> {
        self.count(Method::RefreshStatistics)
            .refresh_statistics()
            .await
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        self.count(Method::IsEmpty).is_empty().await
    }

    async fn hosts(&self) -> StoreResult<Vec<Host>> {
        self.count(Method::Hosts).hosts().await
    }

    async fn lineage_documents(
        &self,
        host: &Host,
        scope: &ScopeId,
    ) -> StoreResult<Vec<ScopeDocument>> {
        let inner = self.count(Method::LineageDocuments);
        inner.lineage_documents(host, scope).await
    }

    async fn lineage_at(
        &self,
        host: &Host,
        scope: &ScopeId,
    ) -> StoreResult<(u64, Vec<ScopeDocument>)> {
        self.count(Method::LineageAt).lineage_at(host, scope).await
    }

    async fn lineage_shared(
        &self,
        host: &Host,
        scope: &ScopeId,
        known: &[(ScopeId, ScopeVersion)],
    ) -> StoreResult<SharedLineage> {
        let inner = self.count(Method::LineageShared);
        inner.lineage_shared(host, scope, known).await
    }

    async fn lineage_revisions_at(&self, host: &Host, scope: &ScopeId) -> StoreResult<LineageAt> {
        let inner = self.count(Method::LineageRevisionsAt);
        inner.lineage_revisions_at(host, scope).await
    }

    async fn documents(&self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<ScopeDocument>> {
        self.count(Method::Documents).documents(host, ids).await
    }

    async fn host_documents(&self, host: &Host) -> StoreResult<Vec<ScopeDocument>> {
        self.count(Method::HostDocuments).host_documents(host).await
    }

    async fn scopes(&self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<Scope>> {
        self.count(Method::Scopes).scopes(host, ids).await
    }

    async fn list_scopes(
        &self,
        host: &Host,
        kind: Option<ScopeKind>,
        after: Option<&ScopeId>,
        limit: u32,
    ) -> StoreResult<Vec<Scope>> {
        let inner = self.count(Method::ListScopes);
        inner.list_scopes(host, kind, after, limit).await
    }

    async fn children(
        &self,
        host: &Host,
        parents: &[ScopeId],
    ) -> StoreResult<Vec<(ScopeId, ScopeId)>> {
        self.count(Method::Children).children(host, parents).await
    }

    async fn error_code_definitions(
        &self,
        host: &Host,
        codes: &[ErrorCode],
    ) -> StoreResult<Vec<ErrorCodeDefinition>> {
        let inner = self.count(Method::ErrorCodeDefinitions);
        inner.error_code_definitions(host, codes).await
    }

    async fn list_error_codes(
        &self,
        host: &Host,
        after: Option<&ErrorCode>,
        limit: u32,
    ) -> StoreResult<Vec<ErrorCode>> {
        let inner = self.count(Method::ListErrorCodes);
        inner.list_error_codes(host, after, limit).await
    }

    async fn search(
        &self,
        host: &Host,
        terms: &SearchTerms,
        offset: u32,
        limit: u32,
    ) -> StoreResult<Vec<SearchHit>> {
        let inner = self.count(Method::Search);
        inner.search(host, terms, offset, limit).await
    }

    async fn generation(&self, host: &Host) -> StoreResult<u64> {
        self.count(Method::Generation).generation(host).await
    }

    async fn snapshot(&self, host: &Host) -> StoreResult<Snapshot> {
        self.count(Method::Snapshot).snapshot(host).await
    }

    async fn revisions(&self, host: &Host, scope: &ScopeId) -> StoreResult<Vec<(ObjectRef, u64)>> {
        self.count(Method::Revisions).revisions(host, scope).await
    }

    async fn commit(&self, change: &ChangeSet) -> Result<Committed, CommitError> {
        self.count(Method::Commit).commit(change).await
    }

    async fn history(
        &self,
        host: &Host,
        filter: &HistoryFilter,
    ) -> StoreResult<Vec<HistoryRecord>> {
        self.count(Method::History).history(host, filter).await
    }

    async fn replace_documents(&self, docs: &[ScopeDocument]) -> StoreResult<Vec<ScopeId>> {
        self.count(Method::ReplaceDocuments)
            .replace_documents(docs)
            .await
    }
}
