//! The SQLite store: one database file in WAL mode, the embedded default.
//!
//! Writers serialize on `BEGIN IMMEDIATE`; readers see the last committed
//! state (WAL), each statement on its own snapshot.

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

/// Opens a pool on the database file at `path`, creating the file if missing.
pub(super) async fn connect(path: &str, options: &StoreOptions) -> StoreResult<SqlitePool> {
    let connect = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(options.acquire_timeout);
    SqlitePoolOptions::new()
        .max_connections(options.max_connections.max(1))
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
