//! The stream transaction's HTTP exchange, against a stand-in server that
//! answers as ArangoDB documents it (no ArangoDB runs here): what is sent,
//! to which path, with which header, and how answers are read.

use std::sync::{Arc, Mutex};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, Method, StatusCode},
    routing::{post, put},
};

use super::*;
use crate::store::{StoreError, arango::queries};

/// One request the stand-in server received: method, path, transaction
/// header, body.
type Seen = (String, String, Option<String>, Value);

#[derive(Clone, Default)]
struct Server {
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Answer the cursor with this ArangoDB error instead.
    fail_with: Option<(u16, u16)>,
}

impl Server {
    fn record(&self, method: &Method, path: String, headers: &HeaderMap, body: Value) {
        let trx = (headers.get(TRANSACTION_HEADER)).map(|v| v.to_str().unwrap_or("?").to_owned());
        self.seen
            .lock()
            .unwrap()
            .push((method.to_string(), path, trx, body));
    }
}

/// A request body as JSON (ArangoDB reads bodies sent without a content type).
fn parsed(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or(Value::Null)
}

async fn begin(
    State(s): State<Server>,
    method: Method,
    headers: HeaderMap,
    body: String,
) -> Json<Value> {
    s.record(&method, "begin".to_owned(), &headers, parsed(&body));
    Json(json!({ "error": false, "code": 201, "result": { "id": "4711", "status": "running" } }))
}

async fn cursor(
    State(s): State<Server>,
    method: Method,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, Json<Value>) {
    s.record(&method, "cursor".to_owned(), &headers, parsed(&body));
    if let Some((status, num)) = s.fail_with {
        let error = json!({ "error": true, "code": status, "errorNum": num, "errorMessage": "no" });
        return (StatusCode::from_u16(status).unwrap(), Json(error));
    }
    let batch =
        json!({ "error": false, "code": 201, "result": [1, 2], "hasMore": true, "id": "c9" });
    (StatusCode::CREATED, Json(batch))
}

async fn next_batch(
    State(s): State<Server>,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Json<Value> {
    s.record(&method, format!("cursor/{id}"), &headers, Value::Null);
    Json(json!({ "error": false, "code": 200, "result": [3], "hasMore": false }))
}

async fn finish(
    State(s): State<Server>,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Json<Value> {
    s.record(&method, format!("transaction/{id}"), &headers, Value::Null);
    let status = if method == Method::DELETE {
        "aborted"
    } else {
        "committed"
    };
    Json(json!({ "error": false, "code": 200, "result": { "id": id, "status": status } }))
}

/// Serves `server` on a local port; returns the database's base URL.
async fn serve(server: Server) -> Url {
    let routes = Router::new()
        .route("/_db/t/_api/transaction/begin", post(begin))
        .route("/_db/t/_api/cursor", post(cursor))
        .route("/_db/t/_api/cursor/{id}", put(next_batch))
        .route("/_db/t/_api/transaction/{id}", put(finish).delete(finish))
        .with_state(server);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, routes).await });
    Url::parse(&format!("http://127.0.0.1:{port}/_db/t/")).unwrap()
}

fn spec() -> TxSpec {
    TxSpec {
        write: vec!["scopes".to_owned()],
        exclusive: vec!["counters".to_owned(), "hosts".to_owned()],
        lock_timeout: Duration::from_millis(2500),
        wait_for_sync: true,
    }
}

fn session() -> RustlsClient {
    RustlsClient::new(None).unwrap()
}

#[test]
fn the_begin_body_declares_exclusive_collections_and_a_lock_timeout_in_seconds() {
    assert_eq!(
        spec().body(),
        json!({
            "collections": { "write": ["scopes"], "exclusive": ["counters", "hosts"] },
            "waitForSync": true,
            "allowImplicit": false,
            "lockTimeout": 2,
        })
    );
    let short = TxSpec {
        lock_timeout: Duration::from_millis(300),
        ..spec()
    };
    assert_eq!(
        short.body()["lockTimeout"],
        1,
        "never 0, which waits forever"
    );
}

#[test]
fn answers_are_read_as_results_or_arango_errors() {
    let batch: Batch<u64> =
        answer(r#"{"error":false,"code":201,"result":[1,2],"hasMore":true,"id":"77"}"#).unwrap();
    assert_eq!(
        (batch.result, batch.more, batch.id.as_deref()),
        (vec![1, 2], true, Some("77"))
    );
    let last: Batch<u64> = answer(r#"{"error":false,"code":201,"result":[]}"#).unwrap();
    assert!(!last.more && last.id.is_none());
    let refused =
        answer::<Value>(r#"{"error":true,"code":400,"errorNum":1620,"errorMessage":"refused"}"#)
            .unwrap_err();
    assert_eq!(errors::error_num(&refused), Some(1620));
    assert!(matches!(
        answer::<Value>("<html>"),
        Err(ClientError::Serde(_))
    ));
}

#[tokio::test]
async fn a_transaction_sends_its_id_on_every_request_and_fetches_every_batch() {
    let server = Server::default();
    let base = serve(server.clone()).await;
    let tx = StreamTx::begin_on(&session(), base, &spec()).await.unwrap();
    let rows: Vec<u64> = tx.query(&queries::ping()).await.unwrap();
    assert_eq!(rows, [1, 2, 3]);
    tx.commit().await.unwrap();

    let seen = server.seen.lock().unwrap().clone();
    let calls: Vec<(&str, &str, Option<&str>)> = (seen.iter())
        .map(|(m, p, t, _)| (m.as_str(), p.as_str(), t.as_deref()))
        .collect();
    assert_eq!(
        calls,
        [
            ("POST", "begin", None),
            ("POST", "cursor", Some("4711")),
            ("PUT", "cursor/c9", Some("4711")),
            ("PUT", "transaction/4711", Some("4711")),
        ]
    );
    assert_eq!(seen[0].3, spec().body());
    assert_eq!(seen[1].3["query"], queries::PING.text);
    assert_eq!(seen[1].3["batchSize"], 1000);
}

#[tokio::test]
async fn a_refused_query_keeps_its_error_number_and_an_abort_is_a_delete() {
    let server = Server {
        fail_with: Some((400, 1620)),
        ..Server::default()
    };
    let base = serve(server.clone()).await;
    let tx = StreamTx::begin_on(&session(), base, &spec()).await.unwrap();
    match tx.query::<Value>(&queries::ping()).await {
        Err(StoreError::Query {
            context, message, ..
        }) => {
            assert_eq!(context, "ping");
            assert!(message.contains("errorNum 1620 (HTTP 400)"), "{message}");
        }
        other => panic!("expected a query error, got {other:?}"),
    }
    tx.abort().await;
    let seen = server.seen.lock().unwrap().clone();
    let last = seen.last().unwrap();
    assert_eq!(
        (last.0.as_str(), last.1.as_str()),
        ("DELETE", "transaction/4711")
    );
    assert_eq!(last.2.as_deref(), Some("4711"));
}

#[tokio::test]
async fn a_server_that_is_not_there_is_unavailable() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let base = Url::parse(&format!("http://127.0.0.1:{port}/_db/t/")).unwrap();
    match StreamTx::begin_on(&session(), base, &spec()).await {
        Err(StoreError::Unavailable { message, .. }) => {
            assert!(message.starts_with("begin transaction"), "{message}");
        }
        Err(other) => panic!("expected Unavailable, got {other}"),
        Ok(_) => panic!("began a transaction on a closed port"),
    }
}
