//! Writes with revisions and history: a change set is validated by the caller
//! against a snapshot of its hosts, then committed all-or-nothing, with every
//! object it changes recorded in the history.

use super::StoreError;
pub use crate::domain::history::{Action, Actor, HistoryFilter, HistoryRecord};
use crate::domain::{Host, ObjectRef, ScopeDocument, ScopeId};

/// A revision an object must have for a change to apply (`None`: the object
/// must not exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub host: Host,
    pub scope: ScopeId,
    pub object: ObjectRef,
    pub revision: Option<u64>,
}

/// A change to one or more hosts, committed in one transaction.
#[derive(Debug, Clone)]
pub struct ChangeSet {
    /// Whole documents to put in place of their scopes' (or to create).
    pub put: Vec<ScopeDocument>,
    /// Scopes to delete with all their content.
    pub delete: Vec<(Host, ScopeId)>,
    /// Revisions the touched objects must still have.
    pub expect: Vec<Expectation>,
    /// The generation of each host the change was validated against: if a host
    /// moved on since, the change is `Stale` and must be validated again.
    pub base: Vec<(Host, u64)>,
    pub actor: Actor,
}

/// What a commit wrote.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Committed {
    /// The change's id; it is also the new revision of every object it changed
    /// and the new generation of every host it touched. 0 when nothing changed.
    pub change_id: u64,
    /// Scopes written or deleted, sorted.
    pub scopes: Vec<ScopeId>,
    /// How many objects changed.
    pub objects: usize,
}

/// Why a commit did not apply. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    /// An object's revision is not the one expected.
    #[error("{object} of scope {scope} is at revision {actual:?}, not {expected:?}")]
    Conflict {
        scope: ScopeId,
        object: ObjectRef,
        expected: Option<u64>,
        actual: Option<u64>,
    },
    /// A host changed after the change was validated.
    #[error("host {host} changed since the change was checked")]
    Stale { host: Host },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}
