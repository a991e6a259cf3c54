//! The ArangoDB backend of [`Store`](crate::store::Store), over the `arangors`
//! driver with a rustls HTTP client.
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

mod client;
mod commit;
mod errors;
mod keys;
mod ledger;
mod plan;
mod queries;
mod records;
mod rows;
mod schema;
mod store_impl;
mod tx;
mod url;
mod write;

#[cfg(test)]
mod records_tests;

use std::time::Duration;

use arangors::{AqlQuery, Database, GenericConnection};
use serde::de::DeserializeOwned;

use self::{client::ClientSettings, queries::Bound};
pub use self::{client::RustlsClient, url::ArangoTarget};
use crate::store::{StoreError, StoreResult};

/// Results fetched per HTTP round trip of a cursor.
const BATCH_SIZE: u32 = 1000;

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

type Connection = GenericConnection<RustlsClient>;

/// A [`Store`](crate::store::Store) in one ArangoDB database.
#[derive(Debug, Clone)]
pub struct ArangoStore {
    db: Database<RustlsClient>,
    wait_for_sync: bool,
    /// How long a commit waits for the commit locks: half the request
    /// timeout, so that the server gives up waiting before the client gives
    /// up on the request (a transaction begun after the client left would
    /// hold the locks until the server's idle timeout).
    lock_timeout: Duration,
}

/// Connects to the database named by `url`, creating it when the options
/// say so, and creates whatever of the schema is missing.
pub async fn open(url: &str, options: &ArangoOptions) -> Result<ArangoStore, StoreError> {
    let target = ArangoTarget::parse(url)?;
    let conn = connect(&target, options).await?;
    let db = match conn.db(&target.database).await {
        Ok(db) => db,
        Err(e)
            if options.create_database
                && errors::error_num(&e) == Some(errors::DATABASE_NOT_FOUND) =>
        {
            create_database(&conn, &target.database).await?
        }
        Err(e) => return Err(errors::from_client("open database", e)),
    };
    let store = ArangoStore {
        db,
        wait_for_sync: options.wait_for_sync,
        lock_timeout: options.request_timeout / 2,
    };
    store.migrate().await?;
    Ok(store)
}

/// Creates whatever of the schema is missing in the database named by `url`
/// (collections, indexes, the named graph). Opening a store does the same.
pub async fn migrate(url: &str, options: &ArangoOptions) -> Result<(), StoreError> {
    open(url, options).await.map(drop)
}

/// Drops the database named by `url` with everything in it; a database that
/// does not exist is not an error. For tests and decommissioning.
pub async fn drop_database(url: &str, options: &ArangoOptions) -> Result<(), StoreError> {
    let target = ArangoTarget::parse(url)?;
    let conn = connect(&target, options).await?;
    match conn.drop_database(&target.database).await {
        Ok(()) => Ok(()),
        Err(e) if errors::error_num(&e) == Some(errors::DATABASE_NOT_FOUND) => Ok(()),
        Err(e) => Err(errors::from_client("drop database", e)),
    }
}

async fn connect(target: &ArangoTarget, options: &ArangoOptions) -> StoreResult<Connection> {
    let http = client::build(&options.client_settings())
        .map_err(|e| StoreError::Config(format!("ArangoDB client: {e}")))?;
    let base = target.base_url();
    let establish = Connection::establish_basic_auth(&base, &target.user, &target.password);
    client::with_client(http, establish)
        .await
        .map_err(|e| errors::from_client("connect", e))
}

async fn create_database(conn: &Connection, name: &str) -> StoreResult<Database<RustlsClient>> {
    match conn.create_database(name).await {
        Ok(db) => {
            tracing::info!(database = name, "created ArangoDB database");
            Ok(db)
        }
        // Created meanwhile by another process.
        Err(e) if errors::error_num(&e) == Some(schema::DUPLICATE_NAME) => conn
            .db(name)
            .await
            .map_err(|e| errors::from_client("open database", e)),
        Err(e) => Err(errors::from_client("create database", e)),
    }
}

/// The request body of a bound query.
fn aql_query(bound: &Bound) -> AqlQuery<'static> {
    AqlQuery::builder()
        .query(bound.aql.text)
        .bind_vars(bound.vars.clone())
        .batch_size(BATCH_SIZE)
        .build()
}

impl ArangoStore {
    /// Creates whatever of the schema is missing (collections, indexes, graph).
    pub async fn migrate(&self) -> StoreResult<()> {
        schema::ensure(&self.db).await
    }

    /// Runs a query outside any transaction.
    async fn query<T: DeserializeOwned>(&self, bound: Bound) -> StoreResult<Vec<T>> {
        self.db
            .aql_query(aql_query(&bound))
            .await
            .map_err(|e| errors::from_client(bound.aql.name, e))
    }
}
