//! The shared store contract suite against a live ArangoDB.
//!
//! Set `ARANGO_URL` to a server and a user that may create databases, e.g.
//! `ARANGO_URL=arangodb://root:pw@127.0.0.1:8529/_system cargo test --test store_arango`.
//! Each test runs on a fresh database (`lr_test_…`) that it creates and drops.
//!
//! Without `ARANGO_URL` the suite still compiles, but every test returns at
//! once without checking anything, and the binary says so on stderr:
//! "ARANGO_URL not set: ArangoDB contract suite not run". Those tests count
//! as passed in the runner's summary; they prove nothing about ArangoDB.

use std::{
    io::Write,
    sync::{
        Arc, Once,
        atomic::{AtomicU32, Ordering},
    },
    time::{SystemTime, UNIX_EPOCH},
};

use async_trait::async_trait;
use light_runbook::{
    domain::{ErrorCode, Host, Scope, ScopeDocument, ScopeId, ScopeKind},
    store::{
        ErrorCodeDefinition, Store, StoreResult,
        arango::{self, ArangoOptions, ArangoStore},
    },
};

mod contract;

/// A store on a fresh database: `arango_test_store!().await` gives an
/// `Arc<dyn Store>`. When `ARANGO_URL` is unset it says so and makes the
/// calling test return.
macro_rules! arango_test_store {
    () => {
        match crate::fresh_store().await {
            Some(store) => std::future::ready(store),
            None => return,
        }
    };
}

contract_suite!(arangodb, arango_test_store!());

const SKIPPED: &str = "ARANGO_URL not set: ArangoDB contract suite not run";

/// A store on a new database, or `None` when `ARANGO_URL` is unset.
async fn fresh_store() -> Option<Arc<dyn Store>> {
    let Ok(server) = std::env::var("ARANGO_URL") else {
        static NOTICE: Once = Once::new();
        // Straight to stderr: the test runner captures `eprintln!`.
        NOTICE.call_once(|| {
            let _ = writeln!(std::io::stderr().lock(), "{SKIPPED}");
        });
        return None;
    };
    let url = with_database(&server, &unique_database());
    let options = ArangoOptions {
        create_database: true,
        ..ArangoOptions::default()
    };
    let store = arango::open(&url, &options)
        .await
        .unwrap_or_else(|e| panic!("ArangoDB at ARANGO_URL: {e}"));
    Some(Arc::new(DroppingStore {
        inner: store,
        url,
        options,
    }))
}

fn unique_database() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("lr_test_{}_{n}_{nanos}", std::process::id())
}

/// `server` with its database replaced by `database`.
fn with_database(server: &str, database: &str) -> String {
    let mut url = url::Url::parse(server).expect("ARANGO_URL is a URL");
    url.set_path(&format!("/{database}"));
    url.to_string()
}

/// An [`ArangoStore`] that drops its database when dropped.
struct DroppingStore {
    inner: ArangoStore,
    url: String,
    options: ArangoOptions,
}

impl Drop for DroppingStore {
    fn drop(&mut self) {
        let (url, options) = (self.url.clone(), self.options.clone());
        // A runtime of its own on its own thread: the test's runtime may be
        // the one blocked in this drop.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(arango::drop_database(&url, &options))
        })
        .join();
        if let Ok(Err(e)) = dropped {
            let _ = writeln!(
                std::io::stderr().lock(),
                "could not drop a test database: {e}"
            );
        }
    }
}

#[async_trait]
impl Store for DroppingStore {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
    async fn ping(&self) -> StoreResult<()> {
        self.inner.ping().await
    }
    async fn is_empty(&self) -> StoreResult<bool> {
        self.inner.is_empty().await
    }
    async fn hosts(&self) -> StoreResult<Vec<Host>> {
        self.inner.hosts().await
    }
    async fn lineage_documents(&self, h: &Host, s: &ScopeId) -> StoreResult<Vec<ScopeDocument>> {
        self.inner.lineage_documents(h, s).await
    }
    async fn documents(&self, h: &Host, ids: &[ScopeId]) -> StoreResult<Vec<ScopeDocument>> {
        self.inner.documents(h, ids).await
    }
    async fn host_documents(&self, h: &Host) -> StoreResult<Vec<ScopeDocument>> {
        self.inner.host_documents(h).await
    }
    async fn scopes(&self, h: &Host, ids: &[ScopeId]) -> StoreResult<Vec<Scope>> {
        self.inner.scopes(h, ids).await
    }
    async fn list_scopes(
        &self,
        h: &Host,
        kind: Option<ScopeKind>,
        after: Option<&ScopeId>,
        limit: u32,
    ) -> StoreResult<Vec<Scope>> {
        self.inner.list_scopes(h, kind, after, limit).await
    }
    async fn children(&self, h: &Host, p: &[ScopeId]) -> StoreResult<Vec<(ScopeId, ScopeId)>> {
        self.inner.children(h, p).await
    }
    async fn error_code_definitions(
        &self,
        h: &Host,
        codes: &[ErrorCode],
    ) -> StoreResult<Vec<ErrorCodeDefinition>> {
        self.inner.error_code_definitions(h, codes).await
    }
    async fn list_error_codes(
        &self,
        h: &Host,
        after: Option<&ErrorCode>,
        limit: u32,
    ) -> StoreResult<Vec<ErrorCode>> {
        self.inner.list_error_codes(h, after, limit).await
    }
    async fn replace_documents(&self, docs: &[ScopeDocument]) -> StoreResult<Vec<ScopeId>> {
        self.inner.replace_documents(docs).await
    }
}
