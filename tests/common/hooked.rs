//! A real store with a hook around every call that names a host: a test
//! holds a call back (a database stuck behind a lock) or learns that it
//! happened (a write has read its snapshot), and the call itself goes
//! straight through to the store underneath.

use std::sync::Arc;

use async_trait::async_trait;
use futures::future::BoxFuture;
use light_runbook::{
    domain::{
        ErrorCode, Host, ObjectRef, Scope, ScopeDocument, ScopeId, ScopeKind,
        search::{SearchHit, SearchTerms},
    },
    store::{
        ChangeSet, CommitError, Committed, ErrorCodeDefinition, HistoryFilter, HistoryRecord,
        LineageAt, ScopeVersion, SharedLineage, Snapshot, Store, StoreResult,
    },
};

/// When a hook runs: before the call reaches the store, or after it answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Before,
    After,
}

/// What a hook is told: when, the trait method's name and the host.
pub type Hook = Arc<dyn Fn(When, &'static str, &Host) -> BoxFuture<'static, ()> + Send + Sync>;

/// The store underneath, and the hook run around its calls.
pub struct Hooked {
    inner: Arc<dyn Store>,
    hook: Hook,
}

impl Hooked {
    pub fn around(inner: Arc<dyn Store>, hook: Hook) -> Arc<dyn Store> {
        Arc::new(Self { inner, hook })
    }
}

/// Runs the hook before and after one call of the store underneath.
macro_rules! hooked {
    ($self:ident, $name:literal, $host:expr, $call:expr) => {{
        (($self.hook)(When::Before, $name, $host)).await;
        let answer = $call.await;
        (($self.hook)(When::After, $name, $host)).await;
        answer
    }};
}

#[async_trait]
impl Store for Hooked {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
    async fn ping(&self) -> StoreResult<()> {
        self.inner.ping().await
    }
    async fn refresh_statistics(&self) -> StoreResult<()> {
        self.inner.refresh_statistics().await
    }
    async fn is_empty(&self) -> StoreResult<bool> {
        self.inner.is_empty().await
    }
    async fn hosts(&self) -> StoreResult<Vec<Host>> {
        self.inner.hosts().await
    }
    async fn lineage_documents(&self, h: &Host, s: &ScopeId) -> StoreResult<Vec<ScopeDocument>> {
        hooked!(
            self,
            "lineage_documents",
            h,
            self.inner.lineage_documents(h, s)
        )
    }
    async fn lineage_at(&self, h: &Host, s: &ScopeId) -> StoreResult<(u64, Vec<ScopeDocument>)> {
        hooked!(self, "lineage_at", h, self.inner.lineage_at(h, s))
    }
    async fn lineage_revisions_at(&self, h: &Host, s: &ScopeId) -> StoreResult<LineageAt> {
        let call = self.inner.lineage_revisions_at(h, s);
        hooked!(self, "lineage_revisions_at", h, call)
    }
    async fn lineage_shared(
        &self,
        h: &Host,
        s: &ScopeId,
        known: &[(ScopeId, ScopeVersion)],
    ) -> StoreResult<SharedLineage> {
        let call = self.inner.lineage_shared(h, s, known);
        hooked!(self, "lineage_shared", h, call)
    }
    async fn documents(&self, h: &Host, ids: &[ScopeId]) -> StoreResult<Vec<ScopeDocument>> {
        hooked!(self, "documents", h, self.inner.documents(h, ids))
    }
    async fn host_documents(&self, h: &Host) -> StoreResult<Vec<ScopeDocument>> {
        hooked!(self, "host_documents", h, self.inner.host_documents(h))
    }
    async fn scopes(&self, h: &Host, ids: &[ScopeId]) -> StoreResult<Vec<Scope>> {
        hooked!(self, "scopes", h, self.inner.scopes(h, ids))
    }
    async fn list_scopes(
        &self,
        h: &Host,
        kind: Option<ScopeKind>,
        after: Option<&ScopeId>,
        limit: u32,
    ) -> StoreResult<Vec<Scope>> {
        let call = self.inner.list_scopes(h, kind, after, limit);
        hooked!(self, "list_scopes", h, call)
    }
    async fn children(&self, h: &Host, p: &[ScopeId]) -> StoreResult<Vec<(ScopeId, ScopeId)>> {
        hooked!(self, "children", h, self.inner.children(h, p))
    }
    async fn error_code_definitions(
        &self,
        h: &Host,
        codes: &[ErrorCode],
    ) -> StoreResult<Vec<ErrorCodeDefinition>> {
        let call = self.inner.error_code_definitions(h, codes);
        hooked!(self, "error_code_definitions", h, call)
    }
    async fn list_error_codes(
        &self,
        h: &Host,
        after: Option<&ErrorCode>,
        limit: u32,
    ) -> StoreResult<Vec<ErrorCode>> {
        let call = self.inner.list_error_codes(h, after, limit);
        hooked!(self, "list_error_codes", h, call)
    }
    async fn search(
        &self,
        h: &Host,
        terms: &SearchTerms,
        offset: u32,
        limit: u32,
    ) -> StoreResult<Vec<SearchHit>> {
        let call = self.inner.search(h, terms, offset, limit);
        hooked!(self, "search", h, call)
    }
    async fn generation(&self, h: &Host) -> StoreResult<u64> {
        hooked!(self, "generation", h, self.inner.generation(h))
    }
    async fn snapshot(&self, h: &Host) -> StoreResult<Snapshot> {
        hooked!(self, "snapshot", h, self.inner.snapshot(h))
    }
    async fn revisions(&self, h: &Host, s: &ScopeId) -> StoreResult<Vec<(ObjectRef, u64)>> {
        hooked!(self, "revisions", h, self.inner.revisions(h, s))
    }
    async fn commit(&self, change: &ChangeSet) -> Result<Committed, CommitError> {
        self.inner.commit(change).await
    }
    async fn history(&self, h: &Host, f: &HistoryFilter) -> StoreResult<Vec<HistoryRecord>> {
        hooked!(self, "history", h, self.inner.history(h, f))
    }
}
