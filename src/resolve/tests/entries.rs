//! Entries (nearest scope wins, `null` removes, exact before `*`) and error
//! codes (field-level patches with their source).

use super::builder::*;
use crate::domain::ScopeDocument;
use crate::resolve::{Provenance, ResolveError, WarningCode};

/// `org` has procedures `a`, `b`, `c` and `fallback`, the entries
/// ERR10001 → a and `*` → fallback, and registers ERR10001.
fn platform(lob: ScopeDocument, svc: ScopeDocument) -> Vec<ScopeDocument> {
    vec![
        doc("org", ORGANIZATION, &[])
            .step("a", "A")
            .step("b", "B")
            .step("c", "C")
            .step("fallback", "Fallback")
            .entry("ERR10001", "a")
            .entry("*", "fallback")
            .error_code("ERR10001", |e| {
                e.status(401).message("TOKEN_EXPIRED").severity("ERROR")
            }),
        lob,
        svc,
    ]
}

fn lob() -> ScopeDocument {
    doc("lob", LINE_OF_BUSINESS, &["org"])
}

fn svc() -> ScopeDocument {
    doc("svc", SERVICE, &["lob"])
}

#[test]
fn the_entry_for_a_code_is_chosen_exact_first_then_star() {
    // (case, lob, svc, error code, entry used, warnings)
    type Case<'a> = (
        &'a str,
        ScopeDocument,
        ScopeDocument,
        &'a str,
        &'a str,
        &'a [&'a str],
    );
    let cases: &[Case] = &[
        ("an exact entry", lob(), svc(), "ERR10001", "a", &[]),
        (
            "no exact entry: the star",
            lob(),
            svc(),
            "ERR20002",
            "fallback",
            &[],
        ),
        (
            "the nearest scope's exact entry",
            lob().entry("ERR10001", "b"),
            svc().entry("ERR10001", "c"),
            "ERR10001",
            "c",
            &[],
        ),
        (
            "an exact entry removed with null",
            lob().no_entry("ERR10001"),
            svc(),
            "ERR10001",
            "fallback",
            &[],
        ),
        (
            "an exact entry to a removed procedure",
            lob().remove("a"),
            svc(),
            "ERR10001",
            "fallback",
            &["ENTRY_NOT_EFFECTIVE org ERR10001"],
        ),
        (
            "an exact entry to a key never defined",
            lob(),
            svc().entry("ERR10001", "ghost"),
            "ERR10001",
            "fallback",
            &["ENTRY_NOT_EFFECTIVE svc ERR10001"],
        ),
        (
            "the star of a nearer scope",
            lob().entry("*", "b"),
            svc(),
            "ERR30003",
            "b",
            &[],
        ),
    ];
    for (name, lob, svc, error_code, entry, warnings) in cases {
        let docs = platform(lob.clone(), svc.clone());
        let runbook = run_code(&docs, "svc", error_code).unwrap();
        assert_eq!(runbook.entry, Some(key(entry)), "{name}");
        assert_eq!(runbook.entries.len(), 1, "{name}: only the entry used");
        assert_eq!(runbook.entries[0].key, key(entry), "{name}");
        assert_eq!(warning_names(&runbook), *warnings, "{name}");
    }
}

#[test]
fn no_usable_entry_is_an_error_naming_service_and_code() {
    let cases = [
        (
            "no entry at all",
            vec![doc("svc", SERVICE, &[]).step("a", "A")],
        ),
        (
            "both entries removed with null",
            platform(lob().no_entry("*"), svc().no_entry("ERR10001")),
        ),
        (
            "both entries lead to removed procedures",
            platform(lob(), svc().remove("a").remove("fallback")),
        ),
    ];
    for (name, docs) in cases {
        let error = run_code(&docs, "svc", "ERR10001").unwrap_err();
        assert_eq!(
            error,
            ResolveError::NoEntry {
                service: id("svc"),
                code: code("ERR10001")
            },
            "{name}"
        );
        assert_eq!(
            error.to_string(),
            "service svc has no runbook entry for ERR10001"
        );
    }
}

#[test]
fn the_used_entry_tells_which_scope_set_it_and_how() {
    let docs = platform(lob(), svc().entry("ERR10001", "b"));
    let entry = &run_code(&docs, "svc", "ERR10001").unwrap().entries[0];
    assert_eq!(
        (&entry.scope, entry.provenance),
        (&id("svc"), Provenance::Overridden)
    );
    let entry = &run_code(&platform(lob(), svc()), "svc", "ERR10001")
        .unwrap()
        .entries[0];
    assert_eq!(
        (&entry.scope, entry.provenance),
        (&id("org"), Provenance::Inherited)
    );
}

#[test]
fn without_a_code_every_usable_entry_is_listed_by_code_with_the_star_last() {
    let docs = platform(
        lob()
            .entry("ERR00001", "b")
            .entry("ERR99999", "c")
            .no_entry("ERR10001"),
        svc()
            .step("local", "Local")
            .entry("ERR50000", "ghost")
            .entry("ERR00002", "local"),
    );
    let runbook = run(&docs, "svc");
    assert_eq!(
        entry_names(&runbook),
        [
            "ERR00001->b",
            "ERR00002->local",
            "ERR99999->c",
            "*->fallback"
        ]
    );
    assert_eq!(
        warning_names(&runbook),
        ["ENTRY_NOT_EFFECTIVE svc ERR50000"]
    );
    assert_eq!(runbook.warnings[0].code, WarningCode::EntryNotEffective);
    assert_eq!(
        runbook.warnings[0].message,
        "entry ERR50000 (set by svc) is skipped: procedure ghost is not effective"
    );
    assert_eq!(runbook.entry, None);
    assert_eq!(removed_names(&runbook), ["entry ERR10001 by lob"]);
}

#[test]
fn an_error_code_merges_field_by_field_with_its_source() {
    let docs = platform(
        lob(),
        svc().error_code("ERR10001", |e| e.severity("CRITICAL")),
    );
    let runbook = run_code(&docs, "svc", "ERR10001").unwrap();
    let ec = runbook.error_code.unwrap();
    assert_eq!(ec.code, code("ERR10001"));
    assert_eq!(
        (ec.status_code, ec.message.as_deref()),
        (Some(401), Some("TOKEN_EXPIRED"))
    );
    assert_eq!(
        (ec.severity.as_deref(), ec.description),
        (Some("CRITICAL"), None)
    );
    assert_eq!(
        (ec.source.origin, ec.source.layers),
        (id("org"), ids(&["org", "svc"]))
    );
    assert_eq!(ec.source.provenance, Provenance::Overridden);
}

#[test]
fn an_unregistered_code_has_no_error_code_but_still_resolves_through_the_star() {
    let runbook = run_code(&platform(lob(), svc()), "svc", "ERR77777").unwrap();
    assert_eq!(runbook.error_code, None);
    assert_eq!(runbook.entry, Some(key("fallback")));
}

#[test]
fn a_whole_runbook_has_no_error_code() {
    assert_eq!(run(&platform(lob(), svc()), "svc").error_code, None);
}
