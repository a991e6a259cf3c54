//! The store's HTTP exchange replayed against the answers of ArangoDB 3.11,
//! 3.12 and 4.x as their documentation gives them (`stand_in.rs`): what it
//! sends (method, path, body, transaction header) and that it reads each
//! version's answers.

use std::time::Duration;

use serde_json::{Value, json};

use super::{
    ArangoOptions, ArangoStore, migrate, open, queries,
    schema::{COLLECTIONS, INDEXES},
    stand_in::{Seen, StandIn, VERSIONS},
};
use crate::{
    domain::{Host, ScopeId},
    store::{Store, StoreError},
};

pub(super) fn options() -> ArangoOptions {
    ArangoOptions {
        create_database: true,
        request_timeout: Duration::from_secs(20),
        ..ArangoOptions::default()
    }
}

/// A stand-in for `version` with the `runbook` database prepared by `migrate`.
pub(super) async fn prepared(version: &str) -> (StandIn, String, ArangoStore) {
    let (stand_in, base) = StandIn::start(version).await;
    let url = format!("{base}/runbook");
    migrate(&url, &options()).await.unwrap();
    let store = open(&url, &options()).await.unwrap();
    stand_in.world.lock().unwrap().seen.clear();
    (stand_in, url, store)
}

pub(super) fn calls(seen: &[Seen]) -> Vec<String> {
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
        let indexes: Vec<&Seen> = sent
            .iter()
            .filter(|s| s.method == "POST" && s.path.contains("_api/index"))
            .collect();
        assert_eq!(indexes.len(), INDEXES.len(), "{version}");
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
async fn migrating_an_earlier_schema_drops_its_obsolete_indexes_and_fills_in_new_attributes() {
    for version in VERSIONS {
        let (stand_in, base) = StandIn::start(version).await;
        let url = format!("{base}/runbook");
        {
            let mut world = stand_in.world.lock().unwrap();
            world.databases.insert("runbook".to_owned());
            world.collections = COLLECTIONS
                .iter()
                .map(|(n, e)| ((*n).to_owned(), if *e { 3 } else { 2 }))
                .collect();
            let old = ["history_by_host_object", "history_by_host_change"];
            world
                .indexes
                .insert("history".to_owned(), old.map(str::to_owned).to_vec());
            world.graph = true;
        }
        migrate(&url, &options()).await.unwrap();
        let history = stand_in.world.lock().unwrap().indexes["history"].clone();
        for gone in ["history_by_host_object", "history_by_host_change"] {
            assert!(!history.iter().any(|n| n == gone), "{version}: {history:?}");
        }
        let seen = stand_in.seen();
        let drops = seen.iter().filter(|s| s.method == "DELETE").count();
        assert_eq!(drops, 2, "{version}: {:?}", calls(&seen));
        for q in [&queries::BACKFILL_SORT_CODE, &queries::BACKFILL_RSEQ] {
            assert!(seen.iter().any(|s| s.body["query"] == q.text), "{}", q.name);
        }
        open(&url, &options()).await.unwrap();
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
