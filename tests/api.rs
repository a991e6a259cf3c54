//! The GraphQL API end to end over HTTP: a real server on a loopback port,
//! a real SQLite file holding the demo runbooks.

mod common;

use common::{Backend, TestApp, spawn_demo_app_on};
use serde_json::{Value, json};

const LEDGER: &str = "com.acme.payments.ledger-1.0.0";
const GATEWAY: &str = "com.acme.payments.gateway-2.1.0";
const CATALOG: &str = "com.acme.retail.catalog-1.0.0";

const RUNBOOK: &str = r#"
query ($service: String!, $code: String) {
  runbook(serviceId: $service, errorCode: $code) {
    serviceId entry
    lineage { id kind }
    errorCode { code statusCode message severity origin { id } layers { id } provenance }
    procedures { key title kind provenance origin { id } layers { id } next { label to target { key } } }
    branches { from label to provenance origin { id } layers { id } }
    entries { code key provenance scope { id } }
    removed { kind key label scope { id } }
    contacts { name email }
    warnings { code message scope key }
  }
}"#;

async fn runbook(app: &TestApp, service: &str, code: Option<&str>) -> Value {
    app.data(RUNBOOK, json!({ "service": service, "code": code }))
        .await["runbook"]
        .clone()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .map(|v| v["id"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn find<'a>(list: &'a Value, field: &str, value: &str) -> &'a Value {
    list.as_array()
        .and_then(|a| a.iter().find(|v| v[field] == value))
        .unwrap_or_else(|| panic!("no {field} = {value} in {list:#}"))
}

async fn a_runbook_for_an_error_code_starts_at_its_entry_with_the_lineage_in_c3_order(
    backend: Backend,
) {
    let app = spawn_demo_app_on(backend).await;
    let rb = runbook(&app, LEDGER, Some("ERR10001")).await;
    assert_eq!(rb["serviceId"], LEDGER);
    assert_eq!(
        ids(&rb["lineage"]),
        [LEDGER, "acme-payments", "acme", "rest-api", "light-4j"]
    );
    assert_eq!(rb["entry"], "token-expired");
    assert_eq!(rb["procedures"][0]["key"], "token-expired");
    assert_eq!(rb["errorCode"]["code"], "ERR10001");
    assert_eq!(rb["errorCode"]["statusCode"], 401);
    assert_eq!(rb["errorCode"]["origin"]["id"], "light-4j");
    let entries = rb["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "only the entry used: {entries:#?}");
    assert_eq!(entries[0]["code"], "ERR10001");
    assert_eq!(entries[0]["provenance"], "INHERITED");
    // Everything listed is reachable: every branch target is among the procedures.
    let keys: Vec<&str> = rb["procedures"]
        .as_array()
        .expect("procedures")
        .iter()
        .filter_map(|p| p["key"].as_str())
        .collect();
    for b in rb["branches"].as_array().expect("branches") {
        assert!(keys.contains(&b["from"].as_str().unwrap_or_default()));
        assert!(keys.contains(&b["to"].as_str().unwrap_or_default()));
    }
}

async fn overrides_redirects_and_provenance_are_reported_per_step(backend: Backend) {
    let app = spawn_demo_app_on(backend).await;
    let rb = runbook(&app, GATEWAY, None).await;
    let check = find(&rb["procedures"], "key", "check-downstream-health");
    assert_eq!(check["provenance"], "OVERRIDDEN");
    assert_eq!(check["origin"]["id"], "light-4j");
    assert_eq!(ids(&check["layers"]), ["light-4j", GATEWAY]);
    let triage = find(&rb["procedures"], "key", "triage");
    assert_eq!(triage["provenance"], "INHERITED");
    let redirected = find(&triage["next"], "label", "downstream 5xx");
    assert_eq!(redirected["to"], "gateway-route-check");
    assert_eq!(redirected["target"]["key"], "gateway-route-check");
    let route = find(&rb["procedures"], "key", "gateway-route-check");
    assert_eq!(route["provenance"], "LOCAL");
    assert_eq!(rb["contacts"][0]["name"], "Payments gateway team");
}

async fn without_an_error_code_every_procedure_is_listed_by_key_and_entries_end_with_the_default(
    backend: Backend,
) {
    let app = spawn_demo_app_on(backend).await;
    let rb = runbook(&app, LEDGER, None).await;
    assert!(rb["entry"].is_null());
    let keys: Vec<String> = rb["procedures"]
        .as_array()
        .expect("procedures")
        .iter()
        .map(|p| p["key"].as_str().unwrap_or_default().to_owned())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(!keys.contains(&"enable-debug-logging".to_owned()));
    let entries = rb["entries"].as_array().expect("entries");
    assert_eq!(entries.last().map(|e| e["code"].clone()), Some(json!("*")));
    let removed = find(&rb["removed"], "key", "enable-debug-logging");
    assert_eq!(removed["kind"], "PROCEDURE");
    assert_eq!(removed["scope"]["id"], LEDGER);
}

async fn a_removed_entry_falls_back_to_the_default_and_a_dangling_branch_is_a_warning(
    backend: Backend,
) {
    let app = spawn_demo_app_on(backend).await;
    let rb = runbook(&app, CATALOG, Some("ERR10009")).await;
    assert_eq!(rb["entry"], "triage");
    let whole = runbook(&app, CATALOG, None).await;
    let removed = find(&whole["removed"], "kind", "ENTRY");
    assert_eq!(removed["key"], "ERR10009");
    assert_eq!(removed["scope"]["id"], CATALOG);
    let warnings = whole["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0]["code"], "DANGLING_BRANCH");
    assert_eq!(
        warnings[0]["key"],
        "database-connection-errors/database unreachable or failing over"
    );
}

async fn an_unregistered_code_still_resolves_through_the_default_entry(backend: Backend) {
    let app = spawn_demo_app_on(backend).await;
    let rb = runbook(&app, LEDGER, Some("ZZZ99999")).await;
    assert!(rb["errorCode"].is_null());
    assert_eq!(rb["entry"], "triage");
}

async fn bad_input_and_unknown_services_get_stable_error_codes(backend: Backend) {
    let app = spawn_demo_app_on(backend).await;
    let (code, error) = app
        .error_code(
            RUNBOOK,
            json!({ "service": "not a service id", "code": null }),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["field"], "serviceId");
    let (code, error) = app
        .error_code(RUNBOOK, json!({ "service": LEDGER, "code": "err1" }))
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["field"], "errorCode");
    let (code, error) = app
        .error_code(
            RUNBOOK,
            json!({ "service": "com.acme.nothing-1.0.0", "code": null }),
        )
        .await;
    assert_eq!(code, "NOT_FOUND");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("com.acme.nothing-1.0.0")
    );
    let (code, _) = app
        .error_code(
            "{ runbook(host: \"bad host\", serviceId: \"x\") { entry } }",
            json!({}),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
}

async fn error_codes_merge_over_a_service_lineage_or_come_from_the_most_general_scope(
    backend: Backend,
) {
    let app = spawn_demo_app_on(backend).await;
    let query = r#"query ($s: String) { errorCode(code: "ERR10088", serviceId: $s) {
        code severity origin { id } layers { id } } }"#;
    let framework = app.data(query, json!({ "s": null })).await["errorCode"].clone();
    assert_eq!(framework["origin"]["id"], "light-4j");
    let retail = app.data(query, json!({ "s": CATALOG })).await["errorCode"].clone();
    assert_eq!(retail["severity"], "WARN");
    assert_eq!(ids(&retail["layers"]), ["light-4j", "acme-retail"]);
    let none = app
        .data("{ errorCode(code: \"ZZZ99999\") { code } }", json!({}))
        .await;
    assert!(none["errorCode"].is_null());
    let page = app
        .data(
            "{ errorCodes(first: 3) { edges { cursor node { code } } pageInfo { hasNextPage } } }",
            json!({}),
        )
        .await;
    let edges = page["errorCodes"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), 3);
    assert_eq!(page["errorCodes"]["pageInfo"]["hasNextPage"], true);
}

async fn scopes_page_with_cursors_and_expose_parents_children_and_written_content(
    backend: Backend,
) {
    let app = spawn_demo_app_on(backend).await;
    let query = r#"query ($after: String) { scopes(kind: SERVICE, first: 3, after: $after) {
        edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }"#;
    let first = app.data(query, json!({ "after": null })).await["scopes"].clone();
    assert_eq!(first["edges"].as_array().map(Vec::len), Some(3));
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let after = first["pageInfo"]["endCursor"].clone();
    let second = app.data(query, json!({ "after": after })).await["scopes"].clone();
    assert_eq!(second["edges"].as_array().map(Vec::len), Some(2));
    assert_eq!(second["pageInfo"]["hasNextPage"], false);

    let scope = app
        .data(
            r#"{ scope(id: "light-4j") { kind children { id } }
                 gateway: scope(id: "com.acme.payments.gateway-2.1.0") {
                   parents { id } procedures { key title body removed } entries { code key } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(scope["scope"]["kind"], "FRAMEWORK");
    assert_eq!(
        ids(&scope["scope"]["children"]),
        ["acme", "kafka-consumer", "rest-api"]
    );
    assert_eq!(
        ids(&scope["gateway"]["parents"]),
        ["acme-payments", "rest-api"]
    );
    let check = find(
        &scope["gateway"]["procedures"],
        "key",
        "check-downstream-health",
    );
    assert!(
        check["title"].is_null(),
        "only the body is written here: {check:#}"
    );
    assert!(check["body"].as_str().is_some());

    let written = app
        .data(
            r#"{ procedure(scopeId: "com.acme.payments.ledger-1.0.0", key: "enable-debug-logging") { removed } }"#,
            json!({}),
        )
        .await;
    assert_eq!(written["procedure"]["removed"], true);
}

async fn get_requests_answer_queries_too(backend: Backend) {
    let app = spawn_demo_app_on(backend).await;
    let response: Value = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "{ scope(id: \"acme\") { name } }")])
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert!(
        response["data"]["scope"]["name"].is_string(),
        "{response:#}"
    );
}

async fn health_readiness_metrics_and_graphiql_are_served(backend: Backend) {
    let app = spawn_demo_app_on(backend).await;
    let get = |path: &str| app.client.get(app.url(path)).send();
    assert_eq!(get("/health").await.expect("health").status(), 200);
    assert_eq!(get("/ready").await.expect("ready").status(), 200);
    let page = get("/graphiql").await.expect("graphiql");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("/graphiql/assets/graphiql.min.js"));
    assert!(!html.contains("https://"));
    let _ = runbook(&app, LEDGER, None).await;
    let metrics = get("/metrics")
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(metrics.contains("http_requests_total"), "{metrics}");
}

async fn a_store_failure_is_internal_and_does_not_leak_store_details(backend: Backend) {
    let app = spawn_demo_app_on(backend).await;
    // Behind the service's back, the store loses a table.
    match backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.store_url)
                .await
                .expect("connect");
            sqlx::query("DROP TABLE branches")
                .execute(&pool)
                .await
                .expect("drop");
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.store_url)
                .await
                .expect("connect");
            sqlx::query("DROP TABLE branches")
                .execute(&pool)
                .await
                .expect("drop");
        }
        Backend::Arango => {
            let database = app.arango.as_ref().expect("an ArangoDB test database");
            database.drop_collection("branches").await;
        }
    }
    let (code, error) = app
        .error_code(RUNBOOK, json!({ "service": LEDGER, "code": null }))
        .await;
    assert_eq!(code, "INTERNAL");
    let message = error["message"].as_str().unwrap_or_default().to_lowercase();
    assert!(
        !message.contains("branches") && !message.contains("sql"),
        "{message}"
    );
}

#[tokio::test]
async fn queries_beyond_the_limits_are_refused_with_limit_exceeded() {
    use light_runbook::{graphql::QueryLimits, http::HttpLimits};
    let limits = QueryLimits {
        depth: 4,
        aliases: 2,
        introspection: false,
        ..QueryLimits::default()
    };
    let app = common::spawn_app_with(
        true,
        limits,
        HttpLimits {
            body_bytes: 2048,
            ..HttpLimits::default()
        },
    )
    .await;

    let deep = "{ scope(id: \"acme\") { parents { parents { parents { id } } } } }";
    let (code, error) = app.error_code(deep, json!({})).await;
    assert_eq!(code, "LIMIT_EXCEEDED", "{error:#}");

    let aliased = "{ a: scope(id: \"acme\") { id } b: scope(id: \"acme\") { id } c: scope(id: \"acme\") { id } }";
    let (code, error) = app.error_code(aliased, json!({})).await;
    assert_eq!(code, "LIMIT_EXCEEDED");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("3 aliases")
    );

    let (code, _) = app
        .error_code("{ __schema { types { name } } }", json!({}))
        .await;
    assert_eq!(code, "FORBIDDEN");

    let (code, error) = app.error_code("{ scope(id: ", json!({})).await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(
        error["locations"].is_array(),
        "a parse error says where: {error:#}"
    );

    let big = format!("{{ scope(id: \"{}\") {{ id }} }}", "a".repeat(4096));
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": big }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 413);
}

on_every_backend!(
    a_runbook_for_an_error_code_starts_at_its_entry_with_the_lineage_in_c3_order,
    overrides_redirects_and_provenance_are_reported_per_step,
    without_an_error_code_every_procedure_is_listed_by_key_and_entries_end_with_the_default,
    a_removed_entry_falls_back_to_the_default_and_a_dangling_branch_is_a_warning,
    an_unregistered_code_still_resolves_through_the_default_entry,
    bad_input_and_unknown_services_get_stable_error_codes,
    error_codes_merge_over_a_service_lineage_or_come_from_the_most_general_scope,
    scopes_page_with_cursors_and_expose_parents_children_and_written_content,
    get_requests_answer_queries_too,
    health_readiness_metrics_and_graphiql_are_served,
    a_store_failure_is_internal_and_does_not_leak_store_details,
);
