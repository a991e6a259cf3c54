//! Plain reads through the service layer: scope vertices, documents,
//! children, revisions, scope pages and history pages, one store call each.
//! The GraphQL loaders and pages, the HTTP readiness check and the CLI's
//! export read through these: nothing above this room names the store.

use super::Runbooks;
use crate::{
    domain::{
        Host, ObjectRef, Scope, ScopeDocument, ScopeId, ScopeKind,
        history::{HistoryFilter, HistoryRecord},
    },
    error::ApiError,
    store::StoreError,
};

impl Runbooks {
    /// The scope vertices with the given ids (those that exist), sorted by id.
    pub async fn scopes(&self, host: &Host, ids: &[ScopeId]) -> Result<Vec<Scope>, ApiError> {
        Ok(self.store.scopes(host, ids).await?)
    }

    /// The (parent, child) pairs of the given parents.
    pub async fn children(
        &self,
        host: &Host,
        parents: &[ScopeId],
    ) -> Result<Vec<(ScopeId, ScopeId)>, ApiError> {
        Ok(self.store.children(host, parents).await?)
    }

    /// The documents (vertex and content) of the given scopes, those that exist.
    pub async fn documents(
        &self,
        host: &Host,
        ids: &[ScopeId],
    ) -> Result<Vec<ScopeDocument>, ApiError> {
        Ok(self.store.documents(host, ids).await?)
    }

    /// Every document of a host, sorted by id.
    pub async fn host_documents(&self, host: &Host) -> Result<Vec<ScopeDocument>, ApiError> {
        Ok(self.store.host_documents(host).await?)
    }

    /// Every object of a scope with its current revision.
    pub async fn revisions(
        &self,
        host: &Host,
        scope: &ScopeId,
    ) -> Result<Vec<(ObjectRef, u64)>, ApiError> {
        Ok(self.store.revisions(host, scope).await?)
    }

    /// A page of at most `limit` scopes sorted by id, after `after`,
    /// optionally of one kind.
    pub async fn list_scopes(
        &self,
        host: &Host,
        kind: Option<ScopeKind>,
        after: Option<&ScopeId>,
        limit: u32,
    ) -> Result<Vec<Scope>, ApiError> {
        Ok(self.store.list_scopes(host, kind, after, limit).await?)
    }

    /// History records of a host matching `filter`, newest first.
    pub async fn history(
        &self,
        host: &Host,
        filter: &HistoryFilter,
    ) -> Result<Vec<HistoryRecord>, ApiError> {
        Ok(self.store.history(host, filter).await?)
    }

    /// True when no host holds any scope.
    pub async fn is_empty(&self) -> Result<bool, ApiError> {
        Ok(self.store.is_empty().await?)
    }

    /// Checks that the store answers; the error is for the log.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.store.ping().await
    }

    /// The store's backend name, e.g. `sqlite`.
    pub fn backend(&self) -> &'static str {
        self.store.backend()
    }

    /// The host's current generation, through the cache's checks when the
    /// cache is on (`None` when it is off).
    pub async fn checked_generation(&self, host: &Host) -> Option<Result<u64, StoreError>> {
        let cache = self.cache.as_ref()?;
        Some(cache.generation(&self.store, host).await)
    }
}
