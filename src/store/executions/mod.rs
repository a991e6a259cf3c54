//! Persistence of executions and their events: the [`ExecutionStore`]
//! trait, implemented for SQLite and PostgreSQL on pools of their own.
//!
//! [`open`] takes the same URL as the runbook store. The tables come with the
//! shared migrations (`0003_executions.sql`), applied by the runbook store's
//! migrator and again here when `options.run_migrations` is set (applying
//! is idempotent). ArangoDB does not keep executions: `open` on an
//! `arangodb://` URL is a configuration error.
//!
//! Every change of an execution is a read-modify-write in one transaction
//! with the execution's row locked (PostgreSQL `FOR UPDATE`; SQLite's
//! `BEGIN IMMEDIATE` serializes writers), so moves by people and by the
//! automation never overwrite each other. Starting an execution for an
//! alert takes a lock on (host, service, code) first, so two alerts at once
//! cannot both open one.

mod rows;
mod sql;

use std::sync::Arc;

use async_trait::async_trait;

use super::{StoreError, StoreOptions, StoreResult};
use crate::{
    domain::{ErrorCode, Host, ScopeId},
    error::ApiError,
    executions::{
        engine::Change,
        events::Event,
        model::{Execution, ExecutionId, Status},
    },
};

/// A change to make to an execution as it is now: `Ok(None)` makes none,
/// an error refuses the move.
pub type UpdateFn<'a> = dyn Fn(&Execution) -> Result<Option<Change>, ApiError> + Send + Sync + 'a;

/// Which executions a listing returns.
#[derive(Debug, Clone)]
pub struct ExecutionFilter {
    pub host: Host,
    pub service: Option<ScopeId>,
    pub status: Option<Status>,
    /// Only executions older than this one (the page before it, newest first).
    pub before: Option<ExecutionId>,
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

/// Persistence of executions.
#[async_trait]
pub trait ExecutionStore: Send + Sync + 'static {
    /// The backend's name (`sqlite`, `postgres`).
    fn backend(&self) -> &'static str;

    /// Joins the newest open execution of `key` whose last alert came at or
    /// after `since_ms`, applying `join` to it; else inserts `new`. Atomic
    /// per key. Returns what was written and whether it joined.
    async fn start_or_join(
        &self,
        key: &AlertKey,
        since_ms: i64,
        new: &Change,
        join: &UpdateFn<'_>,
    ) -> Result<(Written, bool), ApiError>;

    /// Inserts a new execution with its first events.
    async fn insert(&self, new: &Change) -> Result<Written, ApiError>;

    /// Applies `change` to the execution as stored, atomically. `NOT_FOUND`
    /// when there is none; `Ok(None)` when `change` made no change.
    async fn update(
        &self,
        id: &ExecutionId,
        change: &UpdateFn<'_>,
    ) -> Result<Option<Written>, ApiError>;

    /// One execution.
    async fn get(&self, id: &ExecutionId) -> StoreResult<Option<Execution>>;

    /// A page of executions, newest first.
    async fn list(&self, filter: &ExecutionFilter, limit: u32) -> StoreResult<Vec<Execution>>;

    /// An execution's events after `after_seq`, in order, at most `limit`.
    async fn events(&self, id: &ExecutionId, after_seq: i64, limit: u32)
    -> StoreResult<Vec<Event>>;

    /// The executions with status RUNNING (the ones to resume at start-up).
    async fn running(&self) -> StoreResult<Vec<ExecutionId>>;
}

/// Opens the execution store on the runbook store's URL.
pub async fn open(url: &str, options: &StoreOptions) -> StoreResult<Arc<dyn ExecutionStore>> {
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("sqlite") => {
            let rest = &url["sqlite:".len()..];
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let pool = super::sqlite::connect(path, options).await?;
            if options.run_migrations {
                super::sqlite::migrate(&pool).await?;
            }
            Ok(Arc::new(sql::SqliteExecutions::new(pool)))
        }
        Some("postgres" | "postgresql") => {
            let pool = super::postgres::connect(url, options).await?;
            if options.run_migrations {
                super::postgres::migrate(&pool).await?;
            }
            Ok(Arc::new(sql::PgExecutions::new(pool)))
        }
        Some("arangodb" | "arangodb+http" | "arangodb+https") => Err(StoreError::Config(
            "executions need SQLite or PostgreSQL; the ArangoDB store does not keep them \
             (run the service on a sqlite:// or postgres:// store to use alerts and executions)"
                .into(),
        )),
        _ => Err(StoreError::Config(
            "executions need a sqlite://PATH or postgres://… store URL".into(),
        )),
    }
}
