//! The read path's performance contract, asserted as behaviour (not time):
//! a `runbook` request costs a constant number of store round trips whatever
//! the lineage's depth and the tree's size; the effective-runbook cache never
//! serves stale content, also across two server processes sharing one
//! PostgreSQL; generated datasets are deterministic and resolve.
//!
//! PostgreSQL comes from `RUNBOOK_TEST_POSTGRES_URL` (run through
//! `scripts/with-postgres.sh cargo test --test perf`); without it the
//! PostgreSQL test fails.

mod common;

use std::{collections::BTreeMap, sync::Arc};

use light_runbook::{
    domain::{ErrorCode, Host, ScopeId},
    runbooks::Runbooks,
    store::{self, Store, StoreOptions},
    writes::import::check_import,
};
use serde_json::{Value, json};

use common::binary::Server;

fn id(s: &str) -> ScopeId {
    ScopeId::parse(s).expect("scope id")
}

/// The store round trips `runbooks` made during `f`, by method.
async fn trips<F: Future>(runbooks: &Runbooks, f: F) -> (BTreeMap<&'static str, u64>, F::Output) {
    let before = runbooks.round_trips().by_method();
    let out = f.await;
    let mut after = runbooks.round_trips().by_method();
    for (method, n) in &before {
        if let Some(a) = after.get_mut(method) {
            *a -= n;
        }
    }
    after.retain(|_, n| *n > 0);
    (after, out)
}

#[tokio::test]
async fn a_runbook_request_costs_constant_round_trips_whatever_the_depth_and_tree_size() {
    let code = ErrorCode::parse("ERR10001").expect("code");
    let mut seen = Vec::new();
    for (depth, procedures) in [(2, 10), (2, 300), (6, 10), (6, 300)] {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("perf.db").display());
        let store = store::open(&url, &StoreOptions::default())
            .await
            .expect("store");
        let docs = light_runbook_bench::chain(&common::host(), depth, procedures).expect("ids");
        store.replace_documents(&docs).await.expect("seeded");
        let service = docs[depth - 1].scope.id.clone();
        let host = common::host();
        let cold = Runbooks::new(store.clone(), host.clone());
        let cached = Runbooks::new(store.clone(), host.clone()).with_cache(1 << 20);
        let mut costs = Vec::new();
        for code in [None, Some(&code)] {
            let (off, rb) = trips(&cold, cold.runbook(&host, &service, code)).await;
            assert_eq!(rb.expect("resolves").lineage.len(), depth);
            let (miss, first) = trips(&cached, cached.runbook(&host, &service, code)).await;
            let (hit, rb) = trips(&cached, cached.runbook(&host, &service, code)).await;
            let rb = rb.expect("resolves");
            // A hit is the cached runbook itself, indexed once: no copy.
            assert!(
                Arc::ptr_eq(&first.expect("resolves"), &rb),
                "{depth} {code:?}"
            );
            assert_eq!(
                rb.procedures[0].body.as_deref(),
                Some(&*format!("s{}", depth - 1))
            );
            costs.push((off, miss, hit));
        }
        // A write to the root makes the next request reload, and see it.
        let mut root = docs[0].clone();
        root.scope.name = "renamed root".to_owned();
        store.replace_documents(&[root]).await.expect("written");
        let (stale, rb) = trips(&cached, cached.runbook(&host, &service, None)).await;
        assert_eq!(
            rb.expect("resolves").lineage[depth - 1].name,
            "renamed root"
        );
        seen.push((depth, procedures, costs, stale));
    }
    let one = |m: &'static str| BTreeMap::from([(m, 1)]);
    for (depth, procedures, costs, stale) in &seen {
        for (off, miss, hit) in costs {
            assert_eq!(
                off,
                &one("lineage_documents"),
                "cache off, {depth} levels, {procedures} procedures"
            );
            assert_eq!(
                miss,
                &one("lineage_shared"),
                "cold, {depth} levels, {procedures} procedures"
            );
            assert_eq!(
                hit,
                &one("generation"),
                "cache hit, {depth} levels, {procedures} procedures"
            );
        }
        // After a write the entry is stale (a version check, then the
        // lineage), or already evicted by the bounded cache (the lineage
        // alone): never more than two round trips, never the stale answer.
        let both = BTreeMap::from([("generation", 1), ("lineage_shared", 1)]);
        assert!(
            stale == &both || stale == &one("lineage_shared"),
            "after a write, {depth} levels, {procedures} procedures: {stale:?}"
        );
    }
}

const RUNBOOK: &str =
    "query($s: String!) { runbook(serviceId: $s) { procedures { key body } lineage { name } } }";

fn keys(data: &Value) -> Vec<String> {
    data["runbook"]["procedures"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter_map(|p| p["key"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_write_to_any_scope_of_the_lineage_shows_on_the_very_next_request() {
    let app = common::spawn_app(false, |_| {}).await;
    let docs = common::seed_chain(&app, 6, 10).await;
    let service = json!({ "s": "s5" });
    for (i, doc) in docs.iter().enumerate() {
        // Cached first, then a procedure added to scope i through the API.
        assert!(!keys(&app.data(RUNBOOK, service.clone()).await).contains(&format!("added-{i}")));
        let add = "mutation($s: String!, $k: String!) { createProcedure(scopeId: $s, key: $k, input: { title: \"Added\", kind: STEP }) { changeId } }";
        app.data(
            add,
            json!({ "s": doc.scope.id.as_str(), "k": format!("added-{i}") }),
        )
        .await;
        assert!(
            keys(&app.data(RUNBOOK, service.clone()).await).contains(&format!("added-{i}")),
            "scope {i}"
        );
        // Then through the store: the scope is renamed.
        let mut renamed = doc.clone();
        renamed.scope.name = format!("renamed {i}");
        let current = app
            .runbooks
            .store()
            .documents(&common::host(), std::slice::from_ref(&doc.scope.id))
            .await
            .expect("read");
        renamed.content = current[0].content.clone();
        app.runbooks
            .store()
            .replace_documents(&[renamed])
            .await
            .expect("written");
        let names = app.data(RUNBOOK, service.clone()).await["runbook"]["lineage"].to_string();
        assert!(
            names.contains(&format!("renamed {i}")),
            "scope {i}: {names}"
        );
    }
}

#[test]
fn generated_datasets_are_deterministic_and_resolve() {
    let host = common::host();
    let params = light_runbook_bench::Params {
        services: 60,
        ..light_runbook_bench::Size::Small.params()
    };
    let docs = light_runbook_bench::documents(params, 42, &host).expect("generated");
    assert_eq!(
        docs,
        light_runbook_bench::documents(params, 42, &host).expect("generated")
    );
    assert_ne!(
        docs,
        light_runbook_bench::documents(params, 43, &host).expect("generated")
    );
    let plan = futures::executor::block_on(check_import(None, &docs)).expect("checked");
    let report = &plan.reports[&host];
    assert!(
        report.errors.is_empty() && report.warnings.is_empty(),
        "{report:?}"
    );
    assert_eq!(report.affected_services.len(), 60);
}

fn serve(store_url: &str) -> Server {
    common::binary::serve(store_url, std::iter::empty::<&str>())
}

async fn query(client: &reqwest::Client, server: &Server, q: &str, vars: Value) -> Value {
    let response: Value = client
        .post(format!("{}/graphql", server.base))
        .json(&json!({ "query": q, "variables": vars }))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"].clone()
}

/// `store_round_trips_total{backend="postgres",method=…}` as the server's `/metrics` reports it.
async fn counted(client: &reqwest::Client, server: &Server, method: &str) -> u64 {
    let wanted = format!("method=\"{method}\"");
    metric(client, server, "store_round_trips_total{", &wanted).await
}

/// The sum of the server's `/metrics` samples whose line starts with `name`
/// and contains `label`.
async fn metric(client: &reqwest::Client, server: &Server, name: &str, label: &str) -> u64 {
    let text = client
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("text");
    text.lines()
        .filter(|l| l.starts_with(name) && l.contains(label))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .map(|n| n as u64)
        .sum()
}

#[tokio::test]
async fn two_servers_sharing_postgres_see_each_others_writes_at_once() {
    let admin = std::env::var("RUNBOOK_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!("RUNBOOK_TEST_POSTGRES_URL is not set: run `scripts/with-postgres.sh cargo test --test perf`")
    });
    let name = format!("runbook_perf_{}", std::process::id());
    let drop_db = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    for statement in [drop_db.clone(), format!("CREATE DATABASE {name}")] {
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
            .await
            .expect("admin");
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(&mut conn)
            .await
            .expect("admin statement");
    }
    let mut url = url::Url::parse(&admin).expect("URL");
    url.set_path(&format!("/{name}"));
    let store: Arc<dyn Store> = store::open(url.as_str(), &StoreOptions::default())
        .await
        .expect("store");
    let docs = light_runbook_bench::chain(&common::host(), 6, 10).expect("ids");
    // A sibling of s5 under the same platform, asked about only at the end.
    let mut sibling = docs[5].clone();
    sibling.scope.id = id("t5");
    store.replace_documents(&docs).await.expect("seeded");
    store.replace_documents(&[sibling]).await.expect("seeded");
    let (a, b) = (serve(url.as_str()), serve(url.as_str()));
    let client = reqwest::Client::new();
    let service = json!({ "s": "s5" });
    for server in [&a, &b] {
        query(&client, server, RUNBOOK, service.clone()).await;
    }
    // A cache hit on B costs one generation check and nothing else.
    let (gens, loads) = (
        counted(&client, &b, "generation").await,
        counted(&client, &b, "lineage_shared").await,
    );
    query(&client, &b, RUNBOOK, service.clone()).await;
    assert_eq!(counted(&client, &b, "generation").await, gens + 1);
    assert_eq!(counted(&client, &b, "lineage_shared").await, loads);
    for (i, doc) in docs.iter().enumerate() {
        let (writer, reader) = if i % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let add = "mutation($s: String!, $k: String!) { createProcedure(scopeId: $s, key: $k, input: { title: \"Added\", kind: STEP }) { changeId } }";
        query(
            &client,
            writer,
            add,
            json!({ "s": doc.scope.id.as_str(), "k": format!("added-{i}") }),
        )
        .await;
        let seen = keys(&query(&client, reader, RUNBOOK, service.clone()).await);
        assert!(
            seen.contains(&format!("added-{i}")),
            "scope {i} written through one server, read through the other: {seen:?}"
        );
    }
    // B holds the platform's documents decoded (from s5's reads). A write to
    // a platform scope through A is seen by B's very first ask for the
    // sibling, which decodes only what changed and the sibling itself.
    query(
        &client,
        &a,
        "mutation { createProcedure(scopeId: \"s2\", key: \"platform-wide\", input: { title: \"Added\", kind: STEP }) { changeId } }",
        json!({}),
    )
    .await;
    let decoded = "runbook_shared_documents_decoded_total";
    let (loads, before) = (
        counted(&client, &b, "lineage_shared").await,
        metric(&client, &b, decoded, "").await,
    );
    let sibling = keys(&query(&client, &b, RUNBOOK, json!({ "s": "t5" })).await);
    assert!(sibling.contains(&"platform-wide".to_owned()), "{sibling:?}");
    assert_eq!(counted(&client, &b, "lineage_shared").await, loads + 1);
    assert_eq!(
        metric(&client, &b, decoded, "").await,
        before + 2,
        "s2 and t5"
    );
    let mut root = docs[0].clone();
    root.scope.name = "renamed in the store".to_owned();
    root.content = store
        .documents(&Host::parse("lightapi.net").expect("host"), &[id("s0")])
        .await
        .expect("read")[0]
        .content
        .clone();
    store.replace_documents(&[root]).await.expect("written");
    for server in [&a, &b] {
        let lineage = query(&client, server, RUNBOOK, service.clone()).await["runbook"]["lineage"]
            .to_string();
        assert!(lineage.contains("renamed in the store"), "{lineage}");
    }
    std::mem::drop((a, b));
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
        .await
        .expect("admin");
    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(drop_db))
        .execute(&mut conn)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_share_version_checks_and_see_every_earlier_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("perf.db").display());
    let store = store::open(&url, &StoreOptions::default())
        .await
        .expect("store");
    let mut docs = light_runbook_bench::chain(&common::host(), 3, 10).expect("ids");
    store.replace_documents(&docs).await.expect("seeded");
    let (host, service) = (common::host(), id("s2"));
    let runbooks = Runbooks::new(store.clone(), host.clone()).with_cache(1 << 20);
    let mut requests = 0;
    for round in 0..20 {
        docs[0].scope.name = format!("round {round}");
        store.replace_documents(&docs[..1]).await.expect("written");
        let reads = (0..16).map(|_| {
            let (runbooks, host, service) = (runbooks.clone(), host.clone(), service.clone());
            tokio::spawn(async move { runbooks.runbook(&host, &service, None).await })
        });
        for read in futures::future::join_all(reads).await {
            let rb = read.expect("joined").expect("resolves");
            assert_eq!(rb.lineage[2].name, format!("round {round}"));
            requests += 1;
        }
    }
    let checks = runbooks.round_trips().of("generation");
    assert!(
        checks <= requests,
        "{checks} checks for {requests} requests"
    );
}
