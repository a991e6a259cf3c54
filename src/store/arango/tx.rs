//! Stream transactions over ArangoDB's HTTP API, with exclusive locks:
//!
//! - `POST /_api/transaction/begin` with the collections, `lockTimeout`,
//!   `waitForSync` and `allowImplicit: false`;
//! - queries through cursors (`cursor.rs`), every request carrying the
//!   `x-arango-trx-id` header;
//! - `PUT /_api/transaction/{id}` to commit, `DELETE` to abort.
//!
//! Locks are acquired when the transaction begins, before its snapshot is
//! taken, so everything it reads is at least as new as the last transaction
//! that held the same exclusive locks. A transaction that is neither
//! committed nor aborted (its future dropped mid-query) is aborted from a
//! task of its own, so that its locks go at once.

use std::time::Duration;

use http::Method;
use serde::{Deserialize, de::DeserializeOwned};
use serde_json::{Value, json};

use super::{
    cleanup::Cleanup,
    client::{Api, ApiError},
    cursor, errors,
    queries::Bound,
};
use crate::store::StoreResult;

/// The shortest lock timeout sent: ArangoDB reads 0 as "wait forever".
const MIN_LOCK_TIMEOUT: Duration = Duration::from_millis(1);

/// The collections a transaction declares and how it waits for them.
#[derive(Debug, Clone)]
pub struct TxSpec {
    /// Collections written under shared write locks.
    pub write: Vec<String>,
    /// Collections locked exclusively: one such transaction at a time.
    pub exclusive: Vec<String>,
    /// How long `begin` waits for the locks; sent as seconds in a double
    /// (the server reads `lockTimeout` as a double), at least 1 ms.
    pub lock_timeout: Duration,
    /// Sync the commit to disk before it returns.
    pub wait_for_sync: bool,
}

impl TxSpec {
    /// The body of `POST /_api/transaction/begin`.
    pub fn body(&self) -> Value {
        json!({
            "collections": { "write": self.write, "exclusive": self.exclusive },
            "waitForSync": self.wait_for_sync,
            "allowImplicit": false,
            "lockTimeout": self.lock_timeout.max(MIN_LOCK_TIMEOUT).as_secs_f64(),
        })
    }
}

/// A running stream transaction.
pub struct StreamTx {
    id: String,
    api: Api,
    max_runtime: Duration,
    /// Aborts the transaction unless it was committed or aborted.
    open: Cleanup,
}

/// The `result` of a transaction answer.
#[derive(Deserialize)]
struct Envelope {
    result: Began,
}

#[derive(Deserialize)]
struct Began {
    id: String,
}

impl StreamTx {
    /// Begins a transaction; waits up to the spec's lock timeout for its
    /// locks. Queries in it may run for `max_runtime` each.
    pub async fn begin(api: &Api, spec: &TxSpec, max_runtime: Duration) -> StoreResult<Self> {
        let began = async {
            let body = spec.body();
            let answer: Envelope =
                (api.call(Method::POST, "_api/transaction/begin", Some(&body))).await?;
            let id = answer.result.id;
            let api = api.in_transaction(&id)?;
            let path = format!("_api/transaction/{id}");
            let open = Cleanup::new(api.clone(), Method::DELETE, path);
            Ok::<_, ApiError>(Self {
                id,
                api,
                max_runtime,
                open,
            })
        };
        began
            .await
            .map_err(|e| errors::from_api("begin transaction", e))
    }

    /// Runs a query inside the transaction and fetches every batch.
    pub async fn query<T: DeserializeOwned>(&self, bound: &Bound) -> StoreResult<Vec<T>> {
        cursor::fetch_all(&self.api, bound, self.max_runtime)
            .await
            .map_err(|e| errors::from_api(bound.aql.name, e))
    }

    /// Commits the transaction. If the commit fails, the transaction is
    /// aborted (a no-op when the server already dropped it).
    pub async fn commit(mut self) -> StoreResult<()> {
        let path = format!("_api/transaction/{}", self.id);
        match self.api.call::<Value>(Method::PUT, &path, None).await {
            Ok(_) => {
                self.open.disarm();
                Ok(())
            }
            Err(e) => {
                self.open.run().await;
                Err(errors::from_api("commit transaction", e))
            }
        }
    }

    /// Aborts, logging (not returning) a failure to abort: the server drops an
    /// idle stream transaction by itself after its timeout.
    pub async fn abort(mut self) {
        self.open.run().await;
    }
}
