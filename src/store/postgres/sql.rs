//! The PostgreSQL statements. Values are always bound (`$N`); lists of ids and
//! rows to insert are bound as one JSON array each.

use crate::store::statements::{Statements, WriteSql};

/// The tagged rows of every content table for the scopes of the CTE `wanted(id)`
/// in host `$1` (column shape: `decode::ContentRow`; JSON is read as text). One
/// `UNION ALL` branch per table, so a document query is one statement whatever
/// the number of scopes. `$in` tests a scope id's membership in `wanted`.
macro_rules! content_rows {
    ($in:literal) => {
        concat!(
            "
SELECT 'scope'::text AS tag, s.id::text AS scope, s.name AS key1, s.kind AS key2,
       s.revision::bigint AS num, s.owners::text AS doc1, s.contacts::text AS doc2,
       s.revision::bigint AS rev
  FROM scopes AS s
 WHERE s.host = $1 AND s.id ",
            $in,
            "
UNION ALL
SELECT 'parent', p.scope, p.parent, NULL, p.position::bigint, NULL, NULL, NULL
  FROM scope_parents AS p
 WHERE p.host = $1 AND p.scope ",
            $in,
            "
UNION ALL
SELECT 'procedure', r.scope, r.key, NULL, r.removed::int::bigint, r.patch::text, NULL,
       r.revision::bigint
  FROM procedures AS r
 WHERE r.host = $1 AND r.scope ",
            $in,
            "
UNION ALL
SELECT 'branch', b.scope, b.from_key, b.label, b.removed::int::bigint, b.patch::text, NULL,
       b.revision::bigint
  FROM branches AS b
 WHERE b.host = $1 AND b.scope ",
            $in,
            "
UNION ALL
SELECT 'entry', e.scope, e.code, e.procedure_key, NULL, NULL, NULL, e.revision::bigint
  FROM entries AS e
 WHERE e.host = $1 AND e.scope ",
            $in,
            "
UNION ALL
SELECT 'error_code', c.scope, c.code, NULL, NULL, c.patch::text, NULL, c.revision::bigint
  FROM error_codes AS c
 WHERE c.host = $1 AND c.scope ",
            $in,
            "
"
        )
    };
}

/// The documents of scope `$2` of host `$1` and of all its ancestors, in one
/// statement: the recursive CTE walks `scope_parents` upwards from the scope
/// (only if it exists); `UNION` (not `UNION ALL`) drops ids already found, so a
/// cycle in stored parents ends the walk instead of looping. The content rows
/// of the ids found follow in the same statement.
///
/// A short `wanted` (a lineage, a list of ids) is tested as an array computed
/// once, which PostgreSQL's generic plans turn into primary-key lookups;
/// `IN (SELECT …)` lets them guess `wanted` large and scan every content row
/// of the host (23 ms instead of 0.8 on a 5,000-service host).
const LINEAGE_DOCUMENTS: &str = concat!(
    "
WITH RECURSIVE wanted(id) AS (
    SELECT id FROM scopes WHERE host = $1 AND id = $2
    UNION
    SELECT p.parent
      FROM scope_parents AS p
      JOIN wanted AS w ON p.scope = w.id
     WHERE p.host = $1
)",
    content_rows!("= ANY(ARRAY(SELECT id FROM wanted))")
);

/// The lineage of scope `$2` of host `$1` (walked as in `LINEAGE_DOCUMENTS`)
/// with each scope's version (`store::ScopeVersion`: highest revision and
/// object count over its vertex and content rows), and the content rows only
/// of the scopes whose `revision:objects:id` is not in the JSON array `$3`.
/// Id sets are tested as arrays, for the reason `LINEAGE_DOCUMENTS` gives.
const LINEAGE_SHARED: &str = concat!(
    "
WITH RECURSIVE lineage(id) AS (
    SELECT id FROM scopes WHERE host = $1 AND id = $2
    UNION
    SELECT p.parent
      FROM scope_parents AS p
      JOIN lineage AS w ON p.scope = w.id
     WHERE p.host = $1
),
versions(id, revision, objects) AS (
    SELECT o.scope, MAX(o.revision)::bigint, COUNT(*)::bigint
      FROM (
        SELECT s.id::text AS scope, s.revision::bigint AS revision FROM scopes AS s
         WHERE s.host = $1 AND s.id = ANY(ARRAY(SELECT id FROM lineage))
        UNION ALL
        SELECT r.scope, r.revision FROM procedures AS r
         WHERE r.host = $1 AND r.scope = ANY(ARRAY(SELECT id FROM lineage))
        UNION ALL
        SELECT b.scope, b.revision FROM branches AS b
         WHERE b.host = $1 AND b.scope = ANY(ARRAY(SELECT id FROM lineage))
        UNION ALL
        SELECT e.scope, e.revision FROM entries AS e
         WHERE e.host = $1 AND e.scope = ANY(ARRAY(SELECT id FROM lineage))
        UNION ALL
        SELECT c.scope, c.revision FROM error_codes AS c
         WHERE c.host = $1 AND c.scope = ANY(ARRAY(SELECT id FROM lineage))
      ) AS o
     GROUP BY o.scope
),
wanted(id) AS (
    SELECT id FROM versions
     WHERE (revision::text || ':' || objects::text || ':' || id)
           <> ALL(ARRAY(SELECT json_array_elements_text($3::json)))
)",
    content_rows!("= ANY(ARRAY(SELECT id FROM wanted))"),
    "
UNION ALL
SELECT 'version', id, objects::text, NULL, revision, NULL, NULL, NULL FROM versions"
);

/// The documents of the scopes of host `$1` whose ids are in the JSON array `$2`.
const DOCUMENTS: &str = concat!(
    "WITH wanted(id) AS (SELECT json_array_elements_text($2::json))",
    content_rows!("= ANY(ARRAY(SELECT id FROM wanted))")
);

/// Every document of host `$1`.
const HOST_DOCUMENTS: &str = concat!(
    "WITH wanted(id) AS (SELECT id FROM scopes WHERE host = $1)",
    content_rows!("IN (SELECT id FROM wanted)")
);

/// Scope rows with their parents (column shape: `decode::ScopeRow`).
macro_rules! scope_rows {
    () => {
        "
SELECT s.id, s.name, s.kind, s.owners::text AS owners, s.contacts::text AS contacts,
       COALESCE((SELECT json_agg(p.parent ORDER BY p.position)
                   FROM scope_parents AS p
                  WHERE p.host = s.host AND p.scope = s.id)::text, '[]') AS parents
  FROM scopes AS s
"
    };
}

/// The scopes of host `$1` whose ids are in the JSON array `$2`.
const SCOPES: &str = concat!(
    scope_rows!(),
    " WHERE s.host = $1 AND s.id = ANY(ARRAY(SELECT json_array_elements_text($2::json))) ORDER BY s.id"
);

/// A page of the scopes of host `$1`, of kind `$2` if not null, after id `$3`
/// if not null, at most `$4`.
const LIST_SCOPES: &str = concat!(
    scope_rows!(),
    " WHERE s.host = $1
        AND ($2::text IS NULL OR s.kind = $2::text)
        AND ($3::text IS NULL OR s.id > $3::text)
      ORDER BY s.id
      LIMIT $4"
);

/// (parent, child) for the children of the parents in the JSON array `$2`.
const CHILDREN: &str = "
SELECT DISTINCT parent::text, scope::text
  FROM scope_parents
 WHERE host = $1 AND parent = ANY(ARRAY(SELECT json_array_elements_text($2::json)))
 ORDER BY 1, 2";

/// Registrations of the codes in the JSON array `$2` (column shape: `decode::DefinitionRow`).
const DEFINITIONS: &str = "
SELECT c.scope, s.kind, c.code, c.patch::text AS patch
  FROM error_codes AS c
  JOIN scopes AS s ON s.host = c.host AND s.id = c.scope
 WHERE c.host = $1 AND c.code = ANY(ARRAY(SELECT json_array_elements_text($2::json)))
 ORDER BY c.code, c.scope";

/// A page of the distinct codes of host `$1`, after `$2` if not null, at most `$3`.
const LIST_ERROR_CODES: &str = "
SELECT DISTINCT code
  FROM error_codes
 WHERE host = $1 AND ($2::text IS NULL OR code > $2::text)
 ORDER BY code
 LIMIT $3";

const HOSTS: &str = "SELECT DISTINCT host FROM scopes ORDER BY host";

const IS_EMPTY: &str = "SELECT NOT EXISTS (SELECT 1 FROM scopes)";

const PING: &str = "SELECT 1";

/// Fresh statistics of the tables a lineage reads: right after a bulk import
/// the planner would otherwise cost them as empty until autovacuum's next
/// `ANALYZE` (a lineage on 5,000 services took 5 ms instead of 2).
const REFRESH_STATISTICS: &str =
    "ANALYZE scopes, scope_parents, procedures, branches, entries, error_codes, hosts";

/// Serializes writers of host `$1` until the end of the transaction. The first
/// key namespaces this service's advisory locks (`RUNB`); taken in host order.
const LOCK_HOST: &str = "SELECT pg_advisory_xact_lock(1381322306, hashtext($1))";

/// The generation of host `$1`.
const GENERATION: &str = "SELECT generation FROM hosts WHERE host = $1";

/// Every object of scope `$2` of host `$1` with its revision (column shape:
/// `decode::RevisionRow`).
const REVISIONS: &str = "
SELECT 'scope'::text AS kind, ''::text AS key1, NULL::text AS key2, revision
  FROM scopes WHERE host = $1 AND id = $2
UNION ALL
SELECT 'procedure', key, NULL, revision FROM procedures WHERE host = $1 AND scope = $2
UNION ALL
SELECT 'branch', from_key, label, revision FROM branches WHERE host = $1 AND scope = $2
UNION ALL
SELECT 'entry', code, NULL, revision FROM entries WHERE host = $1 AND scope = $2
UNION ALL
SELECT 'errorCode', code, NULL, revision FROM error_codes WHERE host = $1 AND scope = $2";

/// History rows (column shape: `decode::HistoryRow`); `history.rs` adds the rest.
const HISTORY: &str = "
SELECT change_id, scope::text, object_kind::text, object_key::text, action,
       before_json::text AS before_json, after_json::text AS after_json,
       uid, at_ms, operation
  FROM history";

/// Every statement of the transaction reads the snapshot of its first one.
const BEGIN_SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// Writing a change (see `statements::WriteSql` for the binds).
///
/// `json_to_recordset` turns an array of objects into typed rows; a `json`
/// column keeps the text of the nested value as it was, a `text` column takes
/// a JSON string's content; absent fields are NULL.
const WRITE: WriteSql = WriteSql {
    insert_change: "INSERT INTO changes (uid, at_ms, operation) VALUES ($1, $2, $3) RETURNING id",
    set_generation: "
INSERT INTO hosts (host, generation) VALUES ($1, $2)
ON CONFLICT (host) DO UPDATE SET generation = excluded.generation",
    insert_history: "
INSERT INTO history (host, change_id, seq, scope, object_kind, object_key, action,
                     before_json, after_json, uid, at_ms, operation)
SELECT r.host, $1, r.seq, r.scope, r.kind, r.key, r.action,
       r.before::json, r.after::json, $2, $3, $4
  FROM json_to_recordset($5::json)
       AS r(host text, seq integer, scope text, kind text, key text, action text,
            before text, after text)",
    upsert_scope: "
INSERT INTO scopes (host, id, name, kind, owners, contacts, revision)
VALUES ($1, $2, $3, $4, $5::json, $6::json, $7)
ON CONFLICT (host, id) DO UPDATE SET
    name = excluded.name,
    kind = excluded.kind,
    owners = excluded.owners,
    contacts = excluded.contacts,
    revision = excluded.revision",
    delete_scope: "DELETE FROM scopes WHERE host = $1 AND id = $2",
    clear_parents: "DELETE FROM scope_parents WHERE host = $1 AND scope = $2",
    insert_parents: "
INSERT INTO scope_parents (host, scope, position, parent)
SELECT $1, $2, r.ordinality - 1, r.parent
  FROM json_array_elements_text($3::json) WITH ORDINALITY AS r(parent, ordinality)",
    delete_rows: [
        "
DELETE FROM procedures
 WHERE host = $1 AND scope = $2 AND key = ANY(ARRAY(SELECT json_array_elements_text($3::json)))",
        "
DELETE FROM branches
 WHERE host = $1 AND scope = $2
   AND (from_key, label) IN (SELECT r.from_key, r.label
                               FROM json_to_recordset($3::json) AS r(from_key text, label text))",
        "
DELETE FROM entries
 WHERE host = $1 AND scope = $2 AND code = ANY(ARRAY(SELECT json_array_elements_text($3::json)))",
        "
DELETE FROM error_codes
 WHERE host = $1 AND scope = $2 AND code = ANY(ARRAY(SELECT json_array_elements_text($3::json)))",
    ],
    insert_rows: [
        "
INSERT INTO procedures (host, scope, key, removed, patch, revision)
SELECT $1, $2, r.key, r.removed, r.patch, $4
  FROM json_to_recordset($3::json) AS r(key text, removed boolean, patch json)",
        "
INSERT INTO branches (host, scope, from_key, label, removed, patch, revision)
SELECT $1, $2, r.from_key, r.label, r.removed, r.patch, $4
  FROM json_to_recordset($3::json) AS r(from_key text, label text, removed boolean, patch json)",
        "
INSERT INTO entries (host, scope, code, procedure_key, revision)
SELECT $1, $2, r.code, r.procedure_key, $4
  FROM json_to_recordset($3::json) AS r(code text, procedure_key text)",
        "
INSERT INTO error_codes (host, scope, code, patch, revision)
SELECT $1, $2, r.code, r.patch, $4
  FROM json_to_recordset($3::json) AS r(code text, patch json)",
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
    begin_write: "BEGIN",
    lock_host: Some(LOCK_HOST),
    write: WRITE,
};
