//! Deep links carry their host: an alert's answer links to
//! `/h/{host}/runbook/...` and `/h/{host}/executions/...`, following the
//! link opens the app and names the host that holds the runbook, and an
//! execution is found only under its own host.

mod common;
mod exec_support;

use exec_support::{ExecApp, PUBLIC_URL, Setup, light4j, spawn};
use serde_json::{Value, json};

const SERVICE: &str = "com.acme.ledger-1.0.0";
const OTHER: &str = "b.example";

/// Two hosts with a service of the same id and different steps.
const RUNBOOKS: &str = r#"
scope: com.acme.ledger-1.0.0
name: Ledger of the default host
kind: SERVICE
procedures:
  look: {title: Look at the default host's ledger, kind: STEP}
entries: {"*": look}
---
host: b.example
scope: com.acme.ledger-1.0.0
name: Ledger of host B
kind: SERVICE
procedures:
  look: {title: Look at host B's ledger, kind: STEP}
entries: {"*": look}
"#;

const RUNBOOK_TITLE: &str = r#"query ($host: String, $s: String!, $c: String) {
  runbook(host: $host, serviceId: $s, errorCode: $c) { procedures { title } } }"#;

const EXECUTION: &str = r#"query ($host: String, $id: String!) {
  execution(host: $host, id: $id) { id serviceId link runbookLink current { title } } }"#;

async fn app() -> ExecApp {
    spawn(Setup {
        runbooks: RUNBOOKS.into(),
        ..Setup::default()
    })
    .await
}

fn alert_of(host: Option<&str>) -> Value {
    let mut alert = light4j(SERVICE, "ERR10001");
    let object = alert.as_object_mut().expect("an object");
    match host {
        Some(host) => object.insert("host".into(), json!(host)),
        None => object.remove("host"),
    };
    alert
}

/// The path segments of a link under the public URL.
fn segments(link: &Value) -> Vec<String> {
    let link = link.as_str().expect("a link");
    let path = link.strip_prefix(PUBLIC_URL).expect("under the public URL");
    path.split('/').skip(1).map(str::to_owned).collect()
}

#[tokio::test]
async fn an_alerts_links_name_the_host_of_the_alert_and_open_that_hosts_runbook() {
    let app = app().await;
    let cases = [
        (Some(OTHER), OTHER, "Look at host B's ledger"),
        (
            Some("lightapi.net"),
            "lightapi.net",
            "Look at the default host's ledger",
        ),
        (None, "lightapi.net", "Look at the default host's ledger"),
    ];
    for (given, host, title) in cases {
        let (status, body) = app.alert(&alert_of(given)).await;
        assert_eq!(status, 200, "{given:?}: {body:#}");
        let accepted = &body["accepted"][0];
        let id = accepted["executionId"].as_str().expect("an id");
        assert_eq!(
            segments(&accepted["runbookLink"]),
            ["h", host, "runbook", SERVICE, "ERR10001"]
        );
        assert_eq!(segments(&accepted["link"]), ["h", host, "executions", id]);

        // The link opens the app, and the host it names holds this runbook.
        let path = accepted["runbookLink"].as_str().expect("a link");
        let page = app
            .client
            .get(app.url(&path[PUBLIC_URL.len()..]))
            .send()
            .await
            .expect("sent");
        assert_eq!(page.status(), 200);
        assert!(
            page.text()
                .await
                .expect("text")
                .contains("<div id=\"root\">")
        );
        let parts = segments(&accepted["runbookLink"]);
        let vars = json!({"host": parts[1], "s": parts[3], "c": parts[4]});
        let runbook = app.data(RUNBOOK_TITLE, vars).await;
        assert_eq!(runbook["runbook"]["procedures"][0]["title"], title);

        // The execution's own links, as GraphQL gives them, say the same.
        let ex = app.data(EXECUTION, json!({"host": host, "id": id})).await;
        assert_eq!(ex["execution"]["current"]["title"], title);
        assert_eq!(ex["execution"]["link"], accepted["link"]);
        assert_eq!(ex["execution"]["runbookLink"], accepted["runbookLink"]);
    }
}

#[tokio::test]
async fn an_execution_is_not_found_under_another_host() {
    let app = app().await;
    let (_, body) = app.alert(&alert_of(Some(OTHER))).await;
    let on_b = body["accepted"][0]["executionId"].as_str().expect("id");
    let (_, body) = app.alert(&alert_of(None)).await;
    let on_default = body["accepted"][0]["executionId"].as_str().expect("id");

    let lookups = [
        (Some(OTHER), on_b, true),
        (Some("lightapi.net"), on_b, false),
        (None, on_b, false),
        (Some("c.example"), on_b, false),
        (None, on_default, true),
        (Some("lightapi.net"), on_default, true),
        (Some(OTHER), on_default, false),
    ];
    for (host, id, found) in lookups {
        let ex = app.data(EXECUTION, json!({"host": host, "id": id})).await;
        assert_eq!(
            ex["execution"]["id"].as_str() == Some(id),
            found,
            "{host:?} {id}: {ex:#}"
        );
        if !found {
            assert!(ex["execution"].is_null(), "{ex:#}");
        }
    }
    // A host that is no host is refused with the field at fault.
    let answer = app
        .graphql(EXECUTION, json!({"host": "not a host", "id": on_b}))
        .await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(answer["errors"][0]["extensions"]["field"], "host");
    // Each host's list holds its own execution only.
    let list = r#"query ($host: String) { executions(host: $host) { nodes { id } } }"#;
    for (host, id) in [(Some(OTHER), on_b), (None, on_default)] {
        let nodes = app.data(list, json!({"host": host})).await["executions"]["nodes"].clone();
        assert_eq!(nodes, json!([{"id": id}]), "{host:?}");
    }
}
