//! The `Store` trait: persistence in the domain's terms. Every backend passes
//! the same contract suite (`tests/contract/`).
//!
//! [`open`] picks the backend from the URL: SQLite (`sqlite://PATH`, the
//! embedded default) or PostgreSQL (`postgres://…`, shared deployments).

mod connect;
mod decode;
mod encode;
mod failure;
mod postgres;
mod replace;
mod sql_store;
mod sqlite;
mod statements;
mod write;

pub mod arango;

use async_trait::async_trait;

pub use connect::{StoreOptions, migrate, open};

use crate::domain::{ErrorCode, ErrorCodePatch, Host, Scope, ScopeDocument, ScopeId, ScopeKind};

/// A failure of the store itself (connection, query, corrupt row). Its text is
/// for logs only: the API answers `INTERNAL` without it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or refused the operation.
    #[error("{backend} store unavailable: {message}")]
    Unavailable {
        backend: &'static str,
        message: String,
    },
    /// A query failed.
    #[error("{backend} query failed ({context}): {message}")]
    Query {
        backend: &'static str,
        context: &'static str,
        message: String,
    },
    /// A stored row could not be read back into the domain.
    #[error("{backend} holds a row it cannot read ({context}): {message}")]
    Corrupt {
        backend: &'static str,
        context: String,
        message: String,
    },
    /// The store URL or configuration is not usable.
    #[error("store configuration: {0}")]
    Config(String),
}

/// Result of a store operation.
pub type StoreResult<T> = Result<T, StoreError>;

/// One registration of an error code by a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCodeDefinition {
    pub scope: ScopeId,
    pub scope_kind: ScopeKind,
    pub code: ErrorCode,
    pub patch: ErrorCodePatch,
}

/// Persistence of scopes and their content, per host.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The backend's name for logs and metrics (`sqlite`, `postgres`, `arangodb`).
    fn backend(&self) -> &'static str;

    /// Checks that the store answers (for `/ready`).
    async fn ping(&self) -> StoreResult<()>;

    /// True when no host holds any scope.
    async fn is_empty(&self) -> StoreResult<bool>;

    /// Every host that holds at least one scope, sorted.
    async fn hosts(&self) -> StoreResult<Vec<Host>>;

    /// The documents of `scope` and of all its ancestors (transitively through
    /// `parents`, within the host), in ONE round trip, in no particular order.
    /// Empty when the scope does not exist; parents that do not exist are absent.
    async fn lineage_documents(
        &self,
        host: &Host,
        scope: &ScopeId,
    ) -> StoreResult<Vec<ScopeDocument>>;

    /// The documents of the given scopes (those that exist), sorted by id.
    async fn documents(&self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<ScopeDocument>>;

    /// Every document of a host, sorted by id.
    async fn host_documents(&self, host: &Host) -> StoreResult<Vec<ScopeDocument>>;

    /// The scope vertices with the given ids (those that exist), sorted by id.
    async fn scopes(&self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<Scope>>;

    /// A page of scopes sorted by id, after the given id, optionally of one kind.
    async fn list_scopes(
        &self,
        host: &Host,
        kind: Option<ScopeKind>,
        after: Option<&ScopeId>,
        limit: u32,
    ) -> StoreResult<Vec<Scope>>;

    /// Pairs (parent, child) for every child of the given scopes, sorted.
    async fn children(
        &self,
        host: &Host,
        parents: &[ScopeId],
    ) -> StoreResult<Vec<(ScopeId, ScopeId)>>;

    /// Every registration of the given codes by any scope of the host,
    /// sorted by code, then scope kind (general first), then scope id.
    async fn error_code_definitions(
        &self,
        host: &Host,
        codes: &[ErrorCode],
    ) -> StoreResult<Vec<ErrorCodeDefinition>>;

    /// A page of the distinct codes registered in a host, sorted, after the given code.
    async fn list_error_codes(
        &self,
        host: &Host,
        after: Option<&ErrorCode>,
        limit: u32,
    ) -> StoreResult<Vec<ErrorCode>>;

    /// Replaces the whole content of each document's scope (vertex, parents and
    /// content), all in one transaction: all are written or none. Documents equal
    /// to what is stored are not written. Returns the ids of the scopes written,
    /// sorted. Validation is the caller's: the store writes what it is given.
    async fn replace_documents(&self, docs: &[ScopeDocument]) -> StoreResult<Vec<ScopeId>>;
}
