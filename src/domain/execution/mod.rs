//! The records an execution leaves: the execution itself ([`model`]), its
//! events ([`events`]), the runbook it pinned ([`pinned`]) and a change to
//! persist ([`Change`]). Plain data: the walk that produces changes is
//! `crate::executions::engine`, their persistence `crate::store::executions`.

pub mod events;
pub mod model;
pub mod pinned;

use crate::domain::{Host, ScopeId};

pub use events::{Event, EventKind, NewEvent};
pub use model::{
    AlertContext, Awaiting, Execution, ExecutionId, ExecutionState, Outcome, PendingAutomation,
    Responder, Status,
};
pub use pinned::{Layer, PinnedBranch, PinnedProcedure, PinnedRunbook, Revisions};

/// Which executions a listing returns.
#[derive(Debug, Clone)]
pub struct ExecutionFilter {
    pub host: Host,
    pub service: Option<ScopeId>,
    pub status: Option<Status>,
    /// Only executions older than this one (the page before it, newest first).
    pub before: Option<ExecutionId>,
    /// Only open executions (RUNNING, WAITING, NEEDS_ATTENTION) nobody has
    /// acknowledged.
    pub unacknowledged: bool,
}

/// An execution's new state and the events recording how it got there.
#[derive(Debug, Clone)]
pub struct Change {
    pub execution: Execution,
    pub events: Vec<NewEvent>,
}
