//! The operations the API and the CLI share: resolve a runbook, and check or
//! apply a set of runbook documents. Everything here speaks the domain's
//! terms; the GraphQL and HTTP layers only translate.

mod error_codes;
mod reads;

use std::sync::Arc;

use crate::{
    cache::{Answer, Lookup, RunbookCache, RunbookKey, SharedDocs, View},
    domain::{
        ErrorCode, Host, ScopeDocument, ScopeId,
        execution::pinned::Revisions,
        search::{SearchHit, SearchTerms},
    },
    error::{self, ApiError},
    resolve::{self, EffectiveRunbook, IndexedRunbook},
    store::{Instrumented, RoundTrips, Store, StoreError},
};

/// Store failures are logged in full and reported to clients without detail;
/// a change too large for the store is the caller's `LIMIT_EXCEEDED`, and a
/// store that is busy or out of reach is `UNAVAILABLE` (retry later). The
/// mapping lives in the service layer, which speaks both the store's errors
/// and the API's: neither of those rooms names the other.
impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        if let StoreError::TooLarge { message, .. } = e {
            return Self::new(error::ApiErrorCode::LimitExceeded, message);
        }
        tracing::error!(error = %e, "store failure");
        if let StoreError::Unavailable { .. } = e {
            return Self::new(
                error::ApiErrorCode::Unavailable,
                "the store is busy or out of reach; nothing was done, retry shortly",
            );
        }
        Self::new(
            error::ApiErrorCode::Internal,
            "internal error; see the service log",
        )
    }
}

/// Shared, cheap to clone: the store (its round trips counted), the host used
/// when a request names none, and the effective-runbook cache when it is on.
#[derive(Clone)]
pub struct Runbooks {
    store: Arc<dyn Store>,
    default_host: Host,
    round_trips: RoundTrips,
    cache: Option<Arc<RunbookCache>>,
}

impl Runbooks {
    /// Operations over a store, with the host used when a request names none.
    /// The store is wrapped in [`Instrumented`]: every call is counted. No cache.
    pub fn new(store: Arc<dyn Store>, default_host: Host) -> Self {
        let store = Instrumented::new(store);
        Self {
            round_trips: store.round_trips(),
            store: Arc::new(store),
            default_host,
            cache: None,
        }
    }

    /// The same operations with an effective-runbook cache of at most about
    /// `max_bytes` (0: no cache). Clones made before do not share it.
    pub fn with_cache(mut self, max_bytes: u64) -> Self {
        self.cache = RunbookCache::new(max_bytes).map(Arc::new);
        self
    }

    /// The store round trips made so far through these operations (and their clones).
    pub fn round_trips(&self) -> &RoundTrips {
        &self.round_trips
    }

    /// The effective-runbook cache, when it is on.
    pub fn cache(&self) -> Option<&RunbookCache> {
        self.cache.as_deref()
    }

    /// The store behind the operations, its round trips counted: for the
    /// composition root (`startup`), which hands the same store to the write
    /// path and the executions, and for tests. Everything else reads through
    /// the methods of this service (`tests/architecture` checks it).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The host used when a request names none.
    pub fn default_host(&self) -> &Host {
        &self.default_host
    }

    /// The host a request names, or the default; a malformed one is `BAD_USER_INPUT`.
    pub fn host(&self, given: Option<&str>) -> Result<Host, ApiError> {
        match given {
            None => Ok(self.default_host.clone()),
            Some(h) => Host::parse(h).map_err(|e| ApiError::bad_input("host", e.to_string())),
        }
    }

    /// A service's effective runbook: pure resolution over the lineage's
    /// documents. Without a cache, one store round trip (`lineage_documents`).
    /// With one: a question never asked costs one (`lineage_at`), a cached
    /// answer one generation check, a cached answer the host has changed since
    /// two (the check, then `lineage_at`) — whatever the lineage's depth and
    /// the tree's size.
    pub async fn runbook(
        &self,
        host: &Host,
        service: &ScopeId,
        code: Option<&ErrorCode>,
    ) -> Result<Arc<IndexedRunbook>, ApiError> {
        Ok(self.runbook_at(host, service, code).await?.0)
    }

    /// [`Runbooks::runbook`], with the host generation the answer is exactly
    /// current at: known with a cache (the generation checked, or read with
    /// the lineage), `None` without one.
    pub async fn runbook_at(
        &self,
        host: &Host,
        service: &ScopeId,
        code: Option<&ErrorCode>,
    ) -> Result<(Arc<IndexedRunbook>, Option<u64>), ApiError> {
        let resolve = |docs: &[Arc<ScopeDocument>]| {
            resolve::resolve(service, docs, code).map(IndexedRunbook::new)
        };
        let Some(cache) = &self.cache else {
            let docs = shared(self.store.lineage_documents(host, service).await?);
            return match docs.is_empty() {
                true => Err(not_found(host, service)),
                false => Ok((Arc::new(resolve(&docs)?), None)),
            };
        };
        let key = RunbookKey {
            view: View::Runbook,
            host: host.clone(),
            service: service.clone(),
            code: code.cloned(),
        };
        let (generation, answer) = self
            .cached(cache, key, |docs| {
                Answer::Runbook(resolve(docs).map(Arc::new).map_err(Arc::new))
            })
            .await?;
        match answer {
            Answer::Runbook(Ok(rb)) => Ok((rb, Some(generation))),
            Answer::Runbook(Err(e)) => Err(e.as_ref().clone().into()),
            Answer::Missing => Err(not_found(host, service)),
            Answer::ErrorCode(_) => Err(mismatch()),
        }
    }

    /// A service's runbook for an error code, for pinning: resolved from the
    /// lineage read with the host's generation and the revision of every
    /// object of its scopes, in one round trip whatever the lineage's depth.
    /// With the cache on, the lineage comes from the shared documents
    /// (`lineage_shared`: the platform scopes decoded once for every
    /// service, each checked current in the same statement); without it, or
    /// should the store's answer lack a document, read whole
    /// (`lineage_revisions_at`).
    pub async fn runbook_with_revisions(
        &self,
        host: &Host,
        service: &ScopeId,
        code: &ErrorCode,
    ) -> Result<(EffectiveRunbook, u64, Revisions), ApiError> {
        if let Some(cache) = &self.cache
            && let Some((generation, docs)) = self.shared_documents(cache, host, service).await?
        {
            let revisions = docs.revisions();
            let docs = docs.docs();
            if docs.is_empty() {
                return Err(not_found(host, service));
            }
            let runbook = resolve::resolve(service, &docs, Some(code))?;
            return Ok((runbook, generation, revisions));
        }
        let read = self.store.lineage_revisions_at(host, service).await?;
        if read.docs.is_empty() {
            return Err(not_found(host, service));
        }
        let runbook = resolve::resolve(service, &read.docs, Some(code))?;
        Ok((runbook, read.generation, read.revisions))
    }

    /// A cached answer checked against the host's generation, else the
    /// lineage loaded with the generation (one round trip) and `compute`d;
    /// with the generation the answer was computed at.
    pub(crate) async fn cached(
        &self,
        cache: &RunbookCache,
        key: RunbookKey,
        compute: impl FnOnce(&[Arc<ScopeDocument>]) -> Answer,
    ) -> Result<(u64, Answer), StoreError> {
        let lookup = match cache.get(&key) {
            Some(entry) if cache.generation(&self.store, &key.host).await? == entry.generation => {
                cache.record(&key, Lookup::Hit);
                return Ok((entry.generation, entry.answer));
            }
            Some(_) => Lookup::Stale,
            None => Lookup::Miss,
        };
        cache.record(&key, lookup);
        let (generation, docs) = self.shared_lineage(cache, &key.host, &key.service).await?;
        let answer = match docs.is_empty() {
            true => Answer::Missing,
            false => compute(&docs),
        };
        cache.insert(key, generation, answer.clone());
        Ok((generation, answer))
    }

    /// The host's generation and a lineage's documents in one round trip
    /// (`lineage_shared`), reusing the decoded documents the cache holds at
    /// the versions the store reports as current.
    async fn shared_lineage(
        &self,
        cache: &RunbookCache,
        host: &Host,
        service: &ScopeId,
    ) -> Result<(u64, Vec<Arc<ScopeDocument>>), StoreError> {
        match self.shared_documents(cache, host, service).await? {
            Some((generation, docs)) => Ok((generation, docs.docs())),
            None => {
                let (generation, docs) = self.store.lineage_at(host, service).await?;
                Ok((generation, shared(docs)))
            }
        }
    }

    /// The host's generation and a lineage's shared documents with their
    /// objects' revisions, in one round trip (`lineage_shared`). `None` when
    /// the store's answer lacked a document it was not given (logged): the
    /// caller reads the lineage whole instead.
    async fn shared_documents(
        &self,
        cache: &RunbookCache,
        host: &Host,
        service: &ScopeId,
    ) -> Result<Option<(u64, SharedDocs)>, StoreError> {
        let held = cache.shared().held(host);
        let read = self
            .store
            .lineage_shared(host, service, &held.known())
            .await?;
        let generation = read.generation;
        if let Some(docs) = cache.shared().assemble(host, service, held, read) {
            return Ok(Some((generation, docs)));
        }
        tracing::error!(%host, %service, "a lineage read lacked a document it was not given");
        Ok(None)
    }

    /// A page of the host's search hits for `query` (see
    /// `domain::search`), best first, `limit` of them from `offset`: one
    /// store round trip. A query past its bounds is `BAD_USER_INPUT`.
    pub async fn search(
        &self,
        host: &Host,
        query: &str,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<SearchHit>, ApiError> {
        let terms =
            SearchTerms::parse(query).map_err(|e| ApiError::bad_input("query", e.to_string()))?;
        Ok(self.store.search(host, &terms, offset, limit).await?)
    }
}

pub(crate) fn shared(docs: Vec<ScopeDocument>) -> Vec<Arc<ScopeDocument>> {
    docs.into_iter().map(Arc::new).collect()
}

pub(crate) fn not_found(host: &Host, service: &ScopeId) -> ApiError {
    ApiError::not_found(format!("no scope {service} in host {host}")).on_field("serviceId")
}

/// A cache entry of the other view under a key: cannot happen (the view is
/// part of the key), reported rather than assumed.
pub(crate) fn mismatch() -> ApiError {
    tracing::error!("runbook cache: an entry of another view under a key");
    ApiError::new(
        error::ApiErrorCode::Internal,
        "internal error; see the service log",
    )
}
