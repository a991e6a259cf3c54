//! What valid documents parse to: kinds in any case, hosts, layers (absent,
//! null, value, removed), empty documents, YAML typing and positions.

use serde_json::json;

use super::{MINIMAL, doc, docs, host, parse, with};
use crate::domain::{
    BranchChange, BranchId, BranchLabel, BranchPatch, EntryCode, ErrorCode, Host, Patch,
    ProcedureChange, ProcedureKey, ProcedureKind, ScopeKind,
};

fn key(k: &str) -> ProcedureKey {
    ProcedureKey::parse(k).unwrap()
}

fn branch_id(from: &str, label: &str) -> BranchId {
    BranchId {
        from: key(from),
        label: BranchLabel::parse(label).unwrap(),
    }
}

fn patch_of(change: Option<&ProcedureChange>) -> &crate::domain::ProcedurePatch {
    match change {
        Some(ProcedureChange::Patch(p)) => p,
        other => panic!("not a patch: {other:?}"),
    }
}

#[test]
fn kinds_are_read_in_any_letter_case() {
    for (text, kind) in [
        ("line_of_business", ScopeKind::LineOfBusiness),
        ("Line_Of_Business", ScopeKind::LineOfBusiness),
        ("FRAMEWORK", ScopeKind::Framework),
        ("template", ScopeKind::Template),
    ] {
        let d = doc(&format!("scope: a\nname: A\nkind: {text}\n"));
        assert_eq!(d.scope.kind, kind, "{text}");
    }
    let d = doc(&with(
        "procedures: {a: {kind: decision}, b: {kind: Escalation}}\n",
    ));
    let kinds: Vec<_> = d
        .content
        .procedures
        .values()
        .map(|c| patch_of(Some(c)).kind.clone())
        .collect();
    assert_eq!(
        kinds,
        [
            Patch::Set(ProcedureKind::Decision),
            Patch::Set(ProcedureKind::Escalation)
        ]
    );
}

#[test]
fn an_absent_host_is_the_default_and_an_explicit_one_is_kept() {
    assert_eq!(doc(MINIMAL).scope.host, host());
    let d = doc(&format!("host: acme.com\n{MINIMAL}"));
    assert_eq!(d.scope.host, Host::parse("acme.com").unwrap());
}

#[test]
fn the_same_scope_id_on_two_hosts_is_two_scopes() {
    let text = format!("{MINIMAL}---\nhost: acme.com\n{MINIMAL}");
    assert_eq!(docs(&text).len(), 2);
}

#[test]
fn null_clears_and_absent_inherits() {
    let d = doc(&with(
        "procedures:\n  a: {title: null, kind: ~, body:}\n  b: {}\n\
         branches: [{from: a, label: x, to: null, order: 2}]\n\
         entries: {ERR10001: null, \"*\": a}\n\
         errorCodes: {ERR10001: {severity: null, statusCode: 404}}\n",
    ));
    let a = patch_of(d.content.procedures.get(&key("a")));
    assert_eq!(
        (&a.title, &a.kind, &a.body),
        (&Patch::Clear, &Patch::Clear, &Patch::Clear)
    );
    assert_eq!((&a.tags, &a.automation), (&Patch::Absent, &Patch::Absent));
    let b = patch_of(d.content.procedures.get(&key("b")));
    assert_eq!(b, &crate::domain::ProcedurePatch::default());
    assert_eq!(
        d.content.branches.get(&branch_id("a", "x")),
        Some(&BranchChange::Patch(BranchPatch {
            to: Patch::Clear,
            condition: Patch::Absent,
            order: Patch::Set(2),
        }))
    );
    let code = EntryCode::parse("ERR10001").unwrap();
    assert_eq!(d.content.entries.get(&code), Some(&None));
    assert_eq!(
        d.content.entries.get(&EntryCode::Default),
        Some(&Some(key("a")))
    );
    let e = &d.content.error_codes[&ErrorCode::parse("ERR10001").unwrap()];
    assert_eq!(
        (&e.severity, &e.status_code),
        (&Patch::Clear, &Patch::Set(404))
    );
    assert_eq!(e.message, Patch::Absent);
}

#[test]
fn removed_alone_is_a_tombstone_and_a_branch_keeps_its_identity_beside_it() {
    let d = doc(&with(
        "procedures: {a: {removed: true}}\nbranches: [{from: a, label: \"no\", removed: true}]\n",
    ));
    assert_eq!(
        d.content.procedures.get(&key("a")),
        Some(&ProcedureChange::Removed)
    );
    assert_eq!(
        d.content.branches.get(&branch_id("a", "no")),
        Some(&BranchChange::Removed)
    );
}

#[test]
fn empty_documents_are_skipped_but_counted() {
    let text = format!("---\n---\n# nothing here\n---\n{MINIMAL}---\n");
    let parsed = parse(&text).unwrap();
    assert_eq!(parsed.len(), 1);
    assert_eq!((parsed[0].index, parsed[0].line), (3, 5));
    assert!(parse("").unwrap().is_empty());
    assert!(parse("---\n---\n").unwrap().is_empty());
}

#[test]
fn the_document_line_is_the_line_of_scope() {
    let parsed = parse(&format!(
        "# header\nname: N\nkind: service\nscope: s\n---\n{MINIMAL}"
    ))
    .unwrap();
    let places: Vec<_> = parsed
        .iter()
        .map(|d| (d.file.as_str(), d.index, d.line))
        .collect();
    assert_eq!(places, [("t.yml", 1, 4), ("t.yml", 2, 6)]);
}

#[test]
fn yaml_1_2_typing_quoted_scalars_and_whole_floats() {
    let d = doc(
        "scope: \"2024\"\nname: 'true'\nkind: SERVICE\nowners: [yes, no, \"1.0\", '~']\n\
         branches: [{from: a, label: yes, order: 3.0}]\n\
         errorCodes: {ERR10001: {statusCode: 4.04e2}}\n",
    );
    assert_eq!(
        (d.scope.id.as_str(), d.scope.name.as_str()),
        ("2024", "true")
    );
    assert_eq!(d.scope.owners, ["yes", "no", "1.0", "~"]);
    let change = d.content.branches.get(&branch_id("a", "yes"));
    assert!(
        matches!(change, Some(BranchChange::Patch(p)) if p.order == Patch::Set(3)),
        "{change:?}"
    );
    let code = &d.content.error_codes[&ErrorCode::parse("ERR10001").unwrap()];
    assert_eq!(code.status_code, Patch::Set(404));
}

#[test]
fn automation_is_any_json_object() {
    let d = doc(&with(
        "procedures:\n  a:\n    automation:\n      executor: http\n      retries: 3\n      \
         ratio: 0.5\n      input: {url: 'https://x', headers: [a, null, true]}\n",
    ));
    let a = patch_of(d.content.procedures.get(&key("a")));
    let expected = json!({
        "executor": "http", "retries": 3, "ratio": 0.5,
        "input": {"url": "https://x", "headers": ["a", null, true]}
    });
    assert_eq!(
        a.automation
            .as_set()
            .map(|m| serde_json::Value::Object(m.clone())),
        Some(expected)
    );
}

#[test]
fn anchors_aliases_and_merge_keys_work() {
    let d = doc(&with(
        "procedures:\n  a: &base {title: Base, kind: STEP}\n  b:\n    <<: *base\n    title: B\n",
    ));
    let b = patch_of(d.content.procedures.get(&key("b")));
    assert_eq!(b.title, Patch::Set("B".to_owned()));
    assert_eq!(b.kind, Patch::Set(ProcedureKind::Step));
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_accepted() {
    let text = format!("\u{feff}{}", MINIMAL.replace('\n', "\r\n"));
    assert_eq!(doc(&text).scope.name, "Ledger");
}

#[test]
fn contacts_parents_and_owners_keep_their_order() {
    let d = doc(&with(
        "parents: [z, a]\nowners: [me, role:sre]\ncontacts:\n  - {name: Ops, email: o@x, phone: '1', chat: '#ops'}\n  - name: Dev\n",
    ));
    let parents: Vec<_> = d.scope.parents.iter().map(|p| p.as_str()).collect();
    assert_eq!(parents, ["z", "a"]);
    assert_eq!(d.scope.owners, ["me", "role:sre"]);
    let names: Vec<_> = d.scope.contacts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Ops", "Dev"]);
    assert_eq!(d.scope.contacts[0].chat.as_deref(), Some("#ops"));
}
