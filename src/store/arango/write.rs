//! The writes of a commit, inside its stream transaction: each changed scope
//! is removed whole (vertex and owned content) and, unless deleted, inserted
//! anew with every object at its revision; then the history records go in
//! and the touched hosts move to the change's id.

use serde_json::Value;

use super::{plan::Writes, queries, records::ScopeRecords, schema, tx::StreamTx};
use crate::store::{Committed, StoreError, StoreResult, failure::encode_error};

use super::errors::BACKEND;

fn serialize<T: serde::Serialize>(value: &T) -> StoreResult<Value> {
    serde_json::to_value(value).map_err(|e| encode_error(BACKEND, &e))
}

fn to_values<T: serde::Serialize>(items: &[T]) -> StoreResult<Vec<Value>> {
    items.iter().map(serialize).collect()
}

/// The documents of the records, by collection, vertices first.
fn batches(records: &[ScopeRecords]) -> StoreResult<[(&'static str, Vec<Value>); 6]> {
    let mut batches = [
        (schema::SCOPES, Vec::new()),
        (schema::INHERITS, Vec::new()),
        (schema::PROCEDURES, Vec::new()),
        (schema::BRANCHES, Vec::new()),
        (schema::ENTRIES, Vec::new()),
        (schema::ERROR_CODES, Vec::new()),
    ];
    for r in records {
        batches[0].1.push(serialize(&r.vertex)?);
        batches[1].1.extend(to_values(&r.inherits)?);
        batches[2].1.extend(to_values(&r.procedures)?);
        batches[3].1.extend(to_values(&r.branches)?);
        batches[4].1.extend(to_values(&r.entries)?);
        batches[5].1.extend(to_values(&r.error_codes)?);
    }
    Ok(batches)
}

async fn insert(tx: &StreamTx, collection: &str, docs: Vec<Value>) -> StoreResult<()> {
    if docs.is_empty() {
        return Ok(());
    }
    let bound = queries::insert_many(collection, docs);
    tx.query::<Value>(&bound).await.map(drop)
}

/// Writes everything a commit changes; returns what it reports.
pub async fn write(tx: &StreamTx, w: Writes) -> Result<Committed, StoreError> {
    for collection in schema::CONTENT_COLLECTIONS {
        let bound = queries::remove_owned(collection, &w.owners);
        tx.query::<Value>(&bound).await?;
    }
    tx.query::<Value>(&queries::remove_scopes(&w.owners))
        .await?;
    for (collection, docs) in batches(&w.records)? {
        insert(tx, collection, docs).await?;
    }
    insert(tx, schema::HISTORY, to_values(&w.history)?).await?;
    tx.query::<Value>(&queries::write_hosts(to_values(&w.hosts)?))
        .await?;
    Ok(w.committed)
}
