//! Writes from pages of other origins, with authentication off: a mutation,
//! an alert or a WebSocket upgrade whose `Origin` is neither listed
//! (`--cors-origin`) nor the service's own is refused 403 `FORBIDDEN` and
//! changes nothing; the service's own pages, listed origins and callers
//! without `Origin` (curl, automation) are served, and reads from anywhere
//! are still answered.

mod common;
mod exec_support;

use common::TestApp;
use exec_support::{ExecApp, Setup, light4j};
use light_runbook::http::cors::Cors;
use serde_json::{Value, json};
use tokio_tungstenite::{
    connect_async,
    tungstenite::{self, client::IntoClientRequest, http::HeaderValue},
};

const PORTAL: &str = "https://portal.example.com";
const CREATE: &str = r#"mutation($id: String!) { createScope(input: { id: $id, name: "New", kind: SERVICE, parents: ["acme-payments"] }) { changeId } }"#;
const READ: &str = r#"{ scope(id: "acme") { id } }"#;

/// Foreign pages, as the headers a browser sends for them.
fn foreign() -> Vec<Vec<(&'static str, &'static str)>> {
    vec![
        vec![("origin", "https://evil.example")],
        vec![("origin", "https://portal.example.com.evil")],
        vec![("origin", "null")],
        vec![("origin", "http://127.0.0.1:1")],
        vec![("origin", "http://localhost.evil.example")],
        vec![("sec-fetch-site", "cross-site")],
    ]
}

async fn post(
    app_url: String,
    client: &reqwest::Client,
    headers: &[(&str, &str)],
    body: Value,
) -> (u16, Value) {
    let mut request = client.post(app_url).json(&body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn stored(app: &TestApp) -> light_runbook::store::Snapshot {
    app.runbooks
        .store()
        .snapshot(&common::host())
        .await
        .expect("snapshot")
}

fn create(id: &str) -> Value {
    json!({ "query": CREATE, "variables": { "id": id } })
}

#[tokio::test]
async fn a_mutation_from_a_foreign_page_is_refused_with_auth_off_and_writes_nothing() {
    let app = common::spawn_app(true, |s| {
        s.cors = Cors::new(&[PORTAL]).expect("valid origin");
    })
    .await;
    let before = stored(&app).await;
    for headers in foreign() {
        let (status, body) = post(
            app.url("/graphql"),
            &app.client,
            &headers,
            create("com.acme.payments.evil-1.0.0"),
        )
        .await;
        assert_eq!(status, 403, "{headers:?}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{headers:?}"
        );
        assert_eq!(stored(&app).await, before, "{headers:?} wrote");
        // Reads are still answered (the browser keeps them from the page).
        let (status, body) = post(
            app.url("/graphql"),
            &app.client,
            &headers,
            json!({ "query": READ }),
        )
        .await;
        assert_eq!(status, 200, "{headers:?}");
        assert_eq!(body["data"]["scope"]["id"], "acme", "{headers:?}");
    }
}

#[tokio::test]
async fn the_services_own_pages_listed_origins_and_callers_without_origin_may_write() {
    let app = common::spawn_app(true, |s| {
        s.cors = Cors::new(&[PORTAL]).expect("valid origin");
    })
    .await;
    let own = format!("http://{}", app.address);
    let localhost = format!("http://localhost:{}", app.address.port());
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("origin", PORTAL), ("sec-fetch-site", "cross-site")],
        vec![("origin", &own), ("sec-fetch-site", "same-origin")],
        vec![("origin", &localhost), ("host", &localhost[7..])],
        vec![("sec-fetch-site", "none")],
    ];
    for (n, headers) in cases.iter().enumerate() {
        let before = stored(&app).await;
        let id = format!("com.acme.payments.new{n}-1.0.0");
        let (status, body) = post(app.url("/graphql"), &app.client, headers, create(&id)).await;
        assert_eq!(status, 200, "{headers:?}: {body}");
        assert!(body["errors"].is_null(), "{headers:?}: {body}");
        assert_ne!(stored(&app).await, before, "{headers:?} did not write");
    }
}

async fn alert_app() -> ExecApp {
    exec_support::spawn(Setup {
        runbooks: "scope: com.acme.ledger-1.0.0\nname: Ledger\nkind: SERVICE\nprocedures:\n  look: {title: Look, kind: STEP}\nentries: {\"*\": look}\n".into(),
        ..Setup::default()
    })
    .await
}

async fn execution_count(app: &ExecApp) -> usize {
    let data = app
        .data("{ executions { edges { node { id } } } }", json!({}))
        .await;
    data["executions"]["edges"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn an_alert_from_a_foreign_page_or_not_in_json_is_refused_and_starts_nothing() {
    let app = alert_app().await;
    let alert = light4j("com.acme.ledger-1.0.0", "ERR10001");
    for headers in foreign() {
        let (status, body) = post(app.url("/alerts"), &app.client, &headers, alert.clone()).await;
        assert_eq!(status, 403, "{headers:?}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
    }
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let response = app
            .client
            .post(app.url("/alerts"))
            .header("content-type", content_type)
            .body(alert.to_string())
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 415, "{content_type}");
    }
    assert_eq!(execution_count(&app).await, 0);
    let (status, body) = post(app.url("/alerts"), &app.client, &[], alert).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["accepted"][0]["action"], "STARTED", "{body}");
    assert_eq!(execution_count(&app).await, 1);
}

/// Opens a subscription socket with the given `Origin`: the HTTP status of a refusal, or 101.
async fn upgrade(app: &TestApp, origin: Option<&str>) -> u16 {
    let mut request = format!("ws://{}/graphql", app.address)
        .into_client_request()
        .expect("request");
    let headers = request.headers_mut();
    headers.insert(
        "sec-websocket-protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    if let Some(origin) = origin {
        headers.insert("origin", HeaderValue::from_str(origin).expect("origin"));
    }
    match connect_async(request).await {
        Ok((_, response)) => response.status().as_u16(),
        Err(tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(e) => panic!("the upgrade failed otherwise: {e}"),
    }
}

#[tokio::test]
async fn a_websocket_upgrade_from_a_foreign_page_is_refused() {
    let app = common::spawn_app(true, |s| {
        s.cors = Cors::new(&[PORTAL]).expect("valid origin");
    })
    .await;
    for origin in ["https://evil.example", "null", "http://127.0.0.1:1"] {
        assert_eq!(upgrade(&app, Some(origin)).await, 403, "{origin}");
    }
    let own = format!("http://{}", app.address);
    for origin in [None, Some(PORTAL), Some(own.as_str())] {
        assert_eq!(upgrade(&app, origin).await, 101, "{origin:?}");
    }
    assert_eq!(app.data(READ, json!({})).await["scope"]["id"], "acme");
}
