//! The backend-neutral flow of a commit: check, diff, write, record.
//!
//! A backend opens its transaction (and takes its locks on every host of the
//! change, see `scope_writes::hosts_of`), hands it here as a [`CommitTx`], and commits
//! when this returns a change id. On an error, or when nothing changed, it
//! rolls the transaction back: nothing is written.

use std::collections::{HashMap, hash_map::Entry};

use async_trait::async_trait;

use super::{
    StoreResult,
    change::{Actor, ChangeSet, CommitError, Committed, Expectation},
    rules,
    scope_writes::ScopeWrite,
};
use crate::domain::{Host, ObjectRef, ScopeDocument, ScopeId, diff};

/// A backend's open write transaction, as the commit flow sees it.
#[async_trait]
pub(crate) trait CommitTx: Send {
    /// The host's generation (0 when no change touched it).
    async fn generation(&mut self, host: &Host) -> StoreResult<u64>;

    /// The revision of every object of a scope, in no particular order.
    async fn revisions(
        &mut self,
        host: &Host,
        scope: &ScopeId,
    ) -> StoreResult<Vec<(ObjectRef, u64)>>;

    /// The stored documents of `ids` in `host`.
    async fn stored(&mut self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<ScopeDocument>>;

    /// Records a new change by `actor` and returns its id, greater than every
    /// id before it.
    async fn new_change(&mut self, actor: &Actor) -> StoreResult<u64>;

    /// Writes the changed objects of one scope (or deletes the scope), giving
    /// every object written `change_id` as its revision.
    async fn write(&mut self, write: &ScopeWrite<'_>, change_id: u64) -> StoreResult<()>;

    /// Records the history of every object of `writes`.
    async fn record(
        &mut self,
        change_id: u64,
        actor: &Actor,
        writes: &[ScopeWrite<'_>],
    ) -> StoreResult<()>;

    /// Sets the generation of a host.
    async fn set_generation(&mut self, host: &Host, change_id: u64) -> StoreResult<()>;
}

/// Applies `change` in `tx` (see `Store::commit`). `Committed::default()`
/// when nothing changed: then nothing was written and no id was taken.
pub(crate) async fn apply(
    tx: &mut dyn CommitTx,
    change: &ChangeSet,
) -> Result<Committed, CommitError> {
    for (host, base) in &change.base {
        rules::check_generation(host, *base, tx.generation(host).await?)?;
    }
    check_expectations(tx, &change.expect).await?;
    let writes = scope_writes(tx, change).await?;
    if writes.is_empty() {
        return Ok(Committed::default());
    }
    let change_id = tx.new_change(&change.actor).await?;
    for write in &writes {
        tx.write(write, change_id).await?;
    }
    tx.record(change_id, &change.actor, &writes).await?;
    let mut hosts: Vec<&Host> = writes.iter().map(|w| w.host).collect();
    hosts.dedup();
    for host in hosts {
        tx.set_generation(host, change_id).await?;
    }
    let mut scopes: Vec<ScopeId> = writes.iter().map(|w| w.scope.clone()).collect();
    scopes.sort();
    scopes.dedup();
    Ok(Committed {
        change_id,
        scopes,
        objects: writes.iter().map(|w| w.changes.len()).sum(),
    })
}

/// Checks each expectation in order against the stored revisions, reading
/// each scope's revisions once.
async fn check_expectations(
    tx: &mut dyn CommitTx,
    expect: &[Expectation],
) -> Result<(), CommitError> {
    let mut read: HashMap<(&Host, &ScopeId), HashMap<ObjectRef, u64>> = HashMap::new();
    for e in expect {
        let revisions = match read.entry((&e.host, &e.scope)) {
            Entry::Occupied(read) => read.into_mut(),
            Entry::Vacant(slot) => {
                let revisions = tx.revisions(&e.host, &e.scope).await?;
                slot.insert(revisions.into_iter().collect())
            }
        };
        rules::check_expectation(e, revisions.get(&e.object).copied())?;
    }
    Ok(())
}

/// The scopes `change` alters, by host then scope id, each with the objects
/// that differ from what is stored (scopes that would not change are left out).
async fn scope_writes<'c>(
    tx: &mut dyn CommitTx,
    change: &'c ChangeSet,
) -> StoreResult<Vec<ScopeWrite<'c>>> {
    let mut writes = Vec::new();
    for (host, targets) in rules::targets(change) {
        let ids: Vec<ScopeId> = targets.keys().map(|&id| id.clone()).collect();
        let stored: HashMap<ScopeId, ScopeDocument> = tx
            .stored(host, &ids)
            .await?
            .into_iter()
            .map(|doc| (doc.scope.id.clone(), doc))
            .collect();
        for (scope, after) in targets {
            let changes = diff(stored.get(scope), after);
            if !changes.is_empty() {
                writes.push(ScopeWrite {
                    host,
                    scope,
                    after,
                    changes,
                });
            }
        }
    }
    Ok(writes)
}
