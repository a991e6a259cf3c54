//! Branches: field-level patches by (from, label), removal, completeness, and
//! branches left out when an end is not an effective procedure.

use super::builder::*;
use crate::domain::ScopeDocument;
use crate::resolve::{EffectiveBranch, Provenance, ResolveError, WarningCode, resolve};

/// An organization with a decision `a` answered `yes` (to `b`, a condition,
/// order 1) and `no` (to `c`), a line of business, and `svc` below it.
fn platform(lob: ScopeDocument, svc: ScopeDocument) -> Vec<ScopeDocument> {
    vec![
        doc("org", ORGANIZATION, &[])
            .step("a", "A")
            .step("b", "B")
            .step("c", "C")
            .step("d", "D")
            .branch_with("a", "yes", |b| {
                b.to("b").condition("token expired").order(1)
            })
            .branch("a", "no", "c"),
        lob,
        svc,
    ]
}

fn lob() -> ScopeDocument {
    doc("lob", LINE_OF_BUSINESS, &["org"])
}

fn svc() -> ScopeDocument {
    doc("svc", SERVICE, &["lob"])
}

fn yes(docs: &[ScopeDocument]) -> EffectiveBranch {
    let runbook = run(docs, "svc");
    runbook
        .branches
        .into_iter()
        .find(|b| b.label.as_str() == "yes")
        .unwrap()
}

#[test]
fn an_inherited_branch_keeps_every_field_and_its_source() {
    let b = yes(&platform(lob(), svc()));
    assert_eq!(
        (b.to.as_str(), b.condition.as_deref(), b.order),
        ("b", Some("token expired"), Some(1))
    );
    assert_eq!(b.source.provenance, Provenance::Inherited);
    assert_eq!(
        (b.source.origin, b.source.layers),
        (id("org"), ids(&["org"]))
    );
}

#[test]
fn a_service_redirects_a_branch_by_giving_only_to() {
    let b = yes(&platform(lob(), svc().branch("a", "yes", "d")));
    assert_eq!(
        (b.to.as_str(), b.condition.as_deref(), b.order),
        ("d", Some("token expired"), Some(1))
    );
    assert_eq!(b.source.provenance, Provenance::Overridden);
    assert_eq!(b.source.layers, ids(&["org", "svc"]));
}

#[test]
fn a_branch_patch_can_change_the_condition_alone() {
    let b = yes(&platform(
        lob().branch_with("a", "yes", |b| b.condition("401")),
        svc(),
    ));
    assert_eq!(
        (b.to.as_str(), b.condition.as_deref(), b.order),
        ("b", Some("401"), Some(1))
    );
    assert_eq!(b.source.layers, ids(&["org", "lob"]));
    assert_eq!(b.source.provenance, Provenance::Inherited);
}

#[test]
fn a_removed_branch_is_left_out_and_listed_with_the_scope_that_removed_it() {
    let runbook = run(&platform(lob().remove_branch("a", "no"), svc()), "svc");
    assert_eq!(branch_names(&runbook), ["a/yes->b"]);
    assert_eq!(removed_names(&runbook), ["branch a/no by lob"]);
    assert!(runbook.warnings.is_empty());
}

#[test]
fn a_branch_re_added_after_a_removal_starts_from_scratch() {
    let docs = platform(
        lob().remove_branch("a", "yes"),
        svc().branch("a", "yes", "d"),
    );
    let b = yes(&docs);
    assert_eq!((b.to.as_str(), b.condition, b.order), ("d", None, None));
    assert_eq!(
        (b.source.origin, b.source.provenance),
        (id("svc"), Provenance::Local)
    );
    assert!(run(&docs, "svc").removed.is_empty());
}

#[test]
fn a_branch_without_to_after_merging_is_an_error() {
    let incomplete = |scope: &str, label: &str| ResolveError::IncompleteBranch {
        service: id("svc"),
        scope: id(scope),
        from: key("a"),
        label: label.parse().unwrap(),
    };
    let cases = [
        (
            "a new branch with a condition only",
            platform(lob(), svc().branch_with("a", "maybe", |b| b.condition("?"))),
            incomplete("svc", "maybe"),
        ),
        (
            "to cleared with null",
            platform(lob().branch_with("a", "no", |b| b.clear_to()), svc()),
            incomplete("lob", "no"),
        ),
        (
            "re-added after a removal without to",
            platform(
                lob().remove_branch("a", "yes"),
                svc().branch_with("a", "yes", |b| b.order(2)),
            ),
            incomplete("svc", "yes"),
        ),
    ];
    for (name, docs, expected) in cases {
        assert_eq!(resolve(&id("svc"), &docs, None), Err(expected), "{name}");
    }
}

#[test]
fn a_branch_to_a_removed_procedure_is_left_out_with_a_warning() {
    let runbook = run(&platform(lob().remove("b"), svc()), "svc");
    assert_eq!(branch_names(&runbook), ["a/no->c"]);
    assert_eq!(warning_names(&runbook), ["DANGLING_BRANCH org a/yes"]);
    let w = &runbook.warnings[0];
    assert_eq!(w.code, WarningCode::DanglingBranch);
    assert_eq!(
        w.message,
        "branch a/yes (last defined by org) is left out: procedure b is not effective"
    );
}

#[test]
fn a_dangling_branch_warning_names_the_most_specific_scope_that_defined_it() {
    let docs = platform(
        lob().branch_with("a", "yes", |b| b.condition("x")),
        svc().remove("b"),
    );
    let runbook = run(&docs, "svc");
    assert_eq!(warning_names(&runbook), ["DANGLING_BRANCH lob a/yes"]);
}

#[test]
fn branches_leaving_a_removed_procedure_are_left_out_naming_every_missing_end() {
    let docs = platform(lob().remove("a").remove("c"), svc());
    let runbook = run(&docs, "svc");
    assert!(runbook.branches.is_empty());
    assert_eq!(
        warning_names(&runbook),
        ["DANGLING_BRANCH org a/no", "DANGLING_BRANCH org a/yes"]
    );
    assert!(
        runbook.warnings[0]
            .message
            .ends_with("procedures a and c are not effective")
    );
    assert!(
        runbook.warnings[1]
            .message
            .ends_with("procedure a is not effective")
    );
}

#[test]
fn a_branch_to_a_key_no_scope_defines_is_left_out_with_a_warning() {
    let runbook = run(&platform(lob(), svc().branch("a", "later", "ghost")), "svc");
    assert_eq!(warning_names(&runbook), ["DANGLING_BRANCH svc a/later"]);
    assert_eq!(branch_names(&runbook), ["a/yes->b", "a/no->c"]);
}
