//! The writes of a commit, inside its stream transaction: each changed scope
//! is removed whole (vertex and owned content) and, unless deleted, inserted
//! anew with every object at its revision; then the history records go in
//! and the touched hosts move to the change's id.
//!
//! A stream transaction has a size limit on the server, so the documents are
//! measured before anything is written: a change above the store's bound is
//! refused whole, with an error that names the bound. The inserts go in
//! requests of a bounded size, so that no single request is huge.

use serde_json::Value;

use super::{
    decide::Writes, errors::BACKEND, queries, records::ScopeRecords, schema, tx::StreamTx,
};
use crate::store::{Committed, StoreError, StoreResult, failure::encode_error};

/// Most documents one insert request carries.
const CHUNK_DOCS: usize = 1000;
/// Most bytes of JSON one insert request carries (one document may exceed it alone).
const CHUNK_BYTES: usize = 4 * 1024 * 1024;

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

/// The size of a document as JSON, in bytes.
fn json_len(doc: &Value) -> usize {
    serde_json::to_vec(doc).map_or(0, |bytes| bytes.len())
}

/// Splits documents into runs of at most [`CHUNK_DOCS`] and [`CHUNK_BYTES`].
pub fn chunks(docs: Vec<Value>) -> Vec<Vec<Value>> {
    let mut out: Vec<Vec<Value>> = Vec::new();
    let (mut current, mut bytes) = (Vec::new(), 0);
    for doc in docs {
        let len = json_len(&doc);
        if !current.is_empty() && (current.len() == CHUNK_DOCS || bytes + len > CHUNK_BYTES) {
            out.push(std::mem::take(&mut current));
            bytes = 0;
        }
        bytes += len;
        current.push(doc);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Refuses a change whose documents exceed `max_bytes` of JSON.
pub fn check_size(batches: &[(&str, Vec<Value>)], max_bytes: usize) -> StoreResult<()> {
    let total: usize = (batches.iter())
        .flat_map(|(_, docs)| docs.iter().map(json_len))
        .sum();
    if total <= max_bytes {
        return Ok(());
    }
    Err(StoreError::TooLarge {
        backend: BACKEND,
        message: format!(
            "the change writes {total} bytes of documents, more than the {max_bytes} bytes \
             one ArangoDB commit may write (max_commit_bytes); nothing was written: \
             split it into smaller changes"
        ),
    })
}

async fn insert(tx: &StreamTx, collection: &str, docs: Vec<Value>) -> StoreResult<()> {
    for chunk in chunks(docs) {
        let bound = queries::insert_many(collection, chunk);
        tx.query::<Value>(&bound).await?;
    }
    Ok(())
}

/// Writes everything a commit changes; returns what it reports. Nothing is
/// sent when the documents exceed `max_bytes`.
pub async fn write(tx: &StreamTx, w: Writes, max_bytes: usize) -> Result<Committed, StoreError> {
    let mut all: Vec<(&str, Vec<Value>)> = batches(&w.records)?.into();
    all.push((schema::HISTORY, to_values(&w.history)?));
    let hosts = to_values(&w.hosts)?;
    check_size(&all, max_bytes)?;
    for collection in schema::CONTENT_COLLECTIONS {
        let bound = queries::remove_owned(collection, &w.owners);
        tx.query::<Value>(&bound).await?;
    }
    tx.query::<Value>(&queries::remove_scopes(&w.owners))
        .await?;
    for (collection, docs) in all {
        insert(tx, collection, docs).await?;
    }
    tx.query::<Value>(&queries::write_hosts(hosts)).await?;
    Ok(w.committed)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn inserts_go_in_bounded_chunks_in_order() {
        let docs: Vec<Value> = (0..2500).map(|i| json!({ "i": i })).collect();
        let sizes: Vec<usize> = chunks(docs.clone()).iter().map(Vec::len).collect();
        assert_eq!(sizes, [1000, 1000, 500]);
        assert_eq!(chunks(docs.clone()).concat(), docs);
        let big = "x".repeat(CHUNK_BYTES / 2 + 1);
        let large: Vec<Value> = (0..3).map(|_| json!({ "p": big })).collect();
        assert_eq!(
            chunks(large).len(),
            3,
            "two halves and more do not share a request"
        );
        assert!(chunks(Vec::new()).is_empty());
    }

    #[test]
    fn a_change_past_the_bound_is_refused_with_the_bound_named() {
        let docs = vec![json!({ "p": "x".repeat(100) }); 10];
        let all = [(schema::PROCEDURES, docs)];
        assert!(check_size(&all, 10_000).is_ok());
        match check_size(&all, 500) {
            Err(StoreError::TooLarge { message, .. }) => {
                for part in ["max_commit_bytes", "500 bytes", "nothing was written"] {
                    assert!(message.contains(part), "{message}");
                }
            }
            other => panic!("{other:?}"),
        }
    }
}
