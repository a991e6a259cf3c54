use super::*;
use crate::domain::Host;

fn docs() -> Vec<ScopeDocument> {
    let yaml = r#"
format: light-runbook/v1
scope: framework
name: Light-4j framework
kind: FRAMEWORK
procedures:
  check-db:
    title: Check the database
    kind: STEP
    body: Look at the connection pool of the ledger database first.
    tags: [database, pool]
  restart:
    title: Restart the pod
    kind: STEP
errorCodes:
  ERR10001: {statusCode: 500, message: Database connection lost, description: The pool gave up.}
---
format: light-runbook/v1
scope: svc-ledger-0042
name: Ledger service
kind: SERVICE
parents: [framework]
procedures:
  restart: {removed: true}
"#;
    crate::format::parse_str("test.yml", yaml, &Host::parse("h.example").expect("host"))
        .expect("valid")
        .into_iter()
        .map(|d| d.doc)
        .collect()
}

fn terms(q: &str) -> SearchTerms {
    SearchTerms::parse(q).expect("terms")
}

fn text(parts: &[TextPart]) -> String {
    parts
        .iter()
        .map(|p| match p.matched {
            true => format!("[{}]", p.text),
            false => p.text.clone(),
        })
        .collect()
}

#[test]
fn a_query_is_cut_into_lower_case_words_and_nothing_else_survives() {
    for (query, want) in [
        ("Ledger", vec!["ledger"]),
        ("svc-ledger 0042", vec!["svc", "ledger", "0042"]),
        (
            "\"ledger\"* OR NEAR(a b)",
            vec!["ledger", "or", "near", "a", "b"],
        ),
        (
            "x'; DROP TABLE scopes; --",
            vec!["x", "drop", "table", "scopes"],
        ),
        ("ledger ledger LEDGER", vec!["ledger"]),
        ("größe", vec!["größe"]),
    ] {
        assert_eq!(terms(query).terms(), want, "{query}");
    }
}

#[test]
fn a_query_past_its_bounds_is_refused_saying_which() {
    assert_eq!(SearchTerms::parse("  -- ** "), Err(QueryError::Empty));
    assert_eq!(SearchTerms::parse(""), Err(QueryError::Empty));
    let long = "a".repeat(MAX_QUERY_CHARS + 1);
    assert_eq!(
        SearchTerms::parse(&long),
        Err(QueryError::TooLong(MAX_QUERY_CHARS + 1))
    );
    let many = "a b c d e f g h i";
    assert_eq!(SearchTerms::parse(many), Err(QueryError::TooManyTerms(9)));
    assert!(
        QueryError::TooManyTerms(9)
            .to_string()
            .contains("at most 8")
    );
    assert!(SearchTerms::parse(&"a".repeat(MAX_QUERY_CHARS)).is_ok());
}

#[test]
fn a_partial_name_finds_the_service() {
    let hits = scan(&docs(), &terms("ledg 004"), 0, 10);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].kind, HitKind::Scope);
    assert_eq!(hits[0].scope.as_str(), "svc-ledger-0042");
    assert_eq!(
        text(&hits[0].title),
        "svc-[ledger]-[0042] · [Ledger] service"
    );
}

#[test]
fn every_term_must_match_and_a_title_outranks_a_body() {
    let hits = scan(&docs(), &terms("database"), 0, 10);
    let found: Vec<(HitKind, &str)> = hits.iter().map(|h| (h.kind, h.key.as_str())).collect();
    assert_eq!(
        found,
        [
            (HitKind::Procedure, "check-db"),
            (HitKind::ErrorCode, "ERR10001"),
        ]
    );
    assert_eq!(text(&hits[0].title), "check-db · Check the [database]");
    assert!(text(&hits[0].snippet).contains("ledger [database] first."));
    assert!(scan(&docs(), &terms("database restart"), 0, 10).is_empty());
}

#[test]
fn a_removed_procedure_is_not_a_hit_and_pages_cut_the_ranking() {
    let restart = scan(&docs(), &terms("restart"), 0, 10);
    assert_eq!(restart.len(), 1);
    assert_eq!(restart[0].scope.as_str(), "framework");
    let all = scan(&docs(), &terms("l"), 0, 10);
    assert!(all.len() >= 3, "{all:?}");
    assert_eq!(scan(&docs(), &terms("l"), 1, 2), all[1..3].to_vec());
    assert!(scan(&docs(), &terms("l"), 50, 10).is_empty());
}
