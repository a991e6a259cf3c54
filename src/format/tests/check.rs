//! `check` agrees with reading: every document, valid or breaking one rule,
//! is refused by `check` exactly when writing it as YAML and reading it back
//! is, naming the same field with the same message.

use serde_json::{Map, Value, json};

use super::{host, parse};
use crate::{
    domain::{
        Contact, ErrorCode, ErrorCodePatch, Patch, ProcedureChange, ProcedureKey, ProcedurePatch,
        ScopeDocument, ScopeId,
        limits::{
            MAX_AUTOMATION_BYTES, MAX_CONTACTS, MAX_LONG_TEXT_BYTES, MAX_PARENTS, MAX_TAG_BYTES,
            MAX_TAGS, MAX_TEXT_BYTES,
        },
    },
    format::{check, to_document_yaml},
};

/// Every document of the demo.
fn demo() -> Vec<ScopeDocument> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo");
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        docs.extend(parse(&text).unwrap().into_iter().map(|d| d.doc));
    }
    docs
}

/// What reading `doc` back from YAML says: the first error's field and message.
fn read_back(doc: &ScopeDocument) -> Option<(String, String)> {
    let yaml = to_document_yaml(doc, &host());
    let errors = parse(&yaml).err()?;
    let first = errors.first()?;
    Some((
        first.field.clone().unwrap_or_default(),
        first.message.clone(),
    ))
}

fn checked(doc: &ScopeDocument) -> Option<(String, String)> {
    check(doc)
        .first()
        .map(|v| (v.field.clone(), v.message.clone()))
}

fn procedure(doc: &mut ScopeDocument) -> &mut ProcedurePatch {
    let key = ProcedureKey::parse("check-probe").unwrap();
    let change = (doc.content.procedures)
        .entry(key)
        .or_insert_with(|| ProcedureChange::Patch(ProcedurePatch::default()));
    match change {
        ProcedureChange::Patch(p) => p,
        ProcedureChange::Removed => unreachable!("made as a patch"),
    }
}

fn nested(depth: usize) -> Map<String, Value> {
    let mut value = json!("leaf");
    for _ in 1..depth {
        value = json!({ "in": value });
    }
    let mut map = Map::new();
    map.insert("executor".into(), value);
    map
}

#[test]
fn every_demo_document_passes_both() {
    for doc in demo() {
        assert_eq!(checked(&doc), None, "{}", doc.scope.id);
        assert_eq!(read_back(&doc), None, "{}", doc.scope.id);
    }
}

#[test]
fn a_document_breaking_one_rule_is_refused_by_both_at_the_same_field_with_the_same_words() {
    let base = demo().into_iter().next().unwrap();
    let long = |n: usize| "x".repeat(n + 1);
    type Break = Box<dyn Fn(&mut ScopeDocument)>;
    let breaks: Vec<(&str, Break)> = vec![
        ("blank name", Box::new(|d| d.scope.name = "   ".into())),
        (
            "long name",
            Box::new(move |d| d.scope.name = long(MAX_TEXT_BYTES)),
        ),
        (
            "own parent",
            Box::new(|d| d.scope.parents = vec![d.scope.id.clone()]),
        ),
        (
            "too many parents",
            Box::new(|d| {
                d.scope.parents = (0..=MAX_PARENTS)
                    .map(|i| ScopeId::parse(format!("p{i}")).unwrap())
                    .collect()
            }),
        ),
        (
            "bad owner",
            Box::new(|d| d.scope.owners = vec!["role:".into()]),
        ),
        (
            "blank owner",
            Box::new(|d| d.scope.owners = vec![" ".into()]),
        ),
        (
            "too many contacts",
            Box::new(|d| {
                let one = Contact {
                    name: "n".into(),
                    email: None,
                    phone: None,
                    chat: None,
                };
                d.scope.contacts = vec![one; MAX_CONTACTS + 1];
            }),
        ),
        (
            "long contact e-mail",
            Box::new(move |d| {
                let email = Some(long(MAX_TEXT_BYTES));
                d.scope.contacts = vec![Contact {
                    name: "n".into(),
                    email,
                    phone: None,
                    chat: None,
                }];
            }),
        ),
        (
            "long title",
            Box::new(move |d| procedure(d).title = Patch::Set(long(MAX_TEXT_BYTES))),
        ),
        (
            "long body",
            Box::new(move |d| procedure(d).body = Patch::Set(long(MAX_LONG_TEXT_BYTES))),
        ),
        (
            "deep automation",
            Box::new(|d| procedure(d).automation = Patch::Set(nested(9))),
        ),
        (
            "big automation",
            Box::new(move |d| {
                let mut map = Map::new();
                map.insert("executor".into(), json!(long(MAX_AUTOMATION_BYTES)));
                procedure(d).automation = Patch::Set(map);
            }),
        ),
        (
            "many tags",
            Box::new(|d| procedure(d).tags = Patch::Set(vec!["t".into(); MAX_TAGS + 1])),
        ),
        (
            "long tag",
            Box::new(move |d| procedure(d).tags = Patch::Set(vec![long(MAX_TAG_BYTES)])),
        ),
        (
            "status out of range",
            Box::new(|d| {
                let patch = ErrorCodePatch {
                    status_code: Patch::Set(42),
                    ..Default::default()
                };
                d.content
                    .error_codes
                    .insert(ErrorCode::parse("ERR99999").unwrap(), patch);
            }),
        ),
        (
            "long error description",
            Box::new(move |d| {
                let description = Patch::Set(long(MAX_LONG_TEXT_BYTES));
                let patch = ErrorCodePatch {
                    description,
                    ..Default::default()
                };
                d.content
                    .error_codes
                    .insert(ErrorCode::parse("ERR99999").unwrap(), patch);
            }),
        ),
    ];
    for (what, apply) in breaks {
        let mut doc = base.clone();
        apply(&mut doc);
        let read = read_back(&doc);
        assert!(read.is_some(), "{what}: reading accepts it");
        assert_eq!(checked(&doc), read, "{what}");
    }
}
