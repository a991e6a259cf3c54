//! `docs/format.md` must tell the truth: its error examples are what the
//! parser says, and its full example means what the text says it means.

use super::{docs, full_example, host};
use crate::{
    domain::{BranchChange, EntryCode, Patch, ProcedureChange, ProcedureKey},
    format::{check_unique_scopes, parse_str},
};

const REFERENCE: &str = include_str!("../../../docs/format.md");

/// The lines of the ```text block after "For example:" in the Errors section.
fn documented_errors() -> Vec<&'static str> {
    let after = REFERENCE
        .split("For example:")
        .nth(1)
        .expect("an error example");
    let block = after
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a text block");
    block.lines().collect()
}

const ACME: &str = "scope: acme\nname: Acme\nkind: ORGANIZATION\n---\n\
scope: com.acme.ledger-1.0.0\nname: Acme ledger\nkind: SERVICE\nparents: [acme]\n\
owners: [ledger-team]\ncontacts:\n  - name: Ledger on-call\nprocedures:\n  token-expired:\n    \
kind: STPE\n    title: Renew\n  triage:\n    title: Triage\n  escalate:\n    title: Escalate\n    \
removed: true\n---\nname: Other\nkind: SERVICE\nowners:\n  - a\n  - b\n  - c\n  - d\n  - e\n  \
- f\nscope: [\n";

#[test]
fn the_error_examples_in_the_reference_are_what_the_parser_says() {
    let mut said: Vec<String> = parse_str("runbooks/acme.yml", ACME, &host())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    let framework = "# the framework\nscope: light-4j\nname: light-4j\nkind: FRAMEWORK\n";
    let copy = "---\n# a copy\nscope: light-4j\nname: copy\nkind: framework\n";
    let mut both = parse_str("runbooks/light-4j.yml", framework, &host()).unwrap();
    both.extend(parse_str("runbooks/ledger.yml", copy, &host()).unwrap());
    said.extend(check_unique_scopes(&both).iter().map(ToString::to_string));
    assert_eq!(said, documented_errors());
}

#[test]
fn the_full_example_means_what_the_reference_says() {
    let docs = docs(full_example());
    let service = &docs[1];
    let key = |k: &str| ProcedureKey::parse(k).unwrap();
    let procedures = &service.content.procedures;
    assert_eq!(
        procedures.get(&key("escalate")),
        Some(&ProcedureChange::Removed)
    );
    assert!(matches!(
        procedures.get(&key("triage")),
        Some(ProcedureChange::Patch(p)) if p.tags == Patch::Clear && p.title == Patch::Absent
    ));
    let redirected = service
        .content
        .branches
        .iter()
        .find(|(id, _)| id.from == key("token-expired") && id.label.as_str() == "no");
    assert!(matches!(
        redirected,
        Some((_, BranchChange::Patch(p))) if p.to == Patch::Set(key("page-ledger"))
    ));
    assert_eq!(
        service.content.entries.get(&EntryCode::Default),
        Some(&None)
    );
    assert_eq!(service.scope.parents, [docs[0].scope.id.clone()]);
}
