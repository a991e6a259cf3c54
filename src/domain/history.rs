//! The history of writes: who changed what, when, and what it was before
//! and after. Plain records, written by the store and read by the history
//! pages and the write path's base-revision checks.

use serde_json::Value;

use crate::domain::{Host, ObjectRef, ScopeId};

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
