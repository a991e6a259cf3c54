//! A real store that says when a write has read its snapshot of a host:
//! from then on that write's check runs.

use std::sync::Arc;

use async_trait::async_trait;
use light_runbook::{
    domain::{ErrorCode, Host, ObjectRef, Scope, ScopeDocument, ScopeId, ScopeKind},
    store::{
        ChangeSet, CommitError, Committed, ErrorCodeDefinition, HistoryFilter, HistoryRecord,
        ScopeVersion, SharedLineage, Snapshot, Store, StoreResult,
    },
};
use tokio::sync::mpsc::UnboundedSender;

/// The store, and where the hosts of snapshots read are sent.
pub struct Signalling(pub Arc<dyn Store>, pub UnboundedSender<Host>);

#[async_trait]
impl Store for Signalling {
    fn backend(&self) -> &'static str {
        self.0.backend()
    }
    async fn ping(&self) -> StoreResult<()> {
        self.0.ping().await
    }
    async fn is_empty(&self) -> StoreResult<bool> {
        self.0.is_empty().await
    }
    async fn hosts(&self) -> StoreResult<Vec<Host>> {
        self.0.hosts().await
    }
    async fn lineage_documents(&self, h: &Host, s: &ScopeId) -> StoreResult<Vec<ScopeDocument>> {
        self.0.lineage_documents(h, s).await
    }
    async fn lineage_shared(
        &self,
        h: &Host,
        s: &ScopeId,
        known: &[(ScopeId, ScopeVersion)],
    ) -> StoreResult<SharedLineage> {
        self.0.lineage_shared(h, s, known).await
    }
    async fn documents(&self, h: &Host, ids: &[ScopeId]) -> StoreResult<Vec<ScopeDocument>> {
        self.0.documents(h, ids).await
    }
    async fn host_documents(&self, h: &Host) -> StoreResult<Vec<ScopeDocument>> {
        self.0.host_documents(h).await
    }
    async fn scopes(&self, h: &Host, ids: &[ScopeId]) -> StoreResult<Vec<Scope>> {
        self.0.scopes(h, ids).await
    }
    async fn list_scopes(
        &self,
        h: &Host,
        kind: Option<ScopeKind>,
        after: Option<&ScopeId>,
        limit: u32,
    ) -> StoreResult<Vec<Scope>> {
        self.0.list_scopes(h, kind, after, limit).await
    }
    async fn children(&self, h: &Host, p: &[ScopeId]) -> StoreResult<Vec<(ScopeId, ScopeId)>> {
        self.0.children(h, p).await
    }
    async fn error_code_definitions(
        &self,
        h: &Host,
        codes: &[ErrorCode],
    ) -> StoreResult<Vec<ErrorCodeDefinition>> {
        self.0.error_code_definitions(h, codes).await
    }
    async fn list_error_codes(
        &self,
        h: &Host,
        after: Option<&ErrorCode>,
        limit: u32,
    ) -> StoreResult<Vec<ErrorCode>> {
        self.0.list_error_codes(h, after, limit).await
    }
    async fn generation(&self, h: &Host) -> StoreResult<u64> {
        self.0.generation(h).await
    }
    async fn lineage_at(&self, h: &Host, s: &ScopeId) -> StoreResult<(u64, Vec<ScopeDocument>)> {
        self.0.lineage_at(h, s).await
    }
    async fn snapshot(&self, h: &Host) -> StoreResult<Snapshot> {
        let snapshot = self.0.snapshot(h).await;
        // Nobody listening is fine: the test may have stopped waiting.
        let _ = self.1.send(h.clone());
        snapshot
    }
    async fn revisions(&self, h: &Host, s: &ScopeId) -> StoreResult<Vec<(ObjectRef, u64)>> {
        self.0.revisions(h, s).await
    }
    async fn commit(&self, change: &ChangeSet) -> Result<Committed, CommitError> {
        self.0.commit(change).await
    }
    async fn history(&self, h: &Host, f: &HistoryFilter) -> StoreResult<Vec<HistoryRecord>> {
        self.0.history(h, f).await
    }
}
