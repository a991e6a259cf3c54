//! Stream transactions over ArangoDB's HTTP API, with exclusive locks.
//!
//! arangors 0.6 begins stream transactions with `read` and `write`
//! collections only; a commit needs `exclusive` ones (see `commit.rs`), so the
//! store speaks the four endpoints itself, on arangors' session (the same
//! rustls client and credentials):
//!
//! - `POST /_api/transaction/begin` with the collections, `lockTimeout`,
//!   `waitForSync` and `allowImplicit: false`;
//! - `POST /_api/cursor` (and `PUT /_api/cursor/{id}` for further batches),
//!   every request carrying the `x-arango-trx-id` header;
//! - `PUT /_api/transaction/{id}` to commit, `DELETE` to abort.
//!
//! Locks are acquired when the transaction begins, before its snapshot is
//! taken, so everything it reads is at least as new as the last transaction
//! that held the same exclusive locks.

use std::time::Duration;

use arangors::{ArangoError, ClientError, Database, client::ClientExt};
use http::HeaderValue;
use serde::{Deserialize, de::DeserializeOwned};
use serde_json::{Value, json};
use url::Url;

use super::{RustlsClient, aql_query, errors, queries::Bound};
use crate::store::StoreResult;

/// The header that puts a request inside a stream transaction.
const TRANSACTION_HEADER: &str = "x-arango-trx-id";

/// The collections a transaction declares and how it waits for them.
#[derive(Debug, Clone)]
pub struct TxSpec {
    /// Collections written under shared write locks.
    pub write: Vec<String>,
    /// Collections locked exclusively: one such transaction at a time.
    pub exclusive: Vec<String>,
    /// How long `begin` waits for the locks; sent in whole seconds, at least
    /// one (ArangoDB reads 0 as "wait forever").
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
            "lockTimeout": self.lock_timeout.as_secs().max(1),
        })
    }
}

/// A running stream transaction.
pub struct StreamTx {
    id: String,
    session: RustlsClient,
    base: Url,
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

/// One batch of a cursor.
#[derive(Deserialize)]
struct Batch<T> {
    result: Vec<T>,
    #[serde(rename = "hasMore", default)]
    more: bool,
    #[serde(default)]
    id: Option<String>,
}

/// Reads an ArangoDB answer: an error object becomes `ClientError::Arango`.
pub fn answer<T: DeserializeOwned>(body: &str) -> Result<T, ClientError> {
    let value: Value = serde_json::from_str(body)?;
    if value.get("error").and_then(Value::as_bool) == Some(true) {
        return Err(ClientError::Arango(serde_json::from_value::<ArangoError>(
            value,
        )?));
    }
    Ok(serde_json::from_value(value)?)
}

fn join(base: &Url, path: &str) -> Result<Url, ClientError> {
    base.join(path)
        .map_err(|e| ClientError::HttpClient(format!("URL {path}: {e}")))
}

impl StreamTx {
    /// Begins a transaction; waits up to the spec's lock timeout for its locks.
    pub async fn begin(db: &Database<RustlsClient>, spec: &TxSpec) -> StoreResult<Self> {
        Self::begin_on(&db.session(), db.url().clone(), spec).await
    }

    /// Begins a transaction in the database at `base` (`…/_db/<name>/`).
    async fn begin_on(session: &RustlsClient, base: Url, spec: &TxSpec) -> StoreResult<Self> {
        let began = async {
            let url = join(&base, "_api/transaction/begin")?;
            let response = session.post(url, spec.body().to_string()).await?;
            let began = answer::<Envelope>(response.body())?.result;
            let mut session = session.clone();
            let header = HeaderValue::from_str(&began.id)
                .map_err(|_| ClientError::HttpClient("unusable transaction id".to_owned()))?;
            session.headers().insert(TRANSACTION_HEADER, header);
            Ok::<_, ClientError>(Self {
                id: began.id,
                session,
                base,
            })
        };
        began
            .await
            .map_err(|e| errors::from_client("begin transaction", e))
    }

    /// Runs a query inside the transaction and fetches every batch.
    pub async fn query<T: DeserializeOwned>(&self, bound: &Bound) -> StoreResult<Vec<T>> {
        self.fetch_all(bound)
            .await
            .map_err(|e| errors::from_client(bound.aql.name, e))
    }

    async fn fetch_all<T: DeserializeOwned>(&self, bound: &Bound) -> Result<Vec<T>, ClientError> {
        let body = serde_json::to_string(&aql_query(bound))?;
        let response = self
            .session
            .post(join(&self.base, "_api/cursor")?, body)
            .await?;
        let mut batch: Batch<T> = answer(response.body())?;
        let mut rows = std::mem::take(&mut batch.result);
        while batch.more {
            let id = batch.id.take().ok_or_else(|| {
                ClientError::HttpClient("a cursor with more results has no id".to_owned())
            })?;
            let url = join(&self.base, &format!("_api/cursor/{id}"))?;
            batch = answer(self.session.put(url, "").await?.body())?;
            rows.append(&mut batch.result);
        }
        Ok(rows)
    }

    /// Commits the transaction.
    pub async fn commit(self) -> StoreResult<()> {
        let done = async {
            let url = join(&self.base, &format!("_api/transaction/{}", self.id))?;
            answer::<Value>(self.session.put(url, "").await?.body()).map(drop)
        };
        done.await
            .map_err(|e| errors::from_client("commit transaction", e))
    }

    /// Aborts, logging (not returning) a failure to abort: the server drops an
    /// idle stream transaction by itself after its timeout.
    pub async fn abort(self) {
        let done = async {
            let url = join(&self.base, &format!("_api/transaction/{}", self.id))?;
            answer::<Value>(self.session.delete(url, "").await?.body()).map(drop)
        };
        if let Err(e) = done.await {
            tracing::warn!(transaction = %self.id, error = %e, "could not abort an ArangoDB transaction");
        }
    }
}

#[cfg(test)]
#[path = "tx_tests.rs"]
mod tests;
