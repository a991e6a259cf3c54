//! How execution writes end when the server refuses one of their queries or
//! their caller gives up, replayed against the answers of ArangoDB 3.11,
//! 3.12 and 4.x (`stand_in.rs`): the transaction is aborted and nothing is
//! committed.

use std::sync::Arc;

use super::{
    ArangoExecutions, queries,
    replay_executions_tests::{ID, started},
    replay_tests::prepared,
    stand_in::{Seen, StandIn, VERSIONS},
};
use crate::{
    domain::execution::{Change, Execution, ExecutionId},
    store::{
        StoreError,
        executions::{AlertKey, ExecutionStore, WriteError},
    },
};

type Store = dyn ExecutionStore<()>;

const ABORT: (&str, &str) = ("DELETE", "/_db/runbook/_api/transaction/4711");

fn key(change: &Change) -> AlertKey {
    let ctx = &change.execution.state.context;
    AlertKey {
        host: ctx.host.clone(),
        service: ctx.service_id.clone(),
        code: ctx.error_code.clone(),
    }
}

fn committed(seen: &[Seen]) -> bool {
    (seen.iter()).any(|s| s.method == "PUT" && s.path.contains("/_api/transaction/"))
}

fn last_call(stand_in: &StandIn) -> (String, String) {
    let last = stand_in.seen().pop().unwrap();
    (last.method, last.path)
}

#[tokio::test]
async fn a_start_whose_write_the_server_refuses_is_aborted_and_commits_nothing() {
    let faults = [
        (queries::EXECUTION_INSERT.name, "resource_limit"),
        (queries::INSERT_MANY.name, "resource_limit"),
        (queries::ALERT_KEY.name, "collection_not_found"),
    ];
    for version in VERSIONS {
        for (query, answer) in faults {
            let (stand_in, _, store) = prepared(version).await;
            stand_in.world.lock().unwrap().failing.insert(query, answer);
            let store: Arc<Store> = Arc::new(ArangoExecutions::new(store));
            let new = started();
            let join = |_: &Execution| Ok(None);
            let result = store.start_or_join(&key(&new), 0, &new, &join).await;
            let case = format!("{version}, {query} answered {answer}");
            match (answer, result) {
                ("resource_limit", Err(WriteError::Store(StoreError::TooLarge { .. }))) => {}
                ("collection_not_found", Err(WriteError::Store(_))) => {}
                (_, other) => panic!("{case}: {other:?}"),
            }
            assert!(!committed(&stand_in.seen()), "{case}");
            let (method, path) = last_call(&stand_in);
            assert_eq!((method.as_str(), path.as_str()), ABORT, "{case}");
        }
    }
}

#[tokio::test]
async fn an_update_whose_caller_gives_up_mid_query_aborts_its_transaction() {
    for version in VERSIONS {
        let (stand_in, _, store) = prepared(version).await;
        let store: Arc<Store> = Arc::new(ArangoExecutions::new(store));
        let get = queries::EXECUTION_GET.name;
        stand_in.world.lock().unwrap().hanging.insert(get);
        let id = ExecutionId::parse(ID).unwrap();
        let change = |_: &Execution| -> Result<Option<Change>, ()> { panic!("never read") };
        let update = store.update(&id, &change);
        let hung = stand_in.wait_for(|s| s.body["query"] == queries::EXECUTION_GET.text);
        tokio::select! {
            result = update => panic!("{version}: the update ended: {result:?}"),
            () = hung => {}
        }
        // The update future is dropped here, waiting on the server.
        stand_in
            .wait_for(|s| (s.method.as_str(), s.path.as_str()) == ABORT)
            .await;
        assert!(!committed(&stand_in.seen()), "{version}");
    }
}
