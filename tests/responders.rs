//! Who answers for an execution: a person acknowledges it, a second
//! acknowledgement by them changes nothing, someone else's is refused, and
//! the execution is handed off (also taken over) with the events recording
//! who, to whom and when. Finished executions take neither.

mod common;
mod exec_support;

use std::sync::Arc;

use common::{Backend, NOW, TOKEN_SECRET, signed};
use exec_support::{ExecApp, Setup, events_of, spawn};
use light_runbook::auth::{AuthConfig, Authenticator, Clock, FixedClock};
use serde_json::{Value, json};

const RUNBOOK: &str = r#"
scope: com.acme.oncall-1.0.0
name: On call
kind: SERVICE
procedures:
  look: {title: Look at the dashboard, kind: STEP}
  done: {title: Resolved, kind: RESOLUTION}
branches:
  - {from: look, label: next, to: done}
entries: {ERR10001: look, ERR10002: look}
"#;

async fn app(backend: Backend) -> ExecApp {
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::at(NOW));
    let auth = Authenticator::from_config(
        &AuthConfig::new().with_hs256_secret(TOKEN_SECRET),
        clock.clone(),
    )
    .expect("auth");
    spawn(Setup {
        backend,
        runbooks: RUNBOOK.into(),
        auth: Some(Arc::new(auth)),
        clock,
        ..Setup::default()
    })
    .await
}

/// A token of `uid` that may act on the tests' host.
fn token(uid: &str) -> String {
    signed(&json!({
        "uid": uid, "host": "lightapi.net", "role": "user", "scp": "portal.r portal.w",
        "exp": NOW + 600, "nbf": NOW - 10,
    }))
}

/// Sends `query` as `uid`: the whole answer.
async fn as_user(app: &ExecApp, uid: &str, query: &str, variables: Value) -> Value {
    let url = app.url("/graphql");
    common::graphql_as(&app.client, &url, Some(&token(uid)), query, variables).await
}

const START: &str = r#"mutation { startExecution(serviceId: "com.acme.oncall-1.0.0", errorCode: "ERR10001") { id responder { uid } } }"#;
const ACK: &str = r#"mutation ($id: String!) { acknowledge(id: $id, note: "on it") { responder { uid since acknowledgedAt } } }"#;
const HAND: &str = r#"mutation ($id: String!, $to: String!) { handOff(id: $id, to: $to, note: "end of my shift") { responder { uid since acknowledgedAt } } }"#;
const EVENTS: &str =
    r#"query ($id: String!) { execution(id: $id) { events { kind actor note data } } }"#;

fn code(answer: &Value) -> (&str, &str) {
    let e = &answer["errors"][0]["extensions"];
    (
        e["code"].as_str().unwrap_or(""),
        e["field"].as_str().unwrap_or(""),
    )
}

async fn an_execution_is_acknowledged_once_and_handed_off_with_who_and_when(backend: Backend) {
    let app = app(backend).await;
    let started = as_user(&app, "alice", START, json!({})).await;
    assert_eq!(
        started["data"]["startExecution"]["responder"],
        Value::Null,
        "{started:#}"
    );
    let id = started["data"]["startExecution"]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let acked = as_user(&app, "alice", ACK, json!({"id": id})).await;
    let responder = &acked["data"]["acknowledge"]["responder"];
    assert_eq!(responder["uid"], "alice", "{acked:#}");
    assert_eq!(responder["acknowledgedAt"], "2026-11-26T08:00:00Z");
    // A second click is no second event.
    let again = as_user(&app, "alice", ACK, json!({"id": id})).await;
    assert_eq!(again["data"]["acknowledge"]["responder"]["uid"], "alice");
    // Someone else cannot acknowledge it over alice.
    let other = as_user(&app, "bob", ACK, json!({"id": id})).await;
    assert_eq!(code(&other).0, "CONFLICT", "{other:#}");
    assert!(
        other["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("alice"),
        "the refusal names who answers for it: {other:#}"
    );

    // alice hands it to bob; carol then takes it over.
    let handed = as_user(&app, "alice", HAND, json!({"id": id, "to": "bob"})).await;
    assert_eq!(
        handed["data"]["handOff"]["responder"]["uid"], "bob",
        "{handed:#}"
    );
    let taken = as_user(&app, "carol", HAND, json!({"id": id, "to": "carol"})).await;
    let responder = &taken["data"]["handOff"]["responder"];
    assert_eq!(responder["uid"], "carol");
    assert_eq!(
        responder["acknowledgedAt"], "2026-11-26T08:00:00Z",
        "a hand-off keeps when it was first acknowledged"
    );

    let events = as_user(&app, "carol", EVENTS, json!({"id": id})).await;
    let ex = &events["data"]["execution"];
    let acks = events_of(ex, "ACKNOWLEDGED");
    assert_eq!(acks.len(), 1, "{ex:#}");
    assert_eq!(acks[0]["actor"], "alice");
    assert_eq!(acks[0]["note"], "on it");
    let handoffs: Vec<(Value, Value, Value)> = events_of(ex, "HANDED_OFF")
        .iter()
        .map(|e| {
            (
                e["actor"].clone(),
                e["data"]["from"].clone(),
                e["data"]["to"].clone(),
            )
        })
        .collect();
    assert_eq!(
        handoffs,
        [
            (json!("alice"), json!("alice"), json!("bob")),
            (json!("carol"), json!("bob"), json!("carol")),
        ]
    );

    // Finished: no acknowledging or handing off, the responder stays on record.
    let resolved = as_user(
        &app,
        "carol",
        r#"mutation ($id: String!) { resolve(id: $id, note: "fixed") { status responder { uid } } }"#,
        json!({"id": id}),
    )
    .await;
    assert_eq!(resolved["data"]["resolve"]["responder"]["uid"], "carol");
    let late_ack = as_user(&app, "dave", ACK, json!({"id": id})).await;
    assert_eq!(code(&late_ack).0, "CONFLICT");
    let late_hand = as_user(&app, "carol", HAND, json!({"id": id, "to": "dave"})).await;
    assert_eq!(code(&late_hand).0, "CONFLICT");
}

#[tokio::test]
async fn a_hand_off_needs_a_plausible_uid_and_a_token_that_may_act() {
    let app = app(Backend::Sqlite).await;
    let started = as_user(&app, "alice", START, json!({})).await;
    let id = started["data"]["startExecution"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    for to in ["", "two words", "tab\there", &"u".repeat(201)] {
        let answer = as_user(&app, "alice", HAND, json!({"id": id, "to": to})).await;
        assert_eq!(
            code(&answer),
            ("BAD_USER_INPUT", "to"),
            "{to:?}: {answer:#}"
        );
    }
    // A reader may not act.
    let url = app.url("/graphql");
    let reader_token = common::read_token("lightapi.net");
    let reader = common::graphql_as(
        &app.client,
        &url,
        Some(&reader_token),
        ACK,
        json!({"id": id}),
    )
    .await;
    assert_eq!(code(&reader).0, "FORBIDDEN", "{reader:#}");
    let events = as_user(&app, "alice", EVENTS, json!({"id": id})).await;
    let ex = &events["data"]["execution"];
    assert!(events_of(ex, "ACKNOWLEDGED").is_empty());
    assert!(events_of(ex, "HANDED_OFF").is_empty());
}

/// The ids `executions(unacknowledged: true)` lists.
async fn waiting(app: &ExecApp) -> Vec<String> {
    let listed = as_user(
        app,
        "bob",
        r#"{ executions(unacknowledged: true) { nodes { id } } }"#,
        json!({}),
    )
    .await;
    let nodes = listed["data"]["executions"]["nodes"].clone();
    (nodes.as_array().into_iter().flatten())
        .map(|n| n["id"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn the_unacknowledged_listing_holds_every_open_execution_nobody_answers_for() {
    let app = app(Backend::Sqlite).await;
    let start = |code: &'static str| {
        let app = &app;
        async move {
            let query = format!(
                r#"mutation {{ startExecution(serviceId: "com.acme.oncall-1.0.0", errorCode: "{code}") {{ id }} }}"#
            );
            let started = as_user(app, "alice", &query, json!({})).await;
            started["data"]["startExecution"]["id"]
                .as_str()
                .expect("id")
                .to_owned()
        }
    };
    let (first, second) = (start("ERR10001").await, start("ERR10002").await);
    as_user(&app, "alice", ACK, json!({"id": first})).await;
    assert_eq!(waiting(&app).await, [second.as_str()]);
    as_user(&app, "bob", ACK, json!({"id": second})).await;
    assert!(waiting(&app).await.is_empty());
}

on_every_backend!(an_execution_is_acknowledged_once_and_handed_off_with_who_and_when);
