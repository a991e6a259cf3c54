//! The rules of a commit that every backend follows, written once: when a
//! change is `Stale`, when it is in `Conflict`, and what each scope it names
//! becomes (a put beats a delete, the last put wins). Pure: the backends read
//! what is stored inside their transaction and ask these rules.

use std::collections::BTreeMap;

use super::change::{ChangeSet, CommitError, Expectation};
use crate::domain::{Host, ScopeDocument, ScopeId};

/// A base host must still be at the generation the change was validated
/// against (`base`); `now` is its generation in the store (0 when no change
/// touched it).
pub(crate) fn check_generation(host: &Host, base: u64, now: u64) -> Result<(), CommitError> {
    if now == base {
        Ok(())
    } else {
        Err(CommitError::Stale { host: host.clone() })
    }
}

/// An expected object must be at the expected revision; `actual` is its
/// stored revision, `None` when it does not exist (which is what an
/// expectation of `None` asks for).
pub(crate) fn check_expectation(e: &Expectation, actual: Option<u64>) -> Result<(), CommitError> {
    if actual == e.revision {
        Ok(())
    } else {
        Err(CommitError::Conflict {
            scope: e.scope.clone(),
            object: e.object.clone(),
            expected: e.revision,
            actual,
        })
    }
}

/// Every base host must still be at its generation (else `Stale`, for the
/// first base host in order that moved on), then every expectation must hold
/// (else `Conflict`, for the first one in order that does not).
/// `generation` and `revision` answer from what the transaction read.
pub(crate) fn check(
    change: &ChangeSet,
    generation: impl Fn(&Host) -> u64,
    revision: impl Fn(&Expectation) -> Option<u64>,
) -> Result<(), CommitError> {
    for (host, base) in &change.base {
        check_generation(host, *base, generation(host))?;
    }
    for e in &change.expect {
        check_expectation(e, revision(e))?;
    }
    Ok(())
}

/// The document a change asks for, per host and scope, both sorted: the last
/// document put for the scope, or `None` for a scope that is only deleted.
/// A scope both deleted and put ends as the document put.
pub(crate) type Targets<'a> = BTreeMap<&'a Host, BTreeMap<&'a ScopeId, Option<&'a ScopeDocument>>>;

/// What `change` asks for, per host and scope (see [`Targets`]).
pub(crate) fn targets(change: &ChangeSet) -> Targets<'_> {
    let mut targets = Targets::new();
    for (host, scope) in &change.delete {
        targets
            .entry(host)
            .or_default()
            .entry(scope)
            .or_insert(None);
    }
    for doc in &change.put {
        targets
            .entry(&doc.scope.host)
            .or_default()
            .insert(&doc.scope.id, Some(doc));
    }
    targets
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
