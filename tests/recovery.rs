//! Restart recovery cannot crash-loop: the real binary is killed while two
//! executions run automation, one of them pinned to a runbook whose
//! condition passes the bounds (written straight into the store, as a
//! version before the bounds would have). The restarted server is up and
//! answers, the healthy execution resumes, the poisoned one is marked
//! NEEDS_ATTENTION with the reason, and a second restart does not retry it.

#[path = "common/binary.rs"]
mod binary;

use binary::Server;
use light_runbook::{
    domain::{BranchChange, BranchPatch, Host, Patch},
    format,
    store::{self, StoreOptions},
};
use serde_json::{Value, json};
use tokio::{net::TcpListener, sync::mpsc};

/// Starts the binary, with an executors file that allows the stuck
/// loopback endpoint, once it has run restart recovery.
fn serve(store_url: &str) -> Server {
    let executors = std::path::Path::new(store_url.trim_start_matches("sqlite://"))
        .with_extension("executors.yml");
    std::fs::write(
        &executors,
        "allowHttp: true\nallowHosts: [127.0.0.1]\nallowNetworks: [127.0.0.1]\n",
    )
    .expect("executors file written");
    binary::serve(
        store_url,
        [std::ffi::OsStr::new("--executors"), executors.as_os_str()],
    )
}

/// An endpoint that accepts every call and never answers; each accepted
/// connection is reported on the channel.
async fn hanging_endpoint() -> (String, mpsc::UnboundedReceiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}/hang", listener.local_addr().expect("address"));
    let (calls, received) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
            let _ = calls.send(());
        }
    });
    (url, received)
}

fn service(id: &str, url: &str) -> String {
    format!(
        "---\nscope: {id}\nname: {id}\nkind: SERVICE\nparents: [base]\nprocedures:\n\
         \x20 run: {{title: Run, kind: AUTOMATED, automation: {{executor: http, url: \"{url}\"}}}}\n\
         \x20 check: {{title: Check, kind: DECISION}}\n\
         \x20 done: {{title: Done, kind: RESOLUTION}}\n\
         \x20 page: {{title: Page, kind: ESCALATION}}\n\
         branches:\n\
         \x20 - {{from: run, label: success, to: check}}\n\
         \x20 - {{from: run, label: failure, to: page}}\n\
         \x20 - {{from: check, label: healthy, to: done, condition: 'outcome == \"success\"', order: 1}}\n\
         \x20 - {{from: check, label: still failing, to: page}}\n\
         entries: {{ERR10001: run}}\n"
    )
}

/// Writes the runbooks into the store with the store API, the poisoned
/// service's condition swapped for one past the bounds after parsing.
async fn seed(store_url: &str, url: &str) {
    let host = Host::parse("lightapi.net").expect("host");
    let text = format!(
        "scope: base\nname: Base\nkind: framework\n{}{}",
        service("svc-poisoned", url),
        service("svc-healthy", url)
    );
    let mut docs: Vec<_> = format::parse_str("seed.yml", &text, &host)
        .expect("valid")
        .into_iter()
        .map(|d| d.doc)
        .collect();
    let poisoned = docs
        .iter_mut()
        .find(|d| d.scope.id.as_str() == "svc-poisoned")
        .expect("the poisoned service");
    for change in poisoned.content.branches.values_mut() {
        if let BranchChange::Patch(BranchPatch { condition, .. }) = change
            && condition.as_set().is_some()
        {
            *condition = Patch::Set(format!("{}true", "not ".repeat(10_000)));
        }
    }
    let store = store::open(store_url, &StoreOptions::default())
        .await
        .expect("store opens");
    store.replace_documents(&docs).await.expect("written");
}

async fn alert(client: &reqwest::Client, server: &Server, service: &str) -> String {
    let answer: Value = client
        .post(format!("{}/alerts", server.base))
        .json(&json!({ "serviceId": service, "code": "ERR10001" }))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    answer["accepted"][0]["executionId"]
        .as_str()
        .unwrap_or_else(|| panic!("started: {answer:#}"))
        .to_owned()
}

async fn execution(client: &reqwest::Client, server: &Server, id: &str) -> Value {
    let query =
        "query ($id: String!) { execution(id: $id) { status awaiting events { kind data } } }";
    let answer: Value = client
        .post(format!("{}/graphql", server.base))
        .json(&json!({ "query": query, "variables": { "id": id } }))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert!(answer.get("errors").is_none(), "{answer:#}");
    answer["data"]["execution"].clone()
}

fn events<'a>(ex: &'a Value, kind: &str) -> Vec<&'a Value> {
    ex["events"]
        .as_array()
        .map(|all| all.iter().filter(|e| e["kind"] == kind).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poisoned_execution_is_held_for_a_person_at_restart_and_never_retried() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store_url = format!("sqlite://{}", dir.path().join("runbooks.db").display());
    let (url, mut calls) = hanging_endpoint().await;
    seed(&store_url, &url).await;
    let client = reqwest::Client::new();
    let first = serve(&store_url);
    let poisoned = alert(&client, &first, "svc-poisoned").await;
    let healthy = alert(&client, &first, "svc-healthy").await;
    // Both attempts are in flight at the endpoint when the process is killed.
    for _ in 0..2 {
        calls.recv().await.expect("an attempt arrives");
    }
    drop(first);

    let second = serve(&store_url);
    calls
        .recv()
        .await
        .expect("the healthy execution's attempt is re-run");
    let held = execution(&client, &second, &poisoned).await;
    assert_eq!(held["status"], "NEEDS_ATTENTION", "{held:#}");
    assert_eq!(held["awaiting"], "COMPLETE_STEP");
    let attention = events(&held, "NEEDS_ATTENTION");
    assert_eq!(attention.len(), 1, "{held:#}");
    let reason = attention[0]["data"]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("cannot resume after a restart"), "{reason}");
    assert!(reason.contains("labelled `healthy`"), "{reason}");
    assert!(
        reason.contains("nests deeper") || reason.contains("bytes long"),
        "{reason}"
    );
    let resumed = execution(&client, &second, &healthy).await;
    assert_eq!(resumed["status"], "RUNNING", "{resumed:#}");
    let retried = events(&resumed, "AUTOMATION_RETRYING");
    assert_eq!(retried[0]["data"]["afterRestart"], true, "{resumed:#}");
    drop(second);

    let third = serve(&store_url);
    calls
        .recv()
        .await
        .expect("the healthy execution resumes again");
    let still = execution(&client, &third, &poisoned).await;
    assert_eq!(still["status"], "NEEDS_ATTENTION");
    assert_eq!(still["events"], held["events"], "not tried again");
    assert!(
        calls.try_recv().is_err(),
        "the poisoned step was not re-run"
    );
}
