//! Round trips of rich documents through the stored shape: written records
//! are serialized as ArangoDB receives them, projected as the queries'
//! `KEEP(...)` does, and read back into the domain with their revisions.

use serde_json::{Map, Value, json};

use super::{
    records::{Owned, ScopeRecords},
    rows::DocumentRow,
};
use crate::{domain::*, store::StoreError};

fn id<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

fn rich_document() -> ScopeDocument {
    let automation: Map<String, Value> = serde_json::from_value(json!({
        "executor": "ansible",
        "input": { "playbook": "restart.yml", "hosts": ["a", "b"], "retries": 3, "dry": false,
                   "ratio": 0.25, "nothing": null, "nested": { "deep": [1, { "x": "ÿ" }] } }
    }))
    .unwrap();
    let mut content = ScopeContent::default();
    content.procedures.insert(
        id("token-expired"),
        ProcedureChange::Patch(ProcedurePatch {
            title: Patch::Set("Jeton expiré — 再試行 🚀".to_owned()),
            kind: Patch::Set(ProcedureKind::Automated),
            body: Patch::Clear,
            automation: Patch::Set(automation),
            tags: Patch::Absent,
        }),
    );
    content
        .procedures
        .insert(id("old-step"), ProcedureChange::Removed);
    content.procedures.insert(
        id("empty"),
        ProcedureChange::Patch(ProcedurePatch::default()),
    );
    let from: ProcedureKey = id("check");
    content.branches.insert(
        BranchId {
            from: from.clone(),
            label: BranchLabel::parse("token expired: yes?").unwrap(),
        },
        BranchChange::Patch(BranchPatch {
            to: Patch::Set(id("token-expired")),
            condition: Patch::Clear,
            order: Patch::Set(-2),
        }),
    );
    content.branches.insert(
        BranchId {
            from: from.clone(),
            label: BranchLabel::parse("nein — ねえ").unwrap(),
        },
        BranchChange::Patch(BranchPatch {
            to: Patch::Absent,
            condition: Patch::Set("x".into()),
            order: Patch::Absent,
        }),
    );
    content.branches.insert(
        BranchId {
            from,
            label: BranchLabel::parse("gone").unwrap(),
        },
        BranchChange::Removed,
    );
    content
        .entries
        .insert(EntryCode::Default, Some(id("check")));
    content
        .entries
        .insert(EntryCode::parse("ERR10001").unwrap(), None);
    content.error_codes.insert(
        id("ERR10001"),
        ErrorCodePatch {
            status_code: Patch::Set(401),
            message: Patch::Set("AUTH_TOKEN_EXPIRED".into()),
            description: Patch::Clear,
            severity: Patch::Absent,
        },
    );
    ScopeDocument {
        scope: Scope {
            host: id("lightapi.net"),
            id: id("com.acme.ledger-1.0.0"),
            name: "Ledger — Grand livre".to_owned(),
            kind: ScopeKind::Service,
            parents: vec![id("kafka-consumer"), id("acme"), id("light-4j")],
            owners: vec!["alice".to_owned(), "role:sre".to_owned()],
            contacts: vec![Contact {
                name: "SRE".to_owned(),
                email: Some("sre@acme.example".to_owned()),
                phone: None,
                chat: Some("#sre".to_owned()),
            }],
        },
        content,
    }
}

/// What `KEEP(doc, attrs…)` returns.
fn keep(doc: &Value, attrs: &[&str]) -> Value {
    let object = doc.as_object().unwrap();
    Value::Object(
        attrs
            .iter()
            .filter_map(|a| object.get(*a).map(|v| ((*a).to_owned(), v.clone())))
            .collect(),
    )
}

/// A revision per object that differs from object to object.
fn revision_of(object: &ObjectRef) -> u64 {
    match object {
        ObjectRef::Scope => 7,
        other => 10 + other.key().len() as u64,
    }
}

fn records_of(doc: &ScopeDocument) -> ScopeRecords {
    ScopeRecords::from_document(doc, revision_of)
}

fn project<T: serde::Serialize>(items: &[Owned<T>], attrs: &[&str]) -> Vec<Value> {
    items
        .iter()
        .map(|o| keep(&serde_json::to_value(o).unwrap(), attrs))
        .collect()
}

/// The row the document queries return for these records.
fn projected(records: &ScopeRecords) -> Value {
    let vertex = serde_json::to_value(&records.vertex).unwrap();
    let mut inherits = records.inherits.clone();
    inherits.sort_by_key(|e| e.body.position);
    let scope = [
        "host", "id", "name", "kind", "owners", "contacts", "revision",
    ];
    json!({
        "scope": keep(&vertex, &scope),
        "parents": inherits.iter().map(|e| json!(e.body.parent)).collect::<Vec<_>>(),
        "procedures": project(&records.procedures, &["key", "removed", "patch", "revision"]),
        "branches": project(&records.branches, &["from", "label", "removed", "patch", "revision"]),
        "entries": project(&records.entries, &["code", "key", "revision"]),
        "error_codes": project(&records.error_codes, &["code", "patch", "revision"]),
    })
}

fn read_back(row: Value) -> Result<super::rows::StoredDocument, StoreError> {
    let row: DocumentRow = serde_json::from_value(row).unwrap();
    row.decode()
}

#[test]
fn a_rich_document_round_trips_through_the_stored_shape_with_its_revisions() {
    let doc = rich_document();
    let stored = read_back(projected(&records_of(&doc))).unwrap();
    assert_eq!(stored.doc, doc);
    let expected: std::collections::BTreeMap<ObjectRef, u64> = objects(&doc)
        .into_iter()
        .map(|o| (o.clone(), revision_of(&o)))
        .collect();
    assert_eq!(
        stored.revisions, expected,
        "one revision per object, as written"
    );
}

#[test]
fn revisions_are_stored_on_every_object_but_not_on_parent_edges() {
    let records = records_of(&rich_document());
    let vertex = serde_json::to_value(&records.vertex).unwrap();
    assert_eq!(vertex["revision"], 7);
    for edge in serde_json::to_value(&records.inherits)
        .unwrap()
        .as_array()
        .unwrap()
    {
        assert!(edge.get("revision").is_none(), "{edge}");
    }
    let procedure = serde_json::to_value(&records.procedures[0]).unwrap();
    assert!(procedure["revision"].as_u64().unwrap() > 10);
}

#[test]
fn a_missing_revision_reads_as_zero_and_a_bad_one_is_corrupt() {
    let mut row = projected(&records_of(&rich_document()));
    row["scope"].as_object_mut().unwrap().remove("revision");
    let stored = read_back(row.clone()).unwrap();
    assert_eq!(stored.revisions[&ObjectRef::Scope], 0);
    row["entries"][0]["revision"] = json!("three");
    match read_back(row) {
        Err(StoreError::Corrupt {
            context, message, ..
        }) => {
            assert!(
                context.starts_with("collection entries, host lightapi.net"),
                "{context}"
            );
            assert!(message.contains("three"), "{message}");
        }
        other => panic!("expected a corrupt entry, got {other:?}"),
    }
}

#[test]
fn a_part_that_does_not_parse_is_named_by_collection_host_scope_and_key() {
    let mut row = projected(&records_of(&rich_document()));
    let procedures = row["procedures"].as_array_mut().unwrap();
    procedures[0]["key"] = json!("Not A Key");
    match read_back(row) {
        Err(StoreError::Corrupt { context, .. }) => assert_eq!(
            context,
            "collection procedures, host lightapi.net, scope com.acme.ledger-1.0.0, key Not A Key"
        ),
        other => panic!("expected a corrupt procedure, got {other:?}"),
    }
}

#[test]
fn patches_keep_absent_fields_absent_and_null_fields_null() {
    let records = records_of(&rich_document());
    let procedure = serde_json::to_value(&records.procedures).unwrap();
    let expired = procedure
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "token-expired")
        .unwrap();
    let patch = expired["patch"].as_object().unwrap();
    assert_eq!(
        patch.get("body"),
        Some(&Value::Null),
        "cleared body must be stored as null"
    );
    assert!(
        !patch.contains_key("tags"),
        "absent tags must not be stored"
    );
    let code = serde_json::to_value(&records.error_codes[0]).unwrap();
    assert_eq!(
        code["patch"],
        json!({ "statusCode": 401, "message": "AUTH_TOKEN_EXPIRED", "description": null })
    );
}

#[test]
fn tombstones_are_stored_as_removed_without_a_patch() {
    let records = records_of(&rich_document());
    let old = records
        .procedures
        .iter()
        .find(|p| p.body.key.as_str() == "old-step")
        .unwrap();
    let stored = serde_json::to_value(old).unwrap();
    assert_eq!(stored["removed"], true);
    assert!(stored.get("patch").is_none());
    let gone = records
        .branches
        .iter()
        .find(|b| b.body.label.as_str() == "gone")
        .unwrap();
    assert_eq!(serde_json::to_value(gone).unwrap()["removed"], true);
    let entry = records
        .entries
        .iter()
        .find(|e| e.body.key.is_none())
        .unwrap();
    assert_eq!(serde_json::to_value(entry).unwrap()["key"], Value::Null);
}

#[test]
fn every_stored_document_is_tagged_with_its_owner_and_edges_link_vertices() {
    let records = records_of(&rich_document());
    let owner = "lightapi.net:com.acme.ledger-1.0.0";
    assert_eq!(records.vertex.key, owner);
    let edges = serde_json::to_value(&records.inherits).unwrap();
    for (position, edge) in edges.as_array().unwrap().iter().enumerate() {
        assert_eq!(edge["owner"], owner);
        assert_eq!(edge["_from"], format!("scopes/{owner}"));
        assert_eq!(edge["position"], position);
    }
    assert_eq!(edges[2]["_to"], "scopes/lightapi.net:light-4j");
    let branch = records
        .branches
        .iter()
        .find(|b| b.body.label.as_str() == "token expired: yes?")
        .unwrap();
    assert_eq!(
        branch.from.as_deref(),
        Some(format!("procedures/{owner}:check").as_str())
    );
    assert_eq!(
        branch.to.as_deref(),
        Some(format!("procedures/{owner}:token-expired").as_str())
    );
    let removed = records
        .branches
        .iter()
        .find(|b| b.body.label.as_str() == "gone")
        .unwrap();
    assert_eq!(
        removed.to, removed.from,
        "a branch without a target loops back to its source"
    );
}

#[test]
fn a_patched_row_without_its_patch_is_refused_not_guessed() {
    let mut row = projected(&records_of(&rich_document()));
    let procedures = row["procedures"].as_array_mut().unwrap();
    let empty = procedures.iter_mut().find(|p| p["key"] == "empty").unwrap();
    empty.as_object_mut().unwrap().remove("patch");
    match read_back(row) {
        Err(StoreError::Corrupt {
            context, message, ..
        }) => {
            assert!(context.ends_with("key empty"), "{context}");
            assert!(message.contains("neither removed nor patched"), "{message}");
        }
        other => panic!("expected a corrupt procedure, got {other:?}"),
    }
}

#[test]
fn an_empty_document_round_trips() {
    let mut doc = rich_document();
    doc.content = ScopeContent::default();
    doc.scope.parents.clear();
    doc.scope.contacts.clear();
    assert_eq!(read_back(projected(&records_of(&doc))).unwrap().doc, doc);
}
