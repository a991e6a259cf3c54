//! Writes: each is one stream transaction (`POST /_api/transaction/begin`
//! with every collection declared for writing, the queries sent with the
//! `x-arango-trx-id` header, then commit; abort on any error), so a
//! multi-document write is all or nothing.
//!
//! Each scope vertex keeps a `revision` counted up on every write. ArangoDB's
//! own `_rev` changes on every write too; [`ArangoStore::replace_document_if_revision`]
//! uses it as an If-Match precondition (`ignoreRevs: false`) for an API that
//! takes an expected revision.

use std::collections::{BTreeMap, HashMap};

use arangors::{
    ClientError,
    transaction::{Transaction, TransactionCollections, TransactionSettings},
};
use serde::Deserialize;
use serde_json::Value;

use super::{
    ArangoStore, RustlsClient, errors, keys, queries, query_in, records::ScopeRecords,
    rows::DocumentRow, schema,
};
use crate::{
    domain::{Host, ScopeDocument, ScopeId},
    store::{StoreError, StoreResult},
};

type Tx = Transaction<RustlsClient>;

/// A scope's revision: the store's counter and ArangoDB's `_rev`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ScopeRevision {
    /// Counted up from 1 on every write of the scope.
    pub revision: u64,
    /// ArangoDB's revision of the scope vertex, for If-Match writes.
    pub rev: String,
}

/// The outcome of a write conditional on a scope's revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConditionalWrite {
    /// Written; the scope's new revision.
    Written(ScopeRevision),
    /// The scope changed since the expected revision was read; nothing was written.
    Conflict,
    /// The scope does not exist; nothing was written.
    Missing,
}

fn serialize<T: serde::Serialize>(value: &T) -> StoreResult<Value> {
    serde_json::to_value(value).map_err(|e| StoreError::Query {
        backend: errors::BACKEND,
        context: "serialize document",
        message: e.to_string(),
    })
}

fn to_values<T: serde::Serialize>(items: &[T]) -> StoreResult<Vec<Value>> {
    items.iter().map(serialize).collect()
}

impl ArangoStore {
    /// The revision of a scope, or `None` when it does not exist.
    pub async fn scope_revision(
        &self,
        host: &Host,
        scope: &ScopeId,
    ) -> StoreResult<Option<ScopeRevision>> {
        let key = keys::scope_key(host, scope);
        let rows: Vec<ScopeRevision> = self.query(queries::scope_revision(&key)).await?;
        Ok(rows.into_iter().next())
    }

    /// Replaces one scope document only if the scope is still at `expected`
    /// (its `_rev` unchanged), in one transaction. Always writes when it
    /// matches, even an equal document, and counts the revision up.
    pub async fn replace_document_if_revision(
        &self,
        doc: &ScopeDocument,
        expected: &ScopeRevision,
    ) -> StoreResult<ConditionalWrite> {
        let records = ScopeRecords::from_document(doc);
        let mut vertex = serialize(&records.vertex)?;
        vertex["revision"] = Value::from(expected.revision.saturating_add(1));
        let key = records.vertex.key.clone();
        let tx = self.begin().await?;
        let guard = queries::replace_scope_if_rev(&key, &expected.rev, vertex);
        let written: Vec<ScopeRevision> = match query_in(&tx, &guard).await {
            Ok(rows) => rows,
            Err(e) => {
                let outcome = match errors::error_num(&e) {
                    Some(errors::CONFLICT) => Ok(ConditionalWrite::Conflict),
                    Some(errors::DOCUMENT_NOT_FOUND) => Ok(ConditionalWrite::Missing),
                    _ => Err(errors::from_client("replace_scope_if_rev", e)),
                };
                abort(&tx).await;
                return outcome;
            }
        };
        let result = async {
            write_content(&tx, &[records]).await?;
            written.into_iter().next().ok_or_else(|| {
                errors::corrupt("replace_scope_if_rev", "no revision returned".to_owned())
            })
        }
        .await;
        finish(tx, result).await.map(ConditionalWrite::Written)
    }

    /// `Store::replace_documents`: one transaction; documents equal to the
    /// stored ones are skipped; returns the ids written, sorted. When a scope
    /// is given twice, the last one counts.
    pub(super) async fn replace(&self, docs: &[ScopeDocument]) -> StoreResult<Vec<ScopeId>> {
        let latest: BTreeMap<String, &ScopeDocument> = (docs.iter())
            .map(|d| (keys::scope_key(&d.scope.host, &d.scope.id), d))
            .collect();
        if latest.is_empty() {
            return Ok(Vec::new());
        }
        let tx = self.begin().await?;
        let result = replace_in(&tx, &latest).await;
        finish(tx, result).await
    }

    async fn begin(&self) -> StoreResult<Tx> {
        let collections = TransactionCollections::builder()
            .write(schema::write_collections())
            .build();
        let settings = TransactionSettings::builder()
            .collections(collections)
            .wait_for_sync(self.wait_for_sync)
            .build();
        self.db
            .begin_transaction(settings)
            .await
            .map_err(|e| errors::from_client("begin transaction", e))
    }
}

async fn run<T: serde::de::DeserializeOwned>(
    tx: &Tx,
    bound: queries::Bound,
) -> StoreResult<Vec<T>> {
    query_in(tx, &bound)
        .await
        .map_err(|e| errors::from_client(bound.aql.name, e))
}

/// Inside the transaction: reads what is stored, writes what differs.
async fn replace_in(
    tx: &Tx,
    latest: &BTreeMap<String, &ScopeDocument>,
) -> StoreResult<Vec<ScopeId>> {
    let keys: Vec<String> = latest.keys().cloned().collect();
    let rows: Vec<Value> = run(tx, queries::documents(&keys)).await?;
    let stored: HashMap<String, ScopeDocument> = rows
        .into_iter()
        // A stored document that no longer reads is simply rewritten.
        .filter_map(|row| serde_json::from_value::<DocumentRow>(row).ok())
        .filter_map(|row| row.into_document().ok())
        .map(|d| (keys::scope_key(&d.scope.host, &d.scope.id), d))
        .collect();
    let changed: Vec<ScopeRecords> = (latest.iter())
        .filter(|(key, doc)| stored.get(*key) != Some(**doc))
        .map(|(_, doc)| ScopeRecords::from_document(doc))
        .collect();
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    write_content(tx, &changed).await?;
    let vertices: Vec<Value> = (changed.iter())
        .map(|r| serialize(&r.vertex))
        .collect::<StoreResult<_>>()?;
    run::<Value>(tx, queries::upsert_scopes(vertices)).await?;
    let mut ids: Vec<ScopeId> = changed.into_iter().map(|r| r.vertex.body.id).collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// Replaces the parents and content of the given scopes: removes what they
/// own, then inserts the new documents and edges.
async fn write_content(tx: &Tx, records: &[ScopeRecords]) -> StoreResult<()> {
    let owners: Vec<String> = records.iter().map(|r| r.vertex.key.clone()).collect();
    let mut batches: Vec<(&str, Vec<Value>)> = vec![
        (schema::INHERITS, Vec::new()),
        (schema::PROCEDURES, Vec::new()),
        (schema::BRANCHES, Vec::new()),
        (schema::ENTRIES, Vec::new()),
        (schema::ERROR_CODES, Vec::new()),
    ];
    for r in records {
        batches[0].1.extend(to_values(&r.inherits)?);
        batches[1].1.extend(to_values(&r.procedures)?);
        batches[2].1.extend(to_values(&r.branches)?);
        batches[3].1.extend(to_values(&r.entries)?);
        batches[4].1.extend(to_values(&r.error_codes)?);
    }
    for (collection, _) in &batches {
        run::<Value>(tx, queries::remove_owned(collection, &owners)).await?;
    }
    for (collection, docs) in batches {
        if !docs.is_empty() {
            run::<Value>(tx, queries::insert_many(collection, docs)).await?;
        }
    }
    Ok(())
}

/// Commits on success; aborts on failure and returns the failure.
async fn finish<T>(tx: Tx, result: StoreResult<T>) -> StoreResult<T> {
    match result {
        Ok(value) => {
            tx.commit_transaction()
                .await
                .map_err(|e| errors::from_client("commit transaction", e))?;
            Ok(value)
        }
        Err(e) => {
            abort(&tx).await;
            Err(e)
        }
    }
}

/// Aborts, logging (not returning) a failure to abort: the server drops an
/// idle stream transaction by itself after its timeout.
async fn abort(tx: &Tx) {
    if let Err(e) = tx.abort().await {
        let e: ClientError = e;
        tracing::warn!(transaction = %tx.id(), error = %e, "could not abort an ArangoDB transaction");
    }
}
