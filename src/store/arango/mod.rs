//! The ArangoDB backend of [`Store`](crate::store::Store), over ArangoDB's
//! HTTP API (`client.rs`, reqwest with rustls), for ArangoDB 3.11 and later.
//!
//! Selected by `arangodb://user:password@host:8529/database` (`arangodbs://`
//! for TLS). Scopes are vertices in `scopes`, linked to their parents by
//! `inherits` edges; each scope's content lives in `procedures`, `branches`
//! (edges between procedure layers), `entries` and `error_codes`, every
//! document tagged with its owning scope and carrying its revision. Every
//! query is an `.aql` file under `aql/` with bind parameters only; a scope's
//! lineage with all its content is one traversal query; every write is a
//! commit (`commit.rs`): one stream transaction that also hands out the change
//! id, records the history (`history`) and moves the host's generation
//! (`hosts`). `docs/arangodb.md` describes the whole design.

mod cleanup;
mod client;
mod commit;
mod cursor;
mod decide;
mod errors;
mod executions;
mod executions_docs;
mod keys;
mod ledger;
mod migrate;
mod queries;
mod records;
mod rows;
mod schema;
mod server;
mod shared;
mod store_impl;
mod tx;
mod url;
mod write;

#[cfg(test)]
mod aql_check;
#[cfg(test)]
mod records_tests;
#[cfg(test)]
mod replay_commit_tests;
#[cfg(test)]
mod replay_execution_faults_tests;
#[cfg(test)]
mod replay_executions_tests;
#[cfg(test)]
mod replay_tests;
#[cfg(test)]
mod serve_tests;
#[cfg(test)]
mod stand_in;

use std::time::Duration;

use serde::de::DeserializeOwned;

use self::{
    client::{Api, ClientSettings},
    queries::Bound,
};
pub use self::{executions::ArangoExecutions, url::ArangoTarget};
use crate::store::{StoreError, StoreResult};

/// The part of the request timeout a query may run on the server
/// (`maxRuntime`): the server stops the query before the client gives up.
const RUNTIME_SHARE: f64 = 0.9;

/// The default bound on the documents one commit sends, in bytes of JSON.
pub const DEFAULT_MAX_COMMIT_BYTES: usize = 64 * 1024 * 1024;

/// How to talk to ArangoDB, beyond what the URL says.
#[derive(Debug, Clone)]
pub struct ArangoOptions {
    /// Bound on each HTTP request to ArangoDB; a commit waits at most half
    /// of it for the commit locks.
    pub request_timeout: Duration,
    /// Bound on opening a connection.
    pub connect_timeout: Duration,
    /// Create the database when it does not exist (needs the right to create
    /// databases, e.g. as `root`).
    pub create_database: bool,
    /// Have each write transaction synced to disk before it returns.
    pub wait_for_sync: bool,
    /// Extra root certificates (PEM) to trust for `arangodbs://`, e.g. a
    /// private CA; the webpki roots are always trusted.
    pub ca_certificate_pem: Option<Vec<u8>>,
    /// Bound on the documents one commit writes, in bytes of JSON; a larger
    /// change is refused before anything is sent. A stream transaction is
    /// limited to 128 MiB on servers before 3.12.4 (and to
    /// `--transaction.streaming-max-transaction-size` after), counting
    /// index entries too: the default leaves room for those.
    pub max_commit_bytes: usize,
}

impl Default for ArangoOptions {
    fn default() -> Self {
        let client = ClientSettings::default();
        Self {
            request_timeout: client.request_timeout,
            connect_timeout: client.connect_timeout,
            create_database: false,
            wait_for_sync: false,
            ca_certificate_pem: None,
            max_commit_bytes: DEFAULT_MAX_COMMIT_BYTES,
        }
    }
}

impl ArangoOptions {
    fn client_settings(&self) -> ClientSettings {
        ClientSettings {
            request_timeout: self.request_timeout,
            connect_timeout: self.connect_timeout,
            ca_pem: self.ca_certificate_pem.clone(),
        }
    }
}

/// A [`Store`](crate::store::Store) in one ArangoDB database.
#[derive(Debug, Clone)]
pub struct ArangoStore {
    api: Api,
    wait_for_sync: bool,
    /// How long a commit waits for the commit locks: half the request
    /// timeout, so that the server gives up waiting before the client gives
    /// up on the request (a transaction begun after the client left would
    /// hold the locks until the server's idle timeout).
    lock_timeout: Duration,
    /// `maxRuntime` of every query.
    max_runtime: Duration,
    /// See [`ArangoOptions::max_commit_bytes`].
    max_commit_bytes: usize,
}

/// Connects to the database named by `url` and checks that `migrate` has
/// prepared it; reads only, so a user without the right to create
/// collections can open the store.
pub async fn open(url: &str, options: &ArangoOptions) -> Result<ArangoStore, StoreError> {
    let api = connect(url, options)?;
    if server::probe(&api).await? == server::Presence::Missing {
        return Err(server::missing_database(&api));
    }
    migrate::check(&api).await?;
    Ok(ArangoStore {
        api,
        wait_for_sync: options.wait_for_sync,
        lock_timeout: options.request_timeout / 2,
        max_runtime: options.request_timeout.mul_f64(RUNTIME_SHARE),
        max_commit_bytes: options.max_commit_bytes,
    })
}

/// Creates whatever of the schema is missing in the database named by `url`
/// (collections, indexes, the named graph), and the database itself when
/// the options say so. Needs the right to create collections and indexes.
pub async fn migrate(url: &str, options: &ArangoOptions) -> Result<(), StoreError> {
    let api = connect(url, options)?;
    if server::probe(&api).await? == server::Presence::Missing {
        if !options.create_database {
            return Err(server::missing_database(&api));
        }
        server::create_database(&api).await?;
    }
    migrate::ensure(&api, options.request_timeout.mul_f64(RUNTIME_SHARE)).await
}

/// Drops the database named by `url` with everything in it; a database that
/// does not exist is not an error. For tests and decommissioning.
pub async fn drop_database(url: &str, options: &ArangoOptions) -> Result<(), StoreError> {
    let api = connect(url, options)?;
    server::drop_database(&api).await
}

/// A client for the URL's database.
fn connect(url: &str, options: &ArangoOptions) -> StoreResult<Api> {
    let target = ArangoTarget::parse(url)?;
    Api::new(&target, &options.client_settings())
        .map_err(|e| StoreError::Config(format!("ArangoDB client: {e}")))
}

impl ArangoStore {
    /// Runs a query outside any transaction.
    async fn query<T: DeserializeOwned>(&self, bound: Bound) -> StoreResult<Vec<T>> {
        cursor::fetch_all(&self.api, &bound, self.max_runtime)
            .await
            .map_err(|e| errors::from_api(bound.aql.name, e))
    }
}
