//! The PostgreSQL search statement, on the GIN indexes of `0004_search.sql`.

use crate::domain::search::SearchTerms;

/// Text as the index reads it: runs of letters and digits, so that
/// `com.acme.ledger-1` is the words `com acme ledger 1` as in SQLite.
macro_rules! words {
    ($text:literal) => {
        concat!("regexp_replace(", $text, ", '[^[:alnum:]]+', ' ', 'g')")
    };
}

/// The vector of a row: each expression is the one its index is built on.
macro_rules! vector {
    ($title:literal) => {
        concat!(
            "setweight(to_tsvector('simple', ",
            words!($title),
            "), 'A')"
        )
    };
    ($title:literal, $body:literal) => {
        concat!(
            "(setweight(to_tsvector('simple', ",
            words!($title),
            "), 'A') || ",
            "setweight(to_tsvector('simple', ",
            words!($body),
            "), 'C'))"
        )
    };
    ($title:literal, $tags:literal, $body:literal) => {
        concat!(
            "(setweight(to_tsvector('simple', ",
            words!($title),
            "), 'A') || ",
            "setweight(to_tsvector('simple', ",
            words!($tags),
            "), 'B') || ",
            "setweight(to_tsvector('simple', ",
            words!($body),
            "), 'C'))"
        )
    };
}

/// Hits of host `$1` for the tsquery `$2`, best first (`ts_rank`, the title
/// weighing most), `$3` of them from offset `$4`. Columns: hit kind, scope,
/// scope kind, key, title text, body text.
pub(super) const SEARCH: &str = concat!(
    "
WITH q AS (SELECT to_tsquery('simple', $2) AS q)
SELECT kind, scope, scope_kind, key, title, body FROM (
SELECT 'scope' AS kind, s.id AS scope, s.kind AS scope_kind, '' AS key,
       s.id || ' · ' || s.name AS title, '' AS body,
       ts_rank(", vector!("s.id || ' ' || s.name"), ", q.q) AS rank
  FROM scopes AS s, q
 WHERE s.host = $1 AND ", vector!("s.id || ' ' || s.name"), " @@ q.q
UNION ALL
SELECT 'procedure', p.scope, s.kind, p.key,
       p.key || ' · ' || coalesce(p.patch ->> 'title', ''), coalesce(p.patch ->> 'body', ''),
       ts_rank(", vector!("p.key || ' ' || coalesce(p.patch ->> 'title', '')", "coalesce(p.patch ->> 'tags', '')", "coalesce(p.patch ->> 'body', '')"), ", q.q)
  FROM procedures AS p JOIN scopes AS s ON s.host = p.host AND s.id = p.scope, q
 WHERE p.host = $1 AND p.patch IS NOT NULL
   AND ", vector!("p.key || ' ' || coalesce(p.patch ->> 'title', '')", "coalesce(p.patch ->> 'tags', '')", "coalesce(p.patch ->> 'body', '')"), " @@ q.q
UNION ALL
SELECT 'errorCode', c.scope, s.kind, c.code,
       c.code || ' · ' || coalesce(c.patch ->> 'message', ''), coalesce(c.patch ->> 'description', ''),
       ts_rank(", vector!("c.code || ' ' || coalesce(c.patch ->> 'message', '')", "coalesce(c.patch ->> 'description', '')"), ", q.q)
  FROM error_codes AS c JOIN scopes AS s ON s.host = c.host AND s.id = c.scope, q
 WHERE c.host = $1
   AND ", vector!("c.code || ' ' || coalesce(c.patch ->> 'message', '')", "coalesce(c.patch ->> 'description', '')"), " @@ q.q
) AS hits
ORDER BY rank DESC, kind, scope, key
LIMIT $3 OFFSET $4"
);

/// Every term as a prefix, all of them required. Terms are letters and
/// digits only, so nothing in them is tsquery syntax.
pub(super) fn expression(terms: &SearchTerms) -> String {
    let prefixes: Vec<String> = terms.terms().iter().map(|t| format!("{t}:*")).collect();
    prefixes.join(" & ")
}
