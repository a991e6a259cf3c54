//! `Store` for [`ArangoStore`]: each method is one AQL query (writes: one
//! stream transaction, see `write.rs`). Results the trait wants sorted are
//! sorted here, in Rust's byte order, because AQL sorts strings with an ICU
//! collation; paged queries sort on keys whose ICU order is their byte order.

use async_trait::async_trait;
use serde::Deserialize;

use super::{
    ArangoStore,
    errors::{self, BACKEND},
    keys, queries,
    records::scope_handle,
    rows::{DocumentRow, ScopeRow},
};
use crate::{
    domain::{ErrorCode, ErrorCodePatch, Host, Scope, ScopeDocument, ScopeId, ScopeKind},
    store::{ErrorCodeDefinition, Store, StoreResult},
};

/// One registration of an error code, as `error_code_definitions.aql` returns it.
#[derive(Debug, Deserialize)]
struct DefinitionRow {
    scope: ScopeId,
    scope_kind: ScopeKind,
    code: ErrorCode,
    patch: ErrorCodePatch,
}

/// Reads document rows into the domain; a row that does not fit is corrupt.
pub(super) fn into_documents(
    context: &str,
    rows: Vec<DocumentRow>,
) -> StoreResult<Vec<ScopeDocument>> {
    rows.into_iter()
        .map(|row| {
            row.into_document()
                .map_err(|e| errors::corrupt(context, e.0))
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
        into_documents("lineage", rows)
    }

    async fn documents(&self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<ScopeDocument>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self
            .query(queries::documents(&scope_keys(host, ids)))
            .await?;
        into_documents("documents", rows).map(by_id)
    }

    async fn host_documents(&self, host: &Host) -> StoreResult<Vec<ScopeDocument>> {
        let rows = self.query(queries::host_documents(host)).await?;
        into_documents("host_documents", rows).map(by_id)
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
        let after = after.map(keys::sort_key).unwrap_or_default();
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
        let after = after.map(ErrorCode::as_str).unwrap_or_default();
        let mut codes: Vec<ErrorCode> = self
            .query(queries::list_error_codes(host, after, limit))
            .await?;
        codes.sort();
        Ok(codes)
    }

    async fn generation(&self, _host: &Host) -> StoreResult<u64> {
        Err(not_yet(self.backend()))
    }
    async fn snapshot(&self, _host: &Host) -> StoreResult<crate::store::Snapshot> {
        Err(not_yet(self.backend()))
    }
    async fn revisions(
        &self,
        _host: &Host,
        _scope: &ScopeId,
    ) -> StoreResult<Vec<(crate::domain::ObjectRef, u64)>> {
        Err(not_yet(self.backend()))
    }
    async fn commit(
        &self,
        _change: &crate::store::ChangeSet,
    ) -> Result<crate::store::Committed, crate::store::CommitError> {
        Err(not_yet(self.backend()).into())
    }
    async fn history(
        &self,
        _host: &Host,
        _filter: &crate::store::HistoryFilter,
    ) -> StoreResult<Vec<crate::store::HistoryRecord>> {
        Err(not_yet(self.backend()))
    }
    async fn replace_documents(&self, docs: &[ScopeDocument]) -> StoreResult<Vec<ScopeId>> {
        self.replace(docs).await
    }
}

// STUB until revisions and history are implemented for this backend.
fn not_yet(backend: &'static str) -> crate::store::StoreError {
    crate::store::StoreError::Config(format!(
        "{backend}: revisions and history are not implemented yet"
    ))
}
