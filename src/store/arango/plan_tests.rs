//! The commit's decisions without a server: checks, what changes, revisions,
//! history records and generations.

use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::{
    domain::{
        ErrorCode, Patch, ProcedureChange, ProcedureKey, ProcedurePatch, Scope, ScopeContent,
        ScopeKind, objects,
    },
    store::{Action, Expectation},
};

fn host(name: &str) -> Host {
    Host::parse(name).unwrap()
}

fn id(name: &str) -> ScopeId {
    ScopeId::parse(name).unwrap()
}

fn procedure(key: &str) -> ObjectRef {
    ObjectRef::Procedure(ProcedureKey::parse(key).unwrap())
}

/// A scope with procedures `keys`, each titled `title`.
fn doc(h: &str, scope: &str, keys: &[&str], title: &str) -> ScopeDocument {
    let mut content = ScopeContent::default();
    for key in keys {
        let patch = ProcedurePatch {
            title: Patch::Set(title.to_owned()),
            ..ProcedurePatch::default()
        };
        content.procedures.insert(
            ProcedureKey::parse(*key).unwrap(),
            ProcedureChange::Patch(patch),
        );
    }
    ScopeDocument {
        scope: Scope {
            host: host(h),
            id: id(scope),
            name: scope.to_uppercase(),
            kind: ScopeKind::Service,
            parents: vec![id("root")],
            owners: vec![],
            contacts: vec![],
        },
        content,
    }
}

/// `doc` as stored, every object at `revision`.
fn stored(doc: ScopeDocument, revision: u64) -> StoredDocument {
    let revisions = objects(&doc).into_iter().map(|o| (o, revision)).collect();
    StoredDocument { doc, revisions }
}

fn current(docs: Vec<StoredDocument>, generations: &[(&str, u64)]) -> Current {
    Current {
        generations: generations.iter().map(|(h, g)| (host(h), *g)).collect(),
        stored: (docs.into_iter())
            .map(|s| ((s.doc.scope.host.clone(), s.doc.scope.id.clone()), s))
            .collect(),
    }
}

fn change(put: Vec<ScopeDocument>) -> ChangeSet {
    ChangeSet {
        put,
        delete: vec![],
        expect: vec![],
        base: vec![],
        actor: Actor {
            uid: "alice".to_owned(),
            at_ms: 5,
            operation: "importRunbook".to_owned(),
        },
    }
}

/// The revision each written object got, by object.
fn written_revisions(w: &Writes) -> BTreeMap<ObjectRef, u64> {
    let r = &w.records[0];
    let mut out = BTreeMap::from([(ObjectRef::Scope, r.vertex.revision)]);
    for p in &r.procedures {
        out.insert(
            ObjectRef::Procedure(p.body.key.clone()),
            p.revision.unwrap(),
        );
    }
    out
}

#[test]
fn a_new_scope_is_created_whole_at_the_change_id() {
    let c = change(vec![doc("h", "svc", &["a", "b"], "A")]);
    let now = current(vec![], &[]);
    let changes = changes(&c, &now);
    let w = writes(&changes, 7, &c.actor);
    assert_eq!(
        w.committed,
        Committed {
            change_id: 7,
            scopes: vec![id("svc")],
            objects: 3
        }
    );
    assert!(written_revisions(&w).values().all(|r| *r == 7));
    assert_eq!(w.owners, ["h:svc"]);
    let history: Vec<(u32, &str, &str, Option<Action>)> = (w.history.iter())
        .map(|d| {
            (
                d.seq,
                d.kind.as_str(),
                d.key.as_str(),
                Action::parse(&d.action),
            )
        })
        .collect();
    let created = Some(Action::Created);
    assert_eq!(
        history,
        [
            (0, "scope", "", created),
            (1, "procedure", "a", created),
            (2, "procedure", "b", created)
        ]
    );
    assert!(
        w.history
            .iter()
            .all(|d| d.before.is_none() && d.after.is_some())
    );
    assert_eq!(w.history[0].uid, "alice");
    assert_eq!(w.hosts, [HostDoc::new(&host("h"), 7)]);
}

#[test]
fn unchanged_objects_keep_their_revision_when_their_scope_is_rewritten() {
    let old = doc("h", "svc", &["a", "b"], "A");
    let mut new = old.clone();
    new.content
        .procedures
        .insert(ProcedureKey::parse("b").unwrap(), ProcedureChange::Removed);
    let c = change(vec![new]);
    let now = current(vec![stored(old, 3)], &[("h", 3)]);
    let changes = changes(&c, &now);
    let w = writes(&changes, 8, &c.actor);
    let expected = BTreeMap::from([
        (ObjectRef::Scope, 3),
        (procedure("a"), 3),
        (procedure("b"), 8),
    ]);
    assert_eq!(written_revisions(&w), expected);
    assert_eq!(w.history.len(), 1);
    let record = w.history[0].clone().into_record().unwrap();
    assert_eq!(record.action, Action::Updated);
    assert_eq!(record.after, Some(json!({ "removed": true })));
    assert_eq!(
        record.before,
        Some(json!({ "title": "A" })),
        "before as `diff` gives it"
    );
}

#[test]
fn a_document_equal_to_the_stored_one_changes_nothing() {
    let same = doc("h", "svc", &["a"], "A");
    let c = change(vec![same.clone(), same.clone()]);
    let now = current(vec![stored(same, 2)], &[]);
    assert!(changes(&c, &now).is_empty());
    assert!(check(&c, &now).is_ok());
}

#[test]
fn a_deleted_scope_loses_every_object_and_writes_no_records() {
    let old = doc("h", "svc", &["a"], "A");
    let mut c = change(vec![]);
    c.delete = vec![(host("h"), id("svc")), (host("h"), id("never-was"))];
    let now = current(vec![stored(old, 4)], &[]);
    let changes = changes(&c, &now);
    assert_eq!(
        changes.len(),
        1,
        "deleting a scope that does not exist changes nothing"
    );
    let w = writes(&changes, 9, &c.actor);
    assert!(w.records.is_empty());
    assert_eq!(w.owners, ["h:svc"]);
    assert!(
        w.history
            .iter()
            .all(|d| d.action == "DELETED" && d.after.is_none())
    );
    assert_eq!(w.committed.objects, 2);
    assert_eq!(w.hosts, [HostDoc::new(&host("h"), 9)]);
}

#[test]
fn a_put_wins_over_a_delete_of_the_same_scope_and_the_last_put_wins() {
    let first = doc("h", "svc", &["a"], "first");
    let last = doc("h", "svc", &["a"], "last");
    let mut c = change(vec![first, last.clone()]);
    c.delete = vec![(host("h"), id("svc"))];
    let now = current(vec![], &[]);
    let changes = changes(&c, &now);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].new, Some(&last));
}

#[test]
fn records_are_ordered_by_host_then_scope_then_object_across_a_change() {
    let c = change(vec![
        doc("zeta", "a", &[], "x"),
        doc("alpha", "b", &["p"], "x"),
        doc("alpha", "a", &[], "x"),
    ]);
    let now = current(vec![], &[]);
    let w = writes(&changes(&c, &now), 1, &c.actor);
    let order: Vec<(&str, &str, &str, u32)> = (w.history.iter())
        .map(|d| (d.host.as_str(), d.scope.as_str(), d.kind.as_str(), d.seq))
        .collect();
    assert_eq!(
        order,
        [
            ("alpha", "a", "scope", 0),
            ("alpha", "b", "scope", 1),
            ("alpha", "b", "procedure", 2),
            ("zeta", "a", "scope", 3)
        ]
    );
    assert_eq!(
        w.committed.scopes,
        [id("a"), id("b")],
        "sorted and distinct"
    );
    let hosts: Vec<&str> = w.hosts.iter().map(|h| h.host.as_str()).collect();
    assert_eq!(hosts, ["alpha", "zeta"]);
}

#[test]
fn a_host_that_moved_on_is_stale_and_an_unknown_host_is_at_zero() {
    let mut c = change(vec![doc("h", "svc", &[], "x")]);
    c.base = vec![(host("h"), 3), (host("new"), 0)];
    assert!(check(&c, &current(vec![], &[("h", 3)])).is_ok());
    match check(&c, &current(vec![], &[("h", 4)])) {
        Err(CommitError::Stale { host: h }) => assert_eq!(h, host("h")),
        other => panic!("expected Stale, got {other:?}"),
    }
    c.base = vec![(host("new"), 1)];
    assert!(matches!(
        check(&c, &current(vec![], &[])),
        Err(CommitError::Stale { .. })
    ));
    assert_eq!(base_hosts(&c), [&host("new")]);
}

#[test]
fn expectations_compare_revisions_and_none_means_the_object_must_not_exist() {
    let old = stored(doc("h", "svc", &["a"], "A"), 5);
    let expect = |object: ObjectRef, revision: Option<u64>| Expectation {
        host: host("h"),
        scope: id("svc"),
        object,
        revision,
    };
    let mut c = change(vec![]);
    c.expect = vec![
        expect(procedure("a"), Some(5)),
        expect(procedure("b"), None),
        expect(ObjectRef::Scope, Some(5)),
    ];
    let now = current(vec![old], &[]);
    assert!(check(&c, &now).is_ok());
    c.expect.push(expect(procedure("a"), None));
    match check(&c, &now) {
        Err(CommitError::Conflict {
            scope,
            object,
            expected,
            actual,
        }) => {
            assert_eq!((scope, object), (id("svc"), procedure("a")));
            assert_eq!((expected, actual), (None, Some(5)));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    c.expect = vec![Expectation {
        scope: id("gone"),
        ..expect(ObjectRef::Scope, Some(1))
    }];
    assert!(matches!(
        check(&c, &now),
        Err(CommitError::Conflict { actual: None, .. })
    ));
    assert_eq!(involved(&c), [(host("h"), id("gone"))]);
}

#[test]
fn staleness_is_checked_before_expectations() {
    let mut c = change(vec![]);
    c.base = vec![(host("h"), 1)];
    c.expect = vec![Expectation {
        host: host("h"),
        scope: id("svc"),
        object: ObjectRef::ErrorCode(ErrorCode::parse("ERR10001").unwrap()),
        revision: Some(1),
    }];
    assert!(matches!(
        check(&c, &current(vec![], &[])),
        Err(CommitError::Stale { .. })
    ));
}

#[test]
fn the_involved_scopes_are_those_put_deleted_or_expected_once_each() {
    let mut c = change(vec![doc("h", "b", &[], "x"), doc("h", "a", &[], "x")]);
    c.delete = vec![(host("h"), id("b")), (host("g"), id("z"))];
    let got = involved(&c);
    assert_eq!(
        got,
        [
            (host("g"), id("z")),
            (host("h"), id("a")),
            (host("h"), id("b"))
        ]
    );
}
