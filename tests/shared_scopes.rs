//! Decoded scope documents shared between lineages, over HTTP on every
//! backend: a first ask for a service costs one store round trip; a second
//! service under the same platform costs one too and decodes only its own
//! document; a write to a platform scope (or a delete) is seen by the very
//! next first ask, and the answers equal a resolution without any cache.
//!
//! The tests read the process-wide `/metrics`, so they take turns.

mod common;

use std::collections::BTreeMap;

use common::{Backend, TestApp};
use light_runbook::{
    domain::{ScopeDocument, ScopeId},
    runbooks::Runbooks,
};
use serde_json::{Value, json};
use tokio::sync::Mutex;

static TURNS: Mutex<()> = Mutex::const_new(());

const RUNBOOK: &str =
    "query($s: String!) { runbook(serviceId: $s) { procedures { key body } lineage { id name } } }";

/// A platform `s0`..`s4` (`s0` holding 30 procedures) and services `svc-0`..
/// `svc-{n-1}` directly under `s4`, each setting `p-0`'s body to its own id.
async fn platform(backend: Backend, services: usize) -> (TestApp, Vec<ScopeDocument>) {
    let app = common::spawn_app_on(backend, false, |_| {}).await;
    let mut docs = common::seed_chain(&app, 5, 30).await;
    let template = docs[4].clone();
    let mut added = Vec::new();
    for i in 0..services {
        let mut doc = template.clone();
        doc.scope.id = ScopeId::parse(format!("svc-{i}")).expect("id");
        doc.scope.name = format!("service {i}");
        doc.scope.parents = vec![template.scope.id.clone()];
        for change in doc.content.procedures.values_mut() {
            if let light_runbook::domain::ProcedureChange::Patch(p) = change {
                p.body = light_runbook::domain::Patch::Set(format!("svc-{i}"));
            }
        }
        added.push(doc);
    }
    app.runbooks
        .store()
        .replace_documents(&added)
        .await
        .expect("seeded");
    docs.extend(added);
    (app, docs)
}

/// `runbook_shared_documents_decoded_total` as `/metrics` reports it.
async fn decoded(app: &TestApp) -> u64 {
    let text = app.client.get(app.url("/metrics")).send().await;
    let text = text.expect("sent").text().await.expect("text");
    text.lines()
        .filter(|l| l.starts_with("runbook_shared_documents_decoded_total"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .map(|n| n as u64)
        .sum()
}

/// The answer to a first ask for `service`, with the store round trips and
/// the documents decoded it cost.
async fn ask(app: &TestApp, service: &str) -> (Value, BTreeMap<&'static str, u64>, u64) {
    let (trips, docs) = (app.runbooks.round_trips().by_method(), decoded(app).await);
    let answer = app.graphql(RUNBOOK, json!({ "s": service })).await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    let mut spent = app.runbooks.round_trips().by_method();
    for (method, n) in &trips {
        if let Some(s) = spent.get_mut(method) {
            *s -= n;
        }
    }
    spent.retain(|_, n| *n > 0);
    (
        answer["data"]["runbook"].clone(),
        spent,
        decoded(app).await - docs,
    )
}

/// `(key, body)` of each procedure of an answer.
fn procedures(answer: &Value) -> Vec<(String, Option<String>)> {
    let ps = answer["procedures"].as_array().expect("procedures");
    ps.iter()
        .map(|p| {
            let body = p["body"].as_str().map(str::to_owned);
            (p["key"].as_str().unwrap_or_default().to_owned(), body)
        })
        .collect()
}

/// The same service resolved with no cache at all, as `(key, body)`.
async fn uncached(app: &TestApp, service: &str) -> Vec<(String, Option<String>)> {
    let runbooks = Runbooks::new(app.runbooks.store().clone(), common::host());
    let id = ScopeId::parse(service).expect("id");
    let rb = runbooks.runbook(&common::host(), &id, None).await;
    let rb = rb.expect("resolves");
    (rb.procedures.iter())
        .map(|p| (p.key.as_str().to_owned(), p.body.clone()))
        .collect()
}

fn one(method: &'static str) -> BTreeMap<&'static str, u64> {
    BTreeMap::from([(method, 1)])
}

async fn a_sibling_under_a_known_platform_decodes_only_its_own_document(backend: Backend) {
    let _turn = TURNS.lock().await;
    let (app, _) = platform(backend, 4).await;
    let (first, trips, docs) = ask(&app, "svc-0").await;
    assert_eq!(
        trips,
        one("lineage_shared"),
        "a first ask is one round trip"
    );
    assert_eq!(docs, 6, "the first service of a platform decodes all six");
    assert_eq!(procedures(&first), uncached(&app, "svc-0").await);
    for service in ["svc-1", "svc-2", "svc-3"] {
        let (answer, trips, docs) = ask(&app, service).await;
        assert_eq!(trips, one("lineage_shared"), "{service}: one round trip");
        assert_eq!(docs, 1, "{service}: only its own document is decoded");
        assert_eq!(procedures(&answer), uncached(&app, service).await);
        assert_eq!(answer["lineage"][0]["id"], service);
        assert_eq!(answer["lineage"].as_array().map(Vec::len), Some(6));
    }
    // An unknown service costs one round trip and is NOT_FOUND.
    let before = app.runbooks.round_trips().of("lineage_shared");
    let missing = app.graphql(RUNBOOK, json!({ "s": "svc-none" })).await;
    assert_eq!(missing["errors"][0]["extensions"]["code"], "NOT_FOUND");
    assert_eq!(app.runbooks.round_trips().of("lineage_shared"), before + 1);
}

async fn a_write_to_a_platform_scope_is_seen_by_the_very_next_first_ask(backend: Backend) {
    let _turn = TURNS.lock().await;
    let (app, _) = platform(backend, 5).await;
    ask(&app, "svc-0").await;
    let add = "mutation { createProcedure(scopeId: \"s0\", key: \"added\", input: { title: \"Added\", kind: STEP }) { changeId } }";
    let written = app.graphql(add, json!({})).await;
    assert!(written.get("errors").is_none(), "{written:#}");
    let (answer, trips, docs) = ask(&app, "svc-1").await;
    assert_eq!(trips, one("lineage_shared"));
    assert_eq!(docs, 2, "the changed platform scope and the service");
    let keys: Vec<String> = procedures(&answer).into_iter().map(|(k, _)| k).collect();
    assert!(keys.contains(&"added".to_owned()), "{keys:?}");
    assert_eq!(procedures(&answer), uncached(&app, "svc-1").await);
    // A change that only deletes is seen too.
    let delete = "mutation { deleteProcedure(scopeId: \"s0\", key: \"added\") { changeId } }";
    let deleted = app.graphql(delete, json!({})).await;
    assert!(deleted.get("errors").is_none(), "{deleted:#}");
    for service in ["svc-2", "svc-4"] {
        let (answer, trips, _) = ask(&app, service).await;
        assert_eq!(trips, one("lineage_shared"), "{service}");
        let keys: Vec<String> = procedures(&answer).into_iter().map(|(k, _)| k).collect();
        assert!(!keys.contains(&"added".to_owned()), "{service}: {keys:?}");
        assert_eq!(procedures(&answer), uncached(&app, service).await);
    }
    // A rename of the most general scope, straight to the store.
    let mut root = app
        .runbooks
        .store()
        .documents(&common::host(), &[ScopeId::parse("s0").expect("id")])
        .await
        .expect("read");
    root[0].scope.name = "renamed".to_owned();
    app.runbooks
        .store()
        .replace_documents(&root)
        .await
        .expect("written");
    let (answer, _, docs) = ask(&app, "svc-3").await;
    assert_eq!(answer["lineage"][5]["name"], "renamed");
    assert_eq!(docs, 2, "the renamed scope and the service");
}

on_every_backend!(
    a_sibling_under_a_known_platform_decodes_only_its_own_document,
    a_write_to_a_platform_scope_is_seen_by_the_very_next_first_ask,
);
