//! The bounds of one write over HTTP: scopes changed and services reached
//! are refused LIMIT_EXCEEDED naming the bound and the count, with the store
//! unchanged; a write's check stops when its client goes away, and one
//! host's long check does not hold another host's write.

mod common;

use std::{sync::Arc, time::Duration};

use light_runbook::{
    domain::{Host, ScopeDocument},
    runbooks::Runbooks,
    startup::{Application, Services},
    store::{self, StoreOptions},
    writes::WriteBounds,
};
use serde_json::{Value, json};
use tokio::{
    io::AsyncWriteExt,
    net::TcpStream,
    sync::mpsc::{UnboundedReceiver, unbounded_channel},
};

use common::TestApp;
use common::hooked::{Hooked, When};

const CREATE_PROCEDURE: &str = r#"mutation ($host: String!, $scope: String!, $dry: Boolean!) {
  createProcedure(host: $host, scopeId: $scope, key: "bound-probe",
                  input: { title: "Probe", kind: STEP, body: "Look." }, dryRun: $dry) {
    dryRun changeId scopes
  }
}"#;

const CREATE_SCOPE: &str = r#"mutation ($host: String!, $id: String!) {
  createScope(host: $host, input: { id: $id, name: "Probe", kind: SERVICE }) { changeId scopes }
}"#;

const IMPORT: &str = "mutation ($yaml: String!) { importRunbook(yaml: $yaml) { changeId scopes } }";

fn host(name: &str) -> Host {
    Host::parse(name).expect("host")
}

/// A platform with `services` services below it, `procedures` procedures deep.
fn dataset(host: &Host, services: usize, procedures: usize) -> Vec<ScopeDocument> {
    let params = light_runbook_bench::Params {
        services,
        procedures,
        branches: 2 * procedures,
        error_codes: 10,
        organizations: 2,
        lines_per_organization: 2,
        templates: 2,
    };
    light_runbook_bench::documents(params, 7, host).expect("dataset")
}

/// A service over a store holding `docs`, with `configure` applied; the
/// hosts of the snapshots its writes read come out of the receiver.
async fn spawn(
    docs: &[ScopeDocument],
    configure: impl FnOnce(&mut Services),
) -> (TestApp, UnboundedReceiver<Host>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("runbooks.db").display());
    let inner = store::open(&url, &StoreOptions::default())
        .await
        .expect("store opens");
    inner.replace_documents(docs).await.expect("seeded");
    let (sent, snapshots) = unbounded_channel();
    // A write's check runs once it has read its snapshot of a host: the
    // test hears of each such read. Nobody listening is fine: the test may
    // have stopped waiting.
    let store = Hooked::around(
        inner,
        Arc::new(move |when, method, host| {
            if when == When::After && method == "snapshot" {
                let _ = sent.send(host.clone());
            }
            Box::pin(async {})
        }),
    );
    let runbooks = Runbooks::new(store, common::host());
    let mut services = Services::open(runbooks.clone());
    configure(&mut services);
    let app = Application::bind("127.0.0.1:0".parse().expect("addr"), services)
        .await
        .expect("binds");
    let address = app.address();
    tokio::spawn(app.run_until_stopped());
    (TestApp::started(address, runbooks, dir), snapshots)
}

async fn documents(app: &TestApp, host: &Host) -> Vec<ScopeDocument> {
    app.runbooks
        .store()
        .host_documents(host)
        .await
        .expect("documents")
}

/// Waits until a write has read its snapshot of `host`.
async fn snapshot_read(snapshots: &mut UnboundedReceiver<Host>, host: &Host) {
    while let Some(h) = snapshots.recv().await {
        if &h == host {
            return;
        }
    }
    panic!("the service stopped before reading {host}");
}

/// Asserts a write is refused LIMIT_EXCEEDED by `bound` at `count`.
fn assert_limit(response: &Value, bound: &str, max: usize, count: usize) {
    let error = &response["errors"][0];
    assert_eq!(
        error["extensions"]["code"], "LIMIT_EXCEEDED",
        "{response:#}"
    );
    let limit = &error["extensions"]["limit"];
    assert_eq!(limit["name"], bound, "{response:#}");
    assert_eq!(limit["max"], max, "{response:#}");
    assert_eq!(limit["count"], count, "{response:#}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(bound) && message.contains(&count.to_string()),
        "{message}"
    );
}

fn scope_yaml(host: &Host, id: &str) -> String {
    format!("host: {host}\nscope: {id}\nname: Bulk {id}\nkind: service\nparents: [platform]\n")
}

#[tokio::test]
async fn a_write_changing_more_scopes_than_the_bound_is_refused_and_changes_nothing() {
    let (a, b) = (host("scopes-a.example"), host("scopes-b.example"));
    let mut docs = dataset(&a, 3, 3);
    docs.extend(dataset(&b, 3, 3));
    let bounds = WriteBounds {
        max_scopes: 3,
        ..WriteBounds::default()
    };
    let (app, _snapshots) = spawn(&docs, |s| s.write_bounds = bounds).await;
    let before = (documents(&app, &a).await, documents(&app, &b).await);
    // Four scopes of one host, ten, and four spread over two hosts.
    let inputs = [
        (0..4)
            .map(|i| scope_yaml(&a, &format!("bulk-{i}")))
            .collect::<Vec<_>>(),
        (0..10)
            .map(|i| scope_yaml(&a, &format!("bulk-{i}")))
            .collect(),
        (0..4)
            .map(|i| scope_yaml(if i % 2 == 0 { &a } else { &b }, &format!("bulk-{i}")))
            .collect(),
    ];
    for docs in &inputs {
        let response = app
            .graphql(IMPORT, json!({ "yaml": docs.join("---\n") }))
            .await;
        assert_limit(&response, "--max-write-scopes", 3, docs.len());
        assert_eq!(
            before,
            (documents(&app, &a).await, documents(&app, &b).await)
        );
    }
    let at_the_bound: Vec<String> = (0..3)
        .map(|i| scope_yaml(&a, &format!("bulk-{i}")))
        .collect();
    let written = app
        .data(IMPORT, json!({ "yaml": at_the_bound.join("---\n") }))
        .await;
    assert_eq!(
        written["importRunbook"]["scopes"].as_array().map(Vec::len),
        Some(3)
    );
}

#[tokio::test]
async fn a_write_reaching_more_services_than_the_bound_is_refused_before_checking_them() {
    let (a, b, c) = (
        host("reach-a.example"),
        host("reach-b.example"),
        host("reach-c.example"),
    );
    let mut docs = dataset(&a, 8, 3);
    docs.extend(dataset(&b, 3, 3));
    docs.extend(dataset(&c, 3, 3));
    let bounds = WriteBounds {
        max_services: 5,
        ..WriteBounds::default()
    };
    let (app, _snapshots) = spawn(&docs, |s| s.write_bounds = bounds).await;
    let before = documents(&app, &a).await;
    // The platform reaches every service, a dry run as much as a write.
    for dry in [true, false] {
        let vars =
            json!({ "host": a.as_str(), "scope": light_runbook_bench::FRAMEWORK, "dry": dry });
        let response = app.graphql(CREATE_PROCEDURE, vars).await;
        assert_limit(&response, "--max-write-services", 5, 8);
        assert_eq!(before, documents(&app, &a).await);
    }
    // Services of several hosts count together: 3 + 3.
    let before_b = documents(&app, &b).await;
    let yaml = [&b, &c]
        .map(|h| {
            let platform = docs
                .iter()
                .find(|d| {
                    &d.scope.host == h && d.scope.id.as_str() == light_runbook_bench::FRAMEWORK
                })
                .expect("platform");
            light_runbook::format::to_document_yaml(platform, &common::host())
                .replace("name: ", "name: Renamed ")
        })
        .join("---\n");
    let response = app.graphql(IMPORT, json!({ "yaml": yaml })).await;
    assert_limit(&response, "--max-write-services", 5, 6);
    assert_eq!(before_b, documents(&app, &b).await);
    // Host B alone stays within the bound, and the service goes on answering.
    let vars = json!({ "host": b.as_str(), "scope": light_runbook_bench::FRAMEWORK, "dry": false });
    let written = app.data(CREATE_PROCEDURE, vars).await;
    assert_eq!(
        written["createProcedure"]["scopes"],
        json!([light_runbook_bench::FRAMEWORK])
    );
}

/// Starts a dry run over a raw connection: dropping the stream is the
/// client going away.
async fn start_dry_run(app: &TestApp, host: &Host) -> TcpStream {
    let vars =
        json!({ "host": host.as_str(), "scope": light_runbook_bench::FRAMEWORK, "dry": true });
    let body = json!({ "query": CREATE_PROCEDURE, "variables": vars }).to_string();
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        app.address,
        body.len()
    );
    let mut stream = TcpStream::connect(app.address).await.expect("connects");
    stream.write_all(request.as_bytes()).await.expect("sent");
    stream
}

#[tokio::test]
async fn a_dry_run_whose_client_goes_away_stops_its_check() {
    let a = host("gone.example");
    let (app, mut snapshots) = spawn(&dataset(&a, 800, 100), |_| {}).await;
    let client = start_dry_run(&app, &a).await;
    snapshot_read(&mut snapshots, &a).await;
    drop(client);
    // The host's next write waits for the turn the stopped check holds.
    let written = app
        .data(
            CREATE_SCOPE,
            json!({ "host": a.as_str(), "id": "after-the-stop" }),
        )
        .await;
    assert_eq!(written["createScope"]["scopes"], json!(["after-the-stop"]));
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    let stopped = format!("runbook_write_checks_stopped_total{{host=\"{a}\"}} 1");
    assert!(metrics.contains(&stopped), "{metrics}");
}

#[tokio::test]
async fn one_hosts_long_check_does_not_hold_another_hosts_write() {
    let (a, b) = (host("long-a.example"), host("quick-b.example"));
    let mut docs = dataset(&a, 400, 60);
    docs.extend(dataset(&b, 2, 3));
    // However slow the machine, the long check is answered, not timed out.
    let (app, mut snapshots) =
        spawn(&docs, |s| s.http_limits.timeout = Duration::from_secs(300)).await;
    let long = {
        let (client, address) = (app.client.clone(), app.address);
        let vars =
            json!({ "host": a.as_str(), "scope": light_runbook_bench::FRAMEWORK, "dry": true });
        tokio::spawn(
            async move { common::post_graphql(&client, address, CREATE_PROCEDURE, vars).await },
        )
    };
    snapshot_read(&mut snapshots, &a).await;
    let written = app
        .data(
            CREATE_SCOPE,
            json!({ "host": b.as_str(), "id": "while-a-checks" }),
        )
        .await;
    assert_eq!(written["createScope"]["scopes"], json!(["while-a-checks"]));
    assert!(
        !long.is_finished(),
        "host B's write was answered only after A's check"
    );
    let answer = long.await.expect("the long dry run ends");
    let preview = &answer["data"]["createProcedure"];
    assert_eq!(preview["dryRun"], true, "{answer:#}");
    assert_eq!(
        preview["scopes"],
        json!([light_runbook_bench::FRAMEWORK]),
        "{answer:#}"
    );
}
