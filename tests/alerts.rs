//! Alert intake end to end: light-4j and Alertmanager payloads start
//! executions, repeats join the open one within the window, bad payloads are
//! answered with the field at fault, and senders authenticate.

mod common;
mod exec_support;

use std::{sync::Arc, time::Duration};

use common::{Backend, TOKEN_SECRET as SECRET};
use exec_support::{ExecApp, PUBLIC_URL, Setup, events_of, light4j, spawn};
use light_runbook::auth::{AuthConfig, Authenticator, Clock, FixedClock};
use serde_json::{Value, json};

const LEDGER: &str = "com.acme.ledger-1.0.0";
const GATEWAY: &str = "com.acme.gateway-1.0.0";
/// 2026-11-26T08:00:00Z.
const NOW: u64 = 1_795_680_000;

/// Two services that share a framework: a manual step for every code, and a
/// triage decision the alert's own fields decide.
const RUNBOOKS: &str = r#"
scope: platform
name: Platform
kind: FRAMEWORK
procedures:
  triage: {title: Triage, kind: DECISION}
  db: {title: "Check the database of {{serviceId}} in {{environment}}", kind: STEP}
  other: {title: Look around, kind: STEP}
branches:
  - {from: triage, label: database, to: db, condition: 'message matches "DATASOURCE|SQL" and statusCode >= 500', order: 1}
  - {from: triage, label: other, to: other, order: 2}
entries: {"*": triage}
---
scope: com.acme.ledger-1.0.0
name: Ledger
kind: SERVICE
parents: [platform]
---
scope: com.acme.gateway-1.0.0
name: Gateway
kind: SERVICE
parents: [platform]
"#;

async fn app_with(configure: impl FnOnce(&mut Setup)) -> ExecApp {
    let mut setup = Setup {
        runbooks: RUNBOOKS.into(),
        ..Setup::default()
    };
    configure(&mut setup);
    spawn(setup).await
}

fn alertmanager(alerts: Value) -> Value {
    json!({
        "version": "4", "status": "firing", "receiver": "light-runbook",
        "groupLabels": {}, "commonLabels": {}, "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093", "alerts": alerts,
    })
}

fn am_alert(service: &str, code: &str) -> Value {
    json!({
        "status": "firing",
        "labels": {"alertname": "HighErrorRate", "service_id": service, "error_code": code,
                   "instance": "10.0.0.7:8443", "env": "staging", "status_code": "503"},
        "annotations": {"summary": "SQL errors on the ledger"},
        "startsAt": "2026-11-26T07:59:00Z", "fingerprint": "abc123",
    })
}

async fn light4j_alert_starts_an_execution_decided_by_its_fields(backend: Backend) {
    let app = app_with(|s| s.backend = backend).await;
    let (status, body) = app.alert(&light4j(LEDGER, "ERR10001")).await;
    assert_eq!(status, 200, "{body:#}");
    let accepted = &body["accepted"][0];
    assert_eq!(accepted["action"], "STARTED");
    let id = accepted["executionId"].as_str().expect("id");
    assert_eq!(
        accepted["link"],
        format!("{PUBLIC_URL}/h/lightapi.net/executions/{id}")
    );
    assert_eq!(
        accepted["runbookLink"],
        format!("{PUBLIC_URL}/h/lightapi.net/runbook/{LEDGER}/ERR10001")
    );
    let ex = app.execution(id).await;
    assert_eq!(ex["status"], "WAITING");
    assert_eq!(
        ex["current"]["key"], "db",
        "the triage decided by itself: {ex:#}"
    );
    assert_eq!(
        (ex["environment"].as_str(), ex["instance"].as_str()),
        (Some("prod"), Some("pod-7"))
    );
    assert_eq!(ex["labels"], json!([{"name": "team", "value": "payments"}]));
    assert_eq!(ex["startedBy"], "alert");
    assert_eq!(
        events_of(&ex, "STARTED")[0]["data"]["alert"]["statusCode"],
        503
    );
}

#[tokio::test]
async fn an_alertmanager_webhook_starts_one_execution_per_alert() {
    let app = app_with(|_| {}).await;
    let webhook = alertmanager(json!([
        am_alert(LEDGER, "ERR10001"),
        am_alert(GATEWAY, "ERR10002")
    ]));
    let (status, body) = app.alert(&webhook).await;
    assert_eq!(status, 200, "{body:#}");
    let accepted = body["accepted"].as_array().expect("accepted");
    assert_eq!(accepted.len(), 2);
    assert_ne!(accepted[0]["executionId"], accepted[1]["executionId"]);
    let ex = app
        .execution(accepted[1]["executionId"].as_str().expect("id"))
        .await;
    assert_eq!(ex["serviceId"], GATEWAY);
    assert_eq!(ex["errorCode"], "ERR10002");
    assert_eq!(ex["environment"], "staging");
    assert_eq!(ex["instance"], "10.0.0.7:8443");
    assert_eq!(ex["current"]["key"], "db");
}

async fn a_repeated_alert_joins_the_open_execution_within_the_window(backend: Backend) {
    let clock = Arc::new(FixedClock::at(NOW));
    let app = app_with(|s| {
        s.backend = backend;
        s.clock = clock.clone();
    })
    .await;
    let (_, first) = app.alert(&light4j(LEDGER, "ERR10001")).await;
    clock.set(NOW + 600);
    let webhook = alertmanager(json!([am_alert(LEDGER, "ERR10001")]));
    let (status, second) = app.alert(&webhook).await;
    assert_eq!(status, 200, "{second:#}");
    assert_eq!(second["accepted"][0]["action"], "JOINED");
    let id = first["accepted"][0]["executionId"].as_str().expect("id");
    assert_eq!(second["accepted"][0]["executionId"], id);
    let ex = app.execution(id).await;
    assert_eq!(ex["alertCount"], 2);
    assert_eq!(events_of(&ex, "ALERT_JOINED").len(), 1);
    // A resolved notification is recorded on it; it does not finish it.
    let mut resolved = am_alert(LEDGER, "ERR10001");
    resolved["status"] = json!("resolved");
    let (_, noted) = app.alert(&alertmanager(json!([resolved]))).await;
    assert_eq!(noted["accepted"][0]["action"], "RESOLVED_RECORDED");
    assert_eq!(
        events_of(&app.execution(id).await, "ALERT_RESOLVED").len(),
        1
    );
    // The window slides from the last alert (NOW + 600): 900 s later, a new one starts.
    clock.set(NOW + 600 + 901);
    let (_, third) = app.alert(&light4j(LEDGER, "ERR10001")).await;
    assert_eq!(third["accepted"][0]["action"], "STARTED");
    assert_ne!(third["accepted"][0]["executionId"], id);
    // Another code of the same service is another execution.
    let (_, other) = app.alert(&light4j(LEDGER, "ERR10002")).await;
    assert_eq!(other["accepted"][0]["action"], "STARTED");
    let list = app
        .data(
            r#"query ($s: String) { executions(serviceId: $s, status: WAITING, first: 10) { edges { node { id errorCode } } pageInfo { hasNextPage } } }"#,
            json!({"s": LEDGER}),
        )
        .await;
    assert_eq!(
        list["executions"]["edges"].as_array().map(Vec::len),
        Some(3),
        "{list:#}"
    );
}

#[tokio::test]
async fn bad_payloads_name_the_field_and_good_alerts_are_kept() {
    let app = app_with(|s| s.dedup = Duration::from_secs(0)).await;
    let response = app
        .client
        .post(app.url("/alerts"))
        .header("content-type", "application/json")
        .body("not json")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["rejected"][0]["field"], "body");

    let mut missing = light4j(LEDGER, "ERR10001");
    missing.as_object_mut().expect("object").remove("serviceId");
    let (status, body) = app.alert(&missing).await;
    assert_eq!(
        (status, body["rejected"][0]["field"].clone()),
        (400, json!("serviceId"))
    );
    let (status, body) = app.alert(&light4j(LEDGER, "E1")).await;
    assert_eq!(
        (status, body["rejected"][0]["field"].clone()),
        (400, json!("code"))
    );
    let (status, body) = app.alert(&light4j("com.acme.nope", "ERR10001")).await;
    assert_eq!(status, 404, "{body:#}");
    assert_eq!(body["rejected"][0]["code"], "NOT_FOUND");

    let mut bad = am_alert(GATEWAY, "ERR10001");
    bad["labels"]
        .as_object_mut()
        .expect("labels")
        .remove("service_id");
    let webhook = alertmanager(json!([am_alert(LEDGER, "ERR10001"), bad]));
    let (status, body) = app.alert(&webhook).await;
    assert_eq!(status, 207, "{body:#}");
    assert_eq!(body["accepted"][0]["index"], 0);
    assert_eq!(body["rejected"][0]["index"], 1);
    assert_eq!(body["rejected"][0]["field"], "alerts[1].labels.service_id");
    let (status, body) = app.alert(&json!({"alerts": "many"})).await;
    assert_eq!(
        (status, body["rejected"][0]["field"].clone()),
        (400, json!("alerts"))
    );
}

fn token(scopes: &str, host: &str) -> String {
    common::signed(&json!({"uid": "prometheus", "host": host, "scp": scopes, "exp": NOW + 600}))
}

#[tokio::test]
async fn senders_authenticate_with_a_token_or_the_shared_secret() {
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::at(NOW));
    let auth =
        Authenticator::from_config(&AuthConfig::new().with_hs256_secret(SECRET), clock.clone())
            .expect("auth");
    let app = app_with(|s| {
        s.auth = Some(Arc::new(auth));
        s.clock = clock;
        s.alert_secret = Some("shared-alert-secret".into());
    })
    .await;
    let post = |headers: Vec<(&'static str, String)>| {
        let mut request = app
            .client
            .post(app.url("/alerts"))
            .json(&light4j(LEDGER, "ERR10001"));
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(status(post(vec![]).await.expect("sent")), 401);
    assert_eq!(
        status(
            post(vec![("x-alert-secret", "wrong".into())])
                .await
                .expect("sent")
        ),
        401
    );
    assert_eq!(
        status(
            post(vec![("x-alert-secret", "shared-alert-secret".into())])
                .await
                .expect("sent")
        ),
        200
    );
    let bearer = |t: String| vec![("authorization", format!("Bearer {t}"))];
    assert_eq!(
        status(
            post(bearer(token("portal.r", "lightapi.net")))
                .await
                .expect("sent")
        ),
        403
    );
    assert_eq!(
        status(
            post(bearer(token("portal.w", "lightapi.net")))
                .await
                .expect("sent")
        ),
        200
    );
    let other = post(bearer(token("portal.w", "other.net")))
        .await
        .expect("sent");
    assert_eq!(other.status(), 403);
    let body: Value = other.json().await.expect("json");
    assert_eq!(body["rejected"][0]["field"], "host");
    // Moves on executions need the write scope too.
    let list = app
        .data("{ executions { edges { node { id } } } }", json!({}))
        .await;
    let id = list["executions"]["edges"][0]["node"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let anonymous = app
        .graphql(
            r#"mutation ($id: String!) { abort(id: $id) { status } }"#,
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{anonymous:#}"
    );
}

/// A runbook whose step quotes the alert in running text, a code span and a
/// table cell.
const QUOTING: &str = r#"
scope: platform
name: Platform
kind: FRAMEWORK
procedures:
  look:
    title: Look
    kind: STEP
    body: |
      Seen in {{environment}} on `{{instance}}`.

      | where | what |
      |---|---|
      | {{environment}} | [the dashboard](https://grafana.example.com) |
entries: {"*": look}
---
scope: com.acme.ledger-1.0.0
name: Ledger
kind: SERVICE
parents: [platform]
"#;

/// Alert values reach the on-call page as literal text: whatever a sender
/// puts in them, the rendered body has only the author's link: no link,
/// image, heading or HTML of the sender's.
#[tokio::test]
async fn alert_values_in_a_body_are_literal_text_over_http() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let app = spawn(Setup {
        runbooks: QUOTING.into(),
        ..Setup::default()
    })
    .await;
    let hostile = [
        ("[log in](https://evil.example/login)", "pod-1"),
        ("![x](https://evil.example/x.png)", "` <b>bold</b> `"),
        ("<script>alert(1)</script>", "https://evil.example"),
        ("prod\n\n# Heading\n[x]: https://evil.example", "a|b`c"),
    ];
    for (n, (environment, instance)) in hostile.iter().enumerate() {
        let mut alert = light4j(LEDGER, &format!("ERR1000{n}"));
        alert["environment"] = json!(environment);
        alert["instance"] = json!(instance);
        let (status, body) = app.alert(&alert).await;
        assert_eq!(status, 200, "{body:#}");
        let id = body["accepted"][0]["executionId"].as_str().expect("id");
        let ex = app.execution(id).await;
        let text = ex["current"]["body"].as_str().expect("a body");
        let mut links = Vec::new();
        for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
                Event::Start(Tag::Image { .. } | Tag::Heading { .. }) => panic!("{text}"),
                Event::Html(html) | Event::InlineHtml(html) => panic!("HTML {html} in {text}"),
                _ => {}
            }
        }
        assert_eq!(links, ["https://grafana.example.com"], "{text}");
    }
}

on_every_backend!(
    light4j_alert_starts_an_execution_decided_by_its_fields,
    a_repeated_alert_joins_the_open_execution_within_the_window,
);
