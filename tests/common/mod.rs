//! Helpers shared by the end-to-end tests: a real server on a fresh store
//! per test (a SQLite file, a PostgreSQL database, or an ArangoDB database
//! behind `ARANGO_URL`), and a typed GraphQL client.

#![allow(dead_code)]

use std::{net::SocketAddr, sync::Arc};

pub mod arango;
pub mod binary;
pub mod hooked;
pub mod pg;

use jsonwebtoken::{EncodingKey, Header, encode};
use light_runbook::{
    auth::{AuthConfig, Authenticator, Clock, FixedClock},
    domain::{Host, ScopeDocument},
    graphql::QueryLimits,
    http::HttpLimits,
    runbooks::Runbooks,
    startup::{Application, Services},
    store::{self, StoreOptions},
};
use serde_json::{Value, json};

/// A running service with its store file.
pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub runbooks: Runbooks,
    pub store_url: String,
    /// The test's ArangoDB database, when it runs on one (dropped with the app).
    pub arango: Option<arango::Database>,
    _dir: tempfile::TempDir,
}

/// The HS256 secret of the tests' tokens.
pub const TOKEN_SECRET: &str = "a-test-secret-of-reasonable-length";
/// 2026-11-26T08:00:00Z, the tests' fixed now.
pub const NOW: u64 = 1_795_680_000;

/// A token carrying `claims`, signed with [`TOKEN_SECRET`].
pub fn signed(claims: &Value) -> String {
    encode(
        &Header::default(),
        claims,
        &EncodingKey::from_secret(TOKEN_SECRET.as_bytes()),
    )
    .expect("token")
}

/// Makes `services` verify tokens signed with [`TOKEN_SECRET`], on a clock
/// fixed at [`NOW`].
pub fn verify_tokens(services: &mut Services) {
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::at(NOW));
    let config = AuthConfig::new().with_hs256_secret(TOKEN_SECRET);
    services.auth = Some(Arc::new(
        Authenticator::from_config(&config, clock.clone()).expect("auth"),
    ));
    services.clock = clock;
}

/// Stores the chain of `bench_data::chain` (a service `s{depth-1}` under
/// `depth - 1` ancestors, `procedures` procedures) in the app's store.
pub async fn seed_chain(app: &TestApp, depth: usize, procedures: usize) -> Vec<ScopeDocument> {
    let docs = light_runbook_bench::chain(&host(), depth, procedures).expect("ids");
    app.runbooks
        .store()
        .replace_documents(&docs)
        .await
        .expect("seeded");
    docs
}

/// POSTs a GraphQL request to the service at `address`: the whole JSON answer.
pub async fn post_graphql(
    client: &reqwest::Client,
    address: SocketAddr,
    query: &str,
    variables: Value,
) -> Value {
    let url = format!("http://{address}/graphql");
    graphql_as(client, &url, None, query, variables).await
}

/// POSTs a GraphQL request to `url`, as `token` when given: the whole JSON answer.
pub async fn graphql_as(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Value {
    let mut request = client.post(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("request sent")
        .json()
        .await
        .expect("JSON response")
}

/// A reading user's token of `host`, valid at [`NOW`] (the tests' fixed clock).
pub fn read_token(host: &str) -> String {
    signed(&json!({
        "uid": "ops", "host": host, "role": "user", "scp": "portal.r",
        "exp": NOW + 600, "nbf": NOW - 10,
    }))
}

/// The host the tests' documents use.
pub fn host() -> Host {
    Host::parse("lightapi.net").expect("valid host")
}

/// The store backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    /// On the server `ARANGO_URL` names; skipped (and said so) without it.
    Arango,
}

/// Generates, for each named `async fn name(backend: Backend)`, one test per
/// backend: `sqlite::name`, `postgres::name` and `arangodb::name` (which
/// returns at once when `ARANGO_URL` is not set).
#[macro_export]
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test] async fn $name() { super::$name($crate::common::Backend::Sqlite).await } )*
        }
        mod postgres {
            $( #[tokio::test] async fn $name() { super::$name($crate::common::Backend::Postgres).await } )*
        }
        mod arangodb {
            $( #[tokio::test] async fn $name() {
                if $crate::common::arango::server().is_none() {
                    return;
                }
                super::$name($crate::common::Backend::Arango).await
            } )*
        }
    };
}

/// A fresh, empty store for one test.
pub struct FreshStore {
    pub url: String,
    /// The ArangoDB database behind `url`, dropped with this value.
    pub arango: Option<arango::Database>,
}

/// A fresh, empty store for one test: a SQLite file in `dir`, a new database
/// on the PostgreSQL server named by `RUNBOOK_TEST_POSTGRES_URL` (which
/// `scripts/with-postgres.sh` starts; without it the test fails), or a new
/// database on the ArangoDB server named by `ARANGO_URL`.
pub async fn fresh_store(backend: Backend, dir: &std::path::Path) -> FreshStore {
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.join("runbooks.db").display()),
        Backend::Postgres => pg::fresh_database().await,
        Backend::Arango => {
            let server = arango::server().expect("ARANGO_URL names the ArangoDB server");
            let database = arango::Database::create(&server).await;
            return FreshStore {
                url: database.url.clone(),
                arango: Some(database),
            };
        }
    };
    FreshStore { url, arango: None }
}

/// Starts the service on port 0 over a fresh SQLite file holding the demo runbooks.
pub async fn spawn_demo_app() -> TestApp {
    spawn_app(true, |_| {}).await
}

/// Starts the service on a fresh store of the given backend holding the demo runbooks.
pub async fn spawn_demo_app_on(backend: Backend) -> TestApp {
    spawn_app_on(backend, true, |_| {}).await
}

/// Starts the service with the given limits.
pub async fn spawn_app_with(demo: bool, query: QueryLimits, http: HttpLimits) -> TestApp {
    spawn_app(demo, |s| {
        s.query_limits = query;
        s.http_limits = http;
    })
    .await
}

/// Starts the service on port 0 over a fresh SQLite file (with the demo
/// runbooks when asked), its services adjusted by `configure`.
pub async fn spawn_app(demo: bool, configure: impl FnOnce(&mut Services)) -> TestApp {
    spawn_app_on(Backend::Sqlite, demo, configure).await
}

/// Starts the service on port 0 over a fresh store of the given backend (with
/// the demo runbooks when asked), its services adjusted by `configure`.
pub async fn spawn_app_on(
    backend: Backend,
    demo: bool,
    configure: impl FnOnce(&mut Services),
) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let FreshStore {
        url: store_url,
        arango,
    } = fresh_store(backend, dir.path()).await;
    let store = store::open(&store_url, &StoreOptions::default())
        .await
        .expect("store opens");
    let runbooks = Runbooks::new(store, host());
    if demo {
        light_runbook::demo::seed_if_empty(
            runbooks.store().as_ref(),
            &host(),
            &light_runbook::auth::SystemClock,
        )
        .await
        .expect("demo imports");
    }
    let mut services = Services::open(runbooks.clone());
    configure(&mut services);
    let app = Application::bind("127.0.0.1:0".parse().expect("addr"), services)
        .await
        .expect("binds");
    let address = app.address();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        runbooks,
        store_url,
        arango,
        _dir: dir,
    }
}

impl TestApp {
    /// A service started by the test itself, at `address` over `runbooks`,
    /// keeping `dir` (its store's directory) until the test ends.
    pub fn started(address: SocketAddr, runbooks: Runbooks, dir: tempfile::TempDir) -> Self {
        Self {
            address,
            client: reqwest::Client::new(),
            runbooks,
            store_url: String::new(),
            arango: None,
            _dir: dir,
        }
    }

    /// The URL of a path on the service.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// POSTs a GraphQL query and returns the whole JSON response.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        post_graphql(&self.client, self.address, query, variables).await
    }

    /// POSTs a query that must succeed and returns its `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let response = self.graphql(query, variables).await;
        assert!(
            response.get("errors").is_none(),
            "unexpected errors: {response:#}"
        );
        response["data"].clone()
    }

    /// POSTs a query that must fail and returns its first error's `extensions.code`.
    pub async fn error_code(&self, query: &str, variables: Value) -> (String, Value) {
        let response = self.graphql(query, variables).await;
        let error = response["errors"][0].clone();
        assert!(!error.is_null(), "expected an error: {response:#}");
        (
            error["extensions"]["code"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            error,
        )
    }
}
