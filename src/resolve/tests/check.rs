//! Validating a change: the changed scopes' own lineages, the affected
//! services' resolution, and only the warnings the change causes.

use super::builder::*;
use crate::domain::{ProcedureKind, ScopeDocument};
use crate::resolve::{Catalog, ChangeReport, Problem, check_change};

/// light-4j ← acme ← payments; acme ← kafka, rest.
/// Services: billing(payments), ledger(payments, kafka), gateway(kafka, rest), portal(rest).
fn host() -> Vec<ScopeDocument> {
    vec![
        doc("light-4j", FRAMEWORK, &[])
            .step("a", "A")
            .step("b", "B")
            .branch("a", "yes", "b")
            .entry("*", "a"),
        doc("acme", ORGANIZATION, &["light-4j"]),
        doc("payments", LINE_OF_BUSINESS, &["acme"]),
        doc("kafka", TEMPLATE, &["acme"]),
        doc("rest", TEMPLATE, &["acme"]).step("r", "R"),
        doc("billing", SERVICE, &["payments"]),
        doc("ledger", SERVICE, &["payments", "kafka"]),
        doc("gateway", SERVICE, &["kafka", "rest"]),
        doc("portal", SERVICE, &["rest"]),
    ]
}

fn check_on(before: Vec<ScopeDocument>, changed: Vec<ScopeDocument>) -> ChangeReport {
    let before = Catalog::new(before);
    let after = before.with(&changed);
    let ids: Vec<_> = changed.iter().map(|d| d.scope.id.clone()).collect();
    check_change(&before, &after, &ids)
}

fn check(changed: Vec<ScopeDocument>) -> ChangeReport {
    check_on(host(), changed)
}

/// A host scope, to change it.
fn scope(name: &str) -> ScopeDocument {
    host()
        .into_iter()
        .find(|d| d.scope.id.as_str() == name)
        .unwrap()
}

fn names(problems: &[Problem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| format!("{} {} {}", p.code, p.scope, p.key.as_deref().unwrap_or("-")))
        .collect()
}

#[test]
fn each_kind_of_error_is_reported_for_the_scope_to_look_at() {
    let mut unknown = scope("kafka");
    unknown.scope.parents = ids(&["ghost"]);
    let mut cyclic = scope("acme");
    cyclic.scope.parents = ids(&["payments"]);
    let mut unorderable = scope("ledger");
    unorderable.scope.parents = ids(&["acme", "payments"]);
    let cases: Vec<(&str, Vec<ScopeDocument>, &[&str])> = vec![
        (
            "a change that resolves everywhere",
            vec![scope("kafka").step("k", "K").branch("a", "k", "k")],
            &[],
        ),
        (
            "an unknown parent",
            vec![unknown],
            &["UNKNOWN_PARENT kafka -"],
        ),
        (
            "an inheritance cycle, in the scope and every service below",
            vec![cyclic],
            &[
                "INHERITANCE_CYCLE acme -",
                "INHERITANCE_CYCLE billing -",
                "INHERITANCE_CYCLE gateway -",
                "INHERITANCE_CYCLE ledger -",
                "INHERITANCE_CYCLE portal -",
            ],
        ),
        (
            "parents that cannot be linearized",
            vec![unorderable],
            &["LINEARIZATION ledger -"],
        ),
        (
            "a branch to a key only a sibling template defines",
            vec![scope("kafka").branch("a", "retry", "r")],
            &["BRANCH_NOT_RESOLVED kafka a/retry"],
        ),
        (
            "a branch from a key only a sibling template defines",
            vec![scope("kafka").branch("r", "back", "a")],
            &["BRANCH_NOT_RESOLVED kafka r/back"],
        ),
        (
            "a branch without to, which also breaks every service below",
            vec![scope("acme").branch_with("a", "maybe", |b| b.condition("?"))],
            &[
                "BRANCH_NOT_RESOLVED acme a/maybe",
                "INCOMPLETE_BRANCH billing a/maybe",
                "INCOMPLETE_BRANCH gateway a/maybe",
                "INCOMPLETE_BRANCH ledger a/maybe",
                "INCOMPLETE_BRANCH portal a/maybe",
            ],
        ),
        (
            "an entry to a key only a sibling template defines",
            vec![scope("kafka").entry("ERR10001", "r")],
            &["ENTRY_NOT_RESOLVED kafka ERR10001"],
        ),
        (
            "a procedure left incomplete in the services below",
            vec![scope("payments").proc("a", |p| p.clear_title())],
            &[
                "INCOMPLETE_PROCEDURE billing a",
                "INCOMPLETE_PROCEDURE ledger a",
            ],
        ),
        (
            "a removal of a branch nobody defines",
            vec![scope("kafka").remove_branch("zz", "q").no_entry("ERR10001")],
            &[],
        ),
    ];
    for (name, changed, expected) in cases {
        let report = check(changed);
        assert_eq!(names(&report.errors), *expected, "{name}");
        assert_eq!(report.is_ok(), expected.is_empty(), "{name}");
    }
}

#[test]
fn problems_carry_the_error_message() {
    let report = check(vec![scope("payments").proc("a", |p| p.clear_title())]);
    assert_eq!(
        report.errors[0].message,
        "procedure a is incomplete in the lineage of billing: no title after merging (last defined by payments)"
    );
    let report = check(vec![scope("kafka").branch("a", "retry", "r")]);
    assert_eq!(
        report.errors[0].message,
        "branch a/retry of kafka does not resolve in its own lineage: procedure r is not defined there"
    );
}

#[test]
fn a_key_only_partly_defined_in_a_template_s_lineage_counts_as_defined() {
    let before = vec![
        doc("acme", ORGANIZATION, &[]).step("a", "A"),
        doc("t1", TEMPLATE, &["acme"]),
        doc("t2", TEMPLATE, &["acme"]),
        doc("svc", SERVICE, &["t1", "t2"]),
    ];
    let changed = vec![
        doc("t1", TEMPLATE, &["acme"])
            .proc("q", |p| p.kind(ProcedureKind::Decision))
            .branch("q", "go", "a")
            .entry("*", "q"),
        doc("t2", TEMPLATE, &["acme"]).proc("q", |p| p.title("Q")),
    ];
    let report = check_on(before, changed);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(report.affected_services, ids(&["svc"]));
}

#[test]
fn only_services_must_be_complete_not_templates() {
    let changed = vec![doc("lonely", TEMPLATE, &["acme"]).proc("half", |p| p.body("no title"))];
    let report = check(changed);
    assert!(report.is_ok(), "{:?}", report.errors);
    assert!(report.affected_services.is_empty());
}

#[test]
fn affected_services_are_the_services_at_or_below_the_changed_scopes() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "the framework",
            &["light-4j"],
            &["billing", "gateway", "ledger", "portal"],
        ),
        ("a template", &["kafka"], &["gateway", "ledger"]),
        ("a line of business", &["payments"], &["billing", "ledger"]),
        ("a service", &["portal"], &["portal"]),
        (
            "two scopes",
            &["rest", "billing"],
            &["billing", "gateway", "portal"],
        ),
    ];
    for (name, changed, expected) in cases {
        let changed: Vec<ScopeDocument> = changed.iter().map(|s| scope(s)).collect();
        assert_eq!(check(changed).affected_services, ids(expected), "{name}");
    }
}

#[test]
fn descendants_include_the_given_scopes_and_everything_below_sorted() {
    let catalog = Catalog::new(host());
    assert_eq!(
        catalog.descendants(&ids(&["kafka", "payments"])),
        ids(&["billing", "gateway", "kafka", "ledger", "payments"])
    );
    assert_eq!(catalog.descendants(&ids(&["ghost"])), ids(&["ghost"]));
}

#[test]
fn only_warnings_the_change_causes_are_reported_for_each_affected_service() {
    let before = {
        let mut docs = host();
        docs[2] = scope("payments").branch("a", "old", "ghost");
        docs
    };
    let changed = vec![scope("kafka").remove("b").entry("ERR10001", "b")];
    let report = check_on(before, changed);
    assert_eq!(names(&report.errors), ["ENTRY_NOT_RESOLVED kafka ERR10001"]);
    assert_eq!(
        names(&report.warnings),
        [
            "ENTRY_NOT_EFFECTIVE gateway ERR10001",
            "DANGLING_BRANCH gateway a/yes",
            "ENTRY_NOT_EFFECTIVE ledger ERR10001",
            "DANGLING_BRANCH ledger a/yes",
        ]
    );
    assert_eq!(
        report.warnings[1].message,
        "branch a/yes (last defined by light-4j) is left out: procedure b is not effective"
    );
}

#[test]
fn a_change_that_keeps_an_existing_warning_reports_no_warning() {
    let mut before = host();
    before[3] = scope("kafka").remove("b");
    let report = check_on(before, vec![scope("kafka").remove("b").step("k", "K")]);
    assert!(report.is_ok());
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn the_catalog_lists_documents_by_id_and_replaces_changed_ones() {
    let catalog = Catalog::new(host());
    let order: Vec<&str> = catalog.docs().map(|d| d.scope.id.as_str()).collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(order, sorted);
    let after = catalog.with(&[scope("kafka").step("k", "K"), doc("new", TEMPLATE, &[])]);
    assert_eq!(after.len(), catalog.len() + 1);
    assert!(
        after
            .get(&id("kafka"))
            .unwrap()
            .content
            .procedures
            .contains_key(&key("k"))
    );
    assert!(
        catalog
            .get(&id("kafka"))
            .unwrap()
            .content
            .procedures
            .is_empty()
    );
    assert_eq!(
        after.resolve(&id("ledger"), None).unwrap().procedures.len(),
        3
    );
}
