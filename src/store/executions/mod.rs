//! Persistence of executions and their events: the [`ExecutionStore`]
//! trait, implemented for SQLite and PostgreSQL on the runbook store's pool
//! (here) and for ArangoDB on the runbook store's client
//! (`store::arango::ArangoExecutions`).
//!
//! The tables come with the shared migrations (`0003_executions.sql`),
//! applied by the runbook store's migrator.
//!
//! Every change of an execution is a read-modify-write in one transaction
//! with the execution's row locked (PostgreSQL `FOR UPDATE`; SQLite's
//! `BEGIN IMMEDIATE` serializes writers), so moves by people and by the
//! automation never overwrite each other. Starting an execution for an
//! alert takes a lock on (host, service, code) first, so two alerts at once
//! cannot both open one.
//!
//! The store knows only the domain: a move it is asked to apply may be
//! refused by the caller's closure with an error of the caller's type `E`,
//! which comes back untouched as [`WriteError::Refused`].

mod instrumented;
mod rows;
mod sql;

use async_trait::async_trait;

pub use instrumented::InstrumentedExecutions;
pub(crate) use sql::{PgExecutions, SqliteExecutions};

use super::{StoreError, StoreResult};
pub use crate::domain::execution::ExecutionFilter;
use crate::domain::{
    ErrorCode, Host, ScopeId,
    execution::{Change, Event, Execution, ExecutionId},
};

/// A change to make to an execution as it is now: `Ok(None)` makes none,
/// an error `E` refuses the move.
pub type UpdateFn<'a, E> = dyn Fn(&Execution) -> Result<Option<Change>, E> + Send + Sync + 'a;

/// Why a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError<E> {
    /// No execution has this id.
    #[error("no execution {0}")]
    NotFound(ExecutionId),
    /// The caller's closure refused the move; nothing was written.
    #[error("the move was refused")]
    Refused(E),
    /// The store failed; nothing was written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The (host, service, code) an alert is deduplicated on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertKey {
    pub host: Host,
    pub service: ScopeId,
    pub code: ErrorCode,
}

/// An execution after a write, with the events the write added.
#[derive(Debug, Clone)]
pub struct Written {
    pub execution: Execution,
    pub events: Vec<Event>,
}

/// Persistence of executions; `E` is what the caller's closures refuse a move with.
#[async_trait]
pub trait ExecutionStore<E: Send + 'static>: Send + Sync + 'static {
    /// The backend's name (`sqlite`, `postgres`, `arangodb`).
    fn backend(&self) -> &'static str;

    /// Joins the newest open execution of `key` whose last alert came at or
    /// after `since_ms`, applying `join` to it; else inserts `new` (also when
    /// `join` makes no change). Atomic per key. Returns what was written and
    /// whether it joined.
    async fn start_or_join(
        &self,
        key: &AlertKey,
        since_ms: i64,
        new: &Change,
        join: &UpdateFn<'_, E>,
    ) -> Result<(Written, bool), WriteError<E>>;

    /// Inserts a new execution with its first events.
    async fn insert(&self, new: &Change) -> StoreResult<Written>;

    /// Applies `change` to the execution as stored, atomically.
    /// `NotFound` when there is none; `Ok(None)` when `change` made no change.
    async fn update(
        &self,
        id: &ExecutionId,
        change: &UpdateFn<'_, E>,
    ) -> Result<Option<Written>, WriteError<E>>;

    /// One execution.
    async fn get(&self, id: &ExecutionId) -> StoreResult<Option<Execution>>;

    /// A page of executions, newest first.
    async fn list(&self, filter: &ExecutionFilter, limit: u32) -> StoreResult<Vec<Execution>>;

    /// An execution's events after `after_seq`, in order, at most `limit`.
    async fn events(&self, id: &ExecutionId, after_seq: i64, limit: u32)
    -> StoreResult<Vec<Event>>;

    /// The executions with status RUNNING (the ones to resume at start-up).
    async fn running(&self) -> StoreResult<Vec<ExecutionId>>;

    /// The ESCALATED executions whose notifications were never recorded
    /// (`state.notifying` still true): the service stopped between the
    /// escalation and its deliveries, so they are sent at start-up.
    async fn unnotified(&self) -> StoreResult<Vec<ExecutionId>>;
}
