//! The `executionEvents` subscription over WebSocket (graphql-transport-ws
//! on `/graphql`): the stored events first, then each as it happens, until
//! the execution finishes.

mod common;
mod exec_support;

use exec_support::{Endpoint, Setup, spawn};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::{
    connect_async,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};

const RUNBOOK: &str = r#"
scope: com.acme.ws-1.0.0
name: Subscribed
kind: SERVICE
procedures:
  look: {title: Look, kind: STEP}
  check: {title: Fixed?, kind: DECISION}
  done: {title: Resolved, kind: RESOLUTION}
  page: {title: Page, kind: ESCALATION}
branches:
  - {from: look, label: next, to: check}
  - {from: check, label: fixed, to: done, condition: "output.fixed == true"}
  - {from: check, label: still broken, to: page, condition: "output.fixed == false"}
entries: {ERR10001: look}
"#;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .expect("sent");
}

/// The next JSON message (pings and other frames skipped), 10 s at most.
async fn receive(socket: &mut Socket) -> Value {
    loop {
        let next = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
            .expect("the socket is open")
            .expect("a frame");
        if let Message::Text(text) = next {
            return serde_json::from_str(text.as_str()).expect("JSON");
        }
    }
}

/// A graphql-transport-ws connection to the service, acknowledged.
async fn connect(address: std::net::SocketAddr) -> Socket {
    let mut request = format!("ws://{address}/graphql")
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut socket, _) = connect_async(request).await.expect("WebSocket connects");
    send(
        &mut socket,
        json!({"type": "connection_init", "payload": {}}),
    )
    .await;
    assert_eq!(receive(&mut socket).await["type"], "connection_ack");
    socket
}

#[tokio::test]
async fn the_subscription_streams_an_executions_events_until_it_finishes() {
    let _endpoint = Endpoint::start().await;
    let app = spawn(Setup {
        runbooks: RUNBOOK.into(),
        ..Setup::default()
    })
    .await;
    let started = app
        .data(
            r#"mutation { startExecution(serviceId: "com.acme.ws-1.0.0", errorCode: "ERR10001") { id } }"#,
            json!({}),
        )
        .await;
    let id = started["startExecution"]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let mut socket = connect(app.address).await;
    send(
        &mut socket,
        json!({"id": "1", "type": "subscribe", "payload": {
            "query": "subscription ($id: String!) { executionEvents(id: $id) { seq kind procedure actor label } }",
            "variables": {"id": id},
        }}),
    )
    .await;
    // What is stored already: started, entered `look`, waiting.
    let mut events = Vec::new();
    for _ in 0..3 {
        let message = receive(&mut socket).await;
        assert_eq!(message["type"], "next", "{message:#}");
        events.push(message["payload"]["data"]["executionEvents"].clone());
    }
    // A person completes the step; the rest arrives as it happens.
    app.data(
        r#"mutation ($id: String!) { completeStep(id: $id, output: {fixed: true}) { status } }"#,
        json!({"id": id}),
    )
    .await;
    loop {
        let message = receive(&mut socket).await;
        match message["type"].as_str() {
            Some("next") => events.push(message["payload"]["data"]["executionEvents"].clone()),
            Some("complete") => break,
            _ => panic!("unexpected {message:#}"),
        }
    }
    let seqs: Vec<i64> = events.iter().filter_map(|e| e["seq"].as_i64()).collect();
    assert_eq!(
        seqs,
        (1..=seqs.len() as i64).collect::<Vec<_>>(),
        "in order, no gaps"
    );
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        [
            "STARTED",
            "ENTERED",
            "WAITING",
            "STEP_COMPLETED",
            "BRANCH_TAKEN",
            "ENTERED",
            "BRANCH_TAKEN",
            "ENTERED",
            "RESOLVED"
        ]
    );
    assert_eq!(events[6]["label"], "fixed");
}

#[tokio::test]
async fn a_subscription_under_another_host_is_not_found_and_under_its_own_streams() {
    let app = spawn(Setup {
        runbooks: RUNBOOK.into(),
        ..Setup::default()
    })
    .await;
    let started = app
        .data(
            r#"mutation { startExecution(serviceId: "com.acme.ws-1.0.0", errorCode: "ERR10001") { id } }"#,
            json!({}),
        )
        .await;
    let id = started["startExecution"]["id"].as_str().expect("id");
    let mut socket = connect(app.address).await;
    let query = "subscription ($host: String, $id: String!) { executionEvents(host: $host, id: $id) { seq } }";
    for (n, host) in ["b.example", "other.net"].into_iter().enumerate() {
        let sub = (n + 1).to_string();
        send(
            &mut socket,
            json!({"id": sub, "type": "subscribe", "payload": {
                "query": query, "variables": {"host": host, "id": id},
            }}),
        )
        .await;
        let message = receive(&mut socket).await;
        assert_eq!(message["type"], "next", "{message:#}");
        let error = &message["payload"]["errors"][0];
        assert_eq!(error["extensions"]["code"], "NOT_FOUND", "{message:#}");
        assert_eq!(error["extensions"]["field"], "id", "{message:#}");
        assert_eq!(message["id"], sub.as_str());
        let end = receive(&mut socket).await;
        assert_eq!(
            (&end["type"], &end["id"]),
            (&json!("complete"), &json!(sub))
        );
    }
    // The same socket still streams the execution under its own host.
    send(
        &mut socket,
        json!({"id": "own", "type": "subscribe", "payload": {
            "query": query, "variables": {"host": "lightapi.net", "id": id},
        }}),
    )
    .await;
    let message = receive(&mut socket).await;
    assert_eq!(message["type"], "next", "{message:#}");
    assert_eq!(message["payload"]["data"]["executionEvents"]["seq"], 1);
}
