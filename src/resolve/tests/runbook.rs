//! The runbook as a whole: what an error code reaches and in which order,
//! removals, contacts and the lineage.

use super::builder::*;
use crate::domain::{ProcedureKind, ScopeDocument};
use crate::resolve::resolve;

/// A decision tree with a retry loop, for ERR10001:
/// check → (order 2) renew → check (retry), (order 1) restart → done,
/// (no order) "b-escalate" → escalate, "a-ignore" → done; plus an unreachable `orphan`.
fn tree() -> Vec<ScopeDocument> {
    vec![
        doc("org", ORGANIZATION, &[])
            .proc("check", |p| p.title("Check").kind(ProcedureKind::Decision))
            .step("renew", "Renew")
            .step("restart", "Restart")
            .step("escalate", "Escalate")
            .step("done", "Done")
            .step("orphan", "Orphan")
            .step("orphan-next", "Orphan next")
            .branch_with("check", "renew", |b| b.to("renew").order(2))
            .branch_with("check", "restart", |b| b.to("restart").order(1))
            .branch("check", "b-escalate", "escalate")
            .branch("check", "a-ignore", "done")
            .branch("renew", "retry", "check")
            .branch("restart", "ok", "done")
            .branch("orphan", "next", "orphan-next")
            .entry("ERR10001", "check")
            .entry("*", "escalate"),
        doc("svc", SERVICE, &["org"]),
    ]
}

#[test]
fn with_a_code_only_what_the_entry_reaches_is_present_breadth_first() {
    let runbook = run_code(&tree(), "svc", "ERR10001").unwrap();
    assert_eq!(
        proc_keys(&runbook),
        ["check", "restart", "renew", "done", "escalate"]
    );
    assert_eq!(
        branch_names(&runbook),
        [
            "check/restart->restart",
            "check/renew->renew",
            "check/a-ignore->done",
            "check/b-escalate->escalate",
            "restart/ok->done",
            "renew/retry->check",
        ]
    );
}

#[test]
fn a_retry_loop_terminates_and_each_procedure_appears_once() {
    let docs = [doc("svc", SERVICE, &[])
        .step("a", "A")
        .step("b", "B")
        .branch("a", "try", "b")
        .branch("b", "retry", "a")
        .branch("b", "again", "b")
        .entry("*", "b")];
    let runbook = run_code(&docs, "svc", "ERR10001").unwrap();
    assert_eq!(proc_keys(&runbook), ["b", "a"]);
    assert_eq!(
        branch_names(&runbook),
        ["b/again->b", "b/retry->a", "a/try->b"]
    );
}

#[test]
fn without_a_code_every_procedure_is_listed_by_key_and_branches_follow_that_order() {
    let runbook = run(&tree(), "svc");
    assert_eq!(
        proc_keys(&runbook),
        [
            "check",
            "done",
            "escalate",
            "orphan",
            "orphan-next",
            "renew",
            "restart"
        ]
    );
    assert_eq!(
        branch_names(&runbook),
        [
            "check/restart->restart",
            "check/renew->renew",
            "check/a-ignore->done",
            "check/b-escalate->escalate",
            "orphan/next->orphan-next",
            "renew/retry->check",
            "restart/ok->done",
        ]
    );
    assert_eq!(entry_names(&runbook), ["ERR10001->check", "*->escalate"]);
}

#[test]
fn branches_with_an_order_come_first_ascending_with_ties_by_label_then_the_rest_by_label() {
    let docs = [doc("svc", SERVICE, &[])
        .step("a", "A")
        .step("z", "Z")
        .branch_with("a", "zeta", |b| b.to("z").order(5))
        .branch_with("a", "alpha", |b| b.to("z").order(5))
        .branch_with("a", "minus", |b| b.to("z").order(-3))
        .branch("a", "beta", "z")
        .branch("a", "Able", "z")];
    let labels: Vec<String> = run(&docs, "svc")
        .branches
        .iter()
        .map(|b| b.label.to_string())
        .collect();
    assert_eq!(labels, ["minus", "alpha", "zeta", "Able", "beta"]);
}

#[test]
fn with_a_code_only_dangling_branches_of_the_reached_procedures_are_warned_about() {
    let mut docs = tree();
    docs[1] = doc("svc", SERVICE, &["org"])
        .remove("done")
        .remove("orphan-next");
    let runbook = run_code(&docs, "svc", "ERR10001").unwrap();
    assert_eq!(
        warning_names(&runbook),
        [
            "DANGLING_BRANCH org check/a-ignore",
            "DANGLING_BRANCH org restart/ok"
        ]
    );
    let whole = run(&docs, "svc");
    assert_eq!(whole.warnings.len(), 3);
}

#[test]
fn the_removed_list_holds_removals_in_force_in_order_with_the_most_specific_remover() {
    let docs = [
        doc("org", ORGANIZATION, &[])
            .step("a", "A")
            .step("b", "B")
            .step("c", "C")
            .branch("a", "x", "b")
            .branch("a", "y", "c")
            .entry("ERR10001", "a")
            .entry("*", "a"),
        doc("lob", LINE_OF_BUSINESS, &["org"])
            .remove("c")
            .remove("b")
            .remove_branch("a", "y")
            .no_entry("*")
            .no_entry("ERR10001"),
        doc("svc", SERVICE, &["lob"])
            .remove("c")
            .step("b", "B again")
            .branch("a", "x", "b")
            .entry("*", "b"),
    ];
    let runbook = run(&docs, "svc");
    assert_eq!(
        removed_names(&runbook),
        [
            "procedure c by svc",
            "branch a/y by lob",
            "entry ERR10001 by lob"
        ]
    );
}

#[test]
fn contacts_come_from_the_nearest_scope_that_has_any() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("the service's own", &["svc", "lob", "org"], &["svc"]),
        ("the line of business's", &["lob", "org"], &["lob"]),
        ("the organization's", &["org"], &["org"]),
        ("nobody's", &[], &[]),
    ];
    for (name, having, expected) in cases {
        let with = |d: ScopeDocument, s: &str| if having.contains(&s) { d.contact(s) } else { d };
        let docs = [
            with(doc("org", ORGANIZATION, &[]), "org"),
            with(doc("lob", LINE_OF_BUSINESS, &["org"]), "lob"),
            with(doc("svc", SERVICE, &["lob"]), "svc"),
        ];
        let names: Vec<String> = run(&docs, "svc")
            .contacts
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, *expected, "{name}");
    }
}

#[test]
fn documents_come_in_any_order_and_extra_ones_are_ignored() {
    let docs = [
        doc("svc", SERVICE, &["kafka", "rest"]),
        doc("unrelated", ORGANIZATION, &[]).step("x", "X"),
        doc("rest", TEMPLATE, &["org"]).step("r", "R"),
        doc("org", ORGANIZATION, &[]).step("o", "O"),
        doc("kafka", TEMPLATE, &["org"]).step("k", "K"),
    ];
    let runbook = run(&docs, "svc");
    let lineage: Vec<&str> = runbook.lineage.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(lineage, ["svc", "kafka", "rest", "org"]);
    assert_eq!(runbook.lineage[1], docs[4].scope);
    assert_eq!(proc_keys(&runbook), ["k", "o", "r"]);
    assert_eq!(runbook.service_id, id("svc"));
}

#[test]
fn a_lineage_error_stops_resolution() {
    let docs = [doc("svc", SERVICE, &["ghost"])];
    assert_eq!(
        resolve(&id("svc"), &docs, None).unwrap_err().code(),
        "UNKNOWN_PARENT"
    );
    assert_eq!(
        resolve(&id("nope"), &docs, None).unwrap_err().code(),
        "UNKNOWN_SCOPE"
    );
}
