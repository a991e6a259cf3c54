//! The store's HTTP exchange replayed against the recorded answers of
//! ArangoDB 3.11, 3.12 and 4.x (`stand_in.rs`): what it sends (method,
//! path, body, transaction header) and that it reads each version's answers.

use std::time::Duration;

use serde_json::{Value, json};

use super::{
    ArangoOptions, ArangoStore, migrate, open, queries,
    schema::{COLLECTIONS, INDEXES},
    stand_in::{Seen, StandIn, VERSIONS},
};
use crate::{
    domain::{
        Host, Patch, ProcedureChange, ProcedureKey, ProcedurePatch, Scope, ScopeContent,
        ScopeDocument, ScopeId, ScopeKind,
    },
    store::{Actor, ChangeSet, CommitError, Store, StoreError},
};

fn options() -> ArangoOptions {
    ArangoOptions {
        create_database: true,
        request_timeout: Duration::from_secs(20),
        ..ArangoOptions::default()
    }
}

/// A stand-in for `version` with the `runbook` database prepared by `migrate`.
async fn prepared(version: &str) -> (StandIn, String, ArangoStore) {
    let (stand_in, base) = StandIn::start(version).await;
    let url = format!("{base}/runbook");
    migrate(&url, &options()).await.unwrap();
    let store = open(&url, &options()).await.unwrap();
    stand_in.world.lock().unwrap().seen.clear();
    (stand_in, url, store)
}

fn calls(seen: &[Seen]) -> Vec<String> {
    seen.iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect()
}

fn is_cursor_put(s: &Seen) -> bool {
    s.method == "PUT" && s.path.contains("/_api/cursor/")
}

#[tokio::test]
async fn migrate_creates_the_database_and_schema_and_open_only_reads() {
    for version in VERSIONS {
        let (stand_in, base) = StandIn::start(version).await;
        let url = format!("{base}/runbook");
        migrate(&url, &options()).await.unwrap();
        let sent = stand_in.seen();
        let paths = calls(&sent);
        assert!(paths.contains(&"POST /_db/_system/_api/database".to_owned()));
        let created: Vec<&Seen> = sent
            .iter()
            .filter(|s| s.path == "/_db/runbook/_api/collection")
            .collect();
        assert_eq!(created.len(), COLLECTIONS.len(), "{version}");
        for ((name, edge), s) in COLLECTIONS.iter().zip(&created) {
            assert_eq!(
                s.body,
                json!({ "name": name, "type": if *edge { 3 } else { 2 } })
            );
        }
        let indexes = sent
            .iter()
            .filter(|s| s.method == "POST" && s.path.contains("_api/index"));
        for ((collection, name, fields, unique), s) in INDEXES.iter().zip(indexes) {
            assert_eq!(
                s.path,
                format!("/_db/runbook/_api/index?collection={collection}")
            );
            assert_eq!(s.body["name"], *name);
            assert_eq!(s.body["fields"], json!(fields));
            assert_eq!(
                (s.body["type"].clone(), s.body["unique"].clone()),
                (json!("persistent"), json!(unique))
            );
        }
        assert!(paths.contains(&"POST /_db/runbook/_api/gharial".to_owned()));

        stand_in.world.lock().unwrap().seen.clear();
        open(&url, &options()).await.unwrap();
        let reads = stand_in.seen();
        assert!(
            reads.iter().all(|s| s.method == "GET"),
            "{:?}",
            calls(&reads)
        );
        assert!(calls(&reads).contains(&"GET /_db/runbook/_api/database/current".to_owned()));

        // Migrating again changes nothing and succeeds.
        migrate(&url, &options()).await.unwrap();
        super::drop_database(&url, &options()).await.unwrap();
        assert!(
            stand_in.world.lock().unwrap().databases.is_empty(),
            "{version}"
        );
    }
}

#[tokio::test]
async fn opening_an_unprepared_database_names_migrate_and_writes_nothing() {
    for version in VERSIONS {
        let (stand_in, base) = StandIn::start(version).await;
        let url = format!("{base}/runbook");
        match open(&url, &options()).await {
            Err(StoreError::Config(m)) => assert!(m.contains("does not exist"), "{m}"),
            other => panic!("{version}: {other:?}"),
        }
        stand_in
            .world
            .lock()
            .unwrap()
            .databases
            .insert("runbook".to_owned());
        match open(&url, &options()).await {
            Err(StoreError::Config(m)) => {
                assert!(
                    m.contains("collection scopes") && m.contains("light-runbook migrate"),
                    "{m}"
                );
            }
            other => panic!("{version}: {other:?}"),
        }
        migrate(&url, &options()).await.unwrap();
        stand_in.world.lock().unwrap().indexes.remove("history");
        match open(&url, &options()).await {
            Err(StoreError::Config(m)) => assert!(m.contains("index history_by_host_order"), "{m}"),
            other => panic!("{version}: {other:?}"),
        }
        stand_in.world.lock().unwrap().graph = false;
        stand_in.world.lock().unwrap().seen.clear();
        match open(&url, &options()).await {
            Err(StoreError::Config(m)) => assert!(m.contains("index history_by_host_order"), "{m}"),
            other => panic!("{version}: {other:?}"),
        }
        let seen = stand_in.seen();
        assert!(seen.iter().all(|s| s.method == "GET"), "{:?}", calls(&seen));
    }
}

#[tokio::test]
async fn a_cursor_is_read_to_its_end_with_post_and_deleted_when_a_batch_fails() {
    for version in VERSIONS {
        let (stand_in, _, store) = prepared(version).await;
        let hosts: Vec<Value> = (0..2500).map(|i| json!(format!("h{i:04}"))).collect();
        stand_in.world.lock().unwrap().rows.insert("hosts", hosts);
        let found = store.hosts().await.unwrap();
        assert_eq!(found.len(), 2500, "{version}");
        let seen = stand_in.seen();
        assert_eq!(
            calls(&seen),
            [
                "POST /_db/runbook/_api/cursor",
                "POST /_db/runbook/_api/cursor/1046",
                "POST /_db/runbook/_api/cursor/1046",
            ]
        );
        assert!(!seen.iter().any(is_cursor_put));

        let mut bad: Vec<Value> = (0..1500).map(|i| json!(format!("h{i:04}"))).collect();
        bad[3] = json!("not a host!");
        stand_in.world.lock().unwrap().rows.insert("hosts", bad);
        match store.hosts().await {
            Err(StoreError::Corrupt { .. }) => {}
            other => panic!("{version}: {other:?}"),
        }
        let last = stand_in.seen().pop().unwrap();
        assert_eq!(
            (last.method.as_str(), last.path.as_str()),
            ("DELETE", "/_db/runbook/_api/cursor/1046")
        );
        assert!(stand_in.world.lock().unwrap().cursors.is_empty());
        // The server still answers the next caller.
        store.ping().await.unwrap();
    }
}

#[tokio::test]
async fn every_query_is_bounded_in_time_and_only_the_lineage_tolerates_warnings() {
    let (stand_in, _, store) = prepared("4.x").await;
    store.ping().await.unwrap();
    let host = Host::parse("h").unwrap();
    store
        .lineage_documents(&host, &ScopeId::parse("a").unwrap())
        .await
        .unwrap();
    let seen = stand_in.seen();
    let (ping, lineage) = (&seen[0].body, &seen[1].body);
    assert_eq!(ping["query"], queries::PING.text);
    let runtime = |body: &Value| body["options"]["maxRuntime"].as_f64().unwrap();
    assert!((runtime(ping) - 18.0).abs() < 1e-6, "{ping}");
    assert!((runtime(lineage) - 18.0).abs() < 1e-6, "{lineage}");
    assert_eq!(ping["options"].get("failOnWarning"), None);
    assert_eq!(lineage["options"]["failOnWarning"], false);
    assert!(lineage["query"].as_str().unwrap().contains("WITH scopes"));
    assert_eq!(lineage["bindVars"]["start"], "scopes/h:a");
}

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
            Err(CommitError::Store(StoreError::Query { message, .. })) => {
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
        Err(CommitError::Store(StoreError::Query {
            context: "commit",
            message,
            ..
        })) => {
            assert!(message.contains("max_commit_bytes"), "{message}");
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
