//! The SQLite search statement, on the FTS5 index of `0004_search.sql`.

use crate::domain::search::SearchTerms;

/// Hits of host `?1` for the FTS5 expression `?2`, best first (bm25, the
/// title weighing most), `?3` of them from offset `?4`. Columns: hit kind,
/// scope, scope kind, key, title text, body text. `CROSS JOIN` keeps the
/// text index the outer loop: the other way round, SQLite would run the
/// match once per key row of the host.
pub(super) const SEARCH: &str = "
SELECT k.kind AS kind, k.scope AS scope, s.kind AS scope_kind, k.key AS key,
       search_index.title AS title, search_index.body AS body
  FROM search_index
 CROSS JOIN search_keys AS k ON k.rowid = search_index.rowid
  JOIN scopes AS s ON s.host = k.host AND s.id = k.scope
 WHERE search_index MATCH ?2 AND k.host = ?1
 ORDER BY bm25(search_index, 10.0, 1.0, 4.0), k.kind, k.scope, k.key
 LIMIT ?3 OFFSET ?4";

/// Every term as a quoted prefix; FTS5 joins them with AND. Terms are
/// letters and digits only, so the quotes hold nothing to escape.
pub(super) fn expression(terms: &SearchTerms) -> String {
    let quoted: Vec<String> = terms.terms().iter().map(|t| format!("\"{t}\"*")).collect();
    quoted.join(" ")
}
