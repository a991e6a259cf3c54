//! Lint: each rule on a runbook that breaks it, and a clean runbook that
//! breaks none.

use super::builder::*;
use crate::domain::{ProcedureKind, ScopeDocument};
use crate::resolve::{Severity, lint};

/// `org` (owned, with contacts) and `svc` below it: triage decides between a
/// restart (automated, with a failure branch) and an escalation.
fn clean() -> Vec<ScopeDocument> {
    let mut org = doc("org", ORGANIZATION, &[])
        .contact("Ops")
        .proc("triage", |p| {
            p.title("Triage").kind(ProcedureKind::Decision)
        })
        .proc("restart", |p| {
            p.title("Restart").kind(ProcedureKind::Automated)
        })
        .proc("done", |p| p.title("Done").kind(ProcedureKind::Resolution))
        .proc("page", |p| p.title("Page").kind(ProcedureKind::Escalation))
        .branch("triage", "pod stuck", "restart")
        .branch("triage", "unclear", "page")
        .branch("restart", "success", "done")
        .branch("restart", "failure", "page")
        .entry("*", "triage");
    org.scope.owners = vec!["role:ops".into()];
    let mut svc = doc("svc", SERVICE, &["org"]);
    svc.scope.owners = vec!["role:svc".into()];
    vec![org, svc]
}

fn codes(docs: &[ScopeDocument]) -> Vec<(&'static str, Option<String>)> {
    lint(&run(docs, "svc"))
        .into_iter()
        .map(|f| (f.code, f.key))
        .collect()
}

#[test]
fn a_runbook_every_path_of_which_ends_has_no_finding() {
    assert_eq!(codes(&clean()), []);
}

#[test]
fn a_loop_with_no_exit_and_a_dead_end_never_end() {
    let mut docs = clean();
    docs[1] = doc("svc", SERVICE, &["org"])
        .step("check", "Check")
        .step("again", "Again")
        .step("stuck", "Stuck")
        .branch("check", "retry", "again")
        .branch("again", "retry", "check")
        .branch("again", "give up", "stuck")
        .entry("ERR10001", "check");
    docs[1].scope.owners = vec!["role:svc".into()];
    let found = lint(&run(&docs, "svc"));
    let no_way_out: Vec<_> = (found.iter())
        .filter(|f| f.code == "NO_WAY_OUT")
        .map(|f| f.key.clone().unwrap_or_default())
        .collect();
    assert_eq!(no_way_out, ["again", "check", "stuck"]);
    assert!(
        found
            .iter()
            .all(|f| f.code != "NO_WAY_OUT" || f.severity == Severity::Error)
    );
    assert_eq!(
        found[0].scope.as_str(),
        "svc",
        "the scope that wrote them can fix them"
    );
}

#[test]
fn each_shape_rule_names_its_procedure_and_the_scope_that_wrote_it() {
    let mut docs = clean();
    docs[0] = docs[0]
        .clone()
        .proc("lonely", |p| {
            p.title("Lonely").kind(ProcedureKind::Decision)
        })
        .branch("lonely", "only", "done")
        .proc("retry", |p| p.title("Retry").kind(ProcedureKind::Automated))
        .branch("retry", "success", "done")
        .branch("triage", "retry", "retry")
        .branch("triage", "weird", "lonely")
        .entry("ERR10002", "done");
    let found = codes(&docs);
    for want in [
        ("DECISION_WITHOUT_CHOICE", Some("lonely".to_owned())),
        ("AUTOMATION_WITHOUT_FAILURE", Some("retry".to_owned())),
        ("ENTRY_IS_RESOLUTION", Some("ERR10002".to_owned())),
    ] {
        assert!(found.contains(&want), "{want:?} in {found:?}");
    }
}

#[test]
fn unreachable_steps_unowned_scopes_and_escalations_to_nobody_are_found() {
    let mut docs = clean();
    docs[0].scope.contacts.clear();
    docs[0] = docs[0]
        .clone()
        .step("orphan", "Orphan")
        .branch("orphan", "next", "done");
    docs[1].scope.owners.clear();
    let found = lint(&run(&docs, "svc"));
    let of = |code: &str| found.iter().find(|f| f.code == code).cloned();
    let orphan = of("UNREACHABLE").expect("unreachable");
    assert_eq!(
        (orphan.key.as_deref(), orphan.scope.as_str()),
        (Some("orphan"), "org")
    );
    let nobody = of("ESCALATION_WITHOUT_CONTACT").expect("no contact");
    assert_eq!(nobody.scope.as_str(), "svc", "the service can add contacts");
    assert_eq!(nobody.severity, Severity::Error);
    let unowned = of("NO_OWNER").expect("no owner");
    assert_eq!(
        (unowned.scope.as_str(), unowned.severity),
        ("svc", Severity::Info)
    );
    // Most severe first.
    assert!(found.windows(2).all(|w| w[0].severity >= w[1].severity));
}

#[test]
fn a_runbook_at_the_size_bound_is_linted_whole() {
    // 2,000 steps in one chain (the most procedures a document may hold),
    // ending in a resolution: every one has a way out, none is unreachable.
    let mut org = doc("org", ORGANIZATION, &[]).contact("Ops");
    org.scope.owners = vec!["role:ops".into()];
    for i in 0..1_999 {
        org = org.step(&format!("s{i}"), "Step").branch(
            &format!("s{i}"),
            "next",
            &format!("s{}", i + 1),
        );
    }
    org = org
        .proc("s1999", |p| p.title("Done").kind(ProcedureKind::Resolution))
        .entry("*", "s0");
    let mut svc = doc("svc", SERVICE, &["org"]);
    svc.scope.owners = vec!["role:svc".into()];
    assert_eq!(codes(&[org, svc]), []);
}

#[test]
fn placeholders_no_alert_fills_are_named_in_bodies_and_automation() {
    let mut docs = clean();
    docs[0] = docs[0].clone().proc("restart", |p| {
        p.title("Restart")
            .kind(ProcedureKind::Automated)
            .body("Restart {{serviceId}} for {{labels.team}}, ask {{ nope }} and {{also}}")
            .automation(serde_json::json!({"executor": "http", "input": {"url": "x/{{bogus}}/{{instance}}"}}))
    });
    let found = lint(&run(&docs, "svc"));
    let unknown: Vec<_> = found
        .iter()
        .filter(|f| f.code == "UNKNOWN_PLACEHOLDER")
        .collect();
    assert_eq!(unknown.len(), 1, "{found:?}");
    assert_eq!(unknown[0].key.as_deref(), Some("restart"));
    assert!(
        unknown[0]
            .message
            .contains("{{also}}, {{bogus}}, {{nope}} that no alert fills"),
        "{}",
        unknown[0].message
    );
}
