//! The README's worked example resolves exactly as the README says.

use light_runbook::{
    domain::{ErrorCode, Host, ScopeId},
    format,
    resolve::{Catalog, Provenance, RemovedItem, WarningCode},
};

const EXAMPLE: &str = include_str!("../fixtures/examples/worked-example.yml");
const README: &str = include_str!("../README.md");

fn catalog(text: &str) -> Catalog {
    let host = Host::parse("lightapi.net").expect("host");
    let docs = format::parse_str("worked-example.yml", text, &host).expect("parses");
    Catalog::new(docs.into_iter().map(|d| d.doc))
}

fn id(s: &str) -> ScopeId {
    ScopeId::parse(s).expect("id")
}

#[test]
fn the_readme_shows_the_example_file_verbatim() {
    let body = EXAMPLE
        .split_once('\n')
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    assert!(
        README.contains(body),
        "README's worked example differs from fixtures/examples/worked-example.yml"
    );
}

#[test]
fn the_worked_example_resolves_as_the_readme_says() {
    let catalog = catalog(EXAMPLE);
    let ledger = id("com.acme.ledger-1.0.0");
    let code = ErrorCode::parse("ERR10001").expect("code");
    let rb = catalog.resolve(&ledger, Some(&code)).expect("resolves");
    assert_eq!(rb.entry.as_ref().map(|k| k.as_str()), Some("token-expired"));
    let first = &rb.procedures[0];
    assert_eq!(first.title, "Token expired");
    assert!(first.body.as_deref().unwrap_or_default().contains("vault"));
    assert_eq!(first.source.provenance, Provenance::Overridden);
    assert_eq!(first.source.origin, id("light-4j"));
    assert_eq!(first.source.layers, [id("light-4j"), ledger.clone()]);
    assert_eq!(rb.procedures[1].key.as_str(), "escalate");
    assert_eq!(rb.procedures[1].source.provenance, Provenance::Inherited);

    let whole = catalog.resolve(&ledger, None).expect("resolves");
    let keys: Vec<&str> = whole.procedures.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["escalate", "token-expired", "triage"]);
    let unclear = whole
        .branches
        .iter()
        .find(|b| b.label.as_str() == "unclear")
        .expect("branch");
    assert_eq!(unclear.to.as_str(), "escalate");
    assert_eq!(unclear.source.provenance, Provenance::Overridden);
    assert!(whole.removed.iter().any(|r| r.scope == ledger
        && matches!(&r.item, RemovedItem::Procedure { key } if key.as_str() == "debug-logging")));
    assert!(whole.warnings.is_empty());
}

#[test]
fn removing_the_escalation_instead_leaves_a_dangling_branch_warning() {
    let text = EXAMPLE
        .replace(
            "  debug-logging: {removed: true}",
            "  escalate: {removed: true}",
        )
        .replace(
            "branches:\n  - {from: triage, label: \"unclear\", to: escalate}        # redirect\n",
            "",
        );
    let rb = catalog(&text)
        .resolve(&id("com.acme.ledger-1.0.0"), None)
        .expect("resolves");
    assert_eq!(rb.warnings.len(), 1, "{:?}", rb.warnings);
    assert_eq!(rb.warnings[0].code, WarningCode::DanglingBranch);
    assert_eq!(
        rb.warnings[0].key.as_deref(),
        Some("token-expired/still failing")
    );
}
