//! Procedures: field-level patches general to specific, removal and re-adding,
//! completeness, and where each procedure comes from.

use serde_json::json;

use super::builder::*;
use crate::domain::{ProcedureKind, ScopeDocument};
use crate::resolve::{EffectiveProcedure, Provenance, ResolveError, resolve};

/// An organization and a service below it, each with one layer for `a`.
fn two_layers(org: impl FnOnce(P) -> P, svc: impl FnOnce(P) -> P) -> Vec<ScopeDocument> {
    vec![
        doc("org", ORGANIZATION, &[]).proc("a", org),
        doc("svc", SERVICE, &["org"]).proc("a", svc),
    ]
}

fn only(docs: &[ScopeDocument], service: &str) -> EffectiveProcedure {
    let runbook = run(docs, service);
    assert_eq!(runbook.procedures.len(), 1);
    runbook.procedures[0].clone()
}

fn full(p: P) -> P {
    p.title("Org title")
        .kind(ProcedureKind::Decision)
        .body("org body")
        .tags(&["kafka", "auth"])
        .automation(json!({"executor": "ansible", "input": {"a": 1, "b": 2}}))
}

#[test]
fn a_more_specific_scope_replaces_only_the_fields_it_gives() {
    type Check = fn(&EffectiveProcedure) -> bool;
    type Case<'a> = (&'a str, fn(P) -> P, Check);
    let cases: &[Case] = &[
        (
            "an absent field inherits",
            |p| p,
            |e| {
                e.title == "Org title"
                    && e.body.as_deref() == Some("org body")
                    && e.tags == ["kafka", "auth"]
            },
        ),
        (
            "a given field replaces the inherited value",
            |p| p.title("Svc title"),
            |e| {
                e.title == "Svc title"
                    && e.kind == ProcedureKind::Decision
                    && e.body.as_deref() == Some("org body")
            },
        ),
        (
            "null clears the inherited value",
            |p| p.clear_body(),
            |e| e.body.is_none() && e.title == "Org title",
        ),
        (
            "a list is replaced whole",
            |p| p.tags(&["payments"]),
            |e| e.tags == ["payments"],
        ),
        (
            "cleared tags are an empty list",
            |p| p.clear_tags(),
            |e| e.tags.is_empty(),
        ),
        (
            "an object is replaced whole, without deep merge",
            |p| p.automation(json!({"input": {"a": 3}})),
            |e| {
                e.automation
                    .as_ref()
                    .map(|a| serde_json::Value::Object(a.clone()))
                    == Some(json!({"input": {"a": 3}}))
            },
        ),
        (
            "another kind replaces the kind",
            |p| p.kind(ProcedureKind::Automated),
            |e| e.kind == ProcedureKind::Automated,
        ),
    ];
    for (name, svc, check) in cases {
        let effective = only(&two_layers(full, svc), "svc");
        assert!(check(&effective), "{name}: {effective:?}");
    }
}

#[test]
fn tags_never_given_are_an_empty_list_and_optional_fields_none() {
    let docs = [doc("svc", SERVICE, &[]).step("a", "A")];
    let a = only(&docs, "svc");
    assert!(a.tags.is_empty());
    assert_eq!((a.body, a.automation), (None, None));
}

#[test]
fn a_removed_procedure_is_hidden_and_listed_with_the_scope_that_removed_it() {
    let docs = [
        doc("org", ORGANIZATION, &[]).step("a", "A").step("b", "B"),
        doc("lob", LINE_OF_BUSINESS, &["org"]).remove("b"),
        doc("svc", SERVICE, &["lob"]),
    ];
    let runbook = run(&docs, "svc");
    assert_eq!(proc_keys(&runbook), ["a"]);
    assert_eq!(removed_names(&runbook), ["procedure b by lob"]);
}

#[test]
fn a_procedure_re_added_after_a_removal_starts_from_scratch() {
    let docs = [
        doc("org", ORGANIZATION, &[]).proc("a", full),
        doc("lob", LINE_OF_BUSINESS, &["org"]).remove("a"),
        doc("tpl", TEMPLATE, &["lob"]).proc("a", |p| p.body("tpl body")),
        doc("tpl2", TEMPLATE, &["tpl"]).remove("a"),
        doc("svc", SERVICE, &["tpl2"]).proc("a", |p| p.title("Fresh").kind(ProcedureKind::Step)),
    ];
    let runbook = run(&docs, "svc");
    let a = &runbook.procedures[0];
    assert_eq!((a.title.as_str(), a.kind), ("Fresh", ProcedureKind::Step));
    assert_eq!(
        (&a.body, &a.automation, a.tags.is_empty()),
        (&None, &None, true)
    );
    assert_eq!(a.source.origin, id("svc"));
    assert_eq!(a.source.layers, ids(&["svc"]));
    assert_eq!(a.source.provenance, Provenance::Local);
    assert!(
        runbook.removed.is_empty(),
        "re-added, so no removal is in force"
    );
}

#[test]
fn a_procedure_without_title_or_kind_after_merging_is_an_error() {
    let incomplete = |scope: &str, missing: Vec<&'static str>| ResolveError::IncompleteProcedure {
        service: id("svc"),
        scope: id(scope),
        key: key("a"),
        missing,
    };
    let cases: Vec<(&str, Vec<ScopeDocument>, ResolveError)> = vec![
        (
            "no title anywhere",
            two_layers(|p| p.kind(ProcedureKind::Step), |p| p.body("x")),
            incomplete("svc", vec!["title"]),
        ),
        (
            "no kind anywhere",
            two_layers(|p| p.title("A"), |p| p),
            incomplete("svc", vec!["kind"]),
        ),
        (
            "neither",
            two_layers(|p| p.body("x"), |p| p.tags(&[])),
            incomplete("svc", vec!["title", "kind"]),
        ),
        (
            "a title cleared by the service",
            two_layers(full, |p| p.clear_title()),
            incomplete("svc", vec!["title"]),
        ),
        (
            "re-added after a removal without the old fields",
            vec![
                doc("org", ORGANIZATION, &[]).proc("a", full),
                doc("tpl", TEMPLATE, &["org"]).remove("a"),
                doc("tpl2", TEMPLATE, &["tpl"]).proc("a", |p| p.title("Only a title")),
                doc("svc", SERVICE, &["tpl2"]),
            ],
            incomplete("tpl2", vec!["kind"]),
        ),
    ];
    for (name, docs, expected) in cases {
        assert_eq!(resolve(&id("svc"), &docs, None), Err(expected), "{name}");
    }
}

#[test]
fn an_incomplete_procedure_error_names_service_scope_key_and_fields() {
    let docs = two_layers(|p| p.body("x"), |p| p);
    let error = resolve(&id("svc"), &docs, None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "procedure a is incomplete in the lineage of svc: no title and kind after merging (last defined by svc)"
    );
    assert_eq!(error.code(), "INCOMPLETE_PROCEDURE");
}

#[test]
fn a_key_completed_by_a_sibling_template_resolves() {
    let docs = [
        doc("org", ORGANIZATION, &[]).proc("a", |p| p.kind(ProcedureKind::Step)),
        doc("kafka", TEMPLATE, &["org"]).proc("a", |p| p.body("kafka body")),
        doc("rest", TEMPLATE, &["org"]).proc("a", |p| p.title("From rest")),
        doc("svc", SERVICE, &["kafka", "rest"]),
    ];
    let a = only(&docs, "svc");
    assert_eq!(
        (a.title.as_str(), a.body.as_deref()),
        ("From rest", Some("kafka body"))
    );
    assert_eq!(a.source.layers, ids(&["org", "rest", "kafka"]));
}

#[test]
fn provenance_origin_and_layers_are_relative_to_the_service_asked_about() {
    let docs = [
        doc("org", ORGANIZATION, &[])
            .step("inherited", "I")
            .step("overridden", "O"),
        doc("lob", LINE_OF_BUSINESS, &["org"]).proc("overridden", |p| p.body("lob")),
        doc("tpl", TEMPLATE, &["lob"]),
        doc("svc", SERVICE, &["tpl"])
            .proc("overridden", |p| p.body("svc"))
            .step("local", "L"),
        doc("other", SERVICE, &["tpl"]),
    ];
    let cases: &[(&str, &str, Provenance, &str, &[&str])] = &[
        ("svc", "inherited", Provenance::Inherited, "org", &["org"]),
        (
            "svc",
            "overridden",
            Provenance::Overridden,
            "org",
            &["org", "lob", "svc"],
        ),
        ("svc", "local", Provenance::Local, "svc", &["svc"]),
        (
            "other",
            "overridden",
            Provenance::Inherited,
            "org",
            &["org", "lob"],
        ),
        (
            "tpl",
            "overridden",
            Provenance::Inherited,
            "org",
            &["org", "lob"],
        ),
        (
            "lob",
            "overridden",
            Provenance::Overridden,
            "org",
            &["org", "lob"],
        ),
    ];
    for (service, k, provenance, origin, layers) in cases {
        let runbook = run(&docs, service);
        let p = runbook.procedures.iter().find(|p| p.key == key(k)).unwrap();
        let source = (&p.source.provenance, &p.source.origin, &p.source.layers);
        assert_eq!(
            source,
            (provenance, &id(origin), &ids(layers)),
            "{service} {k}"
        );
    }
}
