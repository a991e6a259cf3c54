//! Escalations reach people: a person's escalation and a runbook's are sent
//! to every notifier of the executors file (a Slack-compatible webhook and
//! a generic JSON one, both received by a test endpoint), addressed to the
//! runbook's effective contacts, and what came of each delivery — a failed
//! one too — is recorded in one ESCALATION_NOTIFIED event; the executor's
//! credentials are sent and never recorded.

mod common;
mod exec_support;

use common::Backend;
use exec_support::{Endpoint, ExecApp, Setup, events_of, spawn};
use light_runbook::executions::EventKind;
use serde_json::{Value, json};

fn runbooks() -> String {
    r#"
scope: com.acme.escalate-1.0.0
name: Escalate
kind: SERVICE
contacts:
  - {name: Payments on-call, email: payments-oncall@example.com, chat: "<!channel>"}
procedures:
  look: {title: Look at the dashboard, kind: STEP}
  page: {title: Page the owner, kind: ESCALATION}
branches:
  - {from: look, label: next, to: page}
entries: {ERR10001: look}
"#
    .into()
}

fn executors(endpoint: &Endpoint) -> String {
    format!(
        "executors:\n  chat:\n    baseUrl: {url}/\n    headers: {{Authorization: \"Bearer ${{CHAT_TOKEN}}\"}}\n\
         allowHttp: true\nallowHosts: [127.0.0.1]\nallowNetworks: [127.0.0.1/32]\n\
         notifiers:\n\
         \x20 oncall-chat: {{format: slack, executor: chat, path: hooks/chat}}\n\
         \x20 incident-bus: {{format: json, executor: http, url: \"{url}/events\"}}\n\
         \x20 broken-pager: {{format: json, executor: chat, path: fail}}\n",
        url = endpoint.url()
    )
}

async fn app(backend: Backend, endpoint: &Endpoint) -> ExecApp {
    spawn(Setup {
        backend,
        runbooks: runbooks(),
        executors: executors(endpoint),
        ..Setup::default()
    })
    .await
}

const START: &str = r#"mutation { startExecution(serviceId: "com.acme.escalate-1.0.0", errorCode: "ERR10001", environment: "prod") { id } }"#;

/// Runs `act`, then waits for the execution's ESCALATION_NOTIFIED event on
/// the service's event bus.
async fn notified_after<F: std::future::Future<Output = ()>>(app: &ExecApp, id: &str, act: F) {
    let mut bus = app.executions.subscribe();
    act.await;
    loop {
        let event = bus.recv().await.expect("the bus is open");
        if event.execution.as_str() == id && event.event.kind == EventKind::EscalationNotified {
            return;
        }
    }
}

fn delivery<'a>(deliveries: &'a Value, notifier: &str) -> &'a Value {
    deliveries
        .as_array()
        .and_then(|list| list.iter().find(|d| d["notifier"] == notifier))
        .unwrap_or_else(|| panic!("no delivery to {notifier}: {deliveries:#}"))
}

async fn a_persons_escalation_reaches_every_notifier_and_each_delivery_is_recorded(
    backend: Backend,
) {
    let endpoint = Endpoint::start().await;
    let app = app(backend, &endpoint).await;
    let id = app.data(START, json!({})).await["startExecution"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    notified_after(&app, &id, async {
        let escalated = app
            .data(
                r#"mutation ($id: String!) { escalate(id: $id, note: "db is down, <!here> please") { status notifying } }"#,
                json!({"id": id}),
            )
            .await;
        assert_eq!(escalated["escalate"]["status"], "ESCALATED");
        assert_eq!(escalated["escalate"]["notifying"], true, "{escalated:#}");
    })
    .await;

    let calls = endpoint.calls();
    let chat = calls
        .iter()
        .find(|c| c.path == "/hooks/chat")
        .expect("the chat webhook was called");
    assert_eq!(chat.authorization.as_deref(), Some("Bearer t0ken"));
    let text = chat.body["text"].as_str().expect("a Slack text");
    assert!(text.contains("*Escalated*"), "{text}");
    assert!(
        text.contains("ERR10001 on com.acme.escalate-1.0.0> (prod) by anonymous"),
        "{text}"
    );
    assert!(
        text.contains("db is down, &lt;!here&gt; please"),
        "no mention from a note: {text}"
    );
    assert!(
        text.contains("Payments on-call (payments-oncall@example.com, &lt;!channel&gt;)"),
        "{text}"
    );
    assert!(text.contains("/h/lightapi.net/executions/"), "{text}");

    let bus = calls
        .iter()
        .find(|c| c.path == "/events")
        .expect("the JSON webhook was called");
    assert_eq!(bus.body["kind"], "escalation");
    assert_eq!(bus.body["executionId"], id.as_str());
    assert_eq!(bus.body["serviceId"], "com.acme.escalate-1.0.0");
    assert_eq!(bus.body["note"], "db is down, <!here> please");
    assert_eq!(bus.body["escalatedBy"], "anonymous");
    assert_eq!(bus.body["step"]["key"], "look");
    assert_eq!(
        bus.body["contacts"][0]["email"],
        "payments-oncall@example.com"
    );
    assert_eq!(
        bus.authorization, None,
        "the http executor sends no credentials"
    );

    let ex = app.execution(&id).await;
    let notified = events_of(&ex, "ESCALATION_NOTIFIED");
    assert_eq!(notified.len(), 1, "{ex:#}");
    let data = &notified[0]["data"];
    assert_eq!(data["contacts"], json!(["Payments on-call"]));
    let deliveries = &data["deliveries"];
    assert_eq!(delivery(deliveries, "oncall-chat")["delivered"], true);
    assert_eq!(delivery(deliveries, "oncall-chat")["httpStatus"], 200);
    assert_eq!(delivery(deliveries, "incident-bus")["format"], "json");
    let broken = delivery(deliveries, "broken-pager");
    assert_eq!(broken["delivered"], false);
    assert_eq!(broken["httpStatus"], 500);
    assert!(
        broken["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{broken:#}"
    );
    assert_eq!(
        ex["status"], "ESCALATED",
        "a failed delivery does not reopen it"
    );
    assert!(
        !ex.to_string().contains("t0ken"),
        "credentials are never recorded"
    );
    let after = app
        .data(
            r#"query ($id: String!) { execution(id: $id) { notifying } }"#,
            json!({"id": id}),
        )
        .await;
    assert_eq!(after["execution"]["notifying"], false);
}

#[tokio::test]
async fn a_runbook_that_reaches_its_escalation_step_notifies_too_and_the_live_feed_ends_after_it() {
    use futures::StreamExt;
    let endpoint = Endpoint::start().await;
    let app = app(Backend::Sqlite, &endpoint).await;
    let id = app.data(START, json!({})).await["startExecution"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let execution_id = light_runbook::executions::ExecutionId::parse(&id).expect("an id");
    let stream = app.executions.event_stream(execution_id, 0);
    notified_after(&app, &id, async {
        app.data(
            r#"mutation ($id: String!) { completeStep(id: $id, note: "looked") { status } }"#,
            json!({"id": id}),
        )
        .await;
    })
    .await;
    let kinds: Vec<String> = stream
        .map(|e| e.expect("an event").event.kind.as_str().to_owned())
        .collect()
        .await;
    let tail: Vec<&str> = kinds
        .iter()
        .rev()
        .take(2)
        .rev()
        .map(String::as_str)
        .collect();
    assert_eq!(tail, ["ESCALATED", "ESCALATION_NOTIFIED"], "{kinds:?}");
    let calls: Vec<String> = endpoint.calls().into_iter().map(|c| c.path).collect();
    for path in ["/hooks/chat", "/events", "/fail"] {
        assert!(calls.iter().any(|c| c == path), "{path} in {calls:?}");
    }
    let ex = app.execution(&id).await;
    assert_eq!(events_of(&ex, "ESCALATED")[0]["actor"], "runbook");
}

on_every_backend!(a_persons_escalation_reaches_every_notifier_and_each_delivery_is_recorded);
