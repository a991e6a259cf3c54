//! Escalations reach people: a person's escalation and a runbook's are sent
//! to every notifier of the executors file (a Slack-compatible webhook and
//! a generic JSON one, both received by a test endpoint), addressed to the
//! runbook's effective contacts, and what came of each delivery — a failed
//! one too — is recorded in one ESCALATION_NOTIFIED event; the executor's
//! credentials are sent and never recorded. E-mail notifiers send one
//! message through an SMTP relay (a loopback one started by the test) to
//! every contact's address.

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

fn mail_executors(port: u16) -> String {
    format!(
        "executors: {{}}\n\
         smtp: {{host: 127.0.0.1, port: {port}, tls: none, from: \"Runbooks <runbooks@example.com>\"}}\n\
         notifiers:\n\x20 oncall-mail: {{format: email, to: [incidents@example.com, \"Payments on-call <payments-oncall@example.com>\"]}}\n"
    )
}

/// Starts an execution of the escalation runbook, escalates it with `note`,
/// and waits for its notifications to be recorded: the execution.
async fn escalated_with(app: &ExecApp, note: &str) -> (String, Value) {
    let id = app.data(START, json!({})).await["startExecution"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    notified_after(app, &id, async {
        app.data(
            r#"mutation ($id: String!, $note: String!) { escalate(id: $id, note: $note) { status } }"#,
            json!({"id": id, "note": note}),
        )
        .await;
    })
    .await;
    let ex = app.execution(&id).await;
    (id, ex)
}

#[tokio::test]
async fn an_escalation_is_mailed_once_to_every_contact_and_the_notifiers_own_addresses() {
    let relay = exec_support::smtp::SmtpSink::start().await;
    let app = spawn(Setup {
        runbooks: runbooks(),
        executors: mail_executors(relay.port),
        ..Setup::default()
    })
    .await;
    let (id, ex) = escalated_with(&app, "db is down\n.\nstill down").await;
    let mails = relay.received(1).await;
    assert_eq!(mails.len(), 1, "one message for every recipient");
    let mail = &mails[0];
    assert_eq!(mail.from, "runbooks@example.com");
    assert_eq!(
        mail.to,
        ["payments-oncall@example.com", "incidents@example.com"],
        "the contact's address first, then the notifier's, each once"
    );
    let data = &mail.decoded();
    assert!(
        data.contains("Subject: Escalated: ERR10001 on com.acme.escalate-1.0.0 (prod)"),
        "{data}"
    );
    assert!(
        data.contains(&format!("Message-ID: <{id}-escalation@example.com>")),
        "{data}"
    );
    assert!(data.contains("Content-Type: text/plain"), "{data}");
    assert!(
        data.contains("> db is down\r\n> .\r\n> still down"),
        "the note, a lone dot included, arrives whole: {data}"
    );
    assert!(
        data.contains(&format!(
            "The execution: https://runbooks.example.com/h/lightapi.net/executions/{id}"
        )),
        "{data}"
    );
    let notified = events_of(&ex, "ESCALATION_NOTIFIED");
    let sent = delivery(&notified[0]["data"]["deliveries"], "oncall-mail");
    assert_eq!(sent["delivered"], true, "{sent:#}");
    assert_eq!(sent["format"], "email");
    assert_eq!(sent["url"], format!("smtp://127.0.0.1:{}", relay.port));
    assert_eq!(
        sent["recipients"],
        json!(["payments-oncall@example.com", "incidents@example.com"])
    );
}

#[tokio::test]
async fn a_relay_that_cannot_be_reached_is_recorded_as_not_delivered() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("address").port();
    drop(closed);
    let app = spawn(Setup {
        runbooks: runbooks(),
        executors: mail_executors(port),
        ..Setup::default()
    })
    .await;
    let (_, ex) = escalated_with(&app, "paging by mail").await;
    let notified = events_of(&ex, "ESCALATION_NOTIFIED");
    let sent = delivery(&notified[0]["data"]["deliveries"], "oncall-mail");
    assert_eq!(sent["delivered"], false, "{sent:#}");
    assert!(
        sent["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{sent:#}"
    );
    assert_eq!(ex["status"], "ESCALATED");
}

const NOTIFYING: &str = r#"query ($id: String!) { execution(id: $id) { status notifying } }"#;

#[tokio::test]
async fn an_escalation_whose_deliveries_a_stop_cut_off_is_notified_at_the_next_start_with_the_same_key()
 {
    use futures::StreamExt;
    let endpoint = Endpoint::start().await;
    let pager = |endpoint: &Endpoint| {
        format!(
            "executors: {{}}\nallowHttp: true\nallowHosts: [127.0.0.1]\nallowNetworks: [127.0.0.1/32]\n\
             notifiers:\n\x20 pager: {{format: json, executor: http, url: \"{}/flaky\"}}\n",
            endpoint.url()
        )
    };
    let first = spawn(Setup {
        runbooks: runbooks(),
        executors: pager(&endpoint),
        ..Setup::default()
    })
    .await;
    let id = first.data(START, json!({})).await["startExecution"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    first
        .data(
            r#"mutation ($id: String!) { escalate(id: $id, note: "db down") { status } }"#,
            json!({"id": id}),
        )
        .await;
    // The pager hangs: the first service stops (as far as this store is
    // concerned) with the delivery in flight and nothing recorded.
    endpoint.called(1).await;
    let state = first.data(NOTIFYING, json!({"id": id})).await;
    assert_eq!(
        state["execution"],
        json!({"status": "ESCALATED", "notifying": true})
    );
    endpoint
        .hang
        .store(false, std::sync::atomic::Ordering::SeqCst);

    let second = spawn(Setup {
        store_url: Some(first.store_url.clone()),
        executors: pager(&endpoint),
        ..Setup::default()
    })
    .await;
    let execution_id = light_runbook::executions::ExecutionId::parse(&id).expect("an id");
    let kinds: Vec<String> = second
        .executions
        .event_stream(execution_id, 0)
        .map(|e| e.expect("an event").event.kind.as_str().to_owned())
        .collect()
        .await;
    assert_eq!(
        kinds.last().map(String::as_str),
        Some("ESCALATION_NOTIFIED"),
        "{kinds:?}"
    );
    let ex = second.execution(&id).await;
    let notified = events_of(&ex, "ESCALATION_NOTIFIED");
    assert_eq!(notified.len(), 1, "{ex:#}");
    assert_eq!(
        delivery(&notified[0]["data"]["deliveries"], "pager")["delivered"],
        true
    );
    let state = second.data(NOTIFYING, json!({"id": id})).await;
    assert_eq!(
        state["execution"],
        json!({"status": "ESCALATED", "notifying": false})
    );
    let calls = endpoint.calls();
    assert_eq!(calls.len(), 2, "the cut-off delivery and one at the start");
    assert_eq!(
        calls[1].body["note"], "db down",
        "from the recorded escalation"
    );
    assert_eq!(calls[0].idempotency_key, calls[1].idempotency_key);
    assert_eq!(calls[1].idempotency_key, format!("{id}-escalation"));
}

on_every_backend!(a_persons_escalation_reaches_every_notifier_and_each_delivery_is_recorded);
