//! Whole documents from the command line's `import` and the demo seed:
//! checked against what the store holds (every changed scope and every
//! service below it must resolve), then committed in one transaction that
//! requires the host generations the check read.
//!
//! The API's `importRunbook` goes through [`Writer`](super::Writer) instead,
//! which adds the caller's authorization and the bounds of one request. The
//! operator at the command line holds the store's own credentials and
//! imports estates of any size, with a report per file and line; both end
//! in the one commit of the store, under the same rules (`store/rules.rs`).

use std::collections::BTreeMap;

use crate::{
    auth::Clock,
    domain::{Host, ScopeDocument, ScopeId},
    resolve::{self, Catalog, ChangeReport},
    store::{Actor, ChangeSet, CommitError, Store, StoreError},
};

/// What checking a set of documents against the store (or nothing) found.
#[derive(Debug)]
pub struct ImportCheck {
    /// The documents that differ from what is stored, by host.
    pub changed: Vec<ScopeDocument>,
    /// Errors and warnings of the change, per host.
    pub reports: BTreeMap<Host, ChangeReport>,
    /// The generation of each host the check read.
    pub generations: Vec<(Host, u64)>,
}

impl ImportCheck {
    /// True when any host's change has errors.
    pub fn has_errors(&self) -> bool {
        self.reports.values().any(|r| !r.errors.is_empty())
    }
}

/// Checks documents against a store's content, or against nothing when
/// `store` is None: every changed scope and every service below it must
/// resolve. Nothing is written.
pub async fn check_import(
    store: Option<&dyn Store>,
    docs: &[ScopeDocument],
) -> Result<ImportCheck, StoreError> {
    let mut by_host: BTreeMap<Host, Vec<ScopeDocument>> = BTreeMap::new();
    for doc in docs {
        by_host
            .entry(doc.scope.host.clone())
            .or_default()
            .push(doc.clone());
    }
    let mut checked = ImportCheck {
        changed: Vec::new(),
        reports: BTreeMap::new(),
        generations: Vec::new(),
    };
    for (host, host_docs) in by_host {
        let before = match store {
            Some(store) => {
                let snapshot = store.snapshot(&host).await?;
                checked
                    .generations
                    .push((host.clone(), snapshot.generation));
                Catalog::new(snapshot.docs)
            }
            None => Catalog::new(Vec::new()),
        };
        let changed: Vec<ScopeDocument> = host_docs
            .into_iter()
            .filter(|d| before.get(&d.scope.id) != Some(d))
            .collect();
        let ids: Vec<ScopeId> = changed.iter().map(|d| d.scope.id.clone()).collect();
        let after = before.with(&changed);
        checked
            .reports
            .insert(host, resolve::check_change(&before, &after, &ids));
        checked.changed.extend(changed);
    }
    Ok(checked)
}

/// Who an import is recorded as in the history, and when.
pub struct ImportActor<'a> {
    pub uid: &'a str,
    /// The operation's name for the history, e.g. `import` or `seedDemo`.
    pub operation: &'a str,
    pub clock: &'a dyn Clock,
}

/// Writes a check's changed documents in one transaction, unless it has
/// errors. Returns the ids of the scopes written. A host that changed since
/// the check refuses the write (`CommitError::Stale`): check again.
pub async fn commit_import(
    store: &dyn Store,
    checked: &ImportCheck,
    actor: ImportActor<'_>,
) -> Result<Vec<ScopeId>, CommitError> {
    if checked.has_errors() || checked.changed.is_empty() {
        return Ok(Vec::new());
    }
    let change = ChangeSet {
        put: checked.changed.clone(),
        delete: Vec::new(),
        expect: Vec::new(),
        base: checked.generations.clone(),
        actor: Actor {
            uid: actor.uid.to_owned(),
            at_ms: actor.clock.unix_millis(),
            operation: actor.operation.to_owned(),
        },
    };
    Ok(store.commit(&change).await?.scopes)
}
