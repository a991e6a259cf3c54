//! Collections, indexes and the named graph, created idempotently.
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

use arangors::{
    ClientError, Database,
    collection::CollectionType,
    graph::{EdgeDefinition, Graph},
    index::{Index, IndexSettings},
};

use super::{client::RustlsClient, errors};
use crate::store::{StoreError, StoreResult};

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
/// The named graph over the document collections.
pub const GRAPH: &str = "runbook";

/// Every collection with whether it holds edges.
pub const COLLECTIONS: [(&str, bool); 9] = [
    (SCOPES, false),
    (PROCEDURES, false),
    (ENTRIES, false),
    (ERROR_CODES, false),
    (INHERITS, true),
    (BRANCHES, true),
    (COUNTERS, false),
    (HOSTS, false),
    (HISTORY, false),
];

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
pub const INDEXES: [(&str, &str, &[&str], bool); 12] = [
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
        HISTORY,
        "history_by_host_object",
        &["host", "scope", "kind", "key", "change_id"],
        false,
    ),
    (
        HISTORY,
        "history_by_host_uid",
        &["host", "uid", "change_id"],
        false,
    ),
    (HISTORY, "history_by_host_time", &["host", "at_ms"], false),
    (
        HISTORY,
        "history_by_host_change",
        &["host", "change_id"],
        false,
    ),
];

/// ArangoDB's errorNum for "duplicate name" (the collection exists).
pub const DUPLICATE_NAME: u16 = 1207;
/// ArangoDB's errorNum for "graph already exists".
const GRAPH_DUPLICATE: u16 = 1925;

fn already_exists(e: &ClientError, num: u16) -> bool {
    matches!(e, ClientError::Arango(a) if a.error_num() == num)
}

/// Creates whatever of the schema is missing; leaves what exists alone.
pub async fn ensure(db: &Database<RustlsClient>) -> StoreResult<()> {
    for (name, edge) in COLLECTIONS {
        let created = if edge {
            db.create_edge_collection(name).await
        } else {
            db.create_collection(name).await
        };
        match created {
            Ok(_) => tracing::info!(collection = name, "created ArangoDB collection"),
            Err(e) if already_exists(&e, DUPLICATE_NAME) => check_type(db, name, edge).await?,
            Err(e) => return Err(errors::from_client("create collection", e)),
        }
    }
    for (collection, name, fields, unique) in INDEXES {
        // Creating an index that exists with the same definition returns it unchanged.
        let index = Index::builder()
            .name(name)
            .fields(fields.iter().map(|f| (*f).to_owned()).collect())
            .settings(IndexSettings::Persistent {
                unique,
                sparse: false,
                deduplicate: false,
            })
            .build();
        db.create_index(collection, &index)
            .await
            .map_err(|e| errors::from_client("create index", e))?;
    }
    match db.create_graph(graph(), false).await {
        Ok(_) => tracing::info!(graph = GRAPH, "created ArangoDB named graph"),
        Err(e) if already_exists(&e, GRAPH_DUPLICATE) => {}
        Err(e) => return Err(errors::from_client("create graph", e)),
    }
    Ok(())
}

/// A collection that exists must be of the right type (edge or document).
async fn check_type(db: &Database<RustlsClient>, name: &str, edge: bool) -> StoreResult<()> {
    let found = (db.collection(name).await)
        .map_err(|e| errors::from_client("read collection", e))?
        .collection_type();
    let expected = if edge {
        CollectionType::Edge
    } else {
        CollectionType::Document
    };
    if found == expected {
        Ok(())
    } else {
        Err(StoreError::Config(format!(
            "ArangoDB collection {name} exists as a {found:?} collection, not {expected:?}"
        )))
    }
}

/// The named graph `runbook`: `inherits` between scopes, `branches` between
/// procedures; entries and error codes are orphan vertex collections.
pub fn graph() -> Graph {
    let edge = |collection: &str, vertices: &str| EdgeDefinition {
        collection: collection.to_owned(),
        from: vec![vertices.to_owned()],
        to: vec![vertices.to_owned()],
    };
    Graph::builder()
        .name(GRAPH.to_owned())
        .edge_definitions(vec![edge(INHERITS, SCOPES), edge(BRANCHES, PROCEDURES)])
        .orphan_collections(vec![ENTRIES.to_owned(), ERROR_CODES.to_owned()])
        .build()
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
        let g = graph();
        let mut covered: Vec<String> = g.orphan_collections.clone();
        for d in &g.edge_definitions {
            covered.push(d.collection.clone());
            covered.extend(d.from.iter().cloned());
        }
        covered.sort();
        covered.dedup();
        let mut all: Vec<String> = DOCUMENT_COLLECTIONS.map(str::to_owned).to_vec();
        all.sort();
        assert_eq!(covered, all);
    }

    #[test]
    fn a_commit_declares_every_collection_once() {
        let mut declared: Vec<&str> = COMMIT_EXCLUSIVE
            .iter()
            .chain(&COMMIT_WRITE)
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
