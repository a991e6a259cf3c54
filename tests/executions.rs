//! Executions end to end over HTTP: automated runbooks run to resolution
//! against a real endpoint, failures and timeouts take the failure branch,
//! a mixed runbook waits for a person, invalid moves are refused, the
//! subscription streams the events, and a restart loses nothing.

mod common;
mod exec_support;

use common::Backend;
use exec_support::{Endpoint, ExecApp, Setup, events_of, kinds, light4j, spawn};
use light_runbook::writes::import::{ImportActor, check_import, commit_import};
use serde_json::{Value, json};

/// The text a reader of Markdown `source` sees.
fn rendered_text(source: &str) -> String {
    pulldown_cmark::Parser::new(source)
        .filter_map(|event| match event {
            pulldown_cmark::Event::Text(text) => Some(text.to_string()),
            _ => None,
        })
        .collect()
}

const AUTO: &str = "com.acme.auto-1.0.0";
const MIXED: &str = "com.acme.mixed-1.0.0";

/// A fully automated runbook (restart, then a decidable check) and a mixed
/// one (a person looks, a prose decision, then automation via a named executor).
fn runbooks(endpoint: &Endpoint, path: &str, extra: &str) -> String {
    format!(
        r#"
scope: com.acme.auto-1.0.0
name: Auto
kind: SERVICE
procedures:
  restart:
    title: Restart the pods
    kind: AUTOMATED
    body: "Restarts {{{{serviceId}}}} in {{{{environment}}}}."
    automation:
      executor: http
      url: "{url}{path}?service={{{{serviceId}}}}"
      body: {{serviceId: "{{{{serviceId}}}}", team: "{{{{labels.team}}}}"}}
      retries: 2
      backoffSeconds: 1
      {extra}
  check: {{title: Healthy again?, kind: DECISION}}
  done: {{title: Resolved, kind: RESOLUTION}}
  page: {{title: Page the owner, kind: ESCALATION}}
branches:
  - {{from: restart, label: success, to: check}}
  - {{from: restart, label: failure, to: page}}
  - {{from: check, label: healthy, to: done, condition: 'output.status == "ok" and output.count > 3', order: 1}}
  - {{from: check, label: unhealthy, to: page, order: 2}}
entries: {{ERR10001: restart}}
---
scope: com.acme.mixed-1.0.0
name: Mixed
kind: SERVICE
procedures:
  look: {{title: Look at the dashboard, kind: STEP, body: "Open {{{{labels.dashboard}}}} for {{{{serviceId}}}}"}}
  decide: {{title: Restart?, kind: DECISION}}
  restart: {{title: Restart, kind: AUTOMATED, automation: {{executor: ops, path: /ok}}}}
  done: {{title: Resolved, kind: RESOLUTION}}
  page: {{title: Page the owner, kind: ESCALATION}}
branches:
  - {{from: look, label: next, to: decide}}
  - {{from: decide, label: restart, to: restart, condition: "the operator thinks a restart helps", order: 1}}
  - {{from: decide, label: escalate, to: page, order: 2}}
  - {{from: restart, label: success, to: done}}
  - {{from: restart, label: failure, to: page}}
entries: {{ERR10001: look}}
"#,
        url = endpoint.url()
    )
}

/// The named executor `ops` and the built-in `http` one, both on the local
/// endpoint: loopback is refused unless the file opts in, as here.
fn executors(endpoint: &Endpoint) -> String {
    format!(
        "executors:\n  ops:\n    baseUrl: {}/\n    headers: {{Authorization: \"Bearer ${{OPS_TOKEN}}\"}}\n\
         allowHttp: true\nallowHosts: [127.0.0.1]\nallowNetworks: [127.0.0.1/32]\n",
        endpoint.url()
    )
}

async fn app(backend: Backend, endpoint: &Endpoint, path: &str, extra: &str) -> ExecApp {
    spawn(Setup {
        backend,
        runbooks: runbooks(endpoint, path, extra),
        executors: executors(endpoint),
        ..Setup::default()
    })
    .await
}

async fn start_by_alert(app: &ExecApp, service: &str) -> String {
    let (status, body) = app.alert(&light4j(service, "ERR10001")).await;
    assert_eq!(status, 200, "{body:#}");
    body["accepted"][0]["executionId"]
        .as_str()
        .expect("an execution id")
        .to_owned()
}

const START: &str = r#"mutation ($s: String!) { startExecution(serviceId: $s, errorCode: "ERR10001", environment: "prod") { id status awaiting } }"#;
const COMPLETE: &str = r#"mutation ($id: String!, $out: JSON) { completeStep(id: $id, note: "looked", output: $out) { status awaiting current { key } } }"#;
const CHOOSE: &str = r#"mutation ($id: String!, $label: String!) { chooseBranch(id: $id, label: $label, note: "my call") { status awaiting current { key } } }"#;

fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

async fn fully_automated_runbook_runs_from_alert_to_resolution(backend: Backend) {
    let endpoint = Endpoint::start().await;
    let app = app(backend, &endpoint, "/ok", "").await;
    let id = start_by_alert(&app, AUTO).await;
    let ex = app.wait_status(&id, "RESOLVED").await;
    assert_eq!(
        kinds(&ex),
        [
            "STARTED",
            "ENTERED",
            "AUTOMATION_STARTED",
            "AUTOMATION_FINISHED",
            "BRANCH_TAKEN",
            "ENTERED",
            "BRANCH_TAKEN",
            "ENTERED",
            "RESOLVED"
        ],
        "{ex:#}"
    );
    let calls = endpoint.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].body,
        json!({"serviceId": AUTO, "team": "payments"})
    );
    let started = events_of(&ex, "AUTOMATION_STARTED")[0];
    assert_eq!(
        started["data"]["idempotencyKey"].as_str(),
        Some(calls[0].idempotency_key.as_str())
    );
    assert!(
        started["data"]["url"]
            .as_str()
            .unwrap_or("")
            .ends_with("/ok?service=com.acme.auto-1.0.0")
    );
    let taken: Vec<&Value> = events_of(&ex, "BRANCH_TAKEN");
    assert_eq!(taken[0]["label"], "success");
    assert_eq!(taken[0]["actor"], "automation:http");
    assert_eq!(taken[1]["label"], "healthy");
    assert_eq!(taken[1]["actor"], "condition");
    assert_eq!(ex["lastOutput"], json!({"status": "ok", "count": 5}));
    // The runbook is pinned with the generation and the revisions it was read at.
    assert!(
        ex["runbook"]["generation"].as_i64().unwrap_or(0) > 0,
        "{ex:#}"
    );
    let layer = &ex["runbook"]["procedures"][0]["layers"][0];
    assert_eq!(layer["scopeId"], AUTO);
    assert!(layer["revision"].as_i64().unwrap_or(0) > 0, "{ex:#}");
    assert_eq!(
        ex["link"],
        format!(
            "{}/h/lightapi.net/executions/{id}",
            exec_support::PUBLIC_URL
        )
    );
    assert_eq!(
        ex["runbookLink"],
        format!(
            "{}/h/lightapi.net/runbook/{AUTO}/ERR10001",
            exec_support::PUBLIC_URL
        )
    );
}

async fn a_failing_endpoint_is_retried_then_takes_the_failure_branch(backend: Backend) {
    let endpoint = Endpoint::start().await;
    let app = app(backend, &endpoint, "/fail", "").await;
    let id = start_by_alert(&app, AUTO).await;
    let ex = app.wait_status(&id, "ESCALATED").await;
    assert_eq!(endpoint.calls().len(), 3, "one attempt and two retries");
    assert_eq!(events_of(&ex, "AUTOMATION_RETRYING").len(), 2);
    let finished = events_of(&ex, "AUTOMATION_FINISHED")[0];
    assert_eq!(finished["data"]["outcome"], "failure");
    assert_eq!(finished["data"]["httpStatus"], 500);
    assert_eq!(finished["output"], json!({"error": "boom"}));
    assert_eq!(events_of(&ex, "BRANCH_TAKEN")[0]["label"], "failure");
    let waits = app.sleeper.waits.lock().expect("lock").clone();
    let backoffs: Vec<u64> = waits
        .iter()
        .map(|d| d.as_secs())
        .filter(|s| *s < 30)
        .collect();
    assert_eq!(backoffs, [1, 2], "backoff doubles: {waits:?}");
}

#[tokio::test]
async fn a_hanging_endpoint_times_out_and_takes_the_failure_branch() {
    let endpoint = Endpoint::start().await;
    let app = app(Backend::Sqlite, &endpoint, "/hang", "timeoutSeconds: 2").await;
    let id = start_by_alert(&app, AUTO).await;
    let ex = app.wait_status(&id, "ESCALATED").await;
    let finished = events_of(&ex, "AUTOMATION_FINISHED")[0];
    assert_eq!(finished["data"]["outcome"], "timeout", "{ex:#}");
    assert_eq!(finished["data"]["attempts"], 3);
    // No `timeout` branch: the `failure` branch is taken.
    assert_eq!(events_of(&ex, "BRANCH_TAKEN")[0]["label"], "failure");
}

#[tokio::test]
async fn a_mixed_runbook_waits_for_a_person_and_goes_on_when_they_move() {
    let endpoint = Endpoint::start().await;
    let app = app(Backend::Sqlite, &endpoint, "/ok", "").await;
    let started = app.data(START, json!({"s": MIXED})).await;
    let id = started["startExecution"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(started["startExecution"]["status"], "WAITING");
    assert_eq!(started["startExecution"]["awaiting"], "COMPLETE_STEP");
    let ex = app.execution(&id).await;
    // The body is Markdown with the values escaped as literal text: what a
    // reader sees is its rendered text.
    assert_eq!(
        rendered_text(ex["current"]["body"].as_str().expect("a body")),
        "Open {{labels.dashboard}} for com.acme.mixed-1.0.0"
    );
    assert_eq!(
        ex["current"]["unresolvedPlaceholders"],
        json!(["labels.dashboard"])
    );
    assert_eq!(
        events_of(&ex, "PLACEHOLDERS_UNRESOLVED")[0]["data"]["placeholders"],
        json!(["labels.dashboard"])
    );
    assert_eq!(ex["startedBy"], "anonymous");

    // Choosing a branch that does not leave the current procedure is refused.
    let wrong = app
        .graphql(CHOOSE, json!({"id": id, "label": "restart"}))
        .await;
    assert_eq!(error_code(&wrong), "BAD_USER_INPUT", "{wrong:#}");
    assert_eq!(wrong["errors"][0]["extensions"]["field"], "label");

    // Completing the step follows its only branch; the prose condition waits for a person.
    let done = app
        .data(COMPLETE, json!({"id": id, "out": {"errors": 12}}))
        .await;
    assert_eq!(done["completeStep"]["current"]["key"], "decide");
    assert_eq!(done["completeStep"]["awaiting"], "CHOOSE_BRANCH");
    let ex = app.execution(&id).await;
    assert!(
        kinds(&ex).contains(&"DECISION_DEFERRED".to_owned()),
        "{ex:#}"
    );
    assert_eq!(ex["choices"][0]["machineCheckable"], false);
    let again = app.graphql(COMPLETE, json!({"id": id})).await;
    assert_eq!(
        error_code(&again),
        "BAD_USER_INPUT",
        "a decision is not completed: {again:#}"
    );

    // The person's branch leads to automation through the named executor, then resolution.
    app.data(CHOOSE, json!({"id": id, "label": "restart"}))
        .await;
    let ex = app.wait_status(&id, "RESOLVED").await;
    let calls = endpoint.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].authorization.as_deref(), Some("Bearer t0ken"));
    let chosen = events_of(&ex, "BRANCH_TAKEN");
    assert_eq!(chosen[1]["actor"], "anonymous");
    assert_eq!(chosen[1]["note"], "my call");
    assert_eq!(
        events_of(&ex, "STEP_COMPLETED")[0]["output"],
        json!({"errors": 12})
    );

    // A finished execution takes no more moves, but notes.
    let late = app
        .graphql(CHOOSE, json!({"id": id, "label": "escalate"}))
        .await;
    assert_eq!(error_code(&late), "CONFLICT", "{late:#}");
    let resolve = app
        .graphql(
            r#"mutation ($id: String!) { resolve(id: $id) { status } }"#,
            json!({"id": id}),
        )
        .await;
    assert_eq!(error_code(&resolve), "CONFLICT");
    let note = app
        .data(r#"mutation ($id: String!) { addNote(id: $id, note: "post-mortem on Monday") { status } }"#, json!({"id": id}))
        .await;
    assert_eq!(note["addNote"]["status"], "RESOLVED");
    let missing = app
        .graphql(CHOOSE, json!({"id": "0000", "label": "x"}))
        .await;
    assert_eq!(error_code(&missing), "NOT_FOUND");
}

#[tokio::test]
async fn an_open_execution_follows_its_pinned_runbook_after_edits() {
    let endpoint = Endpoint::start().await;
    let app = app(Backend::Sqlite, &endpoint, "/ok", "").await;
    let started = app.data(START, json!({"s": MIXED})).await;
    let id = started["startExecution"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let before = app.execution(&id).await;
    // The service's runbook changes: the step now leads straight to escalation.
    let store = light_runbook::store::open(&app.store_url, &Default::default())
        .await
        .expect("store");
    let runbooks = light_runbook::runbooks::Runbooks::new(store, common::host());
    let edited = "scope: com.acme.mixed-1.0.0\nname: Mixed\nkind: SERVICE\nprocedures:\n  look: {title: Look, kind: STEP, body: changed}\n  page: {title: Page, kind: ESCALATION}\nbranches:\n  - {from: look, label: next, to: page}\nentries: {ERR10001: look}\n";
    let docs: Vec<_> = light_runbook::format::parse_str("edit.yml", edited, &common::host())
        .expect("parses")
        .into_iter()
        .map(|d| d.doc)
        .collect();
    let checked = check_import(Some(runbooks.store().as_ref()), &docs)
        .await
        .expect("checked");
    let actor = ImportActor {
        uid: "editor",
        operation: "importRunbook",
        clock: &light_runbook::auth::SystemClock,
    };
    commit_import(runbooks.store().as_ref(), &checked, actor)
        .await
        .expect("edit");
    app.data(COMPLETE, json!({"id": id})).await;
    let after = app.execution(&id).await;
    assert_eq!(
        after["runbook"], before["runbook"],
        "the pinned runbook does not change"
    );
    assert_eq!(after["current"]["key"], "decide", "{after:#}");
}

async fn a_restart_during_an_automated_step_reruns_it_once(backend: Backend) {
    let endpoint = Endpoint::start().await;
    let first = app(backend, &endpoint, "/flaky", "").await;
    let id = start_by_alert(&first, AUTO).await;
    // The attempt is recorded as started before the call, which does not return.
    first
        .wait_for(&id, |e| kinds(e).contains(&"AUTOMATION_STARTED".to_owned()))
        .await;
    // The call must be hanging at the endpoint before it stops hanging, or the
    // first service could finish the step itself.
    for _ in 0..1000 {
        if !endpoint.calls().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(
        endpoint.calls().len(),
        1,
        "the first attempt reached the endpoint"
    );
    endpoint
        .hang
        .store(false, std::sync::atomic::Ordering::SeqCst);
    // A new service over the same store resumes it.
    let second = spawn(Setup {
        backend,
        store_url: Some(first.store_url.clone()),
        executors: executors(&endpoint),
        ..Setup::default()
    })
    .await;
    let ex = second.wait_status(&id, "RESOLVED").await;
    let retry = events_of(&ex, "AUTOMATION_RETRYING");
    assert_eq!(retry.len(), 1, "{ex:#}");
    assert_eq!(retry[0]["data"]["afterRestart"], true);
    assert_eq!(retry[0]["actor"], "system");
    let starts = events_of(&ex, "AUTOMATION_STARTED");
    assert_eq!(starts.len(), 2);
    assert_eq!(starts[1]["data"]["attempt"], 2);
    assert_eq!(
        starts[0]["data"]["idempotencyKey"],
        starts[1]["data"]["idempotencyKey"]
    );
    let calls = endpoint.calls();
    assert_eq!(calls.len(), 2, "the interrupted attempt and one re-run");
    assert_eq!(calls[0].idempotency_key, calls[1].idempotency_key);
}

#[tokio::test]
async fn a_restart_during_a_non_repeatable_step_needs_attention() {
    let endpoint = Endpoint::start().await;
    let first = app(Backend::Sqlite, &endpoint, "/flaky", "onRestart: attention").await;
    let id = start_by_alert(&first, AUTO).await;
    first
        .wait_for(&id, |e| kinds(e).contains(&"AUTOMATION_STARTED".to_owned()))
        .await;
    let second = spawn(Setup {
        store_url: Some(first.store_url.clone()),
        executors: executors(&endpoint),
        ..Setup::default()
    })
    .await;
    let ex = second.wait_status(&id, "NEEDS_ATTENTION").await;
    assert_eq!(ex["awaiting"], "COMPLETE_STEP");
    assert_eq!(ex["current"]["key"], "restart");
    assert!(
        events_of(&ex, "NEEDS_ATTENTION")[0]["data"]["reason"]
            .as_str()
            .unwrap_or("")
            .contains("onRestart: attention")
    );
    assert_eq!(endpoint.calls().len(), 1, "not run again");
    // A person checks, records what they found, and picks the outcome.
    let done = second
        .data(
            COMPLETE,
            json!({"id": id, "out": {"status": "ok", "count": 4}}),
        )
        .await;
    assert_eq!(done["completeStep"]["awaiting"], "CHOOSE_BRANCH");
    second
        .data(CHOOSE, json!({"id": id, "label": "success"}))
        .await;
    second.wait_status(&id, "RESOLVED").await;
}

on_every_backend!(
    fully_automated_runbook_runs_from_alert_to_resolution,
    a_failing_endpoint_is_retried_then_takes_the_failure_branch,
    a_restart_during_an_automated_step_reruns_it_once,
);
