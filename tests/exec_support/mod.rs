//! Helpers for the alert and execution tests: a service with executions over
//! a fresh store, runbooks imported from YAML, a tiny HTTP endpoint that
//! automation calls, an SMTP relay that e-mail notifiers send to, a sleeper that makes time pass at once, and polling.

#![allow(dead_code)]

pub mod smtp;

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use async_trait::async_trait;
use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::post,
};
use light_runbook::{
    alerts::AlertAuth,
    auth::{Authenticator, Clock, SystemClock},
    executions::{
        ExecutionSettings, Executions,
        executors::{Executors, ExecutorsConfig, Sleeper},
    },
    format,
    runbooks::Runbooks,
    startup::{Application, Services},
    store::{self, StoreOptions},
    writes::import::{ImportActor, check_import, commit_import},
};
use serde_json::{Value, json};

use crate::common::{Backend, FreshStore, arango, fresh_store, host};

/// Completes at once any wait up to 5 s (backoffs, the tests' short
/// timeouts) and never ends a longer one, so a real answer always wins over
/// the default 30 s timeout. Records every wait.
#[derive(Default)]
pub struct InstantSleeper {
    pub waits: Mutex<Vec<Duration>>,
}

#[async_trait]
impl Sleeper for InstantSleeper {
    async fn sleep(&self, duration: Duration) {
        self.waits.lock().expect("lock").push(duration);
        if duration > Duration::from_secs(5) {
            std::future::pending::<()>().await;
        }
    }
}

/// One call the endpoint received.
#[derive(Debug, Clone)]
pub struct Call {
    pub path: String,
    pub idempotency_key: String,
    pub authorization: Option<String>,
    pub body: Value,
}

/// An HTTP endpoint for automation: `/ok` answers `{"status":"ok","count":5}`,
/// `/fail` answers 500, `/broken` answers 500 while `broken` is set and like
/// `/ok` once it is not (a POST to `/mend` clears it), `/hang` never answers, `/flaky` hangs while `hang`
/// is set and answers like `/ok` once it is not, `/redirect` answers 307 to
/// `redirect_to`; any other path answers like `/ok`.
#[derive(Clone)]
pub struct Endpoint {
    pub address: SocketAddr,
    pub calls: Arc<Mutex<Vec<Call>>>,
    pub hang: Arc<AtomicBool>,
    pub broken: Arc<AtomicBool>,
    pub redirect_to: Arc<Mutex<String>>,
    /// How many calls arrived, for [`Endpoint::called`] to wait on.
    count: tokio::sync::watch::Receiver<usize>,
}

#[derive(Clone)]
struct EndpointState {
    calls: Arc<Mutex<Vec<Call>>>,
    hang: Arc<AtomicBool>,
    broken: Arc<AtomicBool>,
    redirect_to: Arc<Mutex<String>>,
    count: Arc<tokio::sync::watch::Sender<usize>>,
}

impl Endpoint {
    /// Starts one on 127.0.0.1:0.
    pub async fn start() -> Self {
        let state = EndpointState {
            calls: Arc::default(),
            hang: Arc::new(AtomicBool::new(true)),
            broken: Arc::new(AtomicBool::new(true)),
            redirect_to: Arc::default(),
            count: Arc::new(tokio::sync::watch::channel(0).0),
        };
        let app = Router::new()
            .route("/{*path}", post(record))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self {
            address,
            calls: state.calls,
            hang: state.hang,
            broken: state.broken,
            redirect_to: state.redirect_to,
            count: state.count.subscribe(),
        }
    }

    /// Waits until `n` calls have arrived (each one recorded before it is
    /// answered, so a hanging call counts).
    pub async fn called(&self, n: usize) {
        let mut count = self.count.clone();
        count
            .wait_for(|c| *c >= n)
            .await
            .expect("the endpoint runs");
    }

    /// The endpoint's base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The calls so far.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().expect("lock").clone()
    }
}

async fn record(
    State(state): State<EndpointState>,
    Path(path): Path<String>,
    headers: HeaderMap,
    body: String,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    state.calls.lock().expect("lock").push(Call {
        path: format!("/{path}"),
        idempotency_key: header("idempotency-key").unwrap_or_default(),
        authorization: header("authorization"),
        body: serde_json::from_str(&body).unwrap_or(Value::Null),
    });
    state.count.send_modify(|c| *c += 1);
    let hang = path == "hang" || (path == "flaky" && state.hang.load(Ordering::SeqCst));
    if hang {
        std::future::pending::<()>().await;
    }
    if path == "mend" {
        state.broken.store(false, Ordering::SeqCst);
    }
    let fails = path == "fail" || (path == "broken" && state.broken.load(Ordering::SeqCst));
    match path.as_str() {
        _ if fails => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"error": "boom"})),
        )
            .into_response(),
        "redirect" => {
            let location = state.redirect_to.lock().expect("lock").clone();
            (
                StatusCode::TEMPORARY_REDIRECT,
                [(axum::http::header::LOCATION, location)],
            )
                .into_response()
        }
        _ => (StatusCode::OK, Json(json!({"status": "ok", "count": 5}))).into_response(),
    }
}

/// How to build a test service.
pub struct Setup {
    pub backend: Backend,
    /// Runbook YAML to import into the fresh store.
    pub runbooks: String,
    /// The executors file.
    pub executors: String,
    pub sleeper: Arc<InstantSleeper>,
    pub clock: Arc<dyn Clock>,
    pub auth: Option<Arc<Authenticator>>,
    pub alert_secret: Option<String>,
    pub dedup: Duration,
    /// Reuse this store (a restart) instead of a fresh one.
    pub store_url: Option<String>,
    /// The runbook cache's bound in bytes, as `serve` has it on; None: no cache.
    pub cache_bytes: Option<u64>,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            backend: Backend::Sqlite,
            runbooks: String::new(),
            executors: "executors: {}".into(),
            sleeper: Arc::default(),
            clock: Arc::new(SystemClock),
            auth: None,
            alert_secret: None,
            dedup: Duration::from_secs(900),
            store_url: None,
            cache_bytes: None,
        }
    }
}

/// A running service with executions.
pub struct ExecApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub store_url: String,
    pub executions: Executions,
    pub sleeper: Arc<InstantSleeper>,
    _dir: Option<tempfile::TempDir>,
    _arango: Option<arango::Database>,
}

/// The public URL the tests' services print links under.
pub const PUBLIC_URL: &str = "https://runbooks.example.com";

/// Starts a service as `setup` says, importing its runbooks first.
pub async fn spawn(setup: Setup) -> ExecApp {
    let (dir, store_url, database) = match &setup.store_url {
        Some(url) => (None, url.clone(), None),
        None => {
            let dir = tempfile::tempdir().expect("temp dir");
            let FreshStore { url, arango } = fresh_store(setup.backend, dir.path()).await;
            (Some(dir), url, arango)
        }
    };
    let options = StoreOptions::default();
    let stores = store::open_stores(&store_url, &options)
        .await
        .expect("store opens");
    let runbooks = Runbooks::new(stores.runbooks, host());
    let runbooks = match setup.cache_bytes {
        Some(bytes) => runbooks.with_cache(bytes),
        None => runbooks,
    };
    if !setup.runbooks.is_empty() {
        import(&runbooks, &setup.runbooks).await;
    }
    let config = ExecutorsConfig::parse(&setup.executors, |_| Some("t0ken".into()))
        .expect("executors parse");
    let sleeper: Arc<dyn Sleeper> = setup.sleeper.clone();
    let executors = Executors::new(config, sleeper).expect("executors");
    let execution_store = stores.executions;
    let mut services = Services::open(runbooks.clone());
    services.auth = setup.auth.clone();
    services.clock = setup.clock.clone();
    let settings: ExecutionSettings = services.execution_settings(PUBLIC_URL, setup.dedup);
    let executions = Executions::new(
        runbooks,
        execution_store,
        executors,
        setup.clock.clone(),
        settings,
    );
    services.executions = Some(executions.clone());
    services.alert_auth = AlertAuth {
        secret: setup.alert_secret.clone(),
        scope: "portal.w".into(),
    };
    let app = Application::bind("127.0.0.1:0".parse().expect("addr"), services)
        .await
        .expect("binds");
    let address = app.address();
    tokio::spawn(app.run_until_stopped());
    ExecApp {
        address,
        client: reqwest::Client::new(),
        store_url,
        executions,
        sleeper: setup.sleeper,
        _dir: dir,
        _arango: database,
    }
}

/// Imports `yaml` over what the store behind `runbooks` holds, through the
/// one write path (checked, all or nothing).
pub async fn import(runbooks: &Runbooks, yaml: &str) {
    let docs: Vec<_> = format::parse_str("test.yml", yaml, &host())
        .expect("runbooks parse")
        .into_iter()
        .map(|d| d.doc)
        .collect();
    let store = runbooks.store();
    let checked = check_import(Some(store.as_ref()), &docs)
        .await
        .expect("checked");
    assert!(!checked.has_errors(), "{:?}", checked.reports);
    let actor = ImportActor {
        uid: "test",
        operation: "importRunbook",
        clock: &SystemClock,
    };
    commit_import(store.as_ref(), &checked, actor)
        .await
        .expect("imported");
}

/// Every field of an execution the tests look at.
pub const EXECUTION: &str = r#"query ($id: String!) { execution(id: $id) {
  id status awaiting serviceId errorCode environment instance alertCount startedBy
  link runbookLink lastOutput lastOutcome labels { name value }
  current { key kind body unresolvedPlaceholders }
  choices { label to condition machineCheckable }
  runbook { generation entry procedures { key title body layers { scopeId revision } } }
  events { seq kind procedure actor label note output data }
} }"#;

impl ExecApp {
    /// The URL of a path on the service.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// POSTs a GraphQL request and returns the whole response.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        crate::common::post_graphql(&self.client, self.address, query, variables).await
    }

    /// A request that must succeed: its `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let response = self.graphql(query, variables).await;
        assert!(response.get("errors").is_none(), "{response:#}");
        response["data"].clone()
    }

    /// POSTs an alert payload: the status and the JSON answer.
    pub async fn alert(&self, payload: &Value) -> (u16, Value) {
        let response = self
            .client
            .post(self.url("/alerts"))
            .json(payload)
            .send()
            .await
            .expect("sent");
        let status = response.status().as_u16();
        (status, response.json().await.expect("json"))
    }

    /// An execution as GraphQL shows it.
    pub async fn execution(&self, id: &str) -> Value {
        self.data(EXECUTION, json!({ "id": id })).await["execution"].clone()
    }

    /// Polls an execution until `done` holds (10 s at most).
    pub async fn wait_for(&self, id: &str, done: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..500 {
            let execution = self.execution(id).await;
            if done(&execution) {
                return execution;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!(
            "execution {id} never got there: {:#}",
            self.execution(id).await
        );
    }

    /// Polls until the execution's status is `status`.
    pub async fn wait_status(&self, id: &str, status: &str) -> Value {
        self.wait_for(id, |e| e["status"] == status).await
    }
}

/// The kinds of an execution's events, in order.
pub fn kinds(execution: &Value) -> Vec<String> {
    execution["events"]
        .as_array()
        .map(|events| {
            events
                .iter()
                .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The events of one kind.
pub fn events_of<'a>(execution: &'a Value, kind: &str) -> Vec<&'a Value> {
    execution["events"]
        .as_array()
        .map(|events| events.iter().filter(|e| e["kind"] == kind).collect())
        .unwrap_or_default()
}

/// A light-4j status alert for a service and code.
pub fn light4j(service: &str, code: &str) -> Value {
    json!({
        "statusCode": 503, "code": code, "severity": "ERROR",
        "message": "DATASOURCE unavailable", "description": "The database is down.",
        "serviceId": service, "host": "lightapi.net",
        "environment": "prod", "instance": "pod-7", "labels": { "team": "payments" },
    })
}
