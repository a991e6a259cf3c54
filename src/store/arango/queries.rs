//! Every AQL query of the store: the `.aql` files under `aql/`, compiled in,
//! and one function per query that binds its parameters. Values only ever
//! travel as bind parameters (`@name`, `@@collection`), never in the text.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::{
    domain::{ErrorCode, Host, ScopeKind},
    store::HistoryFilter,
};

/// One query: its file name (without `.aql`) and text.
#[derive(Debug)]
pub struct Aql {
    /// The file name under `aql/`, without the extension.
    pub name: &'static str,
    /// The AQL text.
    pub text: &'static str,
    /// The query may warn in normal use (e.g. a traversal meeting an edge
    /// to a vertex that does not exist): it runs with `failOnWarning: false`
    /// whatever the server's default.
    pub warnings_expected: bool,
}

macro_rules! aql {
    ($name:literal) => {
        aql!($name, false)
    };
    ($name:literal, $warnings:literal) => {
        Aql {
            name: $name,
            text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/aql/", $name, ".aql")),
            warnings_expected: $warnings,
        }
    };
}

mod executions;

pub use self::executions::*;

/// `aql/ping.aql`.
pub const PING: Aql = aql!("ping");
/// `aql/is_empty.aql`.
pub const IS_EMPTY: Aql = aql!("is_empty");
/// `aql/hosts.aql`.
pub const HOSTS: Aql = aql!("hosts");
/// `aql/lineage.aql`.
pub const LINEAGE: Aql = aql!("lineage", true);
/// `aql/lineage_shared.aql`.
pub const LINEAGE_SHARED: Aql = aql!("lineage_shared", true);
/// `aql/documents.aql`.
pub const DOCUMENTS: Aql = aql!("documents");
/// `aql/host_documents.aql`.
pub const HOST_DOCUMENTS: Aql = aql!("host_documents");
/// `aql/scopes.aql`.
pub const SCOPES: Aql = aql!("scopes");
/// `aql/list_scopes.aql`.
pub const LIST_SCOPES: Aql = aql!("list_scopes");
/// `aql/children.aql`.
pub const CHILDREN: Aql = aql!("children");
/// `aql/error_code_definitions.aql`.
pub const ERROR_CODE_DEFINITIONS: Aql = aql!("error_code_definitions");
/// `aql/list_error_codes.aql`.
pub const LIST_ERROR_CODES: Aql = aql!("list_error_codes");
/// `aql/remove_owned.aql`.
pub const REMOVE_OWNED: Aql = aql!("remove_owned");
/// `aql/insert_many.aql`.
pub const INSERT_MANY: Aql = aql!("insert_many");
/// `aql/remove_scopes.aql`.
pub const REMOVE_SCOPES: Aql = aql!("remove_scopes");
/// `aql/generation.aql`.
pub const GENERATION: Aql = aql!("generation");
/// `aql/generations.aql`.
pub const GENERATIONS: Aql = aql!("generations");
/// `aql/snapshot.aql`.
pub const SNAPSHOT: Aql = aql!("snapshot");
/// `aql/next_change.aql`.
pub const NEXT_CHANGE: Aql = aql!("next_change");
/// `aql/write_hosts.aql`.
pub const WRITE_HOSTS: Aql = aql!("write_hosts");
/// `aql/history.aql`.
pub const HISTORY: Aql = aql!("history");
/// `aql/backfill_sort_code.aql`.
pub const BACKFILL_SORT_CODE: Aql = aql!("backfill_sort_code");
/// `aql/backfill_rseq.aql`.
pub const BACKFILL_RSEQ: Aql = aql!("backfill_rseq");

/// Every query compiled in (the tests compare it with the files under `aql/`).
#[cfg(test)]
pub const ALL: [&Aql; 32] = [
    &PING,
    &IS_EMPTY,
    &HOSTS,
    &LINEAGE,
    &LINEAGE_SHARED,
    &DOCUMENTS,
    &HOST_DOCUMENTS,
    &SCOPES,
    &LIST_SCOPES,
    &CHILDREN,
    &ERROR_CODE_DEFINITIONS,
    &LIST_ERROR_CODES,
    &REMOVE_OWNED,
    &INSERT_MANY,
    &REMOVE_SCOPES,
    &GENERATION,
    &GENERATIONS,
    &SNAPSHOT,
    &NEXT_CHANGE,
    &WRITE_HOSTS,
    &HISTORY,
    &BACKFILL_SORT_CODE,
    &BACKFILL_RSEQ,
    &EXECUTION_GET,
    &EXECUTION_FIND_OPEN,
    &EXECUTION_LIST,
    &EXECUTION_RUNNING,
    &EXECUTION_UNNOTIFIED,
    &EXECUTION_EVENTS,
    &EXECUTION_INSERT,
    &EXECUTION_REPLACE,
    &ALERT_KEY,
];

/// Depth bound of the lineage traversal: far above any real lineage; the
/// traversal stops earlier because each scope is visited once.
pub const MAX_LINEAGE_DEPTH: u64 = 100_000;

/// A query with its bind parameters, ready to run. Keys are ArangoDB's
/// `bindVars` names: `host` for `@host`, `@collection` for `@@collection`.
#[derive(Debug)]
pub struct Bound {
    /// The query.
    pub aql: &'static Aql,
    /// Its bind parameters.
    pub vars: HashMap<&'static str, Value>,
}

fn bound<const N: usize>(aql: &'static Aql, vars: [(&'static str, Value); N]) -> Bound {
    Bound {
        aql,
        vars: vars.into_iter().collect(),
    }
}

/// `ping.aql`: answers when the database accepts queries.
pub fn ping() -> Bound {
    bound(&PING, [])
}

/// `is_empty.aql`: whether any scope exists.
pub fn is_empty() -> Bound {
    bound(&IS_EMPTY, [])
}

/// `hosts.aql`: the distinct hosts.
pub fn hosts() -> Bound {
    bound(&HOSTS, [])
}

/// `lineage.aql`: `start` is the `_id` of the scope vertex.
pub fn lineage(host: &Host, start: &str) -> Bound {
    bound(
        &LINEAGE,
        [
            ("host", json!(host)),
            ("start", json!(start)),
            ("max_depth", json!(MAX_LINEAGE_DEPTH)),
        ],
    )
}

/// `lineage_shared.aql`: `start` is the `_id` of the scope vertex, `known`
/// the `revision:objects:id` texts of the versions the caller holds.
pub fn lineage_shared(host: &Host, host_key: &str, start: &str, known: &[String]) -> Bound {
    bound(
        &LINEAGE_SHARED,
        [
            ("host", json!(host)),
            ("host_key", json!(host_key)),
            ("start", json!(start)),
            ("max_depth", json!(MAX_LINEAGE_DEPTH)),
            ("known", json!(known)),
        ],
    )
}

/// `documents.aql`: `keys` are scope vertex keys.
pub fn documents(keys: &[String]) -> Bound {
    bound(&DOCUMENTS, [("keys", json!(keys))])
}

/// `host_documents.aql`: every document of a host.
pub fn host_documents(host: &Host) -> Bound {
    bound(&HOST_DOCUMENTS, [("host", json!(host))])
}

/// `scopes.aql`: `keys` are scope vertex keys.
pub fn scopes(keys: &[String]) -> Bound {
    bound(&SCOPES, [("keys", json!(keys))])
}

/// `list_scopes.aql`: `after` is the sort key of the last scope seen, `""` for the first page.
pub fn list_scopes(host: &Host, kind: Option<ScopeKind>, after: &str, limit: u32) -> Bound {
    let vars = [
        ("host", json!(host)),
        ("kind", json!(kind)),
        ("after", json!(after)),
        ("limit", json!(limit)),
    ];
    bound(&LIST_SCOPES, vars)
}

/// `children.aql`: `parents` are the `_id`s of the parent scope vertices.
pub fn children(host: &Host, parents: &[String]) -> Bound {
    bound(
        &CHILDREN,
        [("host", json!(host)), ("parents", json!(parents))],
    )
}

/// `error_code_definitions.aql`: the registrations of the given codes.
pub fn error_code_definitions(host: &Host, codes: &[ErrorCode]) -> Bound {
    bound(
        &ERROR_CODE_DEFINITIONS,
        [("host", json!(host)), ("codes", json!(codes))],
    )
}

/// `list_error_codes.aql`: `after` is the sort key of the last code seen,
/// `""` for the first page.
pub fn list_error_codes(host: &Host, after: &str, limit: u32) -> Bound {
    let vars = [
        ("host", json!(host)),
        ("after", json!(after)),
        ("limit", json!(limit)),
    ];
    bound(&LIST_ERROR_CODES, vars)
}

/// `remove_owned.aql`: `owners` are scope vertex keys.
pub fn remove_owned(collection: &str, owners: &[String]) -> Bound {
    bound(
        &REMOVE_OWNED,
        [
            ("@collection", json!(collection)),
            ("owners", json!(owners)),
        ],
    )
}

/// `insert_many.aql`: inserts documents into `collection`.
pub fn insert_many(collection: &str, docs: Vec<Value>) -> Bound {
    bound(
        &INSERT_MANY,
        [
            ("@collection", json!(collection)),
            ("docs", Value::Array(docs)),
        ],
    )
}

/// `remove_scopes.aql`: `keys` are scope vertex keys.
pub fn remove_scopes(keys: &[String]) -> Bound {
    bound(&REMOVE_SCOPES, [("keys", json!(keys))])
}

/// `generation.aql`: `key` is the host's key in `hosts`.
pub fn generation(key: &str) -> Bound {
    bound(&GENERATION, [("key", json!(key))])
}

/// `generations.aql`: `keys` are host keys in `hosts`.
pub fn generations(keys: &[String]) -> Bound {
    bound(&GENERATIONS, [("keys", json!(keys))])
}

/// `snapshot.aql`: `key` is the host's key in `hosts`.
pub fn snapshot(host: &Host, key: &str) -> Bound {
    bound(&SNAPSHOT, [("host", json!(host)), ("key", json!(key))])
}

/// `next_change.aql`: `first` is the counter document as the first change writes it.
pub fn next_change(first: Value) -> Bound {
    bound(&NEXT_CHANGE, [("first", first)])
}

/// `write_hosts.aql`: whole `hosts` documents.
pub fn write_hosts(hosts: Vec<Value>) -> Bound {
    bound(&WRITE_HOSTS, [("hosts", Value::Array(hosts))])
}

/// `history.aql`: a page of a host's history; unset filters are bound as null.
pub fn history(host: &Host, filter: &HistoryFilter) -> Bound {
    let object = filter.object.as_ref();
    let vars = [
        ("host", json!(host)),
        ("scope", json!(filter.scope)),
        ("kind", json!(object.map(|o| o.kind()))),
        ("key", json!(object.map(|o| o.key()))),
        ("uid", json!(filter.uid)),
        ("from_ms", json!(filter.from_ms)),
        ("to_ms", json!(filter.to_ms)),
        ("before_change", json!(filter.before_change)),
        ("limit", json!(filter.limit)),
    ];
    bound(&HISTORY, vars)
}

/// `backfill_sort_code.aql`: gives error code layers written before
/// `sort_code` existed their sort key.
pub fn backfill_sort_code() -> Bound {
    bound(&BACKFILL_SORT_CODE, [])
}

/// `backfill_rseq.aql`: gives history records written before `rseq`
/// existed theirs.
pub fn backfill_rseq() -> Bound {
    bound(&BACKFILL_RSEQ, [])
}

#[cfg(test)]
#[path = "queries_tests.rs"]
mod tests;
