//! `lint(serviceId)` over HTTP on every backend, on the demo: the findings
//! of a service's whole effective runbook, each with its code, severity and
//! the scope that can fix it; an unknown service is NOT_FOUND.

mod common;

use common::Backend;
use serde_json::{Value, json};

const LINT: &str =
    r#"query ($s: String!) { lint(serviceId: $s) { code severity scopeId key message } }"#;

async fn the_demo_services_findings_name_the_scope_that_can_fix_them(backend: Backend) {
    let app = common::spawn_app_on(backend, true, |_| {}).await;
    let data = app
        .data(LINT, json!({"s": "com.acme.payments.ledger-1.0.0"}))
        .await;
    let findings = data["lint"].as_array().expect("a list").clone();
    let restart = findings
        .iter()
        .find(|f| f["code"] == "AUTOMATION_WITHOUT_FAILURE" && f["key"] == "restart-pod")
        .unwrap_or_else(|| panic!("restart-pod has no failure branch: {findings:#?}"));
    assert_eq!(restart["severity"], "WARNING");
    assert_eq!(
        restart["scopeId"], "light-4j",
        "the framework writes the step"
    );
    assert!(
        restart["message"]
            .as_str()
            .is_some_and(|m| m.contains("waits for a person")),
        "{restart:#}"
    );
    let rank = |f: &Value| match f["severity"].as_str() {
        Some("ERROR") => 0,
        Some("WARNING") => 1,
        _ => 2,
    };
    assert!(
        findings.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "most severe first: {findings:#?}"
    );
    let gateway = app
        .data(LINT, json!({"s": "com.acme.payments.gateway-2.1.0"}))
        .await;
    let no_way_out = (gateway["lint"].as_array().into_iter().flatten())
        .find(|f| f["code"] == "NO_WAY_OUT")
        .cloned()
        .expect("the gateway's debug-logging step never ends");
    assert_eq!(no_way_out["severity"], "ERROR");
    assert_eq!(no_way_out["key"], "enable-debug-logging");

    let unknown = app.graphql(LINT, json!({"s": "com.acme.nope-1.0.0"})).await;
    assert_eq!(
        unknown["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{unknown:#}"
    );
    let bad = app.graphql(LINT, json!({"s": "not a scope id"})).await;
    assert_eq!(
        bad["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{bad:#}"
    );
}

on_every_backend!(the_demo_services_findings_name_the_scope_that_can_fix_them);
