//! Branch conditions are bounded at every write: a condition past the size,
//! token or nesting bound is refused with BAD_USER_INPUT naming the branch,
//! over GraphQL (createBranch, updateBranch, importRunbook) and in the CLI
//! (`check`, `import`); the store is unchanged and the server goes on
//! answering. Prose conditions stay valid.

mod common;

use std::process::Command;

use common::{TestApp, spawn_demo_app};
use serde_json::{Value, json};

const LEDGER: &str = "com.acme.payments.ledger-1.0.0";
const BIN: &str = env!("CARGO_BIN_EXE_light-runbook");

const CREATE: &str = r#"mutation ($scope: String!, $label: String!, $condition: String) {
  createBranch(scopeId: $scope, from: "triage", label: $label, input: { to: "token-expired", condition: $condition }) { changeId }
}"#;

const UPDATE: &str = r#"mutation ($scope: String!, $label: String!, $condition: String) {
  updateBranch(scopeId: $scope, from: "triage", label: $label, input: { condition: $condition }) { changeId }
}"#;

const IMPORT: &str = "mutation ($yaml: String!) { importRunbook(yaml: $yaml) { changeId scopes } }";

/// Conditions each past one bound, named for the assertion messages.
fn hostile() -> Vec<(&'static str, String)> {
    let nested_chain = |n: usize| {
        let mut text = "x == 0".to_owned();
        for i in 1..n {
            let op = if i % 2 == 0 { "and" } else { "or" };
            text = format!("(x == {i} {op} {text})");
        }
        text
    };
    let flat_chain = (0..100)
        .map(|i| format!("a{i} == {i} and b{i}"))
        .collect::<Vec<_>>()
        .join(" || ");
    vec![
        ("10,000 `not`", format!("{}true", "not ".repeat(10_000))),
        ("10,000 `(`", "(".repeat(10_000)),
        ("a 1 MB condition", "x".repeat(1_000_000)),
        ("40 nested `not`", format!("{}true", "not ".repeat(40))),
        ("and/or nested 40 deep", nested_chain(40)),
        ("a flat and/or chain of 500 tokens", flat_chain),
    ]
}

async fn history_count(app: &TestApp) -> usize {
    let query =
        "query ($s: String!) { history(scopeId: $s, first: 500) { edges { node { changeId } } } }";
    let history = app.data(query, json!({ "s": LEDGER })).await;
    history["history"]["edges"].as_array().map_or(0, Vec::len)
}

async fn branch_condition(app: &TestApp, label: &str) -> Value {
    let query =
        "query ($s: String!) { runbook(serviceId: $s) { branches { from label condition } } }";
    let data = app.data(query, json!({ "s": LEDGER })).await;
    data["runbook"]["branches"]
        .as_array()
        .and_then(|list| {
            list.iter()
                .find(|b| b["from"] == "triage" && b["label"] == label)
        })
        .map_or(Value::Null, |b| b["condition"].clone())
}

fn assert_refused_naming(response: &Value, field: &str, branch: &str, what: &str) {
    let error = &response["errors"][0];
    assert_eq!(
        error["extensions"]["code"], "BAD_USER_INPUT",
        "{what}: {error:#}"
    );
    assert_eq!(error["extensions"]["field"], field, "{what}: {error:#}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains(branch), "{what}: {message}");
    assert!(
        message.len() < 2_000,
        "{what}: the answer does not echo the condition"
    );
}

#[tokio::test]
async fn conditions_past_the_bounds_are_refused_by_branch_mutations_and_nothing_changes() {
    let app = spawn_demo_app().await;
    let prose =
        json!({ "scope": LEDGER, "label": "unclear", "condition": "clock skew under 5 seconds" });
    app.data(CREATE, prose).await;
    let recorded = history_count(&app).await;
    let named = "the branch from `triage` labelled `unclear`";
    for (what, condition) in hostile() {
        for (mutation, label) in [(UPDATE, "unclear"), (CREATE, "new")] {
            let vars = json!({ "scope": LEDGER, "label": label, "condition": condition });
            let refused = app.graphql(mutation, vars).await;
            let field = format!("branches[triage/{label}].condition");
            let branch = named.replace("unclear", label);
            assert_refused_naming(&refused, &field, &branch, what);
        }
    }
    assert_eq!(history_count(&app).await, recorded, "nothing was written");
    assert_eq!(
        branch_condition(&app, "unclear").await,
        "clock skew under 5 seconds"
    );
    assert_eq!(branch_condition(&app, "new").await, Value::Null);
    // The server still answers, and an expression within the bounds is taken.
    let fine = json!({ "scope": LEDGER, "label": "unclear", "condition": "not (statusCode in [401, 403])" });
    app.data(UPDATE, fine).await;
    assert_eq!(history_count(&app).await, recorded + 1);
}

fn document(condition: &str) -> String {
    format!(
        "scope: com.acme.bounded-1.0.0\nname: Bounded\nkind: SERVICE\nparents: [acme]\n\
         procedures:\n  a: {{title: A, kind: DECISION}}\n  b: {{title: B, kind: RESOLUTION}}\n\
         branches:\n  - {{from: a, label: unclear, to: b, condition: {}}}\nentries: {{ERR10001: a}}\n",
        json!(condition)
    )
}

#[tokio::test]
async fn import_runbook_refuses_a_condition_past_the_bounds_with_its_position() {
    let app = spawn_demo_app().await;
    let scopes = "{ scopes(first: 500) { edges { node { id } } } }";
    let before = app.data(scopes, json!({})).await;
    for (what, condition) in hostile() {
        let refused = app
            .graphql(IMPORT, json!({ "yaml": document(&condition) }))
            .await;
        let branch = "the branch from `a` labelled `unclear`";
        assert_refused_naming(&refused, "branches[0].condition", branch, what);
        let message = refused["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("line 9"), "{what}: {message}");
    }
    assert_eq!(
        app.data(scopes, json!({})).await,
        before,
        "nothing was written"
    );
    let prose = "retry once the clock skew is under 5 seconds (see the NTP runbook)";
    let written = app.data(IMPORT, json!({ "yaml": document(prose) })).await;
    assert_eq!(
        written["importRunbook"]["scopes"],
        json!(["com.acme.bounded-1.0.0"])
    );
}

/// Runs the binary: whether it succeeded, its stdout and its stderr.
fn cli(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env_remove("RUNBOOK_STORE")
        .env_remove("RUNBOOK_CHECK_STORE")
        .output()
        .expect("binary runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn the_cli_check_and_import_refuse_a_condition_past_the_bounds_and_write_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = format!("sqlite://{}", dir.path().join("runbooks.db").display());
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo");
    let (ok, _, stderr) = cli(&["import", "--store", &store, demo]);
    assert!(ok, "{stderr}");
    let export = || cli(&["export", "--store", &store]).1;
    let before = export();
    for (what, condition) in hostile().into_iter().take(5) {
        let file = dir.path().join("bounded.yml");
        std::fs::write(&file, document(&condition)).expect("written");
        let file = file.to_str().expect("utf-8 path");
        for args in [vec!["check", file], vec!["import", "--store", &store, file]] {
            let (ok, _, stderr) = cli(&args);
            assert!(!ok, "{what}: {args:?} succeeded");
            assert!(stderr.contains("branches[0].condition"), "{what}: {stderr}");
            assert!(stderr.contains("labelled `unclear`"), "{what}: {stderr}");
        }
    }
    assert_eq!(export(), before, "the store is unchanged");
}
