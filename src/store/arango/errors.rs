//! [`ApiError`]s as [`StoreError`]s. ArangoDB's `errorNum` stays in the
//! message for the logs; nothing here panics or prints credentials (the
//! client's errors never carry the user or password).

use super::client::ApiError;
use crate::store::StoreError;

/// The backend's name in errors, logs and metrics.
pub const BACKEND: &str = "arangodb";

/// `errorNum` 11: forbidden.
pub const FORBIDDEN: u16 = 11;
/// `errorNum` 18: a lock was not granted in time (a commit waited too long
/// for the commit locks held by other commits).
pub const LOCK_TIMEOUT: u16 = 18;
/// `errorNum` 32: a resource limit was hit, e.g. a stream transaction
/// grew past the server's size limit.
pub const RESOURCE_LIMIT: u16 = 32;
/// `errorNum` 1500: the query was killed, e.g. when it ran past `maxRuntime`.
pub const QUERY_KILLED: u16 = 1500;
/// `errorNum` 1203: collection or view not found.
pub const COLLECTION_NOT_FOUND: u16 = 1203;
/// `errorNum` 1228: database not found.
pub const DATABASE_NOT_FOUND: u16 = 1228;
/// `errorNum` 1924: graph not found.
pub const GRAPH_NOT_FOUND: u16 = 1924;

/// Maps an error met while doing `context`.
pub fn from_api(context: &'static str, e: ApiError) -> StoreError {
    let unavailable = |message: String| StoreError::Unavailable {
        backend: BACKEND,
        message,
    };
    match e {
        ApiError::Arango { code, num, message } => {
            let message = format!("errorNum {num} (HTTP {code}): {message}");
            let refused = matches!(code, 401 | 403 | 503)
                || matches!(num, FORBIDDEN | LOCK_TIMEOUT | DATABASE_NOT_FOUND);
            if refused {
                unavailable(format!("{context}: {message}"))
            } else if num == QUERY_KILLED {
                unavailable(format!(
                    "{context}: the query was stopped by the server, e.g. past its time limit: {message}"
                ))
            } else if num == RESOURCE_LIMIT {
                StoreError::TooLarge {
                    backend: BACKEND,
                    message: format!(
                        "{context}: a server resource limit was reached (for a commit: the stream \
                         transaction size limit, --transaction.streaming-max-transaction-size); \
                         split the change into smaller ones: {message}"
                    ),
                }
            } else {
                // The context is in the error's own text.
                StoreError::Query {
                    backend: BACKEND,
                    context,
                    message,
                }
            }
        }
        ApiError::Transport(message) => unavailable(format!("{context}: {message}")),
        ApiError::Decode(message) => corrupt(context, message),
    }
}

/// A response or stored document that does not read back into the domain.
pub fn corrupt(context: &str, message: String) -> StoreError {
    StoreError::Corrupt {
        backend: BACKEND,
        context: context.to_owned(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arango(code: u16, num: u16, message: &str) -> ApiError {
        ApiError::Arango {
            code,
            num,
            message: message.to_owned(),
        }
    }

    #[test]
    fn a_server_error_keeps_its_error_number_in_the_message() {
        let e = from_api("lineage", arango(400, 1501, "syntax error, unexpected FOR"));
        let text = e.to_string();
        assert!(
            matches!(
                e,
                StoreError::Query {
                    context: "lineage",
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(
            text,
            "arangodb query failed (lineage): errorNum 1501 (HTTP 400): syntax error, unexpected FOR"
        );
    }

    #[test]
    fn refusals_kills_and_transport_failures_are_unavailability() {
        for e in [
            arango(401, 11, "not authorized"),
            arango(404, DATABASE_NOT_FOUND, "database not found"),
            arango(409, LOCK_TIMEOUT, "timeout waiting to lock"),
            arango(503, 503, "service unavailable"),
            arango(410, QUERY_KILLED, "query killed"),
            ApiError::Transport("connection refused".to_owned()),
        ] {
            let mapped = from_api("ping", e);
            assert!(
                matches!(
                    mapped,
                    StoreError::Unavailable {
                        backend: "arangodb",
                        ..
                    }
                ),
                "{mapped:?}"
            );
        }
    }

    #[test]
    fn a_resource_limit_says_which_limit_and_what_to_do() {
        let mapped = from_api(
            "insert_many",
            arango(400, RESOURCE_LIMIT, "resource limit exceeded"),
        );
        let text = mapped.to_string();
        assert!(matches!(mapped, StoreError::TooLarge { .. }), "{mapped:?}");
        for part in ["errorNum 32", "streaming-max-transaction-size", "smaller"] {
            assert!(text.contains(part), "{text}");
        }
    }

    #[test]
    fn an_unreadable_response_is_corrupt() {
        let mapped = from_api("documents", ApiError::Decode("expected u8".to_owned()));
        assert!(matches!(mapped, StoreError::Corrupt { .. }), "{mapped:?}");
    }
}
