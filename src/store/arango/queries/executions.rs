//! The queries of the execution store (`aql/execution_*.aql`,
//! `aql/alert_key.aql`) and the functions that bind their parameters.

use serde_json::{Value, json};

use super::{Aql, Bound, bound};
use crate::store::executions::ExecutionFilter;

/// `aql/execution_get.aql`.
pub const EXECUTION_GET: Aql = aql!("execution_get");
/// `aql/execution_find_open.aql`.
pub const EXECUTION_FIND_OPEN: Aql = aql!("execution_find_open");
/// `aql/execution_list.aql`.
pub const EXECUTION_LIST: Aql = aql!("execution_list");
/// `aql/execution_running.aql`.
pub const EXECUTION_RUNNING: Aql = aql!("execution_running");
/// `aql/execution_unnotified.aql`.
pub const EXECUTION_UNNOTIFIED: Aql = aql!("execution_unnotified");
/// `aql/execution_events.aql`.
pub const EXECUTION_EVENTS: Aql = aql!("execution_events");
/// `aql/execution_insert.aql`.
pub const EXECUTION_INSERT: Aql = aql!("execution_insert");
/// `aql/execution_replace.aql`.
pub const EXECUTION_REPLACE: Aql = aql!("execution_replace");
/// `aql/alert_key.aql`.
pub const ALERT_KEY: Aql = aql!("alert_key");

/// `execution_get.aql`: `id` is the execution's id (its `_key`).
pub fn execution_get(id: &str) -> Bound {
    bound(&EXECUTION_GET, [("id", json!(id))])
}

/// `execution_find_open.aql`: the newest open execution of a key since a time.
pub fn execution_find_open(host: &str, service: &str, code: &str, since_ms: i64) -> Bound {
    let vars = [
        ("host", json!(host)),
        ("service", json!(service)),
        ("code", json!(code)),
        ("since_ms", json!(since_ms)),
    ];
    bound(&EXECUTION_FIND_OPEN, vars)
}

/// `execution_list.aql`: unset filters are bound as null.
pub fn execution_list(filter: &ExecutionFilter, limit: u32) -> Bound {
    let vars = [
        ("host", json!(filter.host)),
        ("service", json!(filter.service)),
        ("status", json!(filter.status.map(|s| s.as_str()))),
        ("before", json!(filter.before.as_ref().map(|b| b.as_str()))),
        ("unacknowledged", json!(filter.unacknowledged)),
        ("limit", json!(limit)),
    ];
    bound(&EXECUTION_LIST, vars)
}

/// `execution_running.aql`.
pub fn execution_running() -> Bound {
    bound(&EXECUTION_RUNNING, [])
}

/// `execution_unnotified.aql`.
pub fn execution_unnotified() -> Bound {
    bound(&EXECUTION_UNNOTIFIED, [])
}

/// `execution_events.aql`.
pub fn execution_events(id: &str, after_seq: i64, limit: u32) -> Bound {
    let vars = [
        ("id", json!(id)),
        ("after_seq", json!(after_seq)),
        ("limit", json!(limit)),
    ];
    bound(&EXECUTION_EVENTS, vars)
}

/// `execution_insert.aql`: `doc` is the whole execution document.
pub fn execution_insert(doc: Value) -> Bound {
    bound(&EXECUTION_INSERT, [("doc", doc)])
}

/// `execution_replace.aql`: `doc` is the whole execution document.
pub fn execution_replace(doc: Value) -> Bound {
    bound(&EXECUTION_REPLACE, [("doc", doc)])
}

/// `alert_key.aql`: `doc` is the whole `alert_keys` document.
pub fn alert_key(doc: Value) -> Bound {
    bound(&ALERT_KEY, [("doc", doc)])
}

/// Every builder above with sample arguments (for the query tests).
#[cfg(test)]
pub fn samples() -> Vec<Bound> {
    use crate::domain::Host;
    let filter = ExecutionFilter {
        host: Host::parse("h").unwrap(),
        service: None,
        status: None,
        before: None,
        unacknowledged: false,
    };
    vec![
        execution_get("x"),
        execution_find_open("h", "s", "ERR10001", 0),
        execution_list(&filter, 10),
        execution_running(),
        execution_unnotified(),
        execution_events("x", 0, 10),
        execution_insert(json!({})),
        execution_replace(json!({})),
        alert_key(json!({})),
    ]
}
