//! Collections, indexes and the named graph: their names and definitions
//! (`migrate.rs` creates them, `open` checks they are there).
//!
//! Vertex collections: `scopes`, `procedures`, `entries`, `error_codes`.
//! Edge collections: `inherits` (scope to parent scope, with `position`) and
//! `branches` (procedure layer to procedure layer, with label and patch).
//! The named graph `runbook` ties them together for tools (the web UI, graph
//! functions); the store itself reads and writes through AQL.
//!
//! Change bookkeeping, outside the graph: `counters` (the store-wide change
//! counter), `hosts` (each host's generation) and `history` (every object
//! version a change wrote).
//!
//! Executions, outside the graph too: `executions` (one document per
//! execution, keyed by its id), `execution_events` (keyed by execution and
//! sequence number) and `alert_keys` (one document per alert key: host,
//! service, code).

use serde_json::{Value, json};

/// Scope vertices.
pub const SCOPES: &str = "scopes";
/// Parent edges, child to parent.
pub const INHERITS: &str = "inherits";
/// Procedure layers.
pub const PROCEDURES: &str = "procedures";
/// Branch layers: edges between procedure layers of one scope.
pub const BRANCHES: &str = "branches";
/// Entries of a scope.
pub const ENTRIES: &str = "entries";
/// Error code layers.
pub const ERROR_CODES: &str = "error_codes";
/// The store-wide change counter (one document).
pub const COUNTERS: &str = "counters";
/// One document per host: its generation.
pub const HOSTS: &str = "hosts";
/// One document per object per change.
pub const HISTORY: &str = "history";
/// One document per execution, keyed by its id.
pub const EXECUTIONS: &str = "executions";
/// One document per event of an execution, keyed by execution and sequence number.
pub const EXECUTION_EVENTS: &str = "execution_events";
/// One document per alert key (host, service, code): the execution it last opened or joined.
pub const ALERT_KEYS: &str = "alert_keys";
/// The named graph over the document collections.
pub const GRAPH: &str = "runbook";

/// Every collection with whether it holds edges.
pub const COLLECTIONS: [(&str, bool); 12] = [
    (SCOPES, false),
    (PROCEDURES, false),
    (ENTRIES, false),
    (ERROR_CODES, false),
    (INHERITS, true),
    (BRANCHES, true),
    (COUNTERS, false),
    (HOSTS, false),
    (HISTORY, false),
    (EXECUTIONS, false),
    (EXECUTION_EVENTS, false),
    (ALERT_KEYS, false),
];

/// The collections of executions, which no commit touches.
#[cfg(test)]
pub const EXECUTION_COLLECTIONS: [&str; 3] = [EXECUTIONS, EXECUTION_EVENTS, ALERT_KEYS];

/// The collections a scope document is stored in (those of the graph).
#[cfg(test)]
pub const DOCUMENT_COLLECTIONS: [&str; 6] =
    [SCOPES, PROCEDURES, ENTRIES, ERROR_CODES, INHERITS, BRANCHES];

/// The content collections, whose documents are owned by a scope.
pub const CONTENT_COLLECTIONS: [&str; 5] = [INHERITS, PROCEDURES, BRANCHES, ENTRIES, ERROR_CODES];

/// Collections a commit locks exclusively: one commit runs at a time.
pub const COMMIT_EXCLUSIVE: [&str; 2] = [COUNTERS, HOSTS];

/// Collections a commit writes under shared write locks.
pub const COMMIT_WRITE: [&str; 7] = [
    SCOPES,
    PROCEDURES,
    ENTRIES,
    ERROR_CODES,
    INHERITS,
    BRANCHES,
    HISTORY,
];

/// The persistent indexes: (collection, index name, fields, unique).
///
/// History is read newest first: `SORT r.change_id DESC, r.rseq DESC`,
/// where `rseq` is `-seq`, so that records of one change come in `seq`
/// order. A persistent index serves a `SORT` only when every sort
/// attribute has the same direction and the attributes follow the index
/// fields right after those the filter fixes by equality (ArangoDB's
/// rules for index-based sorting); each `*_order` index ends in
/// `change_id, rseq` after the equality fields of one filter, so that
/// query reads the index backwards and stops at `LIMIT`.
///
/// Executions are found by alert key, listed by host newest first, and the
/// running ones by status: each index ends in `id`, which `SORT e.id` reads
/// in either direction.
pub const INDEXES: [(&str, &str, &[&str], bool); 18] = [
    (SCOPES, "scopes_by_host_sort", &["host", "sort_id"], true),
    (
        SCOPES,
        "scopes_by_host_kind_sort",
        &["host", "kind", "sort_id"],
        false,
    ),
    (INHERITS, "inherits_by_owner", &["owner"], false),
    (PROCEDURES, "procedures_by_owner", &["owner"], false),
    (BRANCHES, "branches_by_owner", &["owner"], false),
    (ENTRIES, "entries_by_owner", &["owner"], false),
    (ERROR_CODES, "error_codes_by_owner", &["owner"], false),
    (
        ERROR_CODES,
        "error_codes_by_host_code",
        &["host", "code"],
        false,
    ),
    (
        ERROR_CODES,
        "error_codes_by_host_sort_code",
        &["host", "sort_code"],
        false,
    ),
    (
        HISTORY,
        "history_by_host_order",
        &["host", "change_id", "rseq"],
        false,
    ),
    (
        HISTORY,
        "history_by_host_scope_order",
        &["host", "scope", "change_id", "rseq"],
        false,
    ),
    (
        HISTORY,
        "history_by_host_object_order",
        &["host", "scope", "kind", "key", "change_id", "rseq"],
        false,
    ),
    (
        HISTORY,
        "history_by_host_uid_order",
        &["host", "uid", "change_id", "rseq"],
        false,
    ),
    (HISTORY, "history_by_host_time", &["host", "at_ms"], false),
    (
        EXECUTIONS,
        "executions_by_key",
        &["host", "service_id", "error_code", "id"],
        false,
    ),
    (EXECUTIONS, "executions_by_host", &["host", "id"], false),
    (EXECUTIONS, "executions_by_status", &["status", "id"], false),
    (
        EXECUTION_EVENTS,
        "execution_events_by_seq",
        &["execution_id", "seq"],
        true,
    ),
];

/// Indexes of earlier versions of the schema, dropped by `migrate`:
/// (collection, index name). Their `*_order` successors serve the sort too.
pub const OBSOLETE_INDEXES: [(&str, &str); 3] = [
    (HISTORY, "history_by_host_change"),
    (HISTORY, "history_by_host_object"),
    (HISTORY, "history_by_host_uid"),
];

/// ArangoDB's errorNum for "duplicate name" (the collection exists).
pub const DUPLICATE_NAME: u16 = 1207;
/// ArangoDB's errorNum for "graph already exists".
pub const GRAPH_DUPLICATE: u16 = 1925;

/// ArangoDB's `type` of a collection: 3 for edges, 2 for documents.
pub fn type_number(edge: bool) -> u64 {
    if edge { 3 } else { 2 }
}

/// The body of `POST /_api/collection`.
pub fn collection_body(name: &str, edge: bool) -> Value {
    json!({ "name": name, "type": type_number(edge) })
}

/// The body of `POST /_api/index?collection=…` for a persistent index.
pub fn index_body(name: &str, fields: &[&str], unique: bool) -> Value {
    json!({
        "type": "persistent",
        "name": name,
        "fields": fields,
        "unique": unique,
        "sparse": false,
        "deduplicate": false,
    })
}

/// The body of `POST /_api/gharial`: the named graph `runbook`, with
/// `inherits` between scopes, `branches` between procedures; entries and
/// error codes are orphan vertex collections.
pub fn graph_body() -> Value {
    let edge = |collection: &str, vertices: &str| json!({ "collection": collection, "from": [vertices], "to": [vertices] });
    json!({
        "name": GRAPH,
        "edgeDefinitions": [edge(INHERITS, SCOPES), edge(BRANCHES, PROCEDURES)],
        "orphanCollections": [ENTRIES, ERROR_CODES],
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_index_is_on_a_known_collection_and_named_once() {
        let known: HashSet<&str> = COLLECTIONS.iter().map(|(n, _)| *n).collect();
        let mut names = HashSet::new();
        for (collection, name, fields, _) in INDEXES {
            assert!(known.contains(collection), "{collection}");
            assert!(names.insert(name), "index {name} twice");
            assert!(!fields.is_empty());
        }
    }

    #[test]
    fn the_graph_covers_every_document_collection_once() {
        let g = graph_body();
        let names = |v: &Value| -> Vec<String> {
            (v.as_array().unwrap().iter())
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        };
        let mut covered = names(&g["orphanCollections"]);
        for d in g["edgeDefinitions"].as_array().unwrap() {
            covered.push(d["collection"].as_str().unwrap().to_owned());
            covered.extend(names(&d["from"]));
            assert_eq!(d["from"], d["to"]);
        }
        covered.sort();
        covered.dedup();
        let mut all: Vec<String> = DOCUMENT_COLLECTIONS.map(str::to_owned).to_vec();
        all.sort();
        assert_eq!(covered, all);
    }

    #[test]
    fn no_obsolete_index_is_still_defined() {
        for (collection, name) in OBSOLETE_INDEXES {
            assert!(
                !INDEXES
                    .iter()
                    .any(|(c, n, _, _)| *c == collection && *n == name),
                "{name}"
            );
        }
    }

    #[test]
    fn a_commit_declares_every_collection_but_the_executions_once() {
        let mut declared: Vec<&str> = COMMIT_EXCLUSIVE
            .iter()
            .chain(&COMMIT_WRITE)
            .chain(&EXECUTION_COLLECTIONS)
            .copied()
            .collect();
        declared.sort_unstable();
        let mut all: Vec<&str> = COLLECTIONS.iter().map(|(n, _)| *n).collect();
        all.sort_unstable();
        assert_eq!(declared, all);
        for c in CONTENT_COLLECTIONS {
            assert!(DOCUMENT_COLLECTIONS.contains(&c) && c != SCOPES);
        }
    }
}
