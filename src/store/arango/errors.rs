//! Driver errors as [`StoreError`]s. ArangoDB's `errorNum` stays in the
//! message for the logs; nothing here panics or prints credentials (the driver
//! only ever sees the server's base URL, never the user or password).

use arangors::ClientError;

use crate::store::StoreError;

/// The backend's name in errors, logs and metrics.
pub const BACKEND: &str = "arangodb";

/// `errorNum` 11: forbidden.
pub const FORBIDDEN: u16 = 11;
/// `errorNum` 18: a lock was not granted in time (a commit waited too long
/// for the commit locks held by other commits).
pub const LOCK_TIMEOUT: u16 = 18;
/// `errorNum` 1228: database not found.
pub const DATABASE_NOT_FOUND: u16 = 1228;

/// The ArangoDB `errorNum` of an error, when the server gave one.
pub fn error_num(e: &ClientError) -> Option<u16> {
    match e {
        ClientError::Arango(a) => Some(a.error_num()),
        _ => None,
    }
}

/// Maps a driver error met while doing `context`.
pub fn from_client(context: &'static str, e: ClientError) -> StoreError {
    let unavailable = |message: String| StoreError::Unavailable {
        backend: BACKEND,
        message,
    };
    match e {
        ClientError::Arango(a) => {
            let message = format!(
                "errorNum {} (HTTP {}): {}",
                a.error_num(),
                a.code(),
                a.message()
            );
            let refused = matches!(a.code(), 401 | 403 | 503)
                || matches!(a.error_num(), FORBIDDEN | LOCK_TIMEOUT | DATABASE_NOT_FOUND);
            if refused {
                unavailable(format!("{context}: {message}"))
            } else {
                // The context is in the error's own text.
                StoreError::Query {
                    backend: BACKEND,
                    context,
                    message,
                }
            }
        }
        ClientError::HttpClient(message) => unavailable(format!("{context}: {message}")),
        ClientError::InvalidServer(server) => unavailable(format!(
            "{context}: the server does not identify as ArangoDB (Server header: {server})"
        )),
        ClientError::InsufficientPermission {
            permission,
            operation,
        } => unavailable(format!(
            "{context}: permission {permission:?} does not allow {operation}"
        )),
        ClientError::Serde(e) => corrupt(context, e.to_string()),
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

    fn arango(code: u16, num: u16, message: &str) -> ClientError {
        let body = serde_json::json!({ "code": code, "errorNum": num, "errorMessage": message });
        ClientError::Arango(serde_json::from_value(body).unwrap())
    }

    #[test]
    fn a_server_error_keeps_its_error_number_in_the_message() {
        let e = from_client("lineage", arango(400, 1501, "syntax error, unexpected FOR"));
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
        assert!(text.contains("HTTP 400"), "{text}");
        assert!(text.contains("syntax error"), "{text}");
    }

    #[test]
    fn refusals_and_transport_failures_are_unavailability() {
        for e in [
            arango(401, 11, "not authorized"),
            arango(404, DATABASE_NOT_FOUND, "database not found"),
            arango(409, LOCK_TIMEOUT, "timeout waiting to lock"),
            arango(503, 503, "service unavailable"),
            ClientError::HttpClient("connection refused".to_owned()),
            ClientError::InvalidServer("nginx".to_owned()),
        ] {
            let mapped = from_client("ping", e);
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
    fn an_unreadable_response_is_corrupt() {
        let serde = serde_json::from_str::<u8>("nope").unwrap_err();
        let mapped = from_client("documents", ClientError::Serde(serde));
        assert!(matches!(mapped, StoreError::Corrupt { .. }), "{mapped:?}");
    }

    #[test]
    fn the_error_number_is_read_from_server_errors_only() {
        assert_eq!(
            error_num(&arango(409, 1200, "write-write conflict")),
            Some(1200)
        );
        assert_eq!(error_num(&ClientError::HttpClient("x".to_owned())), None);
    }
}
