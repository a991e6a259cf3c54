//! The `Store` trait: persistence in the domain's terms. Every backend passes
//! the same contract suite (`tests/contract/`).
//!
//! [`open`] picks the backend from the URL: SQLite (`sqlite://PATH`, the
//! embedded default) or PostgreSQL (`postgres://…`, shared deployments).

mod change;
mod commit;
mod connect;
mod decode;
mod encode;
mod failure;
mod history;
mod instrumented;
mod postgres;
mod rules;
mod scope_writes;
mod search;
mod shared;
mod sql_changes;
mod sql_reads;
mod sql_store;
mod sqlite;
mod statements;
mod write;

pub mod arango;
pub mod executions;

use std::collections::BTreeMap;

use async_trait::async_trait;

pub use change::{
    Action, Actor, ChangeSet, CommitError, Committed, Expectation, HistoryFilter, HistoryRecord,
};
pub use connect::{StoreOptions, Stores, migrate, open, open_stores};
pub use instrumented::{Instrumented, RoundTrips};
pub use shared::{ScopeVersion, SharedLineage};

use crate::domain::{
    ErrorCode, ErrorCodePatch, Host, ObjectRef, Scope, ScopeDocument, ScopeId, ScopeKind,
    search::{SearchHit, SearchTerms},
};

/// A failure of the store itself (connection, query, corrupt row). Its text is
/// for logs only: the API answers `INTERNAL` without it, except for
/// [`StoreError::TooLarge`], whose text says which bound to respect.
#[derive(Debug, Clone, thiserror::Error)]
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
    /// A change is larger than the backend takes in one commit; nothing was
    /// written. The API answers `LIMIT_EXCEEDED` with this text, which names
    /// the bound and holds nothing of the store's configuration.
    #[error("{message}")]
    TooLarge {
        backend: &'static str,
        message: String,
    },
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

pub use crate::domain::page::cut_page;

/// The first registration of each code among definitions sorted as
/// [`Store::error_code_definitions`] returns them (by code, most general
/// scope first): the code as its most general scope registers it.
pub fn most_general(definitions: Vec<ErrorCodeDefinition>) -> Vec<ErrorCodeDefinition> {
    let mut firsts: Vec<ErrorCodeDefinition> = Vec::new();
    for d in definitions {
        if firsts.last().is_none_or(|f| f.code != d.code) {
            firsts.push(d);
        }
    }
    firsts
}

/// A lineage with the generation it is at and its objects' revisions
/// ([`Store::lineage_revisions_at`]).
#[derive(Debug, Clone, Default)]
pub struct LineageAt {
    /// The host's generation the documents and revisions are at.
    pub generation: u64,
    /// The documents of the scope and its ancestors, in no particular order;
    /// empty when the scope does not exist.
    pub docs: Vec<ScopeDocument>,
    /// Per scope of `docs`, every object with its current revision.
    pub revisions: BTreeMap<ScopeId, Vec<(ObjectRef, u64)>>,
}

/// Persistence of scopes and their content, per host.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The backend's name for logs and metrics (`sqlite`, `postgres`, `arangodb`).
    fn backend(&self) -> &'static str;

    /// Checks that the store answers (for `/ready`).
    async fn ping(&self) -> StoreResult<()>;

    /// Brings the query planner's statistics up to date after a bulk write
    /// (an import): until then a database may plan for the empty tables it
    /// last measured. Nothing to do for stores without a planner to feed.
    async fn refresh_statistics(&self) -> StoreResult<()> {
        Ok(())
    }

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

    /// The host's generation and the documents of `scope`'s lineage (as
    /// [`Store::lineage_documents`]), the documents at least as new as the
    /// generation: content cached under that generation is never stale. The
    /// SQL backends answer in ONE statement; this default makes two round
    /// trips, the generation first.
    async fn lineage_at(
        &self,
        host: &Host,
        scope: &ScopeId,
    ) -> StoreResult<(u64, Vec<ScopeDocument>)> {
        let generation = self.generation(host).await?;
        Ok((generation, self.lineage_documents(host, scope).await?))
    }

    /// In ONE statement: the host's generation, every scope of `scope`'s
    /// lineage with its [`ScopeVersion`], and the documents of those lineage
    /// scopes whose (id, version) is not in `known` — what the caller already
    /// holds decoded. Read together, so the versions are those of the
    /// documents at the generation or newer: a caller that reuses a known
    /// document for an equal version is never stale.
    async fn lineage_shared(
        &self,
        host: &Host,
        scope: &ScopeId,
        known: &[(ScopeId, ScopeVersion)],
    ) -> StoreResult<SharedLineage>;

    /// [`Store::lineage_at`] plus the current revision of every object of the
    /// lineage's scopes (as [`Store::revisions`] gives them), all as of one
    /// generation: what pinning a runbook for an execution needs. The SQL
    /// backends answer in the ONE statement of `lineage_at` (each document row
    /// carries its revision). This default reads the revisions scope by scope
    /// and the generation again, and reads it all again (up to 3 times) when
    /// the host changed meanwhile.
    async fn lineage_revisions_at(&self, host: &Host, scope: &ScopeId) -> StoreResult<LineageAt> {
        let mut attempts = 0;
        loop {
            let (generation, docs) = self.lineage_at(host, scope).await?;
            let mut revisions = BTreeMap::new();
            for doc in &docs {
                let id = &doc.scope.id;
                revisions.insert(id.clone(), self.revisions(host, id).await?);
            }
            attempts += 1;
            if self.generation(host).await? == generation {
                return Ok(LineageAt {
                    generation,
                    docs,
                    revisions,
                });
            }
            if attempts == 3 {
                return Err(StoreError::Unavailable {
                    backend: self.backend(),
                    message: format!("host {host} kept changing while a lineage was read"),
                });
            }
        }
    }

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

    /// A page of the host's search hits for `terms`, best first, `limit`
    /// of them from `offset`, in ONE round trip. The SQL backends answer on
    /// a text index; this default reads the host's documents and matches
    /// them in memory (`domain::search::scan`), which is the reference the
    /// indexes are tested against.
    async fn search(
        &self,
        host: &Host,
        terms: &SearchTerms,
        offset: u32,
        limit: u32,
    ) -> StoreResult<Vec<SearchHit>> {
        let docs = self.host_documents(host).await?;
        Ok(crate::domain::search::scan(&docs, terms, offset, limit))
    }

    /// The host's generation: the id of the last change that touched it
    /// (0 when none did). A cheap check that cached content is current.
    async fn generation(&self, host: &Host) -> StoreResult<u64>;

    /// Every document of a host, sorted by id, with the generation they are
    /// at, read consistently (one transaction or snapshot).
    async fn snapshot(&self, host: &Host) -> StoreResult<Snapshot>;

    /// The current revision of every object of a scope (its vertex included),
    /// in `domain::objects` order; empty when the scope does not exist.
    async fn revisions(&self, host: &Host, scope: &ScopeId) -> StoreResult<Vec<(ObjectRef, u64)>>;

    /// Commits a change all-or-nothing. Inside one transaction: every `base`
    /// host must still be at its generation (else `Stale`), every expectation
    /// must hold (else `Conflict`); then `delete` and `put` are written
    /// (documents equal to what is stored are skipped), each changed object
    /// gets the change's id as its revision and a history record with the
    /// actor, and each touched host's generation becomes the change's id.
    /// Change ids increase across the whole store. Nothing changed: no change
    /// id is used and `Committed::default()` is returned.
    async fn commit(&self, change: &ChangeSet) -> Result<Committed, CommitError>;

    /// History records of a host that match the filter, newest first (by
    /// change id, then object order), at most `filter.limit`.
    async fn history(&self, host: &Host, filter: &HistoryFilter)
    -> StoreResult<Vec<HistoryRecord>>;

    /// Replaces the whole content of each document's scope (vertex, parents and
    /// content), all in one transaction: all are written or none. Documents equal
    /// to what is stored are not written. Returns the ids of the scopes written,
    /// sorted. Validation is the caller's: the store writes what it is given.
    /// A commit by the `system` actor without expectations.
    async fn replace_documents(&self, docs: &[ScopeDocument]) -> StoreResult<Vec<ScopeId>> {
        let change = ChangeSet {
            put: docs.to_vec(),
            delete: Vec::new(),
            expect: Vec::new(),
            base: Vec::new(),
            actor: Actor {
                uid: "system".to_owned(),
                at_ms: 0,
                operation: "replace".to_owned(),
            },
        };
        match self.commit(&change).await {
            Ok(committed) => Ok(committed.scopes),
            Err(CommitError::Store(e)) => Err(e),
            Err(other) => Err(StoreError::Query {
                backend: self.backend(),
                context: "replace documents",
                message: other.to_string(),
            }),
        }
    }
}

/// A host's documents at one generation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub generation: u64,
    pub docs: Vec<ScopeDocument>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition(scope: &str, kind: ScopeKind, code: &str) -> ErrorCodeDefinition {
        ErrorCodeDefinition {
            scope: ScopeId::parse(scope).expect("scope id"),
            scope_kind: kind,
            code: ErrorCode::parse(code).expect("code"),
            patch: ErrorCodePatch::default(),
        }
    }

    #[test]
    fn the_most_general_registration_of_each_code_is_kept() {
        let firsts = most_general(vec![
            definition("light-4j", ScopeKind::Framework, "ERR10001"),
            definition("acme", ScopeKind::Organization, "ERR10001"),
            definition("acme", ScopeKind::Organization, "ERR10002"),
            definition("ledger", ScopeKind::Service, "ERR10002"),
        ]);
        let kept: Vec<(&str, &str)> = firsts
            .iter()
            .map(|d| (d.code.as_str(), d.scope.as_str()))
            .collect();
        assert_eq!(kept, [("ERR10001", "light-4j"), ("ERR10002", "acme")]);
    }
}
