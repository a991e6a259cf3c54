//! A failed automated step, as the people following the execution see it:
//! recorded as failed with what was sent (the executor's credentials
//! redacted), and run again by a person once the cause is fixed; the retry
//! is a run of its own (a new `Idempotency-Key`) and refused where it makes
//! no sense. Notes and outputs are bounded.

mod common;
mod exec_support;

use std::sync::atomic::Ordering;

use common::Backend;
use exec_support::{Endpoint, ExecApp, Setup, events_of, light4j, spawn};
use serde_json::{Value, json};

const SERVICE: &str = "com.acme.retry-1.0.0";

/// An automated restart through the `ops` executor whose outcomes lead
/// nowhere by themselves (no `failure` branch): a failure waits for a person.
fn runbooks() -> String {
    format!(
        r#"
scope: {SERVICE}
name: Retry
kind: SERVICE
procedures:
  restart:
    title: Restart the pods
    kind: AUTOMATED
    automation: {{executor: ops, path: /broken, headers: {{X-Team: payments}}}}
  look: {{title: Look at the logs, kind: STEP}}
  done: {{title: Resolved, kind: RESOLUTION}}
branches:
  - {{from: restart, label: success, to: done}}
  - {{from: restart, label: by hand, to: look}}
entries: {{ERR10001: restart}}
"#
    )
}

async fn app(backend: Backend, endpoint: &Endpoint) -> ExecApp {
    spawn(Setup {
        backend,
        runbooks: runbooks(),
        executors: format!(
            "executors:\n  ops:\n    baseUrl: {}/\n    headers: {{Authorization: \"Bearer ${{OPS_TOKEN}}\"}}\n\
             allowHttp: true\nallowHosts: [127.0.0.1]\nallowNetworks: [127.0.0.1/32]\n",
            endpoint.url()
        ),
        ..Setup::default()
    })
    .await
}

const RETRY: &str = r#"mutation ($id: String!, $note: String) { retryStep(id: $id, note: $note) { status awaiting } }"#;

/// Sends the service's alert: the id of the execution it started.
async fn alerted(app: &ExecApp) -> String {
    let (status, body) = app.alert(&light4j(SERVICE, "ERR10001")).await;
    assert_eq!(status, 200, "{body:#}");
    body["accepted"][0]["executionId"]
        .as_str()
        .expect("an execution id")
        .to_owned()
}

fn error_of(response: &Value) -> (&str, &str) {
    let extensions = &response["errors"][0]["extensions"];
    (
        extensions["code"].as_str().unwrap_or(""),
        extensions["field"].as_str().unwrap_or(""),
    )
}

async fn a_failed_step_waits_with_what_was_sent_and_a_retry_runs_it_again_to_success(
    backend: Backend,
) {
    let endpoint = Endpoint::start().await;
    let app = app(backend, &endpoint).await;
    let id = alerted(&app).await;

    // No `failure` branch: the failure stops for a person at the step.
    let failed = app.wait_status(&id, "NEEDS_ATTENTION").await;
    assert_eq!(failed["current"]["key"], "restart");
    assert_eq!(failed["lastOutcome"], "failure");
    let finished = events_of(&failed, "AUTOMATION_FINISHED");
    assert_eq!(finished.len(), 1);
    assert_eq!(finished[0]["data"]["outcome"], "failure");
    assert_eq!(finished[0]["data"]["httpStatus"], 500);
    assert_eq!(finished[0]["output"], json!({"error": "boom"}));
    let started = events_of(&failed, "AUTOMATION_STARTED");
    let request = &started[0]["data"]["request"];
    assert_eq!(request["method"], "POST");
    assert_eq!(request["url"], format!("{}/broken", endpoint.url()));
    assert_eq!(request["headers"]["X-Team"], "payments");
    assert_eq!(request["headers"]["Authorization"], "[redacted]");
    assert!(
        !failed.to_string().contains("t0ken"),
        "the executor's credential is sent but never recorded"
    );
    assert_eq!(
        endpoint.calls()[0].authorization.as_deref(),
        Some("Bearer t0ken")
    );

    // The cause is fixed; a person runs the step again.
    endpoint.broken.store(false, Ordering::SeqCst);
    let retried = app
        .data(RETRY, json!({"id": id, "note": "the node is back"}))
        .await;
    assert_eq!(retried["retryStep"]["status"], "RUNNING", "{retried:#}");
    let resolved = app.wait_status(&id, "RESOLVED").await;
    let retry = events_of(&resolved, "STEP_RETRIED");
    assert_eq!(retry.len(), 1);
    assert_eq!(retry[0]["actor"], "anonymous");
    assert_eq!(retry[0]["procedure"], "restart");
    assert_eq!(retry[0]["note"], "the node is back");
    let outcomes: Vec<&Value> = events_of(&resolved, "AUTOMATION_FINISHED")
        .iter()
        .map(|e| &e["data"]["outcome"])
        .collect();
    assert_eq!(outcomes, [&json!("failure"), &json!("success")]);
    let calls = endpoint.calls();
    assert_eq!(calls.len(), 2);
    assert_ne!(
        calls[0].idempotency_key, calls[1].idempotency_key,
        "a retry by a person is a new run of the step"
    );
    assert_eq!(events_of(&resolved, "BRANCH_TAKEN")[0]["label"], "success");

    // Finished: no more retries.
    let late = app.graphql(RETRY, json!({"id": id})).await;
    assert_eq!(error_of(&late).0, "CONFLICT", "{late:#}");
}

#[tokio::test]
async fn a_retry_is_refused_where_the_execution_does_not_stand_at_an_automated_step() {
    let endpoint = Endpoint::start().await;
    let app = app(Backend::Sqlite, &endpoint).await;
    let id = alerted(&app).await;
    app.wait_status(&id, "NEEDS_ATTENTION").await;
    // The person follows the other branch instead, to a STEP.
    let chosen = app
        .data(
            r#"mutation ($id: String!) { chooseBranch(id: $id, label: "by hand") { current { key } } }"#,
            json!({"id": id}),
        )
        .await;
    assert_eq!(chosen["chooseBranch"]["current"]["key"], "look");
    let at_step = app.graphql(RETRY, json!({"id": id})).await;
    assert_eq!(error_of(&at_step), ("BAD_USER_INPUT", "id"), "{at_step:#}");
    let unknown = app.graphql(RETRY, json!({"id": "0000"})).await;
    assert_eq!(error_of(&unknown).0, "NOT_FOUND", "{unknown:#}");
    let ex = app.execution(&id).await;
    assert!(
        events_of(&ex, "STEP_RETRIED").is_empty(),
        "a refusal records nothing"
    );
    assert_eq!(endpoint.calls().len(), 1);
}

#[tokio::test]
async fn a_note_or_an_output_past_64_kib_is_refused_and_records_nothing() {
    let endpoint = Endpoint::start().await;
    let app = app(Backend::Sqlite, &endpoint).await;
    let id = alerted(&app).await;
    app.wait_status(&id, "NEEDS_ATTENTION").await;
    let before = app.execution(&id).await["events"]
        .as_array()
        .map_or(0, Vec::len);
    let long = "x".repeat(64 * 1024 + 1);
    let note = app
        .graphql(
            r#"mutation ($id: String!, $n: String!) { addNote(id: $id, note: $n) { status } }"#,
            json!({"id": id, "n": long}),
        )
        .await;
    assert_eq!(error_of(&note), ("BAD_USER_INPUT", "note"), "{note:#}");
    let retry = app.graphql(RETRY, json!({"id": id, "note": long})).await;
    assert_eq!(error_of(&retry), ("BAD_USER_INPUT", "note"));
    let output = app
        .graphql(
            r#"mutation ($id: String!, $o: JSON) { completeStep(id: $id, output: $o) { status } }"#,
            json!({"id": id, "o": {"log": long}}),
        )
        .await;
    assert_eq!(error_of(&output), ("BAD_USER_INPUT", "output"));
    let after = app.execution(&id).await["events"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(before, after);
    assert_eq!(endpoint.calls().len(), 1, "nothing ran again");
}

on_every_backend!(a_failed_step_waits_with_what_was_sent_and_a_retry_runs_it_again_to_success);
