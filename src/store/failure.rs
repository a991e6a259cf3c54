//! From sqlx errors to `StoreError`, with the operation that failed as context.

use super::StoreError;

/// Maps an sqlx error raised while doing `context` on `backend`.
///
/// Lost connections and exhausted pools are `Unavailable` (retrying later may
/// help); everything else the database said is a `Query` failure.
pub(crate) fn sql_error(
    backend: &'static str,
    context: &'static str,
) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |error| match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => StoreError::Unavailable {
            backend,
            message: format!("{context}: {error}"),
        },
        sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => StoreError::Corrupt {
            backend,
            context: context.to_owned(),
            message: error.to_string(),
        },
        _ => StoreError::Query {
            backend,
            context,
            message: error.to_string(),
        },
    }
}

/// A value the store could not serialize for writing.
pub(crate) fn encode_error(backend: &'static str, error: &serde_json::Error) -> StoreError {
    StoreError::Query {
        backend,
        context: "encoding a document",
        message: error.to_string(),
    }
}

/// A stored row that no longer reads back into the domain, naming where it is.
pub(crate) fn corrupt(
    backend: &'static str,
    table: &str,
    host: &str,
    scope: &str,
    key: &str,
    message: impl std::fmt::Display,
) -> StoreError {
    StoreError::Corrupt {
        backend,
        context: format!("table {table}, host {host}, scope {scope}, key {key}"),
        message: message.to_string(),
    }
}
