//! The execution store replayed against the answers of ArangoDB 3.11, 3.12
//! and 4.x (`stand_in.rs`): each step's requests (method, path, transaction
//! header, body with the AQL text and bind variables) must be exactly those
//! the fixture records under `executions`, and the store must read the rows
//! the fixture gives back. A changed query fails here until the fixture is
//! updated. What no replay can show is how a real server locks under
//! concurrent transactions (see docs/arangodb.md).

use std::sync::Arc;

use serde_json::{Value, json};

use super::{
    ArangoExecutions,
    replay_tests::prepared,
    stand_in::{Seen, StandIn, VERSIONS, fixture},
};
use crate::{
    domain::{
        ErrorCode, Host, ProcedureKey, ScopeId,
        execution::{
            AlertContext, Change, EventKind, Execution, ExecutionId, ExecutionState, NewEvent,
            PinnedRunbook, Status,
        },
    },
    store::executions::{AlertKey, ExecutionFilter, ExecutionStore, WriteError},
};

/// What the closures refuse a move with.
#[derive(Debug, PartialEq)]
struct Refusal;

type Store = dyn ExecutionStore<Refusal>;

pub(super) const ID: &str = "0000000003e800000001";

fn key() -> AlertKey {
    AlertKey {
        host: Host::parse("h").unwrap(),
        service: ScopeId::parse("com.acme.ledger-1.0.0").unwrap(),
        code: ErrorCode::parse("ERR10001").unwrap(),
    }
}

pub(super) fn started() -> Change {
    let key = key();
    let entry = ProcedureKey::parse("look").unwrap();
    let state = ExecutionState {
        context: AlertContext {
            host: key.host,
            service_id: key.service.clone(),
            error_code: key.code,
            environment: Some("prod".into()),
            instance: None,
            labels: Default::default(),
            status_code: None,
            message: None,
            description: None,
            severity: None,
        },
        current: Some(entry.clone()),
        awaiting: None,
        pending: None,
        last_output: None,
        last_outcome: None,
        last_http_status: None,
        started_by: "alert".into(),
        alert_count: 1,
        visits: 0,
        automatic_moves: 0,
        responder: None,
        notifying: false,
    };
    let runbook = PinnedRunbook {
        generation: 7,
        lineage: vec![key.service],
        entry,
        procedures: vec![],
        branches: vec![],
    };
    let execution = Execution {
        id: ExecutionId::parse(ID).unwrap(),
        status: Status::Running,
        state,
        runbook: Arc::new(runbook),
        started_ms: 1000,
        updated_ms: 1000,
        last_alert_ms: 1000,
        finished_ms: None,
    };
    let events = vec![NewEvent::new(EventKind::Started, 1000, "alert")];
    Change { execution, events }
}

/// `current` moved at `at` with events of `kinds`.
fn moved(current: &Execution, at: i64, kinds: &[EventKind]) -> Change {
    let mut execution = current.clone();
    execution.updated_ms = at;
    execution.last_alert_ms = at;
    let events = (kinds.iter())
        .map(|k| NewEvent::new(*k, at, "ada"))
        .collect();
    Change { execution, events }
}

/// The fixture's step `name`: the rows each query returns, and the requests.
fn step(version: &str, name: &str) -> (Value, Vec<Value>) {
    let step = fixture(version)["executions"][name].clone();
    assert!(step.is_object(), "{version}: no executions step {name}");
    let requests = step["requests"].as_array().unwrap().clone();
    (step["rows"].clone(), requests)
}

/// Sets the rows of `step`, forgets earlier requests, runs `run`, and
/// checks the requests it sent against the fixture's.
async fn replay<T>(
    stand_in: &StandIn,
    version: &str,
    name: &str,
    run: impl std::future::Future<Output = T>,
) -> T {
    let (rows, expected) = step(version, name);
    {
        let mut world = stand_in.world.lock().unwrap();
        world.seen.clear();
        world.rows.clear();
        for q in super::queries::ALL {
            if let Some(r) = rows.get(q.name) {
                world.rows.insert(q.name, r.as_array().unwrap().clone());
            }
        }
    }
    let result = run.await;
    let sent: Vec<Value> = stand_in.seen().iter().map(request).collect();
    assert_eq!(
        sent.len(),
        expected.len(),
        "{version} {name}: {}",
        Value::Array(sent.clone())
    );
    for (i, (sent, expected)) in sent.iter().zip(&expected).enumerate() {
        assert_eq!(sent, expected, "{version} {name}, request {i}: {sent}");
    }
    result
}

fn request(s: &Seen) -> Value {
    json!({ "method": s.method, "path": s.path, "trx": s.trx, "body": s.body })
}

#[tokio::test]
async fn every_execution_store_operation_sends_the_recorded_requests_and_reads_the_answers() {
    for version in VERSIONS {
        let (stand_in, _, store) = prepared(version).await;
        let store: Arc<Store> = Arc::new(ArangoExecutions::new(store));
        let (new, alert) = (started(), key());
        let join = |e: &Execution| Ok(Some(moved(e, 2000, &[EventKind::AlertJoined])));

        let run = store.start_or_join(&alert, 500, &new, &join);
        let (written, joined) = replay(&stand_in, version, "start", run).await.unwrap();
        assert!(!joined, "{version}");
        assert_eq!(written.events[0].seq, 1);

        let run = store.start_or_join(&alert, 500, &new, &join);
        let (written, joined) = replay(&stand_in, version, "join", run).await.unwrap();
        assert!(joined, "{version}");
        assert_eq!(written.execution.last_alert_ms, 2000);
        assert_eq!(written.events[0].seq, 2);

        let id = ExecutionId::parse(ID).unwrap();
        let refuse = |_: &Execution| Err(Refusal);
        let run = store.update(&id, &refuse);
        let refused = replay(&stand_in, version, "update_refused", run).await;
        assert!(
            matches!(refused, Err(WriteError::Refused(Refusal))),
            "{version}"
        );

        let apply = |e: &Execution| {
            let kinds = [EventKind::NoteAdded, EventKind::NoteAdded];
            Ok(Some(moved(e, 3000, &kinds)))
        };
        let run = store.update(&id, &apply);
        let applied = replay(&stand_in, version, "update", run).await.unwrap();
        let seqs: Vec<i64> = applied.unwrap().events.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [3, 4], "{version}");

        let events = replay(&stand_in, version, "events", store.events(&id, 2, 10)).await;
        let read: Vec<(i64, EventKind)> = (events.unwrap().iter())
            .map(|e| (e.seq, e.event.kind))
            .collect();
        assert_eq!(read, [(3, EventKind::NoteAdded), (4, EventKind::NoteAdded)]);

        let filter = ExecutionFilter {
            host: key().host,
            service: Some(key().service),
            status: Some(Status::Running),
            before: ExecutionId::parse("0000000007d000000000"),
            unacknowledged: false,
        };
        let page = replay(&stand_in, version, "list", store.list(&filter, 20)).await;
        let page = page.unwrap();
        assert_eq!(page.len(), 1, "{version}");
        assert_eq!((page[0].id.as_str(), page[0].updated_ms), (ID, 3000));

        let running = replay(&stand_in, version, "running", store.running()).await;
        assert_eq!(running.unwrap(), [id], "{version}");
    }
}

#[tokio::test]
async fn a_refused_update_sends_no_write_and_aborts_its_transaction() {
    for version in VERSIONS {
        let (_, requests) = step(version, "update_refused");
        let queries: Vec<&str> = (requests.iter())
            .filter_map(|r| r["body"]["query"].as_str())
            .collect();
        assert_eq!(queries, [super::queries::EXECUTION_GET.text], "{version}");
        let last = requests.last().unwrap();
        assert_eq!(
            (last["method"].as_str(), last["path"].as_str()),
            (Some("DELETE"), Some("/_db/runbook/_api/transaction/4711"))
        );
    }
}

#[tokio::test]
async fn an_unknown_execution_is_not_found_and_an_empty_change_commits_nothing() {
    let (stand_in, _, store) = prepared("4.x").await;
    let store: Arc<Store> = Arc::new(ArangoExecutions::new(store));
    let id = ExecutionId::parse(ID).unwrap();
    let never = |_: &Execution| -> Result<Option<Change>, Refusal> { panic!("not called") };
    let missing = store.update(&id, &never).await;
    assert!(
        matches!(missing, Err(WriteError::NotFound(_))),
        "{missing:?}"
    );
    let doc = super::executions_docs::execution_doc(&started().execution, 2).unwrap();
    stand_in
        .world
        .lock()
        .unwrap()
        .rows
        .insert("execution_get", vec![doc]);
    let nothing = |_: &Execution| Ok(None);
    assert!(store.update(&id, &nothing).await.unwrap().is_none());
    let seen = stand_in.seen();
    assert!(!seen.iter().any(|s| s.method == "PUT"), "nothing committed");
    let writes = [
        super::queries::EXECUTION_REPLACE.text,
        super::queries::INSERT_MANY.text,
    ];
    assert!(
        !seen
            .iter()
            .any(|s| writes.iter().any(|w| s.body["query"] == *w))
    );
}
