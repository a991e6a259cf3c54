//! Writes with revisions and history: a change set is validated by the caller
//! against a snapshot of its hosts, then committed all-or-nothing, with every
//! object it changes recorded in the history.

use serde_json::Value;

use super::StoreError;
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

/// Who made a change, when, and through which operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The token's `uid`, or a name such as `cli` or `demo` for local writes.
    pub uid: String,
    /// Milliseconds since the Unix epoch, from the service's clock.
    pub at_ms: i64,
    /// The operation, e.g. `importRunbook`, `updateProcedure`, `restore`.
    pub operation: String,
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

/// What happened to an object in one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Created,
    Updated,
    Deleted,
}

impl Action {
    /// The action's name as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "CREATED",
            Self::Updated => "UPDATED",
            Self::Deleted => "DELETED",
        }
    }

    /// Parses a stored action name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Created, Self::Updated, Self::Deleted]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

/// One object's version in the history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRecord {
    pub change_id: u64,
    pub host: Host,
    pub scope: ScopeId,
    pub object: ObjectRef,
    pub action: Action,
    /// The object's JSON form before the change (see `domain::object_json`).
    pub before: Option<Value>,
    /// The object's JSON form after the change.
    pub after: Option<Value>,
    pub actor: Actor,
}

/// Which history records to list: all filters that are set must match.
/// Records come newest first.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    pub scope: Option<ScopeId>,
    pub object: Option<ObjectRef>,
    pub uid: Option<String>,
    /// Inclusive lower bound, milliseconds since the epoch.
    pub from_ms: Option<i64>,
    /// Exclusive upper bound, milliseconds since the epoch.
    pub to_ms: Option<i64>,
    /// Only records of changes older than this change id (the page cursor).
    pub before_change: Option<u64>,
    pub limit: u32,
}
