//! What automation may reach, over HTTP against a real local endpoint: the
//! built-in `http` executor is off by default and calls only the hosts of
//! its allow-list; loopback, link-local and unspecified addresses (literal,
//! IPv4-mapped or behind a name) are refused without an opt-in; a path never
//! leaves its executor's base URL, whatever the runbook or the alert's labels
//! say; a redirect is not followed. Every refusal is recorded on the step
//! with its reason, and the endpoint counts that it was never called.

mod common;
mod exec_support;

use exec_support::{Endpoint, ExecApp, Setup, events_of, light4j, spawn};
use serde_json::{Value, json};

/// One service per automation, each with its own entry for ERR10001: the
/// automation's success resolves, its failure escalates.
fn runbooks(automations: &[String]) -> String {
    let docs: Vec<String> = automations
        .iter()
        .enumerate()
        .map(|(i, automation)| {
            format!(
                "scope: {}\nname: Case {i}\nkind: SERVICE\nprocedures:\n  \
                 call: {{title: Call, kind: AUTOMATED, automation: {automation}}}\n  \
                 done: {{title: Done, kind: RESOLUTION}}\n  page: {{title: Page, kind: ESCALATION}}\n\
                 branches:\n  - {{from: call, label: success, to: done}}\n  \
                 - {{from: call, label: failure, to: page}}\nentries: {{ERR10001: call}}\n",
                service(i)
            )
        })
        .collect();
    docs.join("---\n")
}

fn service(i: usize) -> String {
    format!("com.acme.case{i}-1.0.0")
}

async fn app(automations: &[String], executors: String) -> ExecApp {
    spawn(Setup {
        runbooks: runbooks(automations),
        executors,
        ..Setup::default()
    })
    .await
}

/// Posts an alert for case `i` (with hostile labels) and returns its execution.
async fn alert(app: &ExecApp, i: usize) -> (String, Value) {
    let mut payload = light4j(&service(i), "ERR10001");
    payload["labels"] = json!({"team": "payments", "target": "../../admin", "dots": ".."});
    let (status, body) = app.alert(&payload).await;
    assert_eq!(status, 200, "{body:#}");
    let id = body["accepted"][0]["executionId"]
        .as_str()
        .expect("an execution id")
        .to_owned();
    let execution = app.execution(&id).await;
    (id, execution)
}

/// The step was refused before any call: a person must do it, and the event says why.
async fn assert_unavailable(app: &ExecApp, i: usize, reason: &str) {
    let (_, ex) = alert(app, i).await;
    assert_eq!(ex["status"], "WAITING", "case {i}: {ex:#}");
    assert_eq!(ex["awaiting"], "COMPLETE_STEP", "case {i}");
    let events = events_of(&ex, "AUTOMATION_UNAVAILABLE");
    let error = events
        .first()
        .and_then(|e| e["data"]["error"].as_str())
        .unwrap_or_default();
    assert!(
        error.contains(reason),
        "case {i}: `{error}` lacks `{reason}`"
    );
    assert!(events_of(&ex, "AUTOMATION_STARTED").is_empty(), "case {i}");
}

/// The call was attempted once and refused when the name resolved (or the
/// answer came): the failure branch is taken, with the reason on the step.
async fn assert_failed_once(app: &ExecApp, i: usize, reason: &str) {
    let (id, _) = alert(app, i).await;
    let ex = app.wait_status(&id, "ESCALATED").await;
    let finished = events_of(&ex, "AUTOMATION_FINISHED")[0];
    assert_eq!(finished["data"]["outcome"], "failure", "case {i}");
    assert_eq!(finished["data"]["attempts"], 1, "not retried: case {i}");
    let error = finished["data"]["error"].as_str().unwrap_or_default();
    assert!(
        error.contains(reason),
        "case {i}: `{error}` lacks `{reason}`"
    );
}

/// A call that goes through: the service still reaches what it may reach.
async fn assert_resolved(app: &ExecApp, i: usize) {
    let (id, _) = alert(app, i).await;
    app.wait_status(&id, "RESOLVED").await;
}

fn http(url: &str) -> String {
    format!("{{executor: http, url: '{url}', retries: 2}}")
}

fn named(executor: &str, path: &str) -> String {
    format!("{{executor: {executor}, path: '{path}', retries: 2}}")
}

#[tokio::test]
async fn the_http_executor_is_off_unless_the_executors_file_turns_it_on() {
    let endpoint = Endpoint::start().await;
    let url = format!("{}/ok", endpoint.url());
    let automations = [http(&url)];
    let off = app(&automations, "executors: {}".into()).await;
    assert_unavailable(&off, 0, "allowHttp: false").await;
    let opted_out = app(
        &automations,
        "allowHttp: false\nallowHosts: [127.0.0.1]\nallowNetworks: [127.0.0.1]".into(),
    )
    .await;
    assert_unavailable(&opted_out, 0, "allowHttp: false").await;
    assert!(endpoint.calls().is_empty(), "{:?}", endpoint.calls());
    let on = app(
        &automations,
        "allowHttp: true\nallowHosts: [127.0.0.1]\nallowNetworks: [127.0.0.1]".into(),
    )
    .await;
    assert_resolved(&on, 0).await;
    assert_eq!(endpoint.calls().len(), 1);
}

#[tokio::test]
async fn the_http_executor_calls_only_hosts_of_its_allow_list() {
    let endpoint = Endpoint::start().await;
    let port = endpoint.address.port();
    let automations = [
        http(&format!("http://127.0.0.1:{port}/ok")),
        http(&format!("http://localhost.:{port}/ok")),
        http(&format!("http://sub.localhost:{port}/ok")),
        http("http://evil.example/ok?u={{labels.target}}"),
        http(&format!("http://localhost:{port}/ok")),
    ];
    let app = app(
        &automations,
        "allowHttp: true\nallowHosts: [localhost]\nallowNetworks: [127.0.0.1/32]".into(),
    )
    .await;
    assert_unavailable(&app, 0, "host 127.0.0.1 is not in allowHosts").await;
    assert_unavailable(&app, 1, "host localhost. is not in allowHosts").await;
    assert_unavailable(&app, 2, "host sub.localhost is not in allowHosts").await;
    assert_unavailable(&app, 3, "host evil.example is not in allowHosts").await;
    assert!(endpoint.calls().is_empty(), "{:?}", endpoint.calls());
    assert_resolved(&app, 4).await;
    assert_eq!(
        endpoint.calls().len(),
        1,
        "only the allowed host was called"
    );
}

#[tokio::test]
async fn loopback_link_local_and_unspecified_addresses_are_refused_without_an_opt_in() {
    let endpoint = Endpoint::start().await;
    let port = endpoint.address.port();
    let automations = [
        http(&format!("http://127.0.0.1:{port}/ok")),
        http(&format!("http://[::1]:{port}/ok")),
        http(&format!("http://[::ffff:127.0.0.1]:{port}/ok")),
        http("http://169.254.169.254/latest/meta-data/"),
        http(&format!("http://0.0.0.0:{port}/ok")),
        http(&format!("http://2130706433:{port}/ok")),
        http(&format!("http://localhost:{port}/ok")),
        named("near", "/ok"),
        named("ops", "/ok"),
    ];
    let executors = format!(
        "executors:\n  near:\n    baseUrl: http://localhost:{port}/\n    \
         headers: {{Authorization: \"Bearer ${{OPS_TOKEN}}\"}}\n  \
         ops:\n    baseUrl: {}/\n    allowNetworks: [127.0.0.1]\n\
         allowHttp: true\nallowHosts: [127.0.0.1, '[::1]', '[::ffff:127.0.0.1]', \
         169.254.169.254, 0.0.0.0, localhost]\n",
        endpoint.url()
    );
    let app = app(&automations, executors).await;
    let loopback = "127.0.0.1 is not a public address (loopback)";
    assert_unavailable(&app, 0, loopback).await;
    assert_unavailable(&app, 1, "::1 is not a public address (loopback)").await;
    assert_unavailable(&app, 2, loopback).await;
    assert_unavailable(
        &app,
        3,
        "169.254.169.254 is not a public address (link-local",
    )
    .await;
    assert_unavailable(&app, 4, "0.0.0.0 is not a public address (unspecified)").await;
    assert_unavailable(&app, 5, loopback).await;
    assert_failed_once(&app, 6, "localhost resolves only to addresses").await;
    assert_failed_once(&app, 7, "localhost resolves only to addresses").await;
    assert!(endpoint.calls().is_empty(), "{:?}", endpoint.calls());
    // The executor that opts in still reaches the endpoint.
    assert_resolved(&app, 8).await;
    assert_eq!(endpoint.calls().len(), 1);
}

#[tokio::test]
async fn a_path_that_leaves_the_base_url_is_refused_before_any_call() {
    let endpoint = Endpoint::start().await;
    let refused = [
        "../admin",
        "/run/../../admin",
        "/%2e%2e/admin",
        "/.%2E/admin",
        "/%252e%252e/admin",
        "/{{labels.target}}",
        "/run/{{labels.dots}}/admin",
        r"\admin",
        "/run\\..\\admin",
        "//evil.example/admin",
        "http://evil.example/admin",
    ];
    let mut automations: Vec<String> = refused.iter().map(|p| named("ops", p)).collect();
    automations.push(named("ops", "/run/{{labels.team}}?t={{labels.target}}"));
    let executors = format!(
        "executors:\n  ops:\n    baseUrl: {}/api/\n    \
         headers: {{Authorization: \"Bearer ${{OPS_TOKEN}}\"}}\n    allowNetworks: [127.0.0.1]\n",
        endpoint.url()
    );
    let app = app(&automations, executors).await;
    for (i, path) in refused.iter().enumerate() {
        let reason = if path.contains('\\') {
            "may not contain a backslash"
        } else if path.contains("//") {
            "must be relative to the executor's baseUrl"
        } else {
            "may not climb out of the executor's baseUrl"
        };
        assert_unavailable(&app, i, reason).await;
    }
    assert!(endpoint.calls().is_empty(), "{:?}", endpoint.calls());
    // Placeholders stay inside their segment or query value.
    assert_resolved(&app, refused.len()).await;
    let calls = endpoint.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].path, "/api/run/payments");
    assert_eq!(calls[0].authorization.as_deref(), Some("Bearer t0ken"));
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let endpoint = Endpoint::start().await;
    let elsewhere = Endpoint::start().await;
    for target in [
        format!("{}/ok", elsewhere.url()),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
    ] {
        *endpoint.redirect_to.lock().expect("lock") = target;
        let executors = format!(
            "executors:\n  edge:\n    baseUrl: {}/\n    allowPrivateNetworks: true\n",
            endpoint.url()
        );
        let app = app(&[named("edge", "/redirect")], executors).await;
        assert_failed_once(&app, 0, "redirects are not followed").await;
    }
    assert_eq!(endpoint.calls().len(), 2, "the redirecting calls");
    assert!(elsewhere.calls().is_empty(), "{:?}", elsewhere.calls());
}
