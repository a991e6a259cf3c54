//! The SQLite statements. Values are always bound (`?N`); lists of ids are
//! bound as one JSON array and read with `json_each`.

use crate::store::statements::{Statements, WriteSql};

/// The tagged rows of every content table for the scopes of the CTE `wanted(id)`
/// in host `?1` (column shape: `decode::ContentRow`). One `UNION ALL` branch per
/// table, so a document query is one statement whatever the number of scopes.
macro_rules! content_rows {
    () => {
        "
SELECT 'scope' AS tag, s.id AS scope, s.name AS key1, s.kind AS key2,
       s.revision AS num, s.owners AS doc1, s.contacts AS doc2, s.revision AS rev
  FROM scopes AS s
 WHERE s.host = ?1 AND s.id IN (SELECT id FROM wanted)
UNION ALL
SELECT 'parent', p.scope, p.parent, NULL, p.position, NULL, NULL, NULL
  FROM scope_parents AS p
 WHERE p.host = ?1 AND p.scope IN (SELECT id FROM wanted)
UNION ALL
SELECT 'procedure', r.scope, r.key, NULL, r.removed, r.patch, NULL, r.revision
  FROM procedures AS r
 WHERE r.host = ?1 AND r.scope IN (SELECT id FROM wanted)
UNION ALL
SELECT 'branch', b.scope, b.from_key, b.label, b.removed, b.patch, NULL, b.revision
  FROM branches AS b
 WHERE b.host = ?1 AND b.scope IN (SELECT id FROM wanted)
UNION ALL
SELECT 'entry', e.scope, e.code, e.procedure_key, NULL, NULL, NULL, e.revision
  FROM entries AS e
 WHERE e.host = ?1 AND e.scope IN (SELECT id FROM wanted)
UNION ALL
SELECT 'error_code', c.scope, c.code, NULL, NULL, c.patch, NULL, c.revision
  FROM error_codes AS c
 WHERE c.host = ?1 AND c.scope IN (SELECT id FROM wanted)
"
    };
}

/// The documents of scope `?2` of host `?1` and of all its ancestors, in one
/// statement: the recursive CTE walks `scope_parents` upwards from the scope
/// (only if it exists); `UNION` (not `UNION ALL`) drops ids already found, so a
/// cycle in stored parents ends the walk instead of looping. The content rows
/// of the ids found follow in the same statement. `CROSS JOIN` fixes the join
/// order (SQLite's documented way): each step looks the few ids found up in
/// `scope_parents`' primary key, instead of the planner's choice of scanning
/// the host's parents (every service's) and probing the ids found.
const LINEAGE_DOCUMENTS: &str = concat!(
    "
WITH RECURSIVE wanted(id) AS (
    SELECT id FROM scopes WHERE host = ?1 AND id = ?2
    UNION
    SELECT p.parent
      FROM wanted AS w
      CROSS JOIN scope_parents AS p ON p.host = ?1 AND p.scope = w.id
)",
    content_rows!()
);

/// The lineage of scope `?2` of host `?1` (walked as in `LINEAGE_DOCUMENTS`)
/// with each scope's version (`store::ScopeVersion`: highest revision and
/// object count over its vertex and content rows), and the content rows only
/// of the scopes whose `revision:objects:id` is not in the JSON array `?3`.
const LINEAGE_SHARED: &str = concat!(
    "
WITH RECURSIVE lineage(id) AS (
    SELECT id FROM scopes WHERE host = ?1 AND id = ?2
    UNION
    SELECT p.parent
      FROM lineage AS w
      CROSS JOIN scope_parents AS p ON p.host = ?1 AND p.scope = w.id
),
versions(id, revision, objects) AS (
    SELECT o.scope, MAX(o.revision), COUNT(*)
      FROM (
        SELECT s.id AS scope, s.revision AS revision FROM scopes AS s
         WHERE s.host = ?1 AND s.id IN (SELECT id FROM lineage)
        UNION ALL
        SELECT r.scope, r.revision FROM procedures AS r
         WHERE r.host = ?1 AND r.scope IN (SELECT id FROM lineage)
        UNION ALL
        SELECT b.scope, b.revision FROM branches AS b
         WHERE b.host = ?1 AND b.scope IN (SELECT id FROM lineage)
        UNION ALL
        SELECT e.scope, e.revision FROM entries AS e
         WHERE e.host = ?1 AND e.scope IN (SELECT id FROM lineage)
        UNION ALL
        SELECT c.scope, c.revision FROM error_codes AS c
         WHERE c.host = ?1 AND c.scope IN (SELECT id FROM lineage)
      ) AS o
     GROUP BY o.scope
),
wanted(id) AS (
    SELECT id FROM versions
     WHERE (revision || ':' || objects || ':' || id) NOT IN (SELECT value FROM json_each(?3))
)",
    content_rows!(),
    "
UNION ALL
SELECT 'version', id, CAST(objects AS TEXT), NULL, revision, NULL, NULL, NULL FROM versions"
);

/// The documents of the scopes of host `?1` whose ids are in the JSON array `?2`.
const DOCUMENTS: &str = concat!(
    "WITH wanted(id) AS (SELECT value FROM json_each(?2))",
    content_rows!()
);

/// Every document of host `?1`.
const HOST_DOCUMENTS: &str = concat!(
    "WITH wanted(id) AS (SELECT id FROM scopes WHERE host = ?1)",
    content_rows!()
);

/// Scope rows with their parents (column shape: `decode::ScopeRow`).
macro_rules! scope_rows {
    () => {
        "
SELECT s.id, s.name, s.kind, s.owners, s.contacts,
       (SELECT json_group_array(p.parent ORDER BY p.position)
          FROM scope_parents AS p
         WHERE p.host = s.host AND p.scope = s.id) AS parents
  FROM scopes AS s
"
    };
}

/// The scopes of host `?1` whose ids are in the JSON array `?2`.
const SCOPES: &str = concat!(
    scope_rows!(),
    " WHERE s.host = ?1 AND s.id IN (SELECT value FROM json_each(?2)) ORDER BY s.id"
);

/// A page of the scopes of host `?1`, of kind `?2` if not null, after id `?3`
/// if not null, at most `?4`.
const LIST_SCOPES: &str = concat!(
    scope_rows!(),
    " WHERE s.host = ?1
        AND (?2 IS NULL OR s.kind = ?2)
        AND (?3 IS NULL OR s.id > ?3)
      ORDER BY s.id
      LIMIT ?4"
);

/// (parent, child) for the children of the parents in the JSON array `?2`.
const CHILDREN: &str = "
SELECT DISTINCT parent, scope
  FROM scope_parents
 WHERE host = ?1 AND parent IN (SELECT value FROM json_each(?2))
 ORDER BY parent, scope";

/// Registrations of the codes in the JSON array `?2` (column shape: `decode::DefinitionRow`).
const DEFINITIONS: &str = "
SELECT c.scope, s.kind, c.code, c.patch
  FROM error_codes AS c
  JOIN scopes AS s ON s.host = c.host AND s.id = c.scope
 WHERE c.host = ?1 AND c.code IN (SELECT value FROM json_each(?2))
 ORDER BY c.code, c.scope";

/// A page of the distinct codes of host `?1`, after `?2` if not null, at most `?3`.
const LIST_ERROR_CODES: &str = "
SELECT DISTINCT code
  FROM error_codes
 WHERE host = ?1 AND (?2 IS NULL OR code > ?2)
 ORDER BY code
 LIMIT ?3";

const HOSTS: &str = "SELECT DISTINCT host FROM scopes ORDER BY host";

const IS_EMPTY: &str = "SELECT NOT EXISTS (SELECT 1 FROM scopes)";

const PING: &str = "SELECT 1";

/// SQLite's own advice after a change to the data's shape: it analyzes only
/// what needs it. The lineage statement's join order is fixed regardless.
const REFRESH_STATISTICS: &str = "PRAGMA optimize";

/// The generation of host `?1`.
const GENERATION: &str = "SELECT generation FROM hosts WHERE host = ?1";

/// Every object of scope `?2` of host `?1` with its revision (column shape:
/// `decode::RevisionRow`).
const REVISIONS: &str = "
SELECT 'scope' AS kind, '' AS key1, NULL AS key2, revision
  FROM scopes WHERE host = ?1 AND id = ?2
UNION ALL
SELECT 'procedure', key, NULL, revision FROM procedures WHERE host = ?1 AND scope = ?2
UNION ALL
SELECT 'branch', from_key, label, revision FROM branches WHERE host = ?1 AND scope = ?2
UNION ALL
SELECT 'entry', code, NULL, revision FROM entries WHERE host = ?1 AND scope = ?2
UNION ALL
SELECT 'errorCode', code, NULL, revision FROM error_codes WHERE host = ?1 AND scope = ?2";

/// History rows (column shape: `decode::HistoryRow`); `history.rs` adds the rest.
const HISTORY: &str = "
SELECT change_id, scope, object_kind, object_key, action, before_json, after_json,
       uid, at_ms, operation
  FROM history";

/// A read transaction: in WAL mode its first read fixes the snapshot that all
/// its later reads see.
const BEGIN_SNAPSHOT: &str = "BEGIN";

/// Takes the database's write lock at the start of the transaction, so that
/// concurrent writers queue (up to the busy timeout) instead of interleaving
/// or failing to upgrade a read lock.
const BEGIN_IMMEDIATE: &str = "BEGIN IMMEDIATE";

/// Writing a change (see `statements::WriteSql` for the binds).
///
/// `json_each` over an array: `key` is the index, `value` the element; `->>`
/// extracts SQL values (a JSON string as its text), `->` JSON text (NULL when
/// the field is absent).
const WRITE: WriteSql = WriteSql {
    insert_change: "INSERT INTO changes (uid, at_ms, operation) VALUES (?1, ?2, ?3) RETURNING id",
    set_generation: "
INSERT INTO hosts (host, generation) VALUES (?1, ?2)
ON CONFLICT (host) DO UPDATE SET generation = excluded.generation",
    insert_history: "
INSERT INTO history (host, change_id, seq, scope, object_kind, object_key, action,
                     before_json, after_json, uid, at_ms, operation)
SELECT r.value ->> 'host', ?1, r.value ->> 'seq', r.value ->> 'scope', r.value ->> 'kind',
       r.value ->> 'key', r.value ->> 'action', r.value ->> 'before', r.value ->> 'after',
       ?2, ?3, ?4
  FROM json_each(?5) AS r",
    upsert_scope: "
INSERT INTO scopes (host, id, name, kind, owners, contacts, revision)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (host, id) DO UPDATE SET
    name = excluded.name,
    kind = excluded.kind,
    owners = excluded.owners,
    contacts = excluded.contacts,
    revision = excluded.revision",
    delete_scope: "DELETE FROM scopes WHERE host = ?1 AND id = ?2",
    clear_parents: "DELETE FROM scope_parents WHERE host = ?1 AND scope = ?2",
    insert_parents: "
INSERT INTO scope_parents (host, scope, position, parent)
SELECT ?1, ?2, r.key, r.value FROM json_each(?3) AS r",
    delete_rows: [
        "
DELETE FROM procedures
 WHERE host = ?1 AND scope = ?2 AND key IN (SELECT value FROM json_each(?3))",
        "
DELETE FROM branches
 WHERE host = ?1 AND scope = ?2
   AND (from_key, label) IN (SELECT r.value ->> 'from_key', r.value ->> 'label'
                               FROM json_each(?3) AS r)",
        "
DELETE FROM entries
 WHERE host = ?1 AND scope = ?2 AND code IN (SELECT value FROM json_each(?3))",
        "
DELETE FROM error_codes
 WHERE host = ?1 AND scope = ?2 AND code IN (SELECT value FROM json_each(?3))",
    ],
    insert_rows: [
        "
INSERT INTO procedures (host, scope, key, removed, patch, revision)
SELECT ?1, ?2, r.value ->> 'key', r.value ->> 'removed', r.value -> 'patch', ?4
  FROM json_each(?3) AS r",
        "
INSERT INTO branches (host, scope, from_key, label, removed, patch, revision)
SELECT ?1, ?2, r.value ->> 'from_key', r.value ->> 'label', r.value ->> 'removed',
       r.value -> 'patch', ?4
  FROM json_each(?3) AS r",
        "
INSERT INTO entries (host, scope, code, procedure_key, revision)
SELECT ?1, ?2, r.value ->> 'code', r.value ->> 'procedure_key', ?4
  FROM json_each(?3) AS r",
        "
INSERT INTO error_codes (host, scope, code, patch, revision)
SELECT ?1, ?2, r.value ->> 'code', r.value -> 'patch', ?4
  FROM json_each(?3) AS r",
    ],
};

/// Every statement of this backend.
pub(super) const STATEMENTS: Statements = Statements {
    lineage_documents: LINEAGE_DOCUMENTS,
    lineage_shared: LINEAGE_SHARED,
    documents: DOCUMENTS,
    host_documents: HOST_DOCUMENTS,
    scopes: SCOPES,
    list_scopes: LIST_SCOPES,
    children: CHILDREN,
    definitions: DEFINITIONS,
    list_error_codes: LIST_ERROR_CODES,
    search: super::search::SEARCH,
    search_expression: super::search::expression,
    hosts: HOSTS,
    is_empty: IS_EMPTY,
    ping: PING,
    refresh_statistics: REFRESH_STATISTICS,
    generation: GENERATION,
    revisions: REVISIONS,
    history: HISTORY,
    begin_snapshot: BEGIN_SNAPSHOT,
    begin_write: BEGIN_IMMEDIATE,
    lock_host: None,
    write: WRITE,
};
