//! The commit rules on their own: staleness, conflicts and what each scope
//! of a change becomes.

use std::collections::HashMap;

use super::*;
use crate::{
    domain::{ObjectRef, ProcedureKey, Scope, ScopeContent, ScopeKind},
    store::Actor,
};

fn host(h: &str) -> Host {
    Host::parse(h).unwrap()
}

fn id(s: &str) -> ScopeId {
    ScopeId::parse(s).unwrap()
}

fn doc(h: &str, s: &str, name: &str) -> ScopeDocument {
    ScopeDocument {
        scope: Scope {
            host: host(h),
            id: id(s),
            name: name.into(),
            kind: ScopeKind::Service,
            parents: vec![],
            owners: vec![],
            contacts: vec![],
        },
        content: ScopeContent::default(),
    }
}

fn expect(h: &str, s: &str, object: ObjectRef, revision: Option<u64>) -> Expectation {
    Expectation {
        host: host(h),
        scope: id(s),
        object,
        revision,
    }
}

fn change(put: Vec<ScopeDocument>, delete: Vec<(Host, ScopeId)>) -> ChangeSet {
    ChangeSet {
        put,
        delete,
        expect: vec![],
        base: vec![],
        actor: Actor {
            uid: "u".into(),
            at_ms: 0,
            operation: "op".into(),
        },
    }
}

/// A change validated against `base`, expecting `expect`.
fn checked(base: &[(&str, u64)], expect: Vec<Expectation>) -> ChangeSet {
    ChangeSet {
        base: base.iter().map(|(h, g)| (host(h), *g)).collect(),
        expect,
        ..change(vec![], vec![])
    }
}

/// `rules::check` against stored generations and revisions.
fn check_against(
    change: &ChangeSet,
    generations: &[(&str, u64)],
    revisions: &[(&str, &str, ObjectRef, u64)],
) -> Result<(), CommitError> {
    let generations: HashMap<Host, u64> = generations.iter().map(|(h, g)| (host(h), *g)).collect();
    let revisions: HashMap<(Host, ScopeId, ObjectRef), u64> = (revisions.iter())
        .map(|(h, s, o, r)| ((host(h), id(s), o.clone()), *r))
        .collect();
    check(
        change,
        |h| generations.get(h).copied().unwrap_or(0),
        |e| {
            let at = (e.host.clone(), e.scope.clone(), e.object.clone());
            revisions.get(&at).copied()
        },
    )
}

fn procedure(key: &str) -> ObjectRef {
    ObjectRef::Procedure(ProcedureKey::parse(key).unwrap())
}

#[test]
fn the_last_document_put_wins_and_a_put_overrides_a_delete() {
    let docs = vec![doc("h", "b", "1"), doc("h", "a", "2"), doc("h", "b", "3")];
    let deletes = vec![(host("h"), id("a")), (host("g"), id("x"))];
    let change = change(docs, deletes);
    let targets = targets(&change);
    let names: Vec<(&str, &str, Option<&str>)> = targets
        .iter()
        .flat_map(|(h, scopes)| {
            scopes
                .iter()
                .map(|(s, d)| (h.as_str(), s.as_str(), d.map(|d| d.scope.name.as_str())))
        })
        .collect();
    assert_eq!(
        names,
        [
            ("g", "x", None),
            ("h", "a", Some("2")),
            ("h", "b", Some("3"))
        ]
    );
}

#[test]
fn a_scope_deleted_twice_is_one_delete() {
    let deletes = vec![(host("h"), id("a")), (host("h"), id("a"))];
    let change = change(vec![], deletes);
    let targets = targets(&change);
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[&host("h")].len(), 1);
    assert!(targets[&host("h")][&id("a")].is_none());
}

#[test]
fn a_base_host_that_moved_on_is_stale_and_one_never_written_is_at_zero() {
    assert!(check_generation(&host("h"), 4, 4).is_ok());
    assert!(check_generation(&host("h"), 0, 0).is_ok());
    for (base, now) in [(4, 5), (5, 4), (0, 1), (1, 0)] {
        match check_generation(&host("h"), base, now) {
            Err(CommitError::Stale { host: named }) => assert_eq!(named, host("h")),
            other => panic!("base {base} now {now}: expected Stale, got {other:?}"),
        }
    }
    let change = checked(&[("a", 0), ("b", 2)], vec![]);
    assert!(check_against(&change, &[("b", 2)], &[]).is_ok());
    match check_against(&change, &[("a", 1), ("b", 2)], &[]) {
        Err(CommitError::Stale { host: named }) => assert_eq!(named, host("a")),
        other => panic!("expected Stale for a, got {other:?}"),
    }
}

#[test]
fn the_first_base_host_in_order_that_moved_on_is_the_one_named() {
    let change = checked(&[("z", 1), ("a", 1), ("m", 1)], vec![]);
    match check_against(&change, &[("z", 1), ("a", 2), ("m", 2)], &[]) {
        Err(CommitError::Stale { host: named }) => assert_eq!(named, host("a")),
        other => panic!("expected Stale for a, got {other:?}"),
    }
}

#[test]
fn an_expectation_holds_only_at_its_exact_revision_and_none_means_absent() {
    let e = |revision| expect("h", "s", ObjectRef::Scope, revision);
    assert!(check_expectation(&e(Some(3)), Some(3)).is_ok());
    assert!(check_expectation(&e(None), None).is_ok());
    for (expected, actual) in [(Some(3), Some(4)), (Some(3), None), (None, Some(1))] {
        match check_expectation(&e(expected), actual) {
            Err(CommitError::Conflict {
                scope,
                object,
                expected: said,
                actual: found,
            }) => {
                assert_eq!((scope, object), (id("s"), ObjectRef::Scope));
                assert_eq!((said, found), (expected, actual));
            }
            other => panic!("{expected:?} vs {actual:?}: expected Conflict, got {other:?}"),
        }
    }
}

#[test]
fn the_first_expectation_in_order_that_fails_is_the_conflict_reported() {
    let expects = vec![
        expect("h", "s", procedure("one"), Some(1)),
        expect("h", "s", procedure("two"), Some(1)),
        expect("h", "t", procedure("three"), None),
    ];
    let change = checked(&[], expects);
    let stored = |two| {
        vec![
            ("h", "s", procedure("one"), 1),
            ("h", "s", procedure("two"), two),
            ("h", "t", procedure("three"), 7),
        ]
    };
    match check_against(&change, &[], &stored(2)) {
        Err(CommitError::Conflict { object, .. }) => assert_eq!(object, procedure("two")),
        other => panic!("expected Conflict on two, got {other:?}"),
    }
    match check_against(&change, &[], &stored(1)) {
        Err(CommitError::Conflict { object, actual, .. }) => {
            assert_eq!((object, actual), (procedure("three"), Some(7)));
        }
        other => panic!("expected Conflict on three, got {other:?}"),
    }
}

#[test]
fn staleness_is_decided_before_any_expectation() {
    let change = checked(
        &[("h", 1)],
        vec![expect("h", "s", ObjectRef::Scope, Some(9))],
    );
    match check_against(&change, &[("h", 2)], &[]) {
        Err(CommitError::Stale { host: named }) => assert_eq!(named, host("h")),
        other => panic!("expected Stale before the conflict, got {other:?}"),
    }
    match check_against(&change, &[("h", 1)], &[]) {
        Err(CommitError::Conflict { .. }) => {}
        other => panic!("expected Conflict once the host is current, got {other:?}"),
    }
    let fine = checked(
        &[("h", 1)],
        vec![expect("h", "s", ObjectRef::Scope, Some(9))],
    );
    let stored = [("h", "s", ObjectRef::Scope, 9)];
    assert!(check_against(&fine, &[("h", 1)], &stored).is_ok());
}
