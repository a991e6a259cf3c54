//! [`ExecutionStore`] on ArangoDB, in the database of the runbook store
//! (same client, same bounds). Collections: `executions`,
//! `execution_events`, `alert_keys` (`schema.rs`); queries:
//! `aql/execution_*.aql`, `aql/alert_key.aql`.
//!
//! Atomicity comes from stream transactions (`tx.rs`) whose locks are taken
//! when they begin, before their snapshot:
//!
//! - an update holds `executions` exclusively: it reads the execution,
//!   applies the caller's closure and writes the result with its events, and
//!   no other write to any execution runs in between;
//! - a start holds `alert_keys` exclusively and writes `executions` under
//!   a shared lock, which an update's exclusive lock excludes: starts run
//!   one at a time, so two alerts for one key cannot both open an execution,
//!   and no update moves the execution a start is joining;
//! - an insert writes under shared locks (its id is new).
//!
//! A closure that refuses, or makes no change, aborts the transaction:
//! nothing is written. The locks are collection-wide (ArangoDB has no
//! row lock to wait on), so writes to executions run one at a time.

use async_trait::async_trait;

use super::{
    ArangoStore,
    executions_docs::{EventDoc, ExecutionDoc, alert_key_doc, event_docs, execution_doc},
    queries,
    schema::{ALERT_KEYS, EXECUTION_EVENTS, EXECUTIONS},
    tx::{StreamTx, TxSpec},
};
use crate::{
    domain::execution::{Change, Event, Execution, ExecutionId},
    store::{
        StoreResult,
        executions::{AlertKey, ExecutionFilter, ExecutionStore, UpdateFn, WriteError, Written},
    },
};

/// The execution store in the runbook store's ArangoDB database.
#[derive(Debug, Clone)]
pub struct ArangoExecutions {
    store: ArangoStore,
}

impl ArangoExecutions {
    /// The execution store beside `store`, on its client.
    pub fn new(store: ArangoStore) -> Self {
        Self { store }
    }

    /// A transaction writing executions and events, holding `exclusive`.
    async fn begin(&self, write: &[&str], exclusive: &[&str]) -> StoreResult<StreamTx> {
        let s = &self.store;
        let spec = TxSpec {
            write: write.iter().map(|c| (*c).to_owned()).collect(),
            exclusive: exclusive.iter().map(|c| (*c).to_owned()).collect(),
            lock_timeout: s.lock_timeout,
            wait_for_sync: s.wait_for_sync,
        };
        StreamTx::begin(&s.api, &spec, s.max_runtime).await
    }
}

/// Commits `tx` when `work` succeeded with something written, aborts it otherwise.
async fn finish<T, E>(
    tx: StreamTx,
    work: Result<Option<T>, WriteError<E>>,
) -> Result<Option<T>, WriteError<E>> {
    match work {
        Ok(Some(done)) => {
            tx.commit().await?;
            Ok(Some(done))
        }
        other => {
            tx.abort().await;
            other
        }
    }
}

/// Writes `change` inside `tx`: the execution (inserted or replaced) and its
/// events numbered from `next_seq`.
async fn write(
    tx: &StreamTx,
    change: &Change,
    next_seq: i64,
    insert: bool,
) -> StoreResult<Written> {
    let (docs, events) = event_docs(change, next_seq)?;
    let after = next_seq + i64::try_from(events.len()).unwrap_or(i64::MAX);
    let doc = execution_doc(&change.execution, after)?;
    let bound = if insert {
        queries::execution_insert(doc)
    } else {
        queries::execution_replace(doc)
    };
    tx.query::<serde_json::Value>(&bound).await?;
    if !docs.is_empty() {
        tx.query::<serde_json::Value>(&queries::insert_many(EXECUTION_EVENTS, docs))
            .await?;
    }
    Ok(Written {
        execution: change.execution.clone(),
        events,
    })
}

/// The one execution a query returned, if any.
fn first(docs: Vec<ExecutionDoc>) -> StoreResult<Option<(Execution, i64)>> {
    docs.into_iter()
        .next()
        .map(ExecutionDoc::decode)
        .transpose()
}

/// Inside a start: joins the open execution of `key` or inserts `new`.
async fn start_in<E>(
    tx: &StreamTx,
    key: &AlertKey,
    since_ms: i64,
    new: &Change,
    join: &UpdateFn<'_, E>,
) -> Result<Option<(Written, bool)>, WriteError<E>> {
    let find = queries::execution_find_open(
        key.host.as_str(),
        key.service.as_str(),
        key.code.as_str(),
        since_ms,
    );
    let mut written = None;
    if let Some((current, next_seq)) = first(tx.query(&find).await?)?
        && let Some(change) = join(&current).map_err(WriteError::Refused)?
    {
        written = Some((write(tx, &change, next_seq, false).await?, true));
    }
    let (written, joined) = match written {
        Some(joined) => joined,
        None => (write(tx, new, 1, true).await?, false),
    };
    let record = alert_key_doc(key, &written.execution);
    tx.query::<serde_json::Value>(&queries::alert_key(record))
        .await?;
    Ok(Some((written, joined)))
}

/// Inside an update: reads the execution and applies `change` to it.
async fn update_in<E>(
    tx: &StreamTx,
    id: &ExecutionId,
    change: &UpdateFn<'_, E>,
) -> Result<Option<Written>, WriteError<E>> {
    let Some((current, next_seq)) = first(tx.query(&queries::execution_get(id.as_str())).await?)?
    else {
        return Err(WriteError::NotFound(id.clone()));
    };
    let Some(change) = change(&current).map_err(WriteError::Refused)? else {
        return Ok(None);
    };
    Ok(Some(write(tx, &change, next_seq, false).await?))
}

#[async_trait]
impl<E: Send + 'static> ExecutionStore<E> for ArangoExecutions {
    fn backend(&self) -> &'static str {
        super::errors::BACKEND
    }

    async fn start_or_join(
        &self,
        key: &AlertKey,
        since_ms: i64,
        new: &Change,
        join: &UpdateFn<'_, E>,
    ) -> Result<(Written, bool), WriteError<E>> {
        let tx = self
            .begin(&[EXECUTIONS, EXECUTION_EVENTS], &[ALERT_KEYS])
            .await?;
        let work = start_in(&tx, key, since_ms, new, join).await;
        let done = finish(tx, work).await?;
        // `start_in` writes on every path that does not fail.
        done.ok_or_else(|| {
            WriteError::Store(super::errors::corrupt(
                "start",
                "nothing was written".to_owned(),
            ))
        })
    }

    async fn insert(&self, new: &Change) -> StoreResult<Written> {
        let tx = self.begin(&[EXECUTIONS, EXECUTION_EVENTS], &[]).await?;
        match write(&tx, new, 1, true).await {
            Ok(written) => {
                tx.commit().await?;
                Ok(written)
            }
            Err(e) => {
                tx.abort().await;
                Err(e)
            }
        }
    }

    async fn update(
        &self,
        id: &ExecutionId,
        change: &UpdateFn<'_, E>,
    ) -> Result<Option<Written>, WriteError<E>> {
        let tx = self.begin(&[EXECUTION_EVENTS], &[EXECUTIONS]).await?;
        let work = update_in(&tx, id, change).await;
        finish(tx, work).await
    }

    async fn get(&self, id: &ExecutionId) -> StoreResult<Option<Execution>> {
        let docs = self
            .store
            .query(queries::execution_get(id.as_str()))
            .await?;
        Ok(first(docs)?.map(|(execution, _)| execution))
    }

    async fn list(&self, filter: &ExecutionFilter, limit: u32) -> StoreResult<Vec<Execution>> {
        let docs: Vec<ExecutionDoc> = self
            .store
            .query(queries::execution_list(filter, limit))
            .await?;
        docs.into_iter()
            .map(|d| d.decode().map(|(execution, _)| execution))
            .collect()
    }

    async fn events(
        &self,
        id: &ExecutionId,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<Event>> {
        let bound = queries::execution_events(id.as_str(), after_seq, limit);
        let docs: Vec<EventDoc> = self.store.query(bound).await?;
        docs.into_iter().map(EventDoc::decode).collect()
    }

    async fn running(&self) -> StoreResult<Vec<ExecutionId>> {
        let ids: Vec<String> = self.store.query(queries::execution_running()).await?;
        Ok(ids.iter().filter_map(|id| ExecutionId::parse(id)).collect())
    }

    async fn unnotified(&self) -> StoreResult<Vec<ExecutionId>> {
        let ids: Vec<String> = self.store.query(queries::execution_unnotified()).await?;
        Ok(ids.iter().filter_map(|id| ExecutionId::parse(id)).collect())
    }
}
