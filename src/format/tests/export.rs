//! Export: the canonical form (order of scopes, fields and keys; hosts; enums
//! upper case) and the round trip export → parse → export, byte for byte.

use super::{docs, full_example, generated::TRICKY, host, with};
use serde_json::json;

use crate::{
    domain::{
        BranchChange, BranchLabel, BranchPatch, Contact, Host, Patch, ProcedureChange,
        ProcedurePatch, ScopeDocument, ScopeId,
    },
    format::{export, parse_str, to_document_yaml},
};

/// Export, parse back (must succeed and give the same documents), export again
/// (must give the same bytes); returns the YAML.
fn round_trip(docs: &[ScopeDocument], default_host: &Host) -> String {
    let yaml = export(docs, default_host);
    let parsed = match parse_str("export.yml", &yaml, default_host) {
        Ok(parsed) => parsed,
        Err(errors) => panic!("{}\n---\n{yaml}", super::shown(&errors)),
    };
    let parsed: Vec<_> = parsed.into_iter().map(|d| d.doc).collect();
    assert_eq!(export(&parsed, default_host), yaml);
    let mut before = docs.to_vec();
    before.sort_by(|a, b| a.scope.id.cmp(&b.scope.id));
    let mut after = parsed;
    after.sort_by(|a, b| a.scope.id.cmp(&b.scope.id));
    assert_eq!(before, after, "{yaml}");
    yaml
}

fn ids(yaml: &str) -> Vec<String> {
    parse_str("x.yml", yaml, &host())
        .unwrap()
        .into_iter()
        .map(|d| d.doc.scope.id.to_string())
        .collect()
}

fn scope(id: &str, parents: &str) -> String {
    format!("scope: {id}\nname: {id}\nkind: template\nparents: [{parents}]\n")
}

#[test]
fn a_document_is_written_format_first_fields_in_order_keys_sorted_enums_upper_case() {
    let text = with(
        "entries: {\"*\": a, ERR00001: null}\n\
         branches: [{from: a, label: \"yes\", removed: true}, {from: a, label: \"no\", order: 2}]\n\
         procedures:\n  b: {removed: true}\n  a:\n    tags: [x]\n    kind: decision\n    \
         title: null\n    body: \"line 1\\n  line 2\\n\\n\"\n    automation: {z: 1, a: {y: 2, b: 5.0}}\n\
         owners: [me]\nkind: service\n",
    )
    .replace("kind: SERVICE\n", "");
    let yaml = round_trip(&docs(&text), &host());
    let expected = "\
format: light-runbook/v1
scope: ledger
name: Ledger
kind: SERVICE
owners:
- me
procedures:
  a:
    title: null
    kind: DECISION
    body: |+
      line 1
        line 2

    automation:
      a:
        b: 5.0
        \"y\": 2
      z: 1
    tags:
    - x
  b:
    removed: true
branches:
- from: a
  label: \"no\"
  order: 2
- from: a
  label: \"yes\"
  removed: true
entries:
  ERR00001: null
  \"*\": a
";
    assert_eq!(yaml, expected);
}

#[test]
fn scopes_come_parents_first_with_ties_by_id() {
    let text = [
        scope("svc", "lob, tmpl"),
        scope("zeta", ""),
        scope("tmpl", "fw"),
        scope("lob", "org"),
        scope("org", "fw, outside"),
        scope("fw", ""),
        scope("alpha", "zeta"),
    ]
    .join("---\n");
    let yaml = round_trip(&docs(&text), &host());
    assert_eq!(
        ids(&yaml),
        ["fw", "org", "lob", "tmpl", "svc", "zeta", "alpha"]
    );
}

#[test]
fn a_parent_cycle_does_not_stop_the_export() {
    let text = [
        scope("b", "a"),
        scope("a", "c"),
        scope("c", "b"),
        scope("d", "c"),
    ]
    .join("---\n");
    let yaml = round_trip(&docs(&text), &host());
    assert_eq!(ids(&yaml), ["a", "b", "c", "d"]);
}

#[test]
fn parents_on_another_host_do_not_order_the_scopes() {
    let text = format!(
        "{}---\nhost: acme.com\n{}",
        scope("child", "parent"),
        scope("parent", "")
    );
    let yaml = round_trip(&docs(&text), &host());
    assert_eq!(ids(&yaml), ["child", "parent"]);
}

#[test]
fn the_host_is_written_only_when_it_differs_from_the_default() {
    let text = format!("{}---\nhost: acme.com\n{}", scope("a", ""), scope("b", ""));
    let docs = docs(&text);
    let yaml = round_trip(&docs, &host());
    assert_eq!(yaml.matches("host:").count(), 1);
    assert!(yaml.contains("host: acme.com\nscope: b\n"), "{yaml}");
    let acme = Host::parse("acme.com").unwrap();
    let yaml = round_trip(&docs, &acme);
    assert!(yaml.contains("host: lightapi.net\nscope: a\n"), "{yaml}");
    assert!(!yaml.contains("host: acme.com"), "{yaml}");
}

#[test]
fn clears_absences_and_removals_survive_the_round_trip() {
    let text = with(
        "procedures:\n  a: {title: null, body: x}\n  b: {removed: true}\n  c: {}\n\
         branches:\n  - {from: a, label: x, to: null}\n  - {from: a, label: y, removed: true}\n\
         entries: {ERR10001: null}\nerrorCodes: {ERR10001: {severity: null}, ERR10002: {}}\n",
    );
    let yaml = round_trip(&docs(&text), &host());
    for line in [
        "  a:\n    title: null\n    body: x\n",
        "  b:\n    removed: true\n",
        "  c: {}\n",
    ] {
        assert!(yaml.contains(line), "{line:?} in\n{yaml}");
    }
    assert!(
        yaml.contains("  to: null\n") && yaml.contains("  ERR10001: null\n"),
        "{yaml}"
    );
}

#[test]
fn multi_line_text_is_written_as_a_literal_block() {
    let text =
        with("procedures:\n  a:\n    body: |\n      # Steps\n\n      1. Look.\n      2. Fix.\n");
    let yaml = round_trip(&docs(&text), &host());
    assert!(
        yaml.contains("    body: |\n      # Steps\n\n      1. Look.\n      2. Fix.\n"),
        "{yaml}"
    );
}

/// A document with `text` in every field that takes free text.
fn tricky_document(i: usize, text: &str) -> ScopeDocument {
    let mut doc = docs(&with(
        "contacts: [{name: n}]\nerrorCodes: {ERR10001: {}}\nprocedures: {a: {}}\n\
         branches: [{from: a, label: ok}]\n",
    ))
    .remove(0);
    let non_blank = if text.trim().is_empty() { "n" } else { text };
    let scope = &mut doc.scope;
    scope.id = ScopeId::parse(format!("s{i}")).unwrap();
    scope.name = non_blank.to_owned();
    scope.owners = vec![non_blank.to_owned()];
    scope.contacts = vec![Contact {
        name: non_blank.to_owned(),
        email: Some(text.to_owned()),
        phone: Some(text.to_owned()),
        chat: Some(text.to_owned()),
    }];
    let set = || Patch::Set(text.to_owned());
    let content = &mut doc.content;
    content.error_codes.values_mut().for_each(|e| {
        (e.message, e.description, e.severity) = (set(), set(), set());
    });
    let automation = json!({ text: text, "k": [text] });
    content.procedures.values_mut().for_each(|p| {
        *p = ProcedureChange::Patch(ProcedurePatch {
            title: set(),
            body: set(),
            tags: Patch::Set(vec![text.to_owned()]),
            automation: Patch::Set(automation.as_object().cloned().unwrap_or_default()),
            ..ProcedurePatch::default()
        });
    });
    let mut branches: Vec<_> = std::mem::take(&mut content.branches).into_iter().collect();
    if let Ok(label) = BranchLabel::parse(text) {
        branches[0].0.label = label;
    }
    branches[0].1 = BranchChange::Patch(BranchPatch {
        condition: set(),
        ..BranchPatch::default()
    });
    content.branches = branches.into_iter().collect();
    doc
}

#[test]
fn tricky_strings_round_trip_in_every_text_field() {
    let docs: Vec<_> = TRICKY
        .iter()
        .enumerate()
        .map(|(i, text)| tricky_document(i, text))
        .collect();
    for doc in &docs {
        round_trip(std::slice::from_ref(doc), &host());
    }
    round_trip(&docs, &host());
}

#[test]
fn the_full_example_round_trips_and_export_joins_single_documents() {
    let docs = docs(full_example());
    let yaml = round_trip(&docs, &host());
    let singles: Vec<_> = docs.iter().map(|d| to_document_yaml(d, &host())).collect();
    assert_eq!(yaml, singles.join("---\n"));
    assert!(
        yaml.starts_with("format: light-runbook/v1\nscope: light-4j\n"),
        "{yaml}"
    );
}

#[test]
fn nothing_exports_to_nothing() {
    assert_eq!(export(&[], &host()), "");
    assert!(parse_str("x.yml", "", &host()).unwrap().is_empty());
}
