//! The blast radius of a change: per service, what is added, removed or
//! changed, and which warnings are new; unaffected services are not listed.

use super::builder::*;
use crate::resolve::{Catalog, Part, PartKind, WarningCode, impact};

fn part(kind: PartKind, key: &str) -> Part {
    Part {
        kind,
        key: key.to_owned(),
    }
}

fn host() -> Catalog {
    Catalog::new([
        doc("fw", FRAMEWORK, &[])
            .step("a", "A")
            .step("b", "B")
            .branch("a", "next", "b")
            .entry("*", "a"),
        doc("tpl", TEMPLATE, &["fw"]).step("t", "T"),
        doc("one", SERVICE, &["fw"]),
        doc("two", SERVICE, &["tpl"]),
    ])
}

#[test]
fn a_platform_change_reaches_every_service_below_it_with_its_parts() {
    let before = host();
    let after = before.with(&[doc("fw", FRAMEWORK, &[])
        .step("a", "A renamed")
        .step("c", "C")
        .entry("*", "a")]);
    let services = ids(&["one", "two"]);
    let result = impact(&before, &after, &services);
    assert_eq!(result.len(), 2);
    for service in &result {
        assert_eq!(service.added, [part(PartKind::Procedure, "c")]);
        assert_eq!(
            service.removed,
            [
                part(PartKind::Procedure, "b"),
                part(PartKind::Branch, "a/next")
            ]
        );
        assert_eq!(service.changed, [part(PartKind::Procedure, "a")]);
        assert!(service.new_warnings.is_empty());
    }
}

#[test]
fn services_whose_runbook_does_not_change_are_left_out() {
    let before = host();
    let after = before.with(&[doc("tpl", TEMPLATE, &["fw"]).step("t", "T2")]);
    let result = impact(&before, &after, &ids(&["one", "two"]));
    assert_eq!(result.len(), 1);
    assert_eq!(result[0].service, id("two"));
    assert_eq!(result[0].changed, [part(PartKind::Procedure, "t")]);
}

#[test]
fn a_removal_that_leaves_a_branch_dangling_shows_the_new_warning() {
    let before = host();
    let after = before.with(&[doc("one", SERVICE, &["fw"]).remove("b")]);
    let result = impact(&before, &after, &ids(&["one"]));
    assert_eq!(
        result[0].removed,
        [
            part(PartKind::Procedure, "b"),
            part(PartKind::Branch, "a/next")
        ]
    );
    assert_eq!(result[0].new_warnings.len(), 1);
    assert_eq!(result[0].new_warnings[0].code, WarningCode::DanglingBranch);
}
