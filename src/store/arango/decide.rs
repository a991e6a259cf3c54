//! What a commit does, decided from what it read inside its transaction:
//! whether it may apply (`Stale`, `Conflict`, by `store::rules`), which
//! objects it changes, and the documents it writes. Pure: `commit.rs` does
//! the reading and writing.

use std::collections::{BTreeSet, HashMap};

use super::{
    keys,
    ledger::{HistoryDoc, HostDoc, Version},
    records::ScopeRecords,
    rows::StoredDocument,
};
use crate::{
    domain::{Host, ObjectChange, ObjectRef, ScopeDocument, ScopeId, diff},
    store::{Actor, ChangeSet, CommitError, Committed, rules},
};

/// What a commit found stored, read inside its transaction.
#[derive(Debug, Default)]
pub struct Current {
    /// The generation of each base host that has one (others are at 0).
    pub generations: HashMap<Host, u64>,
    /// The stored documents of the scopes the change involves (those that exist).
    pub stored: HashMap<(Host, ScopeId), StoredDocument>,
}

/// Every scope a change puts, deletes or expects something of: sorted, distinct.
pub fn involved(change: &ChangeSet) -> Vec<(Host, ScopeId)> {
    let put = change.put.iter().map(|d| (&d.scope.host, &d.scope.id));
    let delete = change.delete.iter().map(|(h, s)| (h, s));
    let expect = change.expect.iter().map(|e| (&e.host, &e.scope));
    let all: BTreeSet<(&Host, &ScopeId)> = put.chain(delete).chain(expect).collect();
    all.into_iter()
        .map(|(h, s)| (h.clone(), s.clone()))
        .collect()
}

/// The hosts a change was validated against: sorted, distinct.
pub fn base_hosts(change: &ChangeSet) -> Vec<&Host> {
    let hosts: BTreeSet<&Host> = change.base.iter().map(|(h, _)| h).collect();
    hosts.into_iter().collect()
}

/// The shared commit rules (`store::rules::check`) against what the
/// transaction read: a base host without a generation is at 0.
pub fn check(change: &ChangeSet, current: &Current) -> Result<(), CommitError> {
    rules::check(
        change,
        |host| current.generations.get(host).copied().unwrap_or(0),
        |e| {
            (current.stored.get(&(e.host.clone(), e.scope.clone())))
                .and_then(|s| s.revisions.get(&e.object).copied())
        },
    )
}

/// One scope whose objects a change alters.
#[derive(Debug)]
pub struct ScopeChange<'a> {
    /// The scope's host.
    pub host: &'a Host,
    /// The scope.
    pub id: &'a ScopeId,
    /// What is stored now.
    pub old: Option<&'a StoredDocument>,
    /// What the scope becomes; `None`: it is deleted.
    pub new: Option<&'a ScopeDocument>,
    /// The objects that differ, in object order.
    pub objects: Vec<ObjectChange>,
}

/// The scopes the change alters, by host then id (what each becomes follows
/// `store::rules::targets`); those it would leave as they are stored are left out.
pub fn changes<'a>(change: &'a ChangeSet, current: &'a Current) -> Vec<ScopeChange<'a>> {
    (rules::targets(change).into_iter())
        .flat_map(|(host, scopes)| scopes.into_iter().map(move |(id, new)| (host, id, new)))
        .filter_map(|(host, id, new)| {
            let old = current.stored.get(&(host.clone(), id.clone()));
            let objects = diff(old.map(|s| &s.doc), new);
            (!objects.is_empty()).then_some(ScopeChange {
                host,
                id,
                old,
                new,
                objects,
            })
        })
        .collect()
}

/// The documents one commit writes.
#[derive(Debug)]
pub struct Writes {
    /// The vertex keys of every changed scope: their vertex and content are
    /// removed, then the scopes that still exist are inserted anew.
    pub owners: Vec<String>,
    /// The changed scopes that exist after the change, each object at its revision.
    pub records: Vec<ScopeRecords>,
    /// One record per changed object.
    pub history: Vec<HistoryDoc>,
    /// The new generation of every host the change touched.
    pub hosts: Vec<HostDoc>,
    /// What the commit reports.
    pub committed: Committed,
}

/// The writes of change `change_id` by `actor`. A changed object gets the
/// change's id as its revision; an unchanged object of a rewritten scope
/// keeps its own.
pub fn writes(changes: &[ScopeChange<'_>], change_id: u64, actor: &Actor) -> Writes {
    let mut w = Writes {
        owners: Vec::new(),
        records: Vec::new(),
        history: Vec::new(),
        hosts: Vec::new(),
        committed: Committed {
            change_id,
            ..Committed::default()
        },
    };
    let mut hosts = BTreeSet::new();
    for c in changes {
        w.owners.push(keys::scope_key(c.host, c.id));
        let changed: BTreeSet<&ObjectRef> = c.objects.iter().map(|o| &o.object).collect();
        if let Some(new) = c.new {
            let kept = |o: &ObjectRef| c.old.and_then(|s| s.revisions.get(o).copied());
            let revision = |o: &ObjectRef| {
                if changed.contains(o) {
                    change_id
                } else {
                    kept(o).unwrap_or(change_id)
                }
            };
            w.records.push(ScopeRecords::from_document(new, revision));
        }
        for o in &c.objects {
            let version = Version {
                change_id,
                seq: u32::try_from(w.history.len()).unwrap_or(u32::MAX),
                host: c.host,
                scope: c.id,
                object: &o.object,
                before: o.before.clone(),
                after: o.after.clone(),
            };
            w.history.push(HistoryDoc::new(version, actor));
        }
        hosts.insert(c.host);
        w.committed.scopes.push(c.id.clone());
    }
    w.hosts = (hosts.into_iter())
        .map(|h| HostDoc::new(h, change_id))
        .collect();
    w.committed.scopes.sort();
    w.committed.scopes.dedup();
    w.committed.objects = w.history.len();
    w
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
