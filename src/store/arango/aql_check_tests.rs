//! Every `.aql` file against the grammar checker, and the checker against
//! queries ArangoDB refuses, so that it is known to catch what it claims.

use super::check;
use crate::store::arango::{queries::ALL, schema::COLLECTIONS};

fn collections() -> Vec<&'static str> {
    COLLECTIONS.iter().map(|(name, _)| *name).collect()
}

#[test]
fn every_aql_file_parses_as_aql() {
    for q in ALL {
        if let Err(e) = check(q.text, &collections()) {
            panic!("aql/{}.aql: {e}", q.name);
        }
    }
}

#[test]
fn queries_arango_refuses_are_refused() {
    let refused = [
        ("FOR s IN scopes FILTER s.x == 1", "no RETURN"),
        ("FOR s IN scopes RETURN t", "undeclared variable"),
        ("FOR s IN scopez RETURN s", "unknown collection"),
        (
            "FOR s IN scopes COLLECT h = s.host RETURN s",
            "variable ended by COLLECT",
        ),
        ("FOR s IN scopes RETURN NOPE(s)", "unknown function"),
        ("FOR s IN scopes RETURN KEEP(s, \"a\"", "unclosed call"),
        ("FOR s IN scopes SORT s.a DESC, RETURN s", "dangling sort"),
        ("FOR s IN scopes REMOVE s scopes", "REMOVE without IN"),
        (
            "FOR s IN scopes RETURN s WITH scopes",
            "WITH after the start",
        ),
        (
            "LET x = (FOR s IN scopes FILTER true) RETURN x",
            "subquery without RETURN",
        ),
        ("RETURN OLD.value", "OLD outside a modification"),
        (
            "FOR a, b IN scopes RETURN a",
            "two variables over a collection",
        ),
        (
            "FOR v IN 1..2 OUTBOUND @start nowhere RETURN v",
            "traversal over an unknown collection",
        ),
        ("RETURN \"open", "unterminated string"),
        ("RETURN @", "bind parameter without a name"),
        ("FOR s IN scopes RETURN s }", "stray brace"),
    ];
    for (query, why) in refused {
        assert!(check(query, &collections()).is_err(), "{why}: {query}");
    }
}

#[test]
fn the_constructs_the_files_rely_on_are_accepted() {
    for query in [
        "WITH scopes FOR v IN 0..@d OUTBOUND @s inherits OPTIONS { order: \"bfs\" } RETURN v",
        "FOR d IN @@c FILTER d.owner IN @o REMOVE d IN @@c",
        "FOR c IN error_codes UPDATE c WITH { k: LOWER(TO_HEX(c.code)) } IN error_codes",
        "UPSERT { _key: @f._key } INSERT @f UPDATE { value: OLD.value + 1 } IN counters RETURN NEW.value",
        "RETURN LENGTH(FOR s IN scopes LIMIT 1 RETURN 1) == 0",
        "LET g = 1 LET d = (FOR s IN scopes RETURN s) RETURN { g, d }",
        "FOR c IN error_codes COLLECT k = c.k, code = c.code SORT k LIMIT @l RETURN code",
        "FOR e IN inherits FILTER e._to IN @p RETURN DISTINCT [e.parent, e.scope]",
        "FOR r IN history FILTER @x == null OR r.a NOT IN [1, 2.5] RETURN -r.seq",
    ] {
        if let Err(e) = check(query, &collections()) {
            panic!("{query}: {e}");
        }
    }
}
