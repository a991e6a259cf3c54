//! `Store` for [`ArangoStore`]: each read is one AQL query (a commit is one
//! stream transaction, see `commit.rs`). Results the trait wants sorted are
//! sorted here, in Rust's byte order, because AQL sorts strings with the ICU
//! collation of the server's language; paged queries sort on hex keys whose
//! order is their byte order in every language (`keys::sort_key`).

use async_trait::async_trait;
use serde::Deserialize;

use super::{
    ArangoStore,
    errors::{self, BACKEND},
    keys,
    ledger::HistoryDoc,
    queries,
    records::scope_handle,
    rows::{DocumentRow, ScopeRow, StoredDocument},
};
use crate::{
    domain::{
        ErrorCode, ErrorCodePatch, Host, ObjectRef, Scope, ScopeDocument, ScopeId, ScopeKind,
        objects,
    },
    store::{
        ChangeSet, CommitError, Committed, ErrorCodeDefinition, HistoryFilter, HistoryRecord,
        ScopeVersion, SharedLineage, Snapshot, Store, StoreResult,
    },
};

/// One registration of an error code, as `error_code_definitions.aql` returns it.
#[derive(Debug, Deserialize)]
struct DefinitionRow {
    scope: ScopeId,
    scope_kind: ScopeKind,
    code: ErrorCode,
    patch: ErrorCodePatch,
}

/// What `snapshot.aql` returns.
#[derive(Debug, Deserialize)]
struct SnapshotRow {
    /// `null` when no change touched the host.
    generation: Option<u64>,
    docs: Vec<DocumentRow>,
}

/// Reads document rows into the domain; a part that does not read is corrupt.
fn into_documents(rows: Vec<DocumentRow>) -> StoreResult<Vec<ScopeDocument>> {
    rows.into_iter()
        .map(|row| row.decode().map(|stored| stored.doc))
        .collect()
}

/// The revision of every object of a stored document, in `domain::objects` order.
fn revisions_of(stored: &StoredDocument) -> Vec<(ObjectRef, u64)> {
    (objects(&stored.doc).into_iter())
        .map(|o| {
            let revision = stored.revisions.get(&o).copied().unwrap_or(0);
            (o, revision)
        })
        .collect()
}

fn scope_keys(host: &Host, ids: &[ScopeId]) -> Vec<String> {
    ids.iter().map(|id| keys::scope_key(host, id)).collect()
}

fn by_id(mut docs: Vec<ScopeDocument>) -> Vec<ScopeDocument> {
    docs.sort_by(|a, b| a.scope.id.cmp(&b.scope.id));
    docs
}

fn scopes_by_id(rows: Vec<ScopeRow>) -> Vec<Scope> {
    let mut scopes: Vec<Scope> = rows.into_iter().map(ScopeRow::into_scope).collect();
    scopes.sort_by(|a, b| a.id.cmp(&b.id));
    scopes
}

#[async_trait]
impl Store for ArangoStore {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    async fn ping(&self) -> StoreResult<()> {
        self.query::<serde_json::Value>(queries::ping())
            .await
            .map(drop)
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        let answer: Vec<bool> = self.query(queries::is_empty()).await?;
        answer
            .first()
            .copied()
            .ok_or_else(|| errors::corrupt("is_empty", "the query returned nothing".to_owned()))
    }

    async fn hosts(&self) -> StoreResult<Vec<Host>> {
        let mut hosts: Vec<Host> = self.query(queries::hosts()).await?;
        hosts.sort();
        Ok(hosts)
    }

    async fn lineage_documents(
        &self,
        host: &Host,
        scope: &ScopeId,
    ) -> StoreResult<Vec<ScopeDocument>> {
        let start = scope_handle(&keys::scope_key(host, scope));
        let rows = self.query(queries::lineage(host, &start)).await?;
        into_documents(rows)
    }

    async fn lineage_shared(
        &self,
        host: &Host,
        scope: &ScopeId,
        known: &[(ScopeId, ScopeVersion)],
    ) -> StoreResult<SharedLineage> {
        self.lineage_shared_of(host, scope, known).await
    }

    async fn documents(&self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<ScopeDocument>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self
            .query(queries::documents(&scope_keys(host, ids)))
            .await?;
        into_documents(rows).map(by_id)
    }

    async fn host_documents(&self, host: &Host) -> StoreResult<Vec<ScopeDocument>> {
        let rows = self.query(queries::host_documents(host)).await?;
        into_documents(rows).map(by_id)
    }

    async fn scopes(&self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<Scope>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self.query(queries::scopes(&scope_keys(host, ids))).await?;
        Ok(scopes_by_id(rows))
    }

    async fn list_scopes(
        &self,
        host: &Host,
        kind: Option<ScopeKind>,
        after: Option<&ScopeId>,
        limit: u32,
    ) -> StoreResult<Vec<Scope>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let after = after
            .map(|id| keys::sort_key(id.as_str()))
            .unwrap_or_default();
        let rows = self
            .query(queries::list_scopes(host, kind, &after, limit))
            .await?;
        Ok(scopes_by_id(rows))
    }

    async fn children(
        &self,
        host: &Host,
        parents: &[ScopeId],
    ) -> StoreResult<Vec<(ScopeId, ScopeId)>> {
        if parents.is_empty() {
            return Ok(Vec::new());
        }
        let handles: Vec<String> = (parents.iter())
            .map(|p| scope_handle(&keys::scope_key(host, p)))
            .collect();
        let mut pairs: Vec<(ScopeId, ScopeId)> =
            self.query(queries::children(host, &handles)).await?;
        pairs.sort();
        pairs.dedup();
        Ok(pairs)
    }

    async fn error_code_definitions(
        &self,
        host: &Host,
        codes: &[ErrorCode],
    ) -> StoreResult<Vec<ErrorCodeDefinition>> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<DefinitionRow> = self
            .query(queries::error_code_definitions(host, codes))
            .await?;
        let mut definitions: Vec<ErrorCodeDefinition> = (rows.into_iter())
            .map(|r| ErrorCodeDefinition {
                scope: r.scope,
                scope_kind: r.scope_kind,
                code: r.code,
                patch: r.patch,
            })
            .collect();
        definitions.sort_by(|a, b| {
            (&a.code, a.scope_kind, &a.scope).cmp(&(&b.code, b.scope_kind, &b.scope))
        });
        Ok(definitions)
    }

    async fn list_error_codes(
        &self,
        host: &Host,
        after: Option<&ErrorCode>,
        limit: u32,
    ) -> StoreResult<Vec<ErrorCode>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let after = after
            .map(|c| keys::sort_key(c.as_str()))
            .unwrap_or_default();
        let mut codes: Vec<ErrorCode> = self
            .query(queries::list_error_codes(host, &after, limit))
            .await?;
        codes.sort();
        Ok(codes)
    }

    async fn generation(&self, host: &Host) -> StoreResult<u64> {
        let found: Vec<u64> = self
            .query(queries::generation(&keys::host_key(host)))
            .await?;
        Ok(found.first().copied().unwrap_or(0))
    }

    async fn snapshot(&self, host: &Host) -> StoreResult<Snapshot> {
        let rows: Vec<SnapshotRow> = self
            .query(queries::snapshot(host, &keys::host_key(host)))
            .await?;
        let row = (rows.into_iter().next())
            .ok_or_else(|| errors::corrupt("snapshot", "the query returned nothing".to_owned()))?;
        Ok(Snapshot {
            generation: row.generation.unwrap_or(0),
            docs: by_id(into_documents(row.docs)?),
        })
    }

    async fn revisions(&self, host: &Host, scope: &ScopeId) -> StoreResult<Vec<(ObjectRef, u64)>> {
        let key = keys::scope_key(host, scope);
        let rows: Vec<DocumentRow> = self
            .query(queries::documents(std::slice::from_ref(&key)))
            .await?;
        match rows.into_iter().next() {
            Some(row) => Ok(revisions_of(&row.decode()?)),
            None => Ok(Vec::new()),
        }
    }

    async fn commit(&self, change: &ChangeSet) -> Result<Committed, CommitError> {
        self.commit_change(change).await
    }

    async fn history(
        &self,
        host: &Host,
        filter: &HistoryFilter,
    ) -> StoreResult<Vec<HistoryRecord>> {
        if filter.limit == 0 {
            return Ok(Vec::new());
        }
        let docs: Vec<HistoryDoc> = self.query(queries::history(host, filter)).await?;
        (docs.into_iter())
            .map(|d| {
                d.into_record()
                    .map_err(|message| errors::corrupt("history", message))
            })
            .collect()
    }
}
