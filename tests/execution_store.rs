//! The execution store contract, on SQLite, PostgreSQL (run it through
//! `scripts/with-postgres.sh cargo test --test execution_store`) and ArangoDB
//! (with `ARANGO_URL` set, through `scripts/arango-live.sh`):
//! inserts, read-modify-write updates (refused, no-op, unknown id),
//! start-or-join per alert key (also under concurrent alerts), paging and
//! filters, events after a sequence number, and the running executions.
//! Every refused or empty write is checked to have left the store unchanged.

mod common;

use std::sync::Arc;

use common::{Backend, fresh_store, host};
use light_runbook::{
    domain::{
        ErrorCode, ProcedureKey, ScopeId,
        execution::{
            AlertContext, Change, EventKind, Execution, ExecutionId, ExecutionState, NewEvent,
            PinnedRunbook, Responder, Status,
        },
    },
    store::{
        self, StoreOptions,
        executions::{AlertKey, ExecutionFilter, ExecutionStore, WriteError},
    },
};

/// What the tests' closures refuse a move with.
#[derive(Debug, PartialEq)]
struct Refusal(&'static str);

type Executions = Arc<dyn ExecutionStore<Refusal>>;

/// A fresh execution store, and what must outlive it (the temp dir its
/// SQLite file lives in, an ArangoDB test database).
async fn fresh(backend: Backend) -> (Executions, impl Send) {
    let dir = tempfile::tempdir().expect("temp dir");
    let fresh = fresh_store(backend, dir.path()).await;
    let stores = store::open_stores::<Refusal>(&fresh.url, &StoreOptions::default())
        .await
        .expect("the store opens");
    let executions = stores.executions;
    (executions, (dir, fresh))
}

fn service(n: u32) -> ScopeId {
    ScopeId::parse(format!("com.acme.svc{n}-1.0.0")).expect("scope id")
}

fn code() -> ErrorCode {
    ErrorCode::parse("ERR10001").expect("code")
}

fn key(n: u32) -> AlertKey {
    AlertKey {
        host: host(),
        service: service(n),
        code: code(),
    }
}

/// A new execution of service `n`, started at `at` with one STARTED event.
fn new_execution(n: u32, at: i64, status: Status) -> Change {
    let entry = ProcedureKey::parse("look").expect("key");
    let execution = Execution {
        id: ExecutionId::generate(at),
        status,
        state: ExecutionState {
            context: AlertContext {
                host: host(),
                service_id: service(n),
                error_code: code(),
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
        },
        runbook: Arc::new(PinnedRunbook {
            generation: 7,
            lineage: vec![service(n)],
            entry,
            procedures: vec![],
            branches: vec![],
        }),
        started_ms: at,
        updated_ms: at,
        last_alert_ms: at,
        finished_ms: None,
    };
    Change {
        execution,
        events: vec![NewEvent::new(EventKind::Started, at, "alert").with("by", "test")],
    }
}

/// `current` with a note added at `at` (and, when `status` is given, that status).
fn noted(current: &Execution, at: i64, note: &str, status: Option<Status>) -> Change {
    let mut execution = current.clone();
    execution.updated_ms = at;
    if let Some(status) = status {
        execution.status = status;
        execution.finished_ms = (!status.is_open()).then_some(at);
    }
    Change {
        execution,
        events: vec![NewEvent::new(EventKind::NoteAdded, at, "ada").with("note", note)],
    }
}

/// `current` joined by another alert at `at`.
fn joined(current: &Execution, at: i64) -> Change {
    let mut execution = current.clone();
    execution.state.alert_count += 1;
    execution.last_alert_ms = at;
    execution.updated_ms = at;
    Change {
        execution,
        events: vec![NewEvent::new(EventKind::AlertJoined, at, "alert")],
    }
}

async fn all_events(store: &Executions, id: &ExecutionId) -> Vec<(i64, EventKind)> {
    let events = store.events(id, 0, 1000).await.expect("events");
    events.iter().map(|e| (e.seq, e.event.kind)).collect()
}

/// The execution and its events as stored, to compare before and after a refused write.
async fn snapshot(store: &Executions, id: &ExecutionId) -> (Execution, Vec<(i64, EventKind)>) {
    let execution = store.get(id).await.expect("get").expect("stored");
    (execution, all_events(store, id).await)
}

async fn an_inserted_execution_reads_back_whole_with_its_events_numbered_from_one(b: Backend) {
    let (store, _dir) = fresh(b).await;
    let mut new = new_execution(1, 1_000, Status::Waiting);
    new.events.push(
        NewEvent::new(EventKind::Waiting, 1_000, "system")
            .at(&ProcedureKey::parse("look").expect("key")),
    );
    let written = store.insert(&new).await.expect("insert");
    assert_eq!(written.execution, new.execution);
    let seqs: Vec<i64> = written.events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [1, 2]);
    let id = &new.execution.id;
    assert_eq!(
        store.get(id).await.expect("get"),
        Some(new.execution.clone())
    );
    let events = store.events(id, 0, 10).await.expect("events");
    assert_eq!(events, written.events);
    assert_eq!(events[0].event.data["by"], "test");
    assert_eq!(
        events[1].event.procedure.as_ref().map(|k| k.as_str()),
        Some("look")
    );
    let unknown = ExecutionId::parse("ffffffffffff00000000").expect("id");
    assert_eq!(store.get(&unknown).await.expect("get"), None);
}

async fn an_update_appends_events_after_the_last_and_stores_the_new_state(b: Backend) {
    let (store, _dir) = fresh(b).await;
    let new = new_execution(1, 1_000, Status::Waiting);
    store.insert(&new).await.expect("insert");
    let id = &new.execution.id;
    for (at, note) in [(2_000, "first"), (3_000, "second")] {
        let change = |current: &Execution| Ok(Some(noted(current, at, note, None)));
        let written = store
            .update(id, &change)
            .await
            .expect("update")
            .expect("a change");
        assert_eq!(written.execution.updated_ms, at);
    }
    let close =
        |current: &Execution| Ok(Some(noted(current, 4_000, "done", Some(Status::Resolved))));
    store
        .update(id, &close)
        .await
        .expect("update")
        .expect("a change");
    let stored = store.get(id).await.expect("get").expect("stored");
    assert_eq!(
        (stored.status, stored.finished_ms, stored.updated_ms),
        (Status::Resolved, Some(4_000), 4_000)
    );
    let seqs: Vec<i64> = all_events(&store, id).await.iter().map(|e| e.0).collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
}

async fn a_refused_or_empty_update_leaves_the_store_unchanged(b: Backend) {
    let (store, _dir) = fresh(b).await;
    let new = new_execution(1, 1_000, Status::Waiting);
    store.insert(&new).await.expect("insert");
    let id = &new.execution.id;
    let before = snapshot(&store, id).await;
    for reason in ["not your host", "no such branch"] {
        let refuse = |_: &Execution| Err(Refusal(reason));
        match store.update(id, &refuse).await {
            Err(WriteError::Refused(refusal)) => assert_eq!(refusal, Refusal(reason)),
            other => panic!("{reason}: {other:?}"),
        }
        assert_eq!(snapshot(&store, id).await, before);
    }
    let nothing = |_: &Execution| Ok(None);
    assert!(store.update(id, &nothing).await.expect("update").is_none());
    assert_eq!(snapshot(&store, id).await, before);
    // The store still takes other writes.
    let change = |current: &Execution| Ok(Some(noted(current, 2_000, "after", None)));
    assert!(store.update(id, &change).await.expect("update").is_some());
}

async fn an_update_of_an_unknown_execution_is_not_found_and_writes_nothing(b: Backend) {
    let (store, _dir) = fresh(b).await;
    for raw in ["ffffffffffff00000000", "0", "no-such-execution"] {
        let unknown = ExecutionId::parse(raw).expect("id");
        let change = |current: &Execution| Ok(Some(noted(current, 2_000, "x", None)));
        match store.update(&unknown, &change).await {
            Err(WriteError::NotFound(id)) => assert_eq!(id, unknown),
            other => panic!("{raw}: {other:?}"),
        }
        assert_eq!(store.get(&unknown).await.expect("get"), None);
    }
    assert!(store.running().await.expect("running").is_empty());
}

async fn start_or_join_joins_only_an_open_execution_of_the_key_inside_the_window(b: Backend) {
    let (store, _dir) = fresh(b).await;
    let join = |current: &Execution| Ok(Some(joined(current, 5_000)));
    let first = new_execution(1, 1_000, Status::Waiting);
    let (w, was_joined) = store
        .start_or_join(&key(1), 0, &first, &join)
        .await
        .expect("start");
    assert!(!was_joined);
    assert_eq!(w.execution.id, first.execution.id);
    // Inside the window: joins, with its event numbered after the first.
    let again = new_execution(1, 5_000, Status::Waiting);
    let (w, was_joined) = store
        .start_or_join(&key(1), 500, &again, &join)
        .await
        .expect("join");
    assert!(was_joined);
    assert_eq!(
        (w.execution.id.clone(), w.execution.state.alert_count),
        (first.execution.id.clone(), 2)
    );
    assert_eq!(w.events.iter().map(|e| e.seq).collect::<Vec<_>>(), [2]);
    assert_eq!(store.get(&again.execution.id).await.expect("get"), None);
    // Outside the window (the last alert came at 5000), another key, or a join that makes no change: a new one.
    let late = new_execution(1, 9_000, Status::Waiting);
    assert!(
        !store
            .start_or_join(&key(1), 5_001, &late, &join)
            .await
            .expect("late")
            .1
    );
    let other = new_execution(2, 9_000, Status::Waiting);
    assert!(
        !store
            .start_or_join(&key(2), 0, &other, &join)
            .await
            .expect("other")
            .1
    );
    let none = |_: &Execution| Ok(None);
    let unjoined = new_execution(2, 9_500, Status::Waiting);
    assert!(
        !store
            .start_or_join(&key(2), 0, &unjoined, &none)
            .await
            .expect("no join")
            .1
    );
    // A finished execution is never joined.
    let close = |c: &Execution| Ok(Some(noted(c, 9_900, "done", Some(Status::Resolved))));
    for id in [&late.execution.id, &first.execution.id] {
        store.update(id, &close).await.expect("close");
    }
    let after = new_execution(1, 10_000, Status::Waiting);
    assert!(
        !store
            .start_or_join(&key(1), 0, &after, &join)
            .await
            .expect("after")
            .1
    );
    let filter = ExecutionFilter {
        host: host(),
        service: Some(service(1)),
        status: None,
        before: None,
        unacknowledged: false,
    };
    assert_eq!(store.list(&filter, 10).await.expect("list").len(), 3);
}

async fn a_refused_join_writes_nothing(b: Backend) {
    let (store, _dir) = fresh(b).await;
    let first = new_execution(1, 1_000, Status::Waiting);
    store.insert(&first).await.expect("insert");
    let before = snapshot(&store, &first.execution.id).await;
    let refuse = |_: &Execution| Err(Refusal("closed for alerts"));
    let again = new_execution(1, 2_000, Status::Waiting);
    match store.start_or_join(&key(1), 0, &again, &refuse).await {
        Err(WriteError::Refused(r)) => assert_eq!(r, Refusal("closed for alerts")),
        other => panic!("{other:?}"),
    }
    assert_eq!(snapshot(&store, &first.execution.id).await, before);
    assert_eq!(store.get(&again.execution.id).await.expect("get"), None);
}

async fn concurrent_alerts_for_one_key_open_one_execution_and_join_it(b: Backend) {
    let (store, _dir) = fresh(b).await;
    let tasks: Vec<_> = (0..8i64)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move {
                let new = new_execution(1, 1_000 + n, Status::Waiting);
                let join = move |current: &Execution| Ok(Some(joined(current, 1_000 + n)));
                store
                    .start_or_join(&key(1), 0, &new, &join)
                    .await
                    .expect("start or join")
            })
        })
        .collect();
    let mut ids = Vec::new();
    let mut joins = 0;
    for task in tasks {
        let (written, was_joined) = task.await.expect("task");
        joins += usize::from(was_joined);
        ids.push(written.execution.id);
    }
    ids.dedup();
    assert_eq!(
        (ids.len(), joins),
        (1, 7),
        "one execution, seven joins: {ids:?}"
    );
    let stored = store.get(&ids[0]).await.expect("get").expect("stored");
    assert_eq!(stored.state.alert_count, 8);
    let seqs: Vec<i64> = all_events(&store, &ids[0])
        .await
        .iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(seqs, (1..=8).collect::<Vec<_>>());
}

async fn listing_pages_newest_first_and_filters_by_host_service_and_status(b: Backend) {
    let (store, _dir) = fresh(b).await;
    let mut ids = Vec::new();
    for n in 0..6u32 {
        let status = if n % 2 == 0 {
            Status::Waiting
        } else {
            Status::Running
        };
        let new = new_execution(n % 3, 1_000 + i64::from(n) * 1_000, status);
        store.insert(&new).await.expect("insert");
        ids.push(new.execution.id);
    }
    let all = |before| ExecutionFilter {
        host: host(),
        service: None,
        status: None,
        before,
        unacknowledged: false,
    };
    let page: Vec<_> = store
        .list(&all(None), 4)
        .await
        .expect("list")
        .into_iter()
        .map(|e| e.id)
        .collect();
    let newest: Vec<_> = ids.iter().rev().take(4).cloned().collect();
    assert_eq!(page, newest);
    let rest: Vec<_> = store
        .list(&all(page.last().cloned()), 4)
        .await
        .expect("list");
    assert_eq!(
        rest.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
        [ids[1].clone(), ids[0].clone()]
    );
    let running = ExecutionFilter {
        status: Some(Status::Running),
        ..all(None)
    };
    assert!(
        store
            .list(&running, 10)
            .await
            .expect("list")
            .iter()
            .all(|e| e.status == Status::Running)
    );
    assert_eq!(store.list(&running, 10).await.expect("list").len(), 3);
    let of_service = ExecutionFilter {
        service: Some(service(1)),
        ..all(None)
    };
    let listed = store.list(&of_service, 10).await.expect("list");
    assert_eq!(
        listed.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
        [ids[4].clone(), ids[1].clone()]
    );
    let elsewhere = ExecutionFilter {
        host: light_runbook::domain::Host::parse("other.example").expect("host"),
        ..all(None)
    };
    assert!(store.list(&elsewhere, 10).await.expect("list").is_empty());
    let mut running_ids = store.running().await.expect("running");
    running_ids.sort();
    assert_eq!(
        running_ids,
        [ids[1].clone(), ids[3].clone(), ids[5].clone()]
    );
}

async fn events_after_a_sequence_number_come_in_order_up_to_the_limit(b: Backend) {
    let (store, _dir) = fresh(b).await;
    let new = new_execution(1, 1_000, Status::Waiting);
    store.insert(&new).await.expect("insert");
    let id = &new.execution.id;
    for at in 2..=6 {
        let change = |current: &Execution| Ok(Some(noted(current, at * 1_000, "n", None)));
        store.update(id, &change).await.expect("update");
    }
    let seqs = |events: Vec<light_runbook::domain::execution::Event>| {
        events.iter().map(|e| e.seq).collect::<Vec<_>>()
    };
    assert_eq!(
        seqs(store.events(id, 0, 3).await.expect("events")),
        [1, 2, 3]
    );
    assert_eq!(
        seqs(store.events(id, 3, 10).await.expect("events")),
        [4, 5, 6]
    );
    assert!(store.events(id, 6, 10).await.expect("events").is_empty());
    let other = new_execution(2, 1_500, Status::Waiting);
    store.insert(&other).await.expect("insert");
    assert_eq!(
        seqs(
            store
                .events(&other.execution.id, 0, 10)
                .await
                .expect("events")
        ),
        [1]
    );
}

async fn only_escalations_still_notifying_are_listed_as_unnotified(b: Backend) {
    let (store, _dir) = fresh(b).await;
    let mut ids = Vec::new();
    for (n, status, notifying) in [
        (1, Status::Escalated, true),
        (2, Status::Escalated, false),
        (3, Status::Running, false),
        (4, Status::Escalated, true),
    ] {
        let mut new = new_execution(n, 1_000 + i64::from(n) * 1_000, status);
        new.execution.state.notifying = notifying;
        store.insert(&new).await.expect("insert");
        ids.push(new.execution.id);
    }
    assert_eq!(
        store.unnotified().await.expect("unnotified"),
        [ids[0].clone(), ids[3].clone()],
        "oldest first, and only the ones still notifying"
    );
    let notified = |current: &Execution| {
        let mut next = noted(current, 9_000, "told", None);
        next.execution.state.notifying = false;
        Ok(Some(next))
    };
    store.update(&ids[0], &notified).await.expect("update");
    assert_eq!(
        store.unnotified().await.expect("unnotified"),
        [ids[3].clone()]
    );
}

async fn the_unacknowledged_filter_keeps_open_executions_nobody_answers_for(b: Backend) {
    let (store, _dir) = fresh(b).await;
    let mut ids = Vec::new();
    for (n, status, responder) in [
        (1, Status::Waiting, None),
        (2, Status::NeedsAttention, Some("ada")),
        (3, Status::Resolved, None),
        (4, Status::Running, None),
        (5, Status::Escalated, None),
        (6, Status::NeedsAttention, None),
    ] {
        let mut new = new_execution(n, 1_000 + i64::from(n) * 1_000, status);
        new.execution.state.responder = responder.map(|uid| Responder {
            uid: uid.into(),
            since_ms: 1_000,
            acknowledged_ms: 1_000,
        });
        store.insert(&new).await.expect("insert");
        ids.push(new.execution.id);
    }
    let filter = |before| ExecutionFilter {
        host: host(),
        service: None,
        status: None,
        before,
        unacknowledged: true,
    };
    let listed: Vec<ExecutionId> = (store.list(&filter(None), 10).await.expect("list"))
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(
        listed,
        [ids[5].clone(), ids[3].clone(), ids[0].clone()],
        "open, no responder, newest first"
    );
    let page = store
        .list(&filter(Some(ids[3].clone())), 10)
        .await
        .expect("list");
    assert_eq!(page.len(), 1, "pages like any listing");
}

on_every_backend!(
    the_unacknowledged_filter_keeps_open_executions_nobody_answers_for,
    only_escalations_still_notifying_are_listed_as_unnotified,
    an_inserted_execution_reads_back_whole_with_its_events_numbered_from_one,
    an_update_appends_events_after_the_last_and_stores_the_new_state,
    a_refused_or_empty_update_leaves_the_store_unchanged,
    an_update_of_an_unknown_execution_is_not_found_and_writes_nothing,
    start_or_join_joins_only_an_open_execution_of_the_key_inside_the_window,
    a_refused_join_writes_nothing,
    concurrent_alerts_for_one_key_open_one_execution_and_join_it,
    listing_pages_newest_first_and_filters_by_host_service_and_status,
    events_after_a_sequence_number_come_in_order_up_to_the_limit,
);
