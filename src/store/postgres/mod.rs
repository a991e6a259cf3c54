//! The PostgreSQL store, for shared deployments.
//!
//! Writers serialize per host on a transaction-scoped advisory lock; readers
//! see the last committed state, each statement on its own snapshot.

mod search;
mod sql;

use std::str::FromStr;

use sqlx::{
    PgPool, Postgres,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use super::{StoreError, StoreOptions, StoreResult, sql_store::SqlStore};

const BACKEND: &str = "postgres";

/// The migrations of the PostgreSQL schema, embedded at build time.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Opens a pool on the database at `url`.
pub(super) async fn connect(url: &str, options: &StoreOptions) -> StoreResult<PgPool> {
    let connect = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::Config(format!("invalid PostgreSQL URL: {e}")))?
        .application_name("light-runbook");
    // Where, for messages: never the URL itself, which may hold a password.
    let place = format!(
        "{}:{}/{}",
        connect.get_host(),
        connect.get_port(),
        connect.get_database().unwrap_or(connect.get_username())
    );
    PgPoolOptions::new()
        .max_connections(options.max_connections.max(1))
        .acquire_timeout(options.acquire_timeout)
        .connect_with(connect)
        .await
        .map_err(|e| StoreError::Unavailable {
            backend: BACKEND,
            message: format!("cannot connect to PostgreSQL at {place}: {e}"),
        })
}

/// Applies pending migrations.
pub(super) async fn migrate(pool: &PgPool) -> StoreResult<()> {
    MIGRATOR.run(pool).await.map_err(|e| StoreError::Query {
        backend: BACKEND,
        context: "applying migrations",
        message: e.to_string(),
    })
}

/// The store on an open, migrated pool.
pub(super) fn store(pool: PgPool) -> SqlStore<Postgres> {
    SqlStore::new(BACKEND, pool, &sql::STATEMENTS)
}
