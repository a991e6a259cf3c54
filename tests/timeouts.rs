//! A request that takes longer than the configured timeout is answered 408.
//! Time is tokio's paused clock: the test never sleeps.

mod common;

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;
use axum::{body::Body, http::Request};
use light_runbook::{
    domain::{ErrorCode, Host, ObjectRef, Scope, ScopeDocument, ScopeId, ScopeKind},
    http::HttpLimits,
    runbooks::Runbooks,
    startup::{Services, app},
    store::{
        self, ChangeSet, CommitError, Committed, ErrorCodeDefinition, HistoryFilter, HistoryRecord,
        ScopeVersion, SharedLineage, Snapshot, Store, StoreOptions, StoreResult,
    },
};
use tower::ServiceExt;

/// A real SQLite store whose reads on the runbook path take a minute: a
/// database stuck behind a lock, as far as the service can tell. They wait
/// before touching the database, so no pool timer races the request's.
struct StuckStore(Arc<dyn Store>);

#[async_trait]
impl Store for StuckStore {
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
        tokio::time::sleep(Duration::from_secs(60)).await;
        self.0.lineage_documents(h, s).await
    }
    async fn lineage_shared(
        &self,
        h: &Host,
        s: &ScopeId,
        known: &[(ScopeId, ScopeVersion)],
    ) -> StoreResult<SharedLineage> {
        tokio::time::sleep(Duration::from_secs(60)).await;
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
        tokio::time::sleep(Duration::from_secs(60)).await;
        self.0.generation(h).await
    }
    async fn lineage_at(&self, h: &Host, s: &ScopeId) -> StoreResult<(u64, Vec<ScopeDocument>)> {
        tokio::time::sleep(Duration::from_secs(60)).await;
        self.0.lineage_at(h, s).await
    }
    async fn snapshot(&self, h: &Host) -> StoreResult<Snapshot> {
        self.0.snapshot(h).await
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

#[tokio::test]
async fn a_request_stuck_on_the_store_is_answered_408_after_the_timeout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("runbooks.db").display());
    let store = store::open(&url, &StoreOptions::default())
        .await
        .expect("store opens");
    let runbooks = Runbooks::new(Arc::new(StuckStore(store)), common::host());
    let mut services = Services::open(runbooks);
    services.http_limits = HttpLimits {
        timeout: Duration::from_secs(5),
        ..HttpLimits::default()
    };
    let router = app(services).expect("app");
    // From here on time is tokio's paused clock: it jumps to the next timer
    // whenever every task waits, so the test takes no real time.
    tokio::time::pause();
    let query = r#"{"query":"{ runbook(serviceId: \"svc\") { entry } }"}"#;
    let request = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(query))
        .expect("request");
    let started = tokio::time::Instant::now();
    let response = router.oneshot(request).await.expect("response");
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body");
    assert_eq!(status, 408, "{}", String::from_utf8_lossy(&body));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_secs(60),
        "{waited:?}"
    );
}
