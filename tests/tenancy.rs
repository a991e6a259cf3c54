//! Tenants stay apart over HTTP: reads across hosts, answers that tell a
//! refused caller nothing, owners by kind, and platform deletes a child's
//! override cannot block.

mod common;

#[path = "tenancy/oracles.rs"]
mod oracles;
#[path = "tenancy/owners.rs"]
mod owners;
#[path = "tenancy/reads.rs"]
mod reads;

use common::TestApp;
use light_runbook::domain::Host;
use serde_json::{Value, json};

/// The tenant beside the demo's (`lightapi.net`, the default host).
pub const OTHER: &str = "b.example";
/// A host no document names.
pub const NOWHERE: &str = "nowhere.example";
/// The other tenant's service.
pub const B_SERVICE: &str = "b.service-1.0.0";

const OTHER_DOCS: &str = "host: b.example
scope: b-platform
name: B platform
kind: FRAMEWORK
owners: [role:b-platform-team]
procedures:
  triage: {title: Triage at B, kind: STEP, body: B's secret procedure}
errorCodes:
  ERR10001: {statusCode: 401, message: B_TOKEN}
entries: {\"*\": triage}
---
host: b.example
scope: b.service-1.0.0
name: B service
kind: SERVICE
parents: [b-platform]
owners: [b-owner]
contacts:
  - {name: B on-call, email: oncall@b.example}
";

/// A token of `host` for `uid` with `roles` and `scopes` (space-separated).
pub fn token(uid: &str, roles: &str, scopes: &str, host: &str) -> String {
    common::signed(&json!({
        "uid": uid, "host": host, "role": roles, "scp": scopes,
        "exp": common::NOW + 600, "nbf": common::NOW - 10,
    }))
}

/// The demo on the default host, the other tenant's documents beside it,
/// tokens verified; `configure` adjusts the rest.
pub async fn two_tenants(configure: impl FnOnce(&mut light_runbook::startup::Services)) -> TestApp {
    let app = common::spawn_app(true, |s| {
        common::verify_tokens(s);
        configure(s);
    })
    .await;
    seed_other(&app).await;
    app
}

/// Stores the other tenant's documents.
pub async fn seed_other(app: &TestApp) {
    let docs = light_runbook::format::parse_str("b.yml", OTHER_DOCS, &common::host())
        .expect("valid documents")
        .into_iter()
        .map(|d| d.doc)
        .collect::<Vec<_>>();
    app.runbooks
        .store()
        .replace_documents(&docs)
        .await
        .expect("seeded");
}

/// POSTs `query` with `variables`, as `token` when given: the whole answer.
pub async fn ask(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Value {
    common::graphql_as(&app.client, &app.url("/graphql"), token, query, variables).await
}

/// The first error's `extensions.code`, empty when there is none.
pub fn code(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

/// The generation and documents of `host`, to show a refused write changed nothing.
pub async fn stored(app: &TestApp, host: &str) -> (u64, Vec<light_runbook::domain::ScopeDocument>) {
    let host = Host::parse(host).expect("host");
    let snapshot = app
        .runbooks
        .store()
        .snapshot(&host)
        .await
        .expect("snapshot");
    (snapshot.generation, snapshot.docs)
}
