//! An [`ExecutionStore`] decorator that counts round trips, as
//! [`crate::store::Instrumented`] does for the runbook store: per method into
//! `store_round_trips_total` (methods named `execution_*` there, so they do
//! not mix with the runbook store's) and into a [`RoundTrips`] that tests read.
//! `Executions::new` wraps whatever store it is given.

use std::sync::Arc;

use async_trait::async_trait;

use super::{AlertKey, ExecutionFilter, ExecutionStore, UpdateFn, WriteError, Written};
use crate::{
    domain::execution::{Change, Event, Execution, ExecutionId},
    store::{RoundTrips, StoreResult},
};

/// The trait's methods, in counter order.
const METHODS: [&str; 8] = [
    "execution_start_or_join",
    "execution_insert",
    "execution_update",
    "execution_get",
    "execution_list",
    "execution_events",
    "execution_running",
    "execution_unnotified",
];

/// An execution store whose every call is counted.
pub struct InstrumentedExecutions<E> {
    inner: Arc<dyn ExecutionStore<E>>,
    counts: RoundTrips,
}

impl<E: Send + 'static> InstrumentedExecutions<E> {
    /// Counts the calls made to `inner`.
    pub fn new(inner: Arc<dyn ExecutionStore<E>>) -> Self {
        Self {
            inner,
            counts: RoundTrips::of_methods(&METHODS),
        }
    }

    /// The counts, shared with this store.
    pub fn round_trips(&self) -> RoundTrips {
        self.counts.clone()
    }

    fn count(&self, index: usize) -> &dyn ExecutionStore<E> {
        self.counts.count(index, self.inner.backend());
        self.inner.as_ref()
    }
}

#[async_trait]
impl<E: Send + 'static> ExecutionStore<E> for InstrumentedExecutions<E> {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    async fn start_or_join(
        &self,
        key: &AlertKey,
        since_ms: i64,
        new: &Change,
        join: &UpdateFn<'_, E>,
    ) -> Result<(Written, bool), WriteError<E>> {
        self.count(0).start_or_join(key, since_ms, new, join).await
    }

    async fn insert(&self, new: &Change) -> StoreResult<Written> {
        self.count(1).insert(new).await
    }

    async fn update(
        &self,
        id: &ExecutionId,
        change: &UpdateFn<'_, E>,
    ) -> Result<Option<Written>, WriteError<E>> {
        self.count(2).update(id, change).await
    }

    async fn get(&self, id: &ExecutionId) -> StoreResult<Option<Execution>> {
        self.count(3).get(id).await
    }

    async fn list(&self, filter: &ExecutionFilter, limit: u32) -> StoreResult<Vec<Execution>> {
        self.count(4).list(filter, limit).await
    }

    async fn events(
        &self,
        id: &ExecutionId,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<Event>> {
        self.count(5).events(id, after_seq, limit).await
    }

    async fn running(&self) -> StoreResult<Vec<ExecutionId>> {
        self.count(6).running().await
    }

    async fn unnotified(&self) -> StoreResult<Vec<ExecutionId>> {
        self.count(7).unnotified().await
    }
}
