//! Opening a store from its URL: `sqlite://PATH`, `postgres://…`,
//! `postgresql://…`, `arangodb://…` or `arangodbs://…`. The URL is read
//! here only; the runbook store and the execution store it opens share one
//! connection pool (on ArangoDB, one HTTP client).

use std::{sync::Arc, time::Duration};

use super::{
    Store, StoreError, StoreResult,
    executions::{ExecutionStore, PgExecutions, SqliteExecutions},
    postgres, sqlite,
};

/// The stores one URL opens, on one connection pool.
pub struct Stores<E: Send + 'static> {
    /// Runbooks, scopes and their history.
    pub runbooks: Arc<dyn Store>,
    /// Executions and their events (every backend keeps them).
    pub executions: Arc<dyn ExecutionStore<E>>,
}

/// How to connect to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// Most connections the pool keeps open.
    pub max_connections: u32,
    /// How long an operation waits for a connection (and, in SQLite, a write
    /// for the writers queued before it, or for the write lock held by
    /// another process) before it fails.
    pub acquire_timeout: Duration,
    /// Whether `open` applies pending migrations.
    pub run_migrations: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
            run_migrations: true,
        }
    }
}

/// What a store URL designates.
#[derive(Debug, PartialEq, Eq)]
enum Target<'a> {
    /// A database file (created if missing).
    Sqlite(&'a str),
    /// A PostgreSQL database; the URL is passed on whole.
    Postgres,
    /// An ArangoDB database; the URL is passed on whole.
    Arango,
}

const SUPPORTED: &str =
    "sqlite://PATH, postgres://…, postgresql://…, arangodb://… or arangodbs://…";

/// Reads the scheme of a store URL. Errors never repeat the URL (it may hold a password).
fn target(url: &str) -> StoreResult<Target<'_>> {
    let Some((scheme, rest)) = url.split_once(':') else {
        return Err(StoreError::Config(format!(
            "the store URL has no scheme; supported: {SUPPORTED}"
        )));
    };
    match scheme.to_ascii_lowercase().as_str() {
        "sqlite" => {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.is_empty() || path.starts_with(":memory:") || path.contains("mode=memory") {
                Err(StoreError::Config(
                    "a SQLite store needs a database file path (sqlite://PATH); in-memory databases are not supported".into(),
                ))
            } else {
                Ok(Target::Sqlite(path))
            }
        }
        "postgres" | "postgresql" => Ok(Target::Postgres),
        "arangodb" | "arangodbs" => Ok(Target::Arango),
        other => Err(StoreError::Config(format!(
            "unsupported store URL scheme {other:?}; supported: {SUPPORTED}"
        ))),
    }
}

/// Opens the store at `url`, applying pending migrations when
/// `options.run_migrations` is set.
///
/// A database that cannot be reached is `StoreError::Unavailable`, naming the
/// file or the host and port (never the password).
pub async fn open(url: &str, options: &StoreOptions) -> StoreResult<Arc<dyn Store>> {
    Ok(open_stores::<std::convert::Infallible>(url, options)
        .await?
        .runbooks)
}

/// Opens the runbook store and the execution store at `url` on one pool
/// (as [`open`] does); `E` is what the execution store's callers refuse moves with.
pub async fn open_stores<E: Send + 'static>(
    url: &str,
    options: &StoreOptions,
) -> StoreResult<Stores<E>> {
    match target(url)? {
        Target::Sqlite(path) => {
            let pool = sqlite::connect(path, options).await?;
            if options.run_migrations {
                sqlite::migrate(&pool).await?;
            }
            // SQLite takes one writer at a time: both stores begin their
            // writes on one connection of their own, not behind readers.
            let writer = sqlite::connect_writer(path, options).await?;
            Ok(Stores {
                executions: Arc::new(SqliteExecutions::new(pool.clone(), writer.clone())),
                runbooks: Arc::new(sqlite::store(pool).with_writer(writer)),
            })
        }
        Target::Postgres => {
            let pool = postgres::connect(url, options).await?;
            if options.run_migrations {
                postgres::migrate(&pool).await?;
            }
            Ok(Stores {
                executions: Arc::new(PgExecutions::new(pool.clone(), pool.clone())),
                runbooks: Arc::new(postgres::store(pool)),
            })
        }
        Target::Arango => {
            let arango = arango_options(options);
            if options.run_migrations {
                super::arango::migrate(url, &arango).await?;
            }
            let store = super::arango::open(url, &arango).await?;
            Ok(Stores {
                executions: Arc::new(super::arango::ArangoExecutions::new(store.clone())),
                runbooks: Arc::new(store),
            })
        }
    }
}

/// The ArangoDB options matching the pool options.
fn arango_options(options: &StoreOptions) -> super::arango::ArangoOptions {
    super::arango::ArangoOptions {
        connect_timeout: options.acquire_timeout,
        ..super::arango::ArangoOptions::default()
    }
}

/// Applies pending migrations to the store at `url` (the `migrate` subcommand),
/// whatever `options.run_migrations` says, then closes the connections.
pub async fn migrate(url: &str, options: &StoreOptions) -> StoreResult<()> {
    match target(url)? {
        Target::Sqlite(path) => {
            let pool = sqlite::connect(path, options).await?;
            let applied = sqlite::migrate(&pool).await;
            pool.close().await;
            applied
        }
        Target::Postgres => {
            let pool = postgres::connect(url, options).await?;
            let applied = postgres::migrate(&pool).await;
            pool.close().await;
            applied
        }
        Target::Arango => super::arango::migrate(url, &arango_options(options)).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_dispatch_on_their_scheme() {
        assert_eq!(
            target("sqlite://data/runbook.db").unwrap(),
            Target::Sqlite("data/runbook.db")
        );
        assert_eq!(
            target("sqlite:///var/lib/runbook.db").unwrap(),
            Target::Sqlite("/var/lib/runbook.db")
        );
        assert_eq!(
            target("sqlite:runbook.db").unwrap(),
            Target::Sqlite("runbook.db")
        );
        assert_eq!(
            target("postgres://u:p@db:5432/runbook").unwrap(),
            Target::Postgres
        );
        assert_eq!(target("PostgreSQL://db/runbook").unwrap(), Target::Postgres);
        assert_eq!(
            target("arangodb://root:pw@db:8529/runbook").unwrap(),
            Target::Arango
        );
        assert_eq!(target("arangodbs://db/runbook").unwrap(), Target::Arango);
    }

    #[test]
    fn unknown_schemes_and_memory_databases_are_config_errors() {
        for url in [
            "mysql://root:secret@db/x",
            "runbook.db",
            "sqlite://",
            "sqlite://:memory:",
        ] {
            match target(url) {
                Err(StoreError::Config(message)) => {
                    assert!(!message.contains("secret"), "{message}");
                    if url.starts_with("mysql") {
                        assert!(
                            message.contains("\"mysql\"") && message.contains(SUPPORTED),
                            "{message}"
                        );
                    }
                }
                other => panic!("{url}: {other:?}"),
            }
        }
    }
}
