//! The GraphQL-over-HTTP protocol of `/graphql`, over real HTTP:
//!
//! - the specification's own server audits (`graphql-http` from the npm
//!   registry, `tests/protocol/audit.mjs`, installed with `npm ci`): every
//!   MUST and every SHOULD passes; failed MAYs are printed;
//! - answer types by `Accept`, with the specification's status codes, kept
//!   apart by the response cache;
//! - request bodies other than `application/json` refused 415, writing nothing.

mod common;
#[path = "federation/node.rs"]
mod node;

use std::{path::Path, time::Duration};

use common::TestApp;
use serde_json::{Value, json};

/// One audit's result as `audit.mjs` prints it.
#[derive(serde::Deserialize, Debug)]
struct Audit {
    id: String,
    name: String,
    status: String,
    reason: Option<String>,
}

#[tokio::test]
async fn the_graphql_over_http_audit_passes_every_must_and_should() {
    let app = common::spawn_demo_app().await;
    let url = app.url("/graphql");
    let outcome = tokio::task::spawn_blocking(move || {
        let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/protocol");
        node::run_in(&project, "audit.mjs", &[&url], &[], Duration::from_secs(90))
    })
    .await
    .expect("audit ran");
    outcome.assert_success("tests/protocol/audit.mjs");
    let audits: Vec<Audit> = outcome
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one audit per line"))
        .collect();
    assert!(
        audits.len() >= 60,
        "{} audits: {}",
        audits.len(),
        outcome.stdout
    );
    let failed = |status: &str| -> Vec<String> {
        audits
            .iter()
            .filter(|a| a.status == status)
            .map(|a| format!("{} {}: {}", a.id, a.name, a.reason.as_deref().unwrap_or("")))
            .collect()
    };
    for optional in failed("notice") {
        eprintln!("MAY not done: {optional}");
    }
    let must_or_should = [failed("error"), failed("warn")].concat();
    assert!(
        must_or_should.is_empty(),
        "{} of {} audits failed:\n{}",
        must_or_should.len(),
        audits.len(),
        must_or_should.join("\n")
    );
    assert_eq!(
        audits.iter().filter(|a| a.status == "ok").count() + failed("notice").len(),
        audits.len()
    );
    // The server still answers.
    assert_eq!(
        app.data("{ __typename }", json!({})).await["__typename"],
        "Query"
    );
}

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const UNKNOWN_SERVICE: &str = "{ runbook(serviceId: \"com.acme.nothing-1.0.0\") { entry } }";
const RUNBOOK: &str = "{ runbook(serviceId: \"com.acme.payments.ledger-1.0.0\") { entry } }";

/// What a POST was answered: status, content type, JSON body (null if none).
struct Answered {
    status: u16,
    content_type: String,
    body: Value,
}

async fn post(
    app: &TestApp,
    content_type: Option<&str>,
    accept: Option<&str>,
    body: String,
) -> Answered {
    let mut request = app.client.post(app.url("/graphql")).body(body);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answered {
        status,
        content_type,
        body,
    }
}

fn query(query: &str, variables: Value) -> String {
    json!({ "query": query, "variables": variables }).to_string()
}

#[tokio::test]
async fn requests_that_fail_before_execution_are_400_only_for_graphql_response_clients() {
    let app = common::spawn_demo_app().await;
    for (request, code) in [
        (query("{", json!({})), "BAD_USER_INPUT"),
        (
            query("{ scop(id: \"acme\") { id } }", json!({})),
            "BAD_USER_INPUT",
        ),
        (
            query(
                "query($id: String!) { scope(id: $id) { id } }",
                json!({ "id": 7 }),
            ),
            "BAD_USER_INPUT",
        ),
        (
            query("{ a: __typename b: __typename c: __typename }", json!({})),
            "",
        ),
    ] {
        let strict = post(
            &app,
            Some("application/json"),
            Some(GRAPHQL_RESPONSE),
            request.clone(),
        )
        .await;
        let plain = post(
            &app,
            Some("application/json"),
            Some("application/json"),
            request.clone(),
        )
        .await;
        let legacy = post(&app, Some("application/json"), None, request.clone()).await;
        if code.is_empty() {
            // Under the alias limit: executed, 200 for everyone.
            assert_eq!(strict.status, 200, "{request}");
            continue;
        }
        assert_eq!(strict.status, 400, "{request}: {}", strict.body);
        assert_eq!(strict.content_type, GRAPHQL_RESPONSE);
        for answered in [&plain, &legacy] {
            assert_eq!(answered.status, 200, "{request}: {}", answered.body);
            assert_eq!(answered.content_type, "application/json");
        }
        for answered in [&strict, &plain, &legacy] {
            assert_eq!(
                answered.body["errors"][0]["extensions"]["code"], code,
                "{request}"
            );
            assert!(
                answered.body.get("data").is_none(),
                "{request}: {}",
                answered.body
            );
        }
    }
}

#[tokio::test]
async fn execution_errors_are_200_with_data_in_both_answer_types() {
    let app = common::spawn_demo_app().await;
    for accept in [GRAPHQL_RESPONSE, "application/json", "*/*"] {
        let answered = post(
            &app,
            Some("application/json"),
            Some(accept),
            query(UNKNOWN_SERVICE, json!({})),
        )
        .await;
        assert_eq!(answered.status, 200, "{accept}: {}", answered.body);
        assert_eq!(
            answered.body["errors"][0]["extensions"]["code"],
            "NOT_FOUND"
        );
        assert!(
            answered.body.get("data").is_some(),
            "{accept}: {}",
            answered.body
        );
    }
}

#[tokio::test]
async fn an_accept_naming_no_json_type_is_refused_and_others_still_answered() {
    let app = common::spawn_demo_app().await;
    for accept in [
        "text/html",
        "application/xml, text/*",
        "application/json;q=0",
    ] {
        let answered = post(
            &app,
            Some("application/json"),
            Some(accept),
            query(RUNBOOK, json!({})),
        )
        .await;
        assert_eq!(answered.status, 406, "{accept}");
        assert_eq!(answered.body["errors"][0]["extensions"]["field"], "accept");
    }
    let answered = post(
        &app,
        Some("application/json"),
        Some("text/html, */*;q=0.1"),
        query(RUNBOOK, json!({})),
    )
    .await;
    assert_eq!(answered.status, 200);
    assert_eq!(answered.body["data"]["runbook"]["entry"], Value::Null);
}

#[tokio::test]
async fn the_response_cache_keeps_each_answer_type_apart() {
    let app = common::spawn_demo_app().await;
    let body = query(RUNBOOK, json!({}));
    for round in 0..2 {
        for (accept, expected) in [
            (Some(GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
            (Some("application/json"), "application/json"),
            (None, "application/json"),
            (
                Some("application/graphql-response+json, application/json;q=0.5"),
                GRAPHQL_RESPONSE,
            ),
        ] {
            let answered = post(&app, Some("application/json"), accept, body.clone()).await;
            assert_eq!(answered.status, 200, "{accept:?} round {round}");
            assert_eq!(answered.content_type, expected, "{accept:?} round {round}");
            assert!(answered.body["errors"].is_null(), "{}", answered.body);
        }
    }
}

/// The store's documents, which a refused write must leave as they were.
async fn stored(app: &TestApp) -> light_runbook::store::Snapshot {
    app.runbooks
        .store()
        .snapshot(&common::host())
        .await
        .expect("snapshot")
}

const CREATE: &str = r#"mutation { createScope(input: { id: "com.acme.payments.new-1.0.0", name: "New", kind: SERVICE, parents: ["acme-payments"] }) { changeId } }"#;

#[tokio::test]
async fn post_bodies_other_than_json_are_refused_415_and_write_nothing() {
    let app = common::spawn_demo_app().await;
    let before = stored(&app).await;
    let body = query(CREATE, json!({}));
    for content_type in [
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=----x"),
        Some("application/graphql"),
        Some(GRAPHQL_RESPONSE),
        Some("application/json; charset=iso-8859-1"),
        None,
    ] {
        let answered = post(&app, content_type, None, body.clone()).await;
        assert_eq!(answered.status, 415, "{content_type:?}");
        let error = &answered.body["errors"][0];
        assert_eq!(
            error["extensions"]["code"], "BAD_USER_INPUT",
            "{content_type:?}"
        );
        assert_eq!(
            error["extensions"]["field"], "content-type",
            "{content_type:?}"
        );
        assert_eq!(stored(&app).await, before, "{content_type:?} wrote");
    }
    let answered = post(&app, Some("application/json; charset=utf-8"), None, body).await;
    assert_eq!(answered.status, 200, "{}", answered.body);
    assert!(answered.body["errors"].is_null(), "{}", answered.body);
    assert_ne!(stored(&app).await, before, "the JSON write was applied");
}

#[tokio::test]
async fn malformed_json_requests_are_400_naming_the_parameter() {
    let app = common::spawn_demo_app().await;
    for (body, field) in [
        ("{ \"not a JSON", "body"),
        ("", "body"),
        ("[{\"query\": \"{ __typename }\"}]", "body"),
        ("{\"qeury\": \"{ __typename }\"}", "query"),
        ("{\"query\": 0}", "query"),
        (
            "{\"query\": \"{ __typename }\", \"operationName\": {}}",
            "operationName",
        ),
        (
            "{\"query\": \"{ __typename }\", \"variables\": \"x\"}",
            "variables",
        ),
        (
            "{\"query\": \"{ __typename }\", \"extensions\": [1]}",
            "extensions",
        ),
    ] {
        for accept in [None, Some(GRAPHQL_RESPONSE)] {
            let answered = post(&app, Some("application/json"), accept, body.to_owned()).await;
            assert_eq!(answered.status, 400, "{body}");
            let error = &answered.body["errors"][0];
            assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{body}");
            assert_eq!(error["extensions"]["field"], field, "{body}");
        }
    }
    assert_eq!(
        app.data("{ __typename }", json!({})).await["__typename"],
        "Query"
    );
}

#[tokio::test]
async fn with_introspection_off_errors_suggest_no_field_names() {
    let closed = common::spawn_app(true, |s| s.query_limits.introspection = false).await;
    let open = common::spawn_demo_app().await;
    for typo in [
        "{ scop(id: \"acme\") { id } }",
        "{ scope(id: \"acme\") { nam } }",
        "{ runbook(serviceId: \"x\", errorCod: \"ERR1\") { entry } }",
    ] {
        let hidden = closed.graphql(typo, json!({})).await;
        let message = hidden["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{typo}: {hidden}");
        assert!(!message.contains("Did you mean"), "{typo}: {message}");
        let shown = open.graphql(typo, json!({})).await;
        let message = shown["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("Did you mean"), "{typo}: {message}");
    }
}
