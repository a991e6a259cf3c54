//! The change side of the SQL store: generations, snapshots, revisions,
//! commits and history.
//!
//! A commit is one write transaction (`BEGIN IMMEDIATE` on SQLite; on
//! PostgreSQL a transaction-scoped advisory lock per host, taken in host
//! order), in which the backend-neutral flow of `commit.rs` runs on a
//! [`SqlWriter`].

use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

use super::{
    Snapshot, StoreResult,
    change::{ChangeSet, CommitError, Committed, HistoryFilter, HistoryRecord},
    commit,
    decode::{self, ContentRow, DefinitionRow, HistoryRow, RevisionRow, ScopeRow},
    failure::sql_error,
    history, scope_writes,
    sql_store::SqlStore,
    write::SqlWriter,
};
use crate::domain::{Host, ObjectRef, ScopeId};

impl<DB> SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'v> &'v str: Encode<'v, DB> + Type<DB>,
    for<'v> Option<&'v str>: Encode<'v, DB> + Type<DB>,
    DB::Arguments: Default,
    i64: for<'v> Encode<'v, DB> + for<'r> Decode<'r, DB> + Type<DB>,
    String: for<'v> Encode<'v, DB> + for<'r> Decode<'r, DB> + Type<DB>,
    bool: for<'r> Decode<'r, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
    ContentRow: for<'r> FromRow<'r, DB::Row>,
    ScopeRow: for<'r> FromRow<'r, DB::Row>,
    DefinitionRow: for<'r> FromRow<'r, DB::Row>,
    RevisionRow: for<'r> FromRow<'r, DB::Row>,
    HistoryRow: for<'r> FromRow<'r, DB::Row>,
    (String, String): for<'r> FromRow<'r, DB::Row>,
{
    /// The host's generation; on the pool or in a transaction.
    pub(super) async fn generation_in<'e>(
        &self,
        executor: impl Executor<'e, Database = DB>,
        host: &Host,
    ) -> StoreResult<u64> {
        let generation = sqlx::query_scalar::<DB, i64>(self.sql.generation)
            .bind(host.as_str())
            .fetch_optional(executor)
            .await
            .map_err(sql_error(self.backend, "reading a generation"))?;
        decode::change_id(
            self.backend,
            "hosts",
            host.as_str(),
            generation.unwrap_or(0),
        )
    }

    /// The revisions of a scope's objects; on the pool or in a transaction.
    pub(super) async fn revisions_in<'e>(
        &self,
        executor: impl Executor<'e, Database = DB>,
        host: &Host,
        scope: &ScopeId,
    ) -> StoreResult<Vec<(ObjectRef, u64)>> {
        let rows: Vec<RevisionRow> = sqlx::query_as(self.sql.revisions)
            .bind(host.as_str())
            .bind(scope.as_str())
            .fetch_all(executor)
            .await
            .map_err(sql_error(self.backend, "reading revisions"))?;
        decode::revisions(self.backend, host, scope, rows)
    }

    /// Every document of a host with its generation, in one snapshot.
    pub(super) async fn snapshot_of(&self, host: &Host) -> StoreResult<Snapshot> {
        let backend = self.backend;
        let mut tx = self
            .pool
            .begin_with(self.sql.begin_snapshot)
            .await
            .map_err(sql_error(backend, "starting a snapshot"))?;
        let generation = self.generation_in(&mut *tx, host).await?;
        let context = "reading a snapshot";
        let docs = self
            .content_in(&mut *tx, self.sql.host_documents, host, None, context)
            .await?;
        tx.commit()
            .await
            .map_err(sql_error(backend, "ending a snapshot"))?;
        Ok(Snapshot { generation, docs })
    }

    /// Commits a change set (see `Store::commit`).
    pub(super) async fn commit_change(&self, change: &ChangeSet) -> Result<Committed, CommitError> {
        let backend = self.backend;
        let mut tx = self
            .writer
            .begin_with(self.sql.begin_write)
            .await
            .map_err(sql_error(backend, "starting a write transaction"))?;
        if let Some(lock) = self.sql.lock_host {
            for host in scope_writes::hosts_of(change) {
                sqlx::query::<DB>(lock)
                    .bind(host.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(sql_error(backend, "locking a host for writing"))?;
            }
        }
        let applied = commit::apply(&mut SqlWriter::new(self, &mut tx), change).await;
        match applied {
            Ok(committed) if committed.change_id != 0 => {
                tx.commit()
                    .await
                    .map_err(sql_error(backend, "committing a change"))?;
                Ok(committed)
            }
            // Nothing to write, or a failure: release the locks now. A failed
            // rollback closes the connection, which rolls back too.
            other => {
                let _ = tx.rollback().await;
                other
            }
        }
    }

    /// The history records of a host that match the filter, newest first.
    pub(super) async fn history_of(
        &self,
        host: &Host,
        filter: &HistoryFilter,
    ) -> StoreResult<Vec<HistoryRecord>> {
        if filter.limit == 0 {
            return Ok(Vec::new());
        }
        let mut query = history::query::<DB>(self.sql.history, host, filter);
        let rows: Vec<HistoryRow> = query
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .map_err(sql_error(self.backend, "reading history"))?;
        rows.into_iter()
            .map(|row| decode::history(self.backend, host, row))
            .collect()
    }
}
