//! The SQL execution stores. The statements are the same for both backends
//! (SQLite reads `$1`-style parameters too) except the transaction start and
//! the locks; the code is written once, in `sql_executions!`, and expanded
//! for each backend's concrete types.

use sqlx::{PgPool, SqlitePool};

use super::{
    AlertKey, ExecutionFilter, ExecutionStore, UpdateFn, WriteError, Written,
    rows::{EventRow, ExecutionRow, json, lock_key},
};
use crate::{
    domain::execution::{Change, Event, Execution, ExecutionId, Status},
    store::{StoreResult, failure::sql_error},
};

/// What differs between the backends.
struct Dialect {
    backend: &'static str,
    /// Starts a write transaction.
    begin: &'static str,
    /// One execution by id, locked for the transaction.
    get_locked: &'static str,
    /// The newest open execution of a key since a time, locked.
    find_open: &'static str,
    /// Serializes starts per (host, service, code) within a transaction, if needed.
    lock_key: Option<&'static str>,
    /// The escalated executions whose notifications were never recorded.
    unnotified: &'static str,
    /// A page of executions.
    list: &'static str,
}

macro_rules! select {
    ($($rest:expr),*) => {
        concat!("SELECT id, status, state, runbook, started_ms, updated_ms, last_alert_ms, finished_ms, next_seq FROM executions ", $($rest),*)
    };
}

/// The open statuses (`Status::is_open`) as an SQL list.
macro_rules! open_statuses {
    () => {
        "('RUNNING', 'WAITING', 'NEEDS_ATTENTION')"
    };
}

const GET: &str = select!("WHERE id = $1");
const FIND_OPEN: &str = select!(
    "WHERE host = $1 AND service_id = $2 AND error_code = $3 ",
    "AND status IN ",
    open_statuses!(),
    " AND last_alert_ms >= $4 ",
    "ORDER BY id DESC LIMIT 1"
);
/// A page of a host's executions; `$responder` reads the state's responder.
macro_rules! list {
    ($responder:literal) => {
        select!(
            "WHERE host = $1 AND ($2 IS NULL OR service_id = $2) AND ($3 IS NULL OR status = $3) ",
            "AND ($4 IS NULL OR id < $4) AND ($6 IS NULL OR ",
            "(status IN ",
            open_statuses!(),
            " AND ",
            $responder,
            " IS NULL)) ORDER BY id DESC LIMIT $5"
        )
    };
}
const RUNNING: &str = "SELECT id FROM executions WHERE status = 'RUNNING' ORDER BY id";
const EVENTS: &str = "SELECT execution_id, seq, at_ms, kind, procedure_key, actor, data \
    FROM execution_events WHERE execution_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";
const INSERT: &str = "INSERT INTO executions (id, host, service_id, error_code, status, state, \
    runbook, started_ms, updated_ms, last_alert_ms, finished_ms, next_seq) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
const UPDATE: &str = "UPDATE executions SET status = $2, state = $3, updated_ms = $4, \
    last_alert_ms = $5, finished_ms = $6, next_seq = $7 WHERE id = $1";
const INSERT_EVENT: &str = "INSERT INTO execution_events \
    (execution_id, seq, at_ms, kind, procedure_key, actor, data) VALUES ($1, $2, $3, $4, $5, $6, $7)";

const SQLITE: Dialect = Dialect {
    backend: "sqlite",
    begin: "BEGIN IMMEDIATE",
    get_locked: GET,
    find_open: FIND_OPEN,
    lock_key: None,
    unnotified: "SELECT id FROM executions WHERE status = 'ESCALATED' \
        AND json_extract(state, '$.notifying') = 1 ORDER BY id",
    list: list!("json_extract(state, '$.responder')"),
};

const POSTGRES: Dialect = Dialect {
    backend: "postgres",
    begin: "BEGIN",
    get_locked: select!("WHERE id = $1 FOR UPDATE"),
    find_open: select!(
        "WHERE host = $1 AND service_id = $2 AND error_code = $3 ",
        "AND status IN ",
        open_statuses!(),
        " AND last_alert_ms >= $4 ",
        "ORDER BY id DESC LIMIT 1 FOR UPDATE"
    ),
    lock_key: Some("SELECT pg_advisory_xact_lock($1)"),
    unnotified: "SELECT id FROM executions WHERE status = 'ESCALATED' \
        AND (state::jsonb ->> 'notifying') = 'true' ORDER BY id",
    list: list!("(state::jsonb -> 'responder')"),
};

macro_rules! sql_executions {
    ($name:ident, $pool:ty, $db:ty, $dialect:expr) => {
        /// The execution store on this backend's pool.
        pub(crate) struct $name {
            pool: $pool,
            /// Where write transactions begin: the runbook store's writer.
            writer: $pool,
        }

        impl $name {
            /// The store on the runbook store's pools: `pool` for reads,
            /// `writer` for write transactions.
            pub(crate) fn new(pool: $pool, writer: $pool) -> Self {
                Self { pool, writer }
            }

            /// Writes a change in a transaction: the execution (inserted or
            /// updated) and its new events numbered from `next_seq`.
            async fn write(
                tx: &mut sqlx::Transaction<'static, $db>,
                change: &Change,
                next_seq: i64,
                insert: bool,
            ) -> StoreResult<Written> {
                let d = &$dialect;
                let ex = &change.execution;
                let seq_after = next_seq + i64::try_from(change.events.len()).unwrap_or(i64::MAX);
                let state = json(d.backend, &ex.state)?;
                let query = if insert {
                    let ctx = &ex.state.context;
                    sqlx::query::<$db>(INSERT)
                        .bind(ex.id.as_str())
                        .bind(ctx.host.as_str())
                        .bind(ctx.service_id.as_str())
                        .bind(ctx.error_code.as_str())
                        .bind(ex.status.as_str())
                        .bind(state)
                        .bind(json(d.backend, &*ex.runbook)?)
                        .bind(ex.started_ms)
                        .bind(ex.updated_ms)
                        .bind(ex.last_alert_ms)
                        .bind(ex.finished_ms)
                        .bind(seq_after)
                } else {
                    sqlx::query::<$db>(UPDATE)
                        .bind(ex.id.as_str())
                        .bind(ex.status.as_str())
                        .bind(state)
                        .bind(ex.updated_ms)
                        .bind(ex.last_alert_ms)
                        .bind(ex.finished_ms)
                        .bind(seq_after)
                };
                query
                    .execute(&mut **tx)
                    .await
                    .map_err(sql_error(d.backend, "writing an execution"))?;
                let mut events = Vec::with_capacity(change.events.len());
                for (seq, event) in (next_seq..).zip(&change.events) {
                    sqlx::query::<$db>(INSERT_EVENT)
                        .bind(ex.id.as_str())
                        .bind(seq)
                        .bind(event.at_ms)
                        .bind(event.kind.as_str())
                        .bind(event.procedure.as_ref().map(|k| k.as_str().to_owned()))
                        .bind(event.actor.as_str())
                        .bind(json(d.backend, &event.data)?)
                        .execute(&mut **tx)
                        .await
                        .map_err(sql_error(d.backend, "writing an execution event"))?;
                    events.push(Event {
                        execution: ex.id.clone(),
                        seq,
                        event: event.clone(),
                    });
                }
                Ok(Written {
                    execution: ex.clone(),
                    events,
                })
            }

            async fn begin(&self) -> StoreResult<sqlx::Transaction<'static, $db>> {
                let d = &$dialect;
                self.writer
                    .begin_with(d.begin)
                    .await
                    .map_err(sql_error(d.backend, "starting a transaction"))
            }

            async fn commit(tx: sqlx::Transaction<'static, $db>) -> StoreResult<()> {
                tx.commit()
                    .await
                    .map_err(sql_error($dialect.backend, "committing an execution"))
            }
        }

        #[async_trait::async_trait]
        impl<E: Send + 'static> ExecutionStore<E> for $name {
            fn backend(&self) -> &'static str {
                $dialect.backend
            }

            async fn start_or_join(
                &self,
                key: &AlertKey,
                since_ms: i64,
                new: &Change,
                join: &UpdateFn<'_, E>,
            ) -> Result<(Written, bool), WriteError<E>> {
                let d = &$dialect;
                let mut tx = self.begin().await?;
                if let Some(lock) = d.lock_key {
                    let k = lock_key([key.host.as_str(), key.service.as_str(), key.code.as_str()]);
                    sqlx::query::<$db>(lock)
                        .bind(k)
                        .execute(&mut *tx)
                        .await
                        .map_err(sql_error(d.backend, "locking an alert key"))?;
                }
                let open: Option<ExecutionRow> = sqlx::query_as::<$db, ExecutionRow>(d.find_open)
                    .bind(key.host.as_str())
                    .bind(key.service.as_str())
                    .bind(key.code.as_str())
                    .bind(since_ms)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(sql_error(d.backend, "finding an open execution"))?;
                if let Some(row) = open {
                    let (current, next_seq) = row.decode(d.backend)?;
                    if let Some(change) = join(&current).map_err(WriteError::Refused)? {
                        let written = Self::write(&mut tx, &change, next_seq, false).await?;
                        Self::commit(tx).await?;
                        return Ok((written, true));
                    }
                }
                let written = Self::write(&mut tx, new, 1, true).await?;
                Self::commit(tx).await?;
                Ok((written, false))
            }

            async fn insert(&self, new: &Change) -> StoreResult<Written> {
                let mut tx = self.begin().await?;
                let written = Self::write(&mut tx, new, 1, true).await?;
                Self::commit(tx).await?;
                Ok(written)
            }

            async fn update(
                &self,
                id: &ExecutionId,
                change: &UpdateFn<'_, E>,
            ) -> Result<Option<Written>, WriteError<E>> {
                let d = &$dialect;
                let mut tx = self.begin().await?;
                let row: Option<ExecutionRow> = sqlx::query_as::<$db, ExecutionRow>(d.get_locked)
                    .bind(id.as_str())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(sql_error(d.backend, "reading an execution"))?;
                let Some(row) = row else {
                    return Err(WriteError::NotFound(id.clone()));
                };
                let (current, next_seq) = row.decode(d.backend)?;
                let Some(change) = change(&current).map_err(WriteError::Refused)? else {
                    return Ok(None);
                };
                let written = Self::write(&mut tx, &change, next_seq, false).await?;
                Self::commit(tx).await?;
                Ok(Some(written))
            }

            async fn get(&self, id: &ExecutionId) -> StoreResult<Option<Execution>> {
                let d = &$dialect;
                let row: Option<ExecutionRow> = sqlx::query_as::<$db, ExecutionRow>(GET)
                    .bind(id.as_str())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(sql_error(d.backend, "reading an execution"))?;
                row.map(|r| r.decode(d.backend).map(|(ex, _)| ex))
                    .transpose()
            }

            async fn list(
                &self,
                filter: &ExecutionFilter,
                limit: u32,
            ) -> StoreResult<Vec<Execution>> {
                let d = &$dialect;
                let rows: Vec<ExecutionRow> = sqlx::query_as::<$db, ExecutionRow>(d.list)
                    .bind(filter.host.as_str())
                    .bind(filter.service.as_ref().map(|s| s.as_str().to_owned()))
                    .bind(filter.status.map(Status::as_str))
                    .bind(filter.before.as_ref().map(|b| b.as_str().to_owned()))
                    .bind(i64::from(limit))
                    .bind(filter.unacknowledged.then_some(1_i64))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(sql_error(d.backend, "listing executions"))?;
                rows.into_iter()
                    .map(|r| r.decode(d.backend).map(|(ex, _)| ex))
                    .collect()
            }

            async fn events(
                &self,
                id: &ExecutionId,
                after_seq: i64,
                limit: u32,
            ) -> StoreResult<Vec<Event>> {
                let d = &$dialect;
                let rows: Vec<EventRow> = sqlx::query_as::<$db, EventRow>(EVENTS)
                    .bind(id.as_str())
                    .bind(after_seq)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(sql_error(d.backend, "reading execution events"))?;
                rows.into_iter().map(|r| r.decode(d.backend)).collect()
            }

            async fn running(&self) -> StoreResult<Vec<ExecutionId>> {
                let d = &$dialect;
                let ids: Vec<String> = sqlx::query_scalar::<$db, String>(RUNNING)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(sql_error(d.backend, "listing running executions"))?;
                Ok(ids.iter().filter_map(|id| ExecutionId::parse(id)).collect())
            }

            async fn unnotified(&self) -> StoreResult<Vec<ExecutionId>> {
                let d = &$dialect;
                let ids: Vec<String> = sqlx::query_scalar::<$db, String>(d.unnotified)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(sql_error(d.backend, "listing unnotified escalations"))?;
                Ok(ids.iter().filter_map(|id| ExecutionId::parse(id)).collect())
            }
        }
    };
}

sql_executions!(SqliteExecutions, SqlitePool, sqlx::Sqlite, SQLITE);
sql_executions!(PgExecutions, PgPool, sqlx::Postgres, POSTGRES);

#[cfg(test)]
mod tests {
    use crate::domain::execution::Status;

    #[test]
    fn the_sql_list_of_open_statuses_is_the_domains() {
        let open: Vec<String> = (Status::ALL.iter())
            .filter(|s| s.is_open())
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        assert_eq!(format!("({})", open.join(", ")), open_statuses!());
    }
}
