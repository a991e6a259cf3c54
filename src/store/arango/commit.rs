//! `Store::commit`: one stream transaction per change set.
//!
//! The transaction locks `counters` and `hosts` exclusively (and writes the
//! other collections under shared locks), so commits run one at a time across
//! the store: change ids come from one counter and must be handed out in
//! commit order, or a reader paging the history by change id could miss a
//! change committed later with a smaller id. Locks are taken when the
//! transaction begins, before its snapshot, so its reads see every earlier
//! commit. Plain reads take no locks and read committed snapshots.
//!
//! Inside the transaction: read the base hosts' generations (`Stale`) and the
//! stored documents with their revisions (`Conflict`); diff what is stored
//! with what is put or deleted; if nothing differs, stop (no change id is
//! used); otherwise take the next change id, write (`write.rs`) and commit.
//! Any error aborts the transaction: nothing is written.

use std::collections::HashMap;

use super::{
    ArangoStore,
    decide::{self, Current},
    errors, keys,
    ledger::{CounterDoc, GenerationRow},
    queries,
    rows::DocumentRow,
    schema,
    tx::{StreamTx, TxSpec},
    write,
};
use crate::store::{ChangeSet, CommitError, Committed, StoreResult, failure};

impl ArangoStore {
    /// The transaction every commit runs in.
    fn commit_spec(&self) -> TxSpec {
        TxSpec {
            write: schema::COMMIT_WRITE.map(str::to_owned).to_vec(),
            exclusive: schema::COMMIT_EXCLUSIVE.map(str::to_owned).to_vec(),
            lock_timeout: self.lock_timeout,
            wait_for_sync: self.wait_for_sync,
        }
    }

    /// `Store::commit`.
    pub(super) async fn commit_change(&self, change: &ChangeSet) -> Result<Committed, CommitError> {
        let nothing = change.put.is_empty()
            && change.delete.is_empty()
            && change.expect.is_empty()
            && change.base.is_empty();
        if nothing {
            return Ok(Committed::default());
        }
        let tx = StreamTx::begin(&self.api, &self.commit_spec(), self.max_runtime).await?;
        match commit_in(&tx, change, self.max_commit_bytes).await {
            Ok(committed) => {
                tx.commit().await?;
                Ok(committed)
            }
            Err(e) => {
                tx.abort().await;
                Err(e)
            }
        }
    }
}

async fn commit_in(
    tx: &StreamTx,
    change: &ChangeSet,
    max_bytes: usize,
) -> Result<Committed, CommitError> {
    let current = read_current(tx, change).await?;
    decide::check(change, &current)?;
    let changes = decide::changes(change, &current);
    if changes.is_empty() {
        return Ok(Committed::default());
    }
    let first = serde_json::to_value(CounterDoc::first())
        .map_err(|e| failure::encode_error(errors::BACKEND, &e))?;
    let ids: Vec<u64> = tx.query(&queries::next_change(first)).await?;
    let change_id = ids
        .first()
        .copied()
        .ok_or_else(|| errors::corrupt("next_change", "no change id was handed out".to_owned()))?;
    let writes = decide::writes(&changes, change_id, &change.actor);
    Ok(write::write(tx, writes, max_bytes).await?)
}

/// Reads, inside the transaction, what the change is checked against.
async fn read_current(tx: &StreamTx, change: &ChangeSet) -> StoreResult<Current> {
    let mut current = Current::default();
    let hosts: Vec<String> = (decide::base_hosts(change).into_iter())
        .map(keys::host_key)
        .collect();
    if !hosts.is_empty() {
        let rows: Vec<GenerationRow> = tx.query(&queries::generations(&hosts)).await?;
        current.generations = (rows.into_iter())
            .map(|r| (r.host, r.generation))
            .collect::<HashMap<_, _>>();
    }
    let scopes: Vec<String> = (decide::involved(change).iter())
        .map(|(host, id)| keys::scope_key(host, id))
        .collect();
    if !scopes.is_empty() {
        let rows: Vec<DocumentRow> = tx.query(&queries::documents(&scopes)).await?;
        for row in rows {
            let stored = row.decode()?;
            let at = (stored.doc.scope.host.clone(), stored.doc.scope.id.clone());
            current.stored.insert(at, stored);
        }
    }
    Ok(current)
}
