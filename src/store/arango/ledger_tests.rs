//! The bookkeeping documents as ArangoDB stores and returns them.

use serde_json::{Value, json};

use super::*;
use crate::domain::{BranchId, BranchLabel, EntryCode, ProcedureKey};

fn actor() -> Actor {
    Actor {
        uid: "alice".to_owned(),
        at_ms: 1_700_000_000_123,
        operation: "updateProcedure".to_owned(),
    }
}

fn version<'a>(
    host: &'a Host,
    scope: &'a ScopeId,
    object: &'a ObjectRef,
    before: Option<Value>,
    after: Option<Value>,
) -> Version<'a> {
    Version {
        change_id: 42,
        seq: 3,
        host,
        scope,
        object,
        before,
        after,
    }
}

/// Stored as ArangoDB receives it, returned as `history.aql` returns it
/// (`_id` and `_rev` added by the server, then left out by the query).
fn through_the_store(doc: &HistoryDoc) -> HistoryDoc {
    let mut stored = serde_json::to_value(doc).unwrap();
    stored["_id"] = json!(format!("history/{}", doc.doc_key));
    stored["_rev"] = json!("_hGx2---");
    let object = stored.as_object_mut().unwrap();
    object.remove("_id");
    object.remove("_rev");
    serde_json::from_value(stored).unwrap()
}

#[test]
fn a_history_record_round_trips_with_null_before_and_after() {
    let (host, scope) = (Host::parse("h").unwrap(), ScopeId::parse("svc").unwrap());
    let object = ObjectRef::Entry(EntryCode::Default);
    let created = HistoryDoc::new(
        version(&host, &scope, &object, None, Some(json!({ "key": null }))),
        &actor(),
    );
    let stored = serde_json::to_value(&created).unwrap();
    assert_eq!(
        stored["before"],
        Value::Null,
        "a missing object is stored as null"
    );
    assert_eq!(stored["after"], json!({ "key": null }));
    assert_eq!(stored["_key"], "42:3");
    assert_eq!(
        (stored["kind"].as_str(), stored["key"].as_str()),
        (Some("entry"), Some("*"))
    );
    let record = through_the_store(&created).into_record().unwrap();
    assert_eq!(record.action, Action::Created);
    assert_eq!(
        (record.before, record.after),
        (None, Some(json!({ "key": null })))
    );
    assert_eq!(record.object, object);
    assert_eq!(record.actor, actor());
    assert_eq!(
        (record.change_id, record.host, record.scope),
        (42, host.clone(), scope.clone())
    );

    let deleted = HistoryDoc::new(
        version(&host, &scope, &object, Some(json!({ "key": "p" })), None),
        &actor(),
    );
    assert_eq!(
        serde_json::to_value(&deleted).unwrap()["after"],
        Value::Null
    );
    let record = through_the_store(&deleted).into_record().unwrap();
    assert_eq!((record.action, record.after), (Action::Deleted, None));
}

#[test]
fn every_kind_of_object_round_trips_through_its_kind_and_key() {
    let (host, scope) = (Host::parse("h").unwrap(), ScopeId::parse("svc").unwrap());
    let from = ProcedureKey::parse("check").unwrap();
    let objects = [
        ObjectRef::Scope,
        ObjectRef::Procedure(from.clone()),
        ObjectRef::Branch(BranchId {
            from,
            label: BranchLabel::parse("token expired / yes").unwrap(),
        }),
        ObjectRef::Entry(EntryCode::parse("ERR10001").unwrap()),
        ObjectRef::ErrorCode(crate::domain::ErrorCode::parse("ERR10001").unwrap()),
    ];
    for object in objects {
        let before = Some(json!({ "title": "A", "automation": { "z": 1, "a": [1.5, null] } }));
        let after = Some(json!({ "title": null }));
        let doc = HistoryDoc::new(
            version(&host, &scope, &object, before.clone(), after.clone()),
            &actor(),
        );
        let record = through_the_store(&doc).into_record().unwrap();
        assert_eq!(record.object, object);
        assert_eq!(record.action, Action::Updated);
        assert_eq!((record.before, record.after), (before, after));
    }
}

#[test]
fn a_stored_record_that_does_not_parse_names_its_key() {
    let (host, scope) = (Host::parse("h").unwrap(), ScopeId::parse("svc").unwrap());
    let object = ObjectRef::Scope;
    let mut doc = HistoryDoc::new(version(&host, &scope, &object, None, None), &actor());
    doc.kind = "gadget".to_owned();
    let error = through_the_store(&doc).into_record().unwrap_err();
    assert!(error.starts_with("history 42:3:"), "{error}");
    let mut doc = HistoryDoc::new(version(&host, &scope, &object, None, None), &actor());
    doc.action = "EXPLODED".to_owned();
    let error = doc.into_record().unwrap_err();
    assert!(error.contains("EXPLODED"), "{error}");
}

#[test]
fn an_absent_before_or_after_reads_as_none() {
    let stored = json!({
        "_key": "1:0", "change_id": 1, "seq": 0, "host": "h", "scope": "svc",
        "kind": "scope", "key": "", "action": "CREATED",
        "uid": "cli", "at_ms": 0, "operation": "import"
    });
    let record = serde_json::from_value::<HistoryDoc>(stored)
        .unwrap()
        .into_record()
        .unwrap();
    assert_eq!((record.before, record.after), (None, None));
}

#[test]
fn the_counter_and_host_documents_round_trip() {
    let counter = CounterDoc::first();
    let stored = serde_json::to_value(&counter).unwrap();
    assert_eq!(stored, json!({ "_key": "changes", "value": 1 }));
    let mut returned = stored.clone();
    returned["_rev"] = json!("_x");
    assert_eq!(
        serde_json::from_value::<CounterDoc>(returned).unwrap(),
        counter
    );

    let host = Host::parse("lightapi.net").unwrap();
    let doc = HostDoc::new(&host, 1234);
    let stored = serde_json::to_value(&doc).unwrap();
    assert_eq!(
        stored,
        json!({ "_key": "lightapi.net", "host": "lightapi.net", "generation": 1234_u64 })
    );
    assert_eq!(serde_json::from_value::<HostDoc>(stored).unwrap(), doc);
    let row: GenerationRow =
        serde_json::from_value(json!({ "host": "lightapi.net", "generation": 4 })).unwrap();
    assert_eq!((row.host, row.generation), (host, 4));
}
