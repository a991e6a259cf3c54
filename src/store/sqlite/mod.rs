//! The SQLite store: one database file in WAL mode, the embedded default.
//!
//! Readers share a pool and see the last committed state (WAL), each
//! statement on its own snapshot. Writers have a pool of one connection of
//! their own: SQLite takes one writer at a time, and a writer that finds the
//! write lock taken sleeps in SQLite's busy handler and tries again, sleeping
//! longer each time (up to 100 ms a try). Under a burst of writes (an alert
//! storm starting a thousand executions) that is where the time would go, the
//! order lost and the later writers out of time. On their own connection they
//! queue in the pool instead, first come first served, and none waits behind
//! the readers for a connection; a writer whose turn does not come within the
//! acquire timeout fails `Unavailable`, having written nothing. `BEGIN
//! IMMEDIATE` still guards against writers of other processes (the CLI).

mod search;
mod sql;

use sqlx::{
    Sqlite, SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions},
};

use super::{StoreError, StoreOptions, StoreResult, sql_store::SqlStore};

const BACKEND: &str = "sqlite";

/// The migrations of the SQLite schema, embedded at build time.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

/// Opens the readers' pool on the database file at `path`, creating the
/// file if missing.
pub(super) async fn connect(path: &str, options: &StoreOptions) -> StoreResult<SqlitePool> {
    open_pool(path, options, options.max_connections.max(1)).await
}

/// Opens the writers' pool: one connection to the same file.
pub(super) async fn connect_writer(path: &str, options: &StoreOptions) -> StoreResult<SqlitePool> {
    open_pool(path, options, 1).await
}

async fn open_pool(
    path: &str,
    options: &StoreOptions,
    connections: u32,
) -> StoreResult<SqlitePool> {
    let connect = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(options.acquire_timeout);
    SqlitePoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(options.acquire_timeout)
        .connect_with(connect)
        .await
        .map_err(|e| StoreError::Unavailable {
            backend: BACKEND,
            message: format!("cannot open database file {path}: {e}"),
        })
}

/// Applies pending migrations.
pub(super) async fn migrate(pool: &SqlitePool) -> StoreResult<()> {
    MIGRATOR.run(pool).await.map_err(|e| StoreError::Query {
        backend: BACKEND,
        context: "applying migrations",
        message: e.to_string(),
    })
}

/// The store on an open, migrated pool.
pub(super) fn store(pool: SqlitePool) -> SqlStore<Sqlite> {
    SqlStore::new(BACKEND, pool, &sql::STATEMENTS)
}
