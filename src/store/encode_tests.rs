use super::*;
use crate::domain::{Host, Patch, ScopeId, ScopeKind, diff};

fn doc(content: ScopeContent) -> ScopeDocument {
    ScopeDocument {
        scope: Scope {
            host: Host::parse("h").unwrap(),
            id: ScopeId::parse("s").unwrap(),
            name: "S".into(),
            kind: ScopeKind::Service,
            parents: vec![],
            owners: vec![],
            contacts: vec![],
        },
        content,
    }
}

fn titled(title: &str) -> ProcedureChange {
    ProcedureChange::Patch(ProcedurePatch {
        title: Patch::Set(title.into()),
        body: Patch::Clear,
        ..ProcedurePatch::default()
    })
}

#[test]
fn tombstones_carry_no_patch_and_absent_fields_are_omitted() {
    let mut content = ScopeContent::default();
    let (key, gone) = (
        ProcedureKey::parse("check").unwrap(),
        ProcedureKey::parse("gone").unwrap(),
    );
    content.procedures.insert(key, titled("Check"));
    content.procedures.insert(gone, ProcedureChange::Removed);
    let doc = doc(content);
    let changes = diff(None, Some(&doc));
    let encoded = write("test", &doc, &changes).unwrap();
    assert_eq!(
        encoded.insert[0].as_deref(),
        Some(
            r#"[{"key":"check","removed":false,"patch":{"title":"Check","body":null}},{"key":"gone","removed":true}]"#
        )
    );
    assert_eq!(encoded.delete, [None, None, None, None], "nothing existed");
    let scope = encoded.scope.expect("a new scope is written");
    assert_eq!((scope.parents, scope.owners.as_str()), (None, "[]"));
}

#[test]
fn only_changed_objects_are_deleted_and_inserted() {
    let mut old = ScopeContent::default();
    for (key, title) in [("same", "Same"), ("edited", "Old"), ("dropped", "Dropped")] {
        old.procedures
            .insert(ProcedureKey::parse(key).unwrap(), titled(title));
    }
    let mut new = old.clone();
    new.procedures
        .remove(&ProcedureKey::parse("dropped").unwrap());
    new.procedures
        .insert(ProcedureKey::parse("edited").unwrap(), titled("New"));
    new.procedures
        .insert(ProcedureKey::parse("added").unwrap(), titled("Added"));
    let (old, new) = (doc(old), doc(new));
    let changes = diff(Some(&old), Some(&new));
    let encoded = write("test", &new, &changes).unwrap();
    assert!(encoded.scope.is_none(), "the scope object did not change");
    assert_eq!(
        encoded.delete[0].as_deref(),
        Some(r#"["dropped","edited"]"#)
    );
    let inserted: Vec<serde_json::Value> =
        serde_json::from_str(encoded.insert[0].as_deref().unwrap()).unwrap();
    let keys: Vec<&str> = inserted.iter().filter_map(|r| r["key"].as_str()).collect();
    assert_eq!(keys, ["added", "edited"]);
    assert_eq!(encoded.insert[1..], [None, None, None]);
}

#[test]
fn history_rows_are_numbered_and_keep_the_json_text() {
    let mut content = ScopeContent::default();
    content
        .procedures
        .insert(ProcedureKey::parse("p").unwrap(), titled("P"));
    let doc = doc(content);
    let write = ScopeWrite {
        host: &doc.scope.host,
        scope: &doc.scope.id,
        after: Some(&doc),
        changes: diff(None, Some(&doc)),
    };
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&history("test", &[write]).unwrap()).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[1],
        serde_json::json!({
            "host": "h", "seq": 1, "scope": "s", "kind": "procedure", "key": "p",
            "action": "CREATED", "after": r#"{"title":"P","body":null}"#
        })
    );
}
