//! Commits replayed against the answers of ArangoDB 3.11, 3.12 and 4.x as
//! their documentation gives them (`stand_in.rs`): one transaction, its id
//! on every request, and how a commit ends when the server or the store's
//! own bound refuses it, or its caller gives up.

use serde_json::{Value, json};

use super::{
    ArangoOptions, open, queries,
    replay_tests::{options, prepared},
    stand_in::{Seen, VERSIONS},
};
use crate::{
    domain::{
        Host, Patch, ProcedureChange, ProcedureKey, ProcedurePatch, Scope, ScopeContent,
        ScopeDocument, ScopeId, ScopeKind,
    },
    store::{Actor, ChangeSet, CommitError, Store, StoreError},
};

fn change(scope: &str) -> ChangeSet {
    let mut content = ScopeContent::default();
    let patch = ProcedurePatch {
        title: Patch::Set("Restart".to_owned()),
        ..ProcedurePatch::default()
    };
    content.procedures.insert(
        ProcedureKey::parse("p").unwrap(),
        ProcedureChange::Patch(patch),
    );
    let scope = Scope {
        host: Host::parse("h").unwrap(),
        id: ScopeId::parse(scope).unwrap(),
        name: scope.to_owned(),
        kind: ScopeKind::Service,
        parents: vec![],
        owners: vec![],
        contacts: vec![],
    };
    ChangeSet {
        put: vec![ScopeDocument { scope, content }],
        delete: vec![],
        expect: vec![],
        base: vec![],
        actor: Actor {
            uid: "u".to_owned(),
            at_ms: 1,
            operation: "test".to_owned(),
        },
    }
}

fn transaction_calls(seen: &[Seen]) -> (Vec<&Seen>, &Seen) {
    let inside: Vec<&Seen> = seen
        .iter()
        .filter(|s| s.path.ends_with("/_api/cursor"))
        .collect();
    (inside, seen.last().unwrap())
}

#[tokio::test]
async fn a_commit_is_one_transaction_whose_id_every_request_carries() {
    for version in VERSIONS {
        let (stand_in, _, store) = prepared(version).await;
        stand_in
            .world
            .lock()
            .unwrap()
            .rows
            .insert("next_change", vec![json!(7)]);
        let committed = store.commit(&change("a")).await.unwrap();
        assert_eq!(committed.change_id, 7, "{version}");
        let seen = stand_in.seen();
        assert_eq!(seen[0].path, "/_db/runbook/_api/transaction/begin");
        assert_eq!(
            seen[0].body,
            json!({
                "collections": {
                    "write": ["scopes", "procedures", "entries", "error_codes", "inherits", "branches", "history"],
                    "exclusive": ["counters", "hosts"],
                },
                "waitForSync": false,
                "allowImplicit": false,
                "lockTimeout": 10.0,
            })
        );
        let (inside, last) = transaction_calls(&seen);
        assert!(inside.len() > 5);
        assert!(inside.iter().all(|s| s.trx.as_deref() == Some("4711")));
        assert_eq!(
            (last.method.as_str(), last.path.as_str()),
            ("PUT", "/_db/runbook/_api/transaction/4711")
        );
        let inserted: Vec<&Value> = (inside.iter())
            .filter(|s| s.body["query"] == queries::INSERT_MANY.text)
            .flat_map(|s| s.body["bindVars"]["docs"].as_array().unwrap())
            .collect();
        assert!(
            inserted.iter().any(|d| d["sort_id"] == "61"),
            "{inserted:?}"
        );
        let history: Vec<&&Value> = inserted.iter().filter(|d| d.get("seq").is_some()).collect();
        assert!(!history.is_empty());
        for d in history {
            assert_eq!(
                d["rseq"].as_i64().unwrap(),
                -d["seq"].as_i64().unwrap(),
                "{d}"
            );
        }
    }
}

#[tokio::test]
async fn a_commit_past_the_servers_resource_limit_is_aborted_with_a_clear_error() {
    for version in VERSIONS {
        let (stand_in, _, store) = prepared(version).await;
        {
            let mut world = stand_in.world.lock().unwrap();
            world.rows.insert("next_change", vec![json!(7)]);
            world.failing.insert("insert_many", "resource_limit");
        }
        match store.commit(&change("a")).await {
            Err(CommitError::Store(StoreError::TooLarge { message, .. })) => {
                assert!(
                    message.contains("streaming-max-transaction-size"),
                    "{message}"
                );
            }
            other => panic!("{version}: {other:?}"),
        }
        let last = stand_in.seen().pop().unwrap();
        assert_eq!(
            (last.method.as_str(), last.path.as_str()),
            ("DELETE", "/_db/runbook/_api/transaction/4711")
        );
    }
}

#[tokio::test]
async fn a_commit_past_the_stores_bound_is_refused_before_any_write() {
    let (stand_in, url, _) = prepared("3.12").await;
    let small = ArangoOptions {
        max_commit_bytes: 200,
        ..options()
    };
    let store = open(&url, &small).await.unwrap();
    stand_in
        .world
        .lock()
        .unwrap()
        .rows
        .insert("next_change", vec![json!(7)]);
    stand_in.world.lock().unwrap().seen.clear();
    match store.commit(&change("a")).await {
        Err(CommitError::Store(refused @ StoreError::TooLarge { .. })) => {
            assert!(
                refused.to_string().contains("max_commit_bytes"),
                "{refused}"
            );
            // The caller is told which bound, as LIMIT_EXCEEDED, not INTERNAL.
            let answered = crate::error::ApiError::from(refused);
            assert_eq!(answered.code.as_str(), "LIMIT_EXCEEDED");
            assert!(
                answered.message.contains("max_commit_bytes"),
                "{}",
                answered.message
            );
        }
        other => panic!("{other:?}"),
    }
    let seen = stand_in.seen();
    let writes = (seen.iter()).filter(|s| {
        [
            &queries::INSERT_MANY,
            &queries::REMOVE_OWNED,
            &queries::REMOVE_SCOPES,
        ]
        .iter()
        .any(|q| s.body["query"] == q.text)
    });
    assert_eq!(writes.count(), 0);
    assert_eq!(seen.last().unwrap().method, "DELETE");
}

#[tokio::test]
async fn a_commit_whose_caller_gives_up_mid_query_aborts_its_transaction() {
    let (stand_in, _, store) = prepared("4.x").await;
    stand_in.world.lock().unwrap().hanging.insert("next_change");
    let commit = change("a");
    let hung = stand_in.wait_for(|s| s.body["query"] == queries::NEXT_CHANGE.text);
    tokio::select! {
        result = store.commit(&commit) => panic!("the commit ended: {result:?}"),
        () = hung => {}
    }
    // The commit future is dropped here, waiting on the server.
    stand_in
        .wait_for(|s| s.method == "DELETE" && s.path == "/_db/runbook/_api/transaction/4711")
        .await;
    let put = stand_in
        .seen()
        .iter()
        .any(|s| s.method == "PUT" && s.path.contains("transaction"));
    assert!(!put, "nothing was committed");
}
