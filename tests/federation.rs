//! light-runbook as an Apollo Federation v2 subgraph of the light-portal, and the
//! CORS that lets the portal's pages call it from another origin.
//!
//! - `_service` and `_entities` on the subgraph schema (and not on the plain one),
//!   entity batches costing a fixed number of store calls;
//! - the real federation tooling from the npm registry (`tests/federation/run.mjs`):
//!   composition with `@apollo/composition`, an `@apollo/gateway` on
//!   `@apollo/server` in front of the running service, and a stand-in portal
//!   subgraph (`@apollo/subgraph`) whose `Service` the gateway extends with its
//!   runbook. Needs Node.js 20+ and npm; `node_modules` is installed with `npm ci`.
//! - CORS: preflight and request from an allowed origin, none for another.

mod common;
#[path = "federation/node.rs"]
mod node;

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use async_trait::async_trait;
use common::{TestApp, host};
use light_runbook::{
    domain::{ErrorCode, Host, ObjectRef, Scope, ScopeDocument, ScopeId, ScopeKind},
    http::cors::Cors,
    runbooks::Runbooks,
    startup::Services,
    store::{
        ChangeSet, CommitError, Committed, ErrorCodeDefinition, HistoryFilter, HistoryRecord,
        ScopeVersion, SharedLineage, Snapshot, Store, StoreResult,
    },
};
use serde_json::{Value, json};

const LEDGER: &str = "com.acme.payments.ledger-1.0.0";
const CATALOG: &str = "com.acme.retail.catalog-1.0.0";
const PORTAL: &str = "https://portal.example.com";

/// Writes the demo runbooks straight into the store of a service started empty.
async fn seed_demo(runbooks: &Runbooks) {
    let docs = light_runbook::demo::documents(runbooks.default_host()).expect("demo parses");
    runbooks
        .store()
        .replace_documents(&docs)
        .await
        .expect("demo written");
}

/// The service on the demo runbooks, its services adjusted by `configure`.
async fn spawn_demo(configure: impl FnOnce(&mut Services)) -> TestApp {
    let app = common::spawn_app(false, configure).await;
    seed_demo(&app.runbooks).await;
    app
}

/// Counts the store calls that the entity resolvers make.
struct CountingStore {
    inner: Arc<dyn Store>,
    calls: Mutex<BTreeMap<&'static str, usize>>,
}

impl CountingStore {
    fn count(&self, call: &'static str) {
        *self
            .calls
            .lock()
            .expect("not poisoned")
            .entry(call)
            .or_default() += 1;
    }
    fn take(&self) -> BTreeMap<&'static str, usize> {
        std::mem::take(&mut *self.calls.lock().expect("not poisoned"))
    }
}

#[async_trait]
impl Store for CountingStore {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
    async fn ping(&self) -> StoreResult<()> {
        self.inner.ping().await
    }
    async fn is_empty(&self) -> StoreResult<bool> {
        self.inner.is_empty().await
    }
    async fn hosts(&self) -> StoreResult<Vec<Host>> {
        self.count("hosts");
        self.inner.hosts().await
    }
    async fn lineage_documents(
        &self,
        host: &Host,
        scope: &ScopeId,
    ) -> StoreResult<Vec<ScopeDocument>> {
        self.count("lineage_documents");
        self.inner.lineage_documents(host, scope).await
    }
    async fn lineage_shared(
        &self,
        h: &Host,
        s: &ScopeId,
        known: &[(ScopeId, ScopeVersion)],
    ) -> StoreResult<SharedLineage> {
        self.count("lineage_shared");
        self.inner.lineage_shared(h, s, known).await
    }
    async fn documents(&self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<ScopeDocument>> {
        self.count("documents");
        self.inner.documents(host, ids).await
    }
    async fn host_documents(&self, host: &Host) -> StoreResult<Vec<ScopeDocument>> {
        self.count("host_documents");
        self.inner.host_documents(host).await
    }
    async fn scopes(&self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<Scope>> {
        self.count("scopes");
        self.inner.scopes(host, ids).await
    }
    async fn list_scopes(
        &self,
        host: &Host,
        kind: Option<ScopeKind>,
        after: Option<&ScopeId>,
        limit: u32,
    ) -> StoreResult<Vec<Scope>> {
        self.count("list_scopes");
        self.inner.list_scopes(host, kind, after, limit).await
    }
    async fn children(
        &self,
        host: &Host,
        parents: &[ScopeId],
    ) -> StoreResult<Vec<(ScopeId, ScopeId)>> {
        self.count("children");
        self.inner.children(host, parents).await
    }
    async fn error_code_definitions(
        &self,
        host: &Host,
        codes: &[ErrorCode],
    ) -> StoreResult<Vec<ErrorCodeDefinition>> {
        self.count("error_code_definitions");
        self.inner.error_code_definitions(host, codes).await
    }
    async fn list_error_codes(
        &self,
        host: &Host,
        after: Option<&ErrorCode>,
        limit: u32,
    ) -> StoreResult<Vec<ErrorCode>> {
        self.count("list_error_codes");
        self.inner.list_error_codes(host, after, limit).await
    }
    async fn generation(&self, host: &Host) -> StoreResult<u64> {
        self.count("generation");
        self.inner.generation(host).await
    }
    async fn snapshot(&self, host: &Host) -> StoreResult<Snapshot> {
        self.count("snapshot");
        self.inner.snapshot(host).await
    }
    async fn revisions(&self, host: &Host, scope: &ScopeId) -> StoreResult<Vec<(ObjectRef, u64)>> {
        self.count("revisions");
        self.inner.revisions(host, scope).await
    }
    async fn commit(&self, change: &ChangeSet) -> Result<Committed, CommitError> {
        self.count("commit");
        self.inner.commit(change).await
    }
    async fn history(
        &self,
        host: &Host,
        filter: &HistoryFilter,
    ) -> StoreResult<Vec<HistoryRecord>> {
        self.count("history");
        self.inner.history(host, filter).await
    }
    async fn replace_documents(&self, docs: &[ScopeDocument]) -> StoreResult<Vec<ScopeId>> {
        self.inner.replace_documents(docs).await
    }
}

/// The subgraph on the demo runbooks over a store that counts its calls.
async fn spawn_counted() -> (TestApp, Arc<CountingStore>) {
    let mut counting = None;
    let app = spawn_demo(|s| {
        let store = Arc::new(CountingStore {
            inner: s.runbooks.store().clone(),
            calls: Mutex::default(),
        });
        s.runbooks = Runbooks::new(store.clone(), host());
        s.federation = true;
        counting = Some(store);
    })
    .await;
    (app, counting.expect("configured"))
}

const ENTITIES: &str = r#"
    query($representations: [_Any!]!) {
      _entities(representations: $representations) {
        __typename
        ... on Service { host serviceId scope { id kind } }
        ... on ErrorCode { host code statusCode message origin { id } layers { id } }
      }
    }
"#;

fn service(id: &str) -> Value {
    json!({ "__typename": "Service", "host": "lightapi.net", "serviceId": id })
}

fn error_code(code: &str) -> Value {
    json!({ "__typename": "ErrorCode", "host": "lightapi.net", "code": code })
}

#[tokio::test]
async fn the_subgraph_serves_its_sdl_and_the_plain_schema_has_no_federation() {
    let subgraph = spawn_demo(|s| s.federation = true).await;
    let data = subgraph.data("{ _service { sdl } }", json!({})).await;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.subgraph.graphql");
    let checked_in = std::fs::read_to_string(path).expect("schema.subgraph.graphql");
    assert!(
        data["_service"]["sdl"] == checked_in.as_str(),
        "_service.sdl differs from schema.subgraph.graphql"
    );
    // Everything the plain schema answers, the subgraph answers the same way.
    let query = r#"{ runbook(serviceId: "com.acme.payments.ledger-1.0.0", errorCode: "ERR10001") { entry errorCode { host code } } }"#;
    let plain = spawn_demo(|_| {}).await;
    assert_eq!(
        subgraph.data(query, json!({})).await,
        plain.data(query, json!({})).await
    );

    for query in [
        "{ _service { sdl } }",
        r#"{ _entities(representations: []) { __typename } }"#,
    ] {
        let (code, error) = plain.error_code(query, json!({})).await;
        assert_eq!(code, "BAD_USER_INPUT", "{error}");
    }
    let data = plain
        .data(r#"{ __type(name: "Service") { name } }"#, json!({}))
        .await;
    assert_eq!(data["__type"], Value::Null);
}

#[tokio::test]
async fn a_subgraph_with_introspection_off_refuses_its_sdl_and_entities_still_resolve() {
    let app = spawn_demo(|s| {
        s.federation = true;
        s.query_limits.introspection = false;
    })
    .await;
    for query in [
        "{ _service { sdl } }",
        "query Sdl { ledger: _service { sdl } }",
        "{ ...Sdl } fragment Sdl on Query { _service { sdl } }",
        "{ __schema { types { name } } }",
    ] {
        let (code, error) = app.error_code(query, json!({})).await;
        assert_eq!(code, "FORBIDDEN", "{query}: {error:#}");
    }
    let data = app
        .data(
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Service { serviceId } } }",
            json!({ "r": [service(LEDGER)] }),
        )
        .await;
    assert_eq!(data["_entities"][0]["serviceId"], LEDGER);

    let open = spawn_demo(|s| s.federation = true).await;
    let data = open.data("{ _service { sdl } }", json!({})).await;
    assert!(
        data["_service"]["sdl"]
            .as_str()
            .is_some_and(|sdl| sdl.contains("@key"))
    );
}

#[tokio::test]
async fn entities_resolve_by_key_in_one_batch_per_type() {
    let (app, store) = spawn_counted().await;
    store.take();
    let representations = json!([
        service(LEDGER),
        error_code("ERR10001"),
        service("com.acme.portal.only-1.0.0"),
        service(CATALOG),
        error_code("ERR99999"),
        service("acme"),
        error_code("ERR10002"),
    ]);
    let data = app
        .data(ENTITIES, json!({ "representations": representations }))
        .await;
    let entities = data["_entities"].as_array().expect("a list");
    assert_eq!(entities.len(), 7);
    assert_eq!(
        entities[0],
        json!({
            "__typename": "Service", "host": "lightapi.net", "serviceId": LEDGER,
            "scope": { "id": LEDGER, "kind": "SERVICE" }
        })
    );
    assert_eq!(entities[3]["scope"]["id"], CATALOG);
    // Not in the store, and not a service: null, the federation answer for "no such entity".
    assert_eq!(entities[2], Value::Null);
    assert_eq!(entities[5], Value::Null);
    assert_eq!(entities[4], Value::Null, "ERR99999 is registered nowhere");
    // An error code as registered by its most general scope, as `errorCode` answers it.
    for (index, code) in [(1, "ERR10001"), (6, "ERR10002")] {
        let registered = app
            .data(
                "query($code: String!) { errorCode(code: $code) { host code statusCode message origin { id } layers { id } } }",
                json!({ "code": code }),
            )
            .await;
        let mut expected = registered["errorCode"].clone();
        expected["__typename"] = json!("ErrorCode");
        assert_eq!(entities[index], expected, "{code}");
        assert_eq!(entities[index]["origin"]["id"], "light-4j");
    }
    store.take();

    // The batch itself: one `scopes` call for the services, one
    // `error_code_definitions` and one `scopes` call for the error codes.
    app.data(ENTITIES, json!({ "representations": representations }))
        .await;
    let calls = store.take();
    assert_eq!(
        calls,
        BTreeMap::from([("error_code_definitions", 1), ("scopes", 2)]),
        "store calls for 7 representations"
    );
}

#[tokio::test]
async fn a_service_entity_carries_its_runbook() {
    let app = spawn_demo(|s| s.federation = true).await;
    let query = r#"
        query($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Service { serviceId runbook(errorCode: "ERR10001") { serviceId entry errorCode { code } } }
          }
        }
    "#;
    let data = app
        .data(query, json!({ "representations": [service(LEDGER)] }))
        .await;
    let direct = app
        .data(
            r#"{ runbook(serviceId: "com.acme.payments.ledger-1.0.0", errorCode: "ERR10001") { serviceId entry errorCode { code } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["_entities"][0]["runbook"], direct["runbook"]);
    assert_eq!(direct["runbook"]["entry"], "token-expired");

    // A malformed key is the caller's error, named.
    let response = app
        .graphql(
            query,
            json!({ "representations": [service("not a service id")] }),
        )
        .await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{response:#}"
    );
}

#[tokio::test]
async fn an_apollo_gateway_composes_the_subgraph_with_the_portal() {
    // Reads need a token, so the gateway must pass the caller's on to the service.
    let app = spawn_demo(|s| {
        common::verify_tokens(s);
        s.read_policy.need_token = true;
        s.federation = true;
    })
    .await;
    let token = common::signed(&json!({
        "uid": "portal-user", "host": "lightapi.net", "role": "user", "scp": "portal.r",
        "exp": common::NOW + 600, "nbf": common::NOW - 10,
    }));
    let url = app.url("/graphql");
    let outcome = tokio::task::spawn_blocking(move || {
        node::run(
            "run.mjs",
            &[&url],
            &[("RUNBOOK_TOKEN", &token)],
            Duration::from_secs(180),
        )
    })
    .await
    .expect("node ran");
    outcome.assert_success("tests/federation/run.mjs");
    eprintln!("{}", outcome.stdout);
    assert!(
        outcome.stdout.contains("checks passed"),
        "{}",
        outcome.stdout
    );
}

/// The `Access-Control-*` headers of a response.
fn cors_headers(response: &reqwest::Response) -> BTreeMap<String, String> {
    response
        .headers()
        .iter()
        .filter(|(name, _)| name.as_str().starts_with("access-control-"))
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().unwrap_or("?").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn portal_origins_get_cors_with_credentials_and_others_none() {
    let app = spawn_demo(|s| {
        s.cors = Cors::new(&[PORTAL, "http://127.0.0.1:3000"]).expect("valid origins");
    })
    .await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/graphql"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,authorization,x-csrf-token",
            )
            .send()
    };
    let post = |origin: &'static str| {
        app.client
            .post(app.url("/graphql"))
            .header("origin", origin)
            .header("cookie", "session=portal")
            .json(&json!({ "query": "{ scope(id: \"acme\") { id } }" }))
            .send()
    };

    let response = preflight(PORTAL).await.expect("preflight");
    assert!(response.status().is_success(), "{}", response.status());
    let headers = cors_headers(&response);
    assert_eq!(headers["access-control-allow-origin"], PORTAL);
    assert_eq!(headers["access-control-allow-credentials"], "true");
    assert!(headers["access-control-allow-methods"].contains("POST"));
    let allowed = &headers["access-control-allow-headers"];
    for header in ["authorization", "content-type", "x-csrf-token"] {
        assert!(allowed.contains(header), "{header} not in {allowed}");
    }

    let response = post(PORTAL).await.expect("request");
    assert_eq!(response.status(), 200);
    let headers = cors_headers(&response);
    assert_eq!(headers["access-control-allow-origin"], PORTAL);
    assert_eq!(headers["access-control-allow-credentials"], "true");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["data"]["scope"]["id"], "acme");

    for origin in [
        "https://evil.example.com",
        "https://portal.example.com.evil",
    ] {
        let response = preflight(origin).await.expect("preflight");
        assert_eq!(cors_headers(&response), BTreeMap::new(), "{origin}");
        let response = post(origin).await.expect("request");
        assert_eq!(cors_headers(&response), BTreeMap::new(), "{origin}");
        let vary = response
            .headers()
            .get("vary")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(vary.contains("origin"), "{vary}");
    }
}
