use serde_json::json;

use super::*;
use crate::domain::{Host, Patch, ProcedureKind, Scope, ScopeContent};

fn key(s: &str) -> ProcedureKey {
    ProcedureKey::parse(s).unwrap()
}

fn rich() -> ScopeDocument {
    let mut content = ScopeContent::default();
    content.procedures.insert(
        key("a"),
        ProcedureChange::Patch(ProcedurePatch {
            title: Patch::Set("A".into()),
            kind: Patch::Set(ProcedureKind::Step),
            body: Patch::Clear,
            ..Default::default()
        }),
    );
    content
        .procedures
        .insert(key("gone"), ProcedureChange::Removed);
    let branch = BranchId {
        from: key("a"),
        label: BranchLabel::parse("yes / no").unwrap(),
    };
    content.branches.insert(
        branch,
        BranchChange::Patch(BranchPatch {
            to: Patch::Set(key("a")),
            order: Patch::Set(3),
            ..Default::default()
        }),
    );
    content.branches.insert(
        BranchId {
            from: key("a"),
            label: BranchLabel::parse("old").unwrap(),
        },
        BranchChange::Removed,
    );
    content.entries.insert(EntryCode::Default, Some(key("a")));
    content
        .entries
        .insert(EntryCode::parse("ERR10001").unwrap(), None);
    content.error_codes.insert(
        ErrorCode::parse("ERR10001").unwrap(),
        ErrorCodePatch {
            severity: Patch::Set("HIGH".into()),
            message: Patch::Clear,
            ..Default::default()
        },
    );
    ScopeDocument {
        scope: Scope {
            host: Host::parse("h").unwrap(),
            id: ScopeId::parse("s").unwrap(),
            name: "S".into(),
            kind: ScopeKind::Service,
            parents: vec![ScopeId::parse("p").unwrap()],
            owners: vec!["team".into()],
            contacts: vec![Contact {
                name: "On call".into(),
                ..Default::default()
            }],
        },
        content,
    }
}

#[test]
fn every_object_rebuilds_the_document_from_its_json_form() {
    let doc = rich();
    let mut rebuilt = ScopeDocument {
        content: ScopeContent::default(),
        ..doc.clone()
    };
    rebuilt.scope.name = "other".into();
    rebuilt.scope.parents.clear();
    for object in objects(&doc) {
        let value = object_json(&doc, &object).expect("present");
        set_object(&mut rebuilt, &object, Some(&value)).expect("applies");
    }
    assert_eq!(rebuilt, doc);
}

#[test]
fn tombstones_and_null_entries_have_distinct_json_forms() {
    let doc = rich();
    assert_eq!(
        object_json(&doc, &ObjectRef::Procedure(key("gone"))),
        Some(json!({"removed": true}))
    );
    assert_eq!(
        object_json(
            &doc,
            &ObjectRef::Entry(EntryCode::parse("ERR10001").unwrap())
        ),
        Some(json!({"key": null}))
    );
    assert_eq!(
        object_json(&doc, &ObjectRef::Procedure(key("a"))),
        Some(json!({"title": "A", "kind": "STEP", "body": null}))
    );
    assert_eq!(object_json(&doc, &ObjectRef::Procedure(key("nope"))), None);
}

#[test]
fn a_diff_lists_added_changed_and_removed_objects_only() {
    let old = rich();
    let mut new = old.clone();
    new.content.procedures.remove(&key("gone"));
    new.content
        .procedures
        .insert(key("b"), ProcedureChange::Removed);
    new.content
        .entries
        .insert(EntryCode::Default, Some(key("b")));
    let changes = diff(Some(&old), Some(&new));
    let summary: Vec<(String, bool, bool)> = changes
        .iter()
        .map(|c| (c.object.to_string(), c.before.is_some(), c.after.is_some()))
        .collect();
    assert_eq!(
        summary,
        [
            ("procedure b".to_owned(), false, true),
            ("procedure gone".to_owned(), true, false),
            ("entry *".to_owned(), true, true),
        ]
    );
    assert!(diff(Some(&old), Some(&old)).is_empty());
    assert_eq!(diff(None, Some(&old)).len(), objects(&old).len());
    assert_eq!(diff(Some(&old), None).len(), objects(&old).len());
}

#[test]
fn object_refs_parse_back_from_their_kind_and_key() {
    for object in objects(&rich()) {
        assert_eq!(
            ObjectRef::parse(object.kind(), &object.key()).unwrap(),
            object
        );
    }
    assert!(ObjectRef::parse("branch", "no-slash").is_err());
    assert!(ObjectRef::parse("widget", "x").is_err());
}
