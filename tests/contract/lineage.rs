//! `lineage_documents`: a scope and its transitive ancestors, in one round trip.

use std::{sync::Arc, time::Duration};

use light_runbook::{
    domain::{ScopeDocument, ScopeKind},
    store::Store,
};

use super::fixtures::{doc, doc_ids, host, id, sorted};

const HOST: &str = "acme.example";

/// ```text
///              framework
///             /         \
///          org           kafka-template
///           |                 |
///          lob                |
///         /    \              |
///   sibling     svc ----------+      (svc: parents [lob, kafka-template, ghost])
///                |
///              child
/// ```
/// `ghost` does not exist; `unrelated` has no parents.
fn graph() -> Vec<ScopeDocument> {
    vec![
        doc(HOST, "framework")
            .kind(ScopeKind::Framework)
            .procedure("restart", "Restart")
            .build(),
        doc(HOST, "org")
            .kind(ScopeKind::Organization)
            .parents(&["framework"])
            .entry("*", Some("restart"))
            .build(),
        doc(HOST, "lob")
            .kind(ScopeKind::LineOfBusiness)
            .parents(&["org"])
            .build(),
        doc(HOST, "kafka-template")
            .kind(ScopeKind::Template)
            .parents(&["framework"])
            .error_code("ERR10001", "LAG")
            .build(),
        doc(HOST, "svc")
            .parents(&["lob", "kafka-template", "ghost"])
            .removed_procedure("restart")
            .build(),
        doc(HOST, "sibling").parents(&["lob"]).build(),
        doc(HOST, "child").parents(&["svc"]).build(),
        doc(HOST, "unrelated").build(),
    ]
}

fn pick(docs: &[ScopeDocument], wanted: &[&str]) -> Vec<ScopeDocument> {
    sorted(
        docs.iter()
            .filter(|d| wanted.contains(&d.scope.id.as_str()))
            .cloned()
            .collect(),
    )
}

pub async fn the_lineage_is_the_scope_and_all_its_ancestors_only(store: Arc<dyn Store>) {
    let docs = graph();
    store.replace_documents(&docs).await.expect("replace");
    let h = host(HOST);

    let lineage = sorted(store.lineage_documents(&h, &id("svc")).await.expect("svc"));
    let expected = pick(&docs, &["framework", "kafka-template", "lob", "org", "svc"]);
    assert_eq!(
        doc_ids(&lineage),
        doc_ids(&expected),
        "diamond once, no sibling, child, ghost or unrelated"
    );
    assert_eq!(lineage, expected, "whole documents");

    let of_child = sorted(
        store
            .lineage_documents(&h, &id("child"))
            .await
            .expect("child"),
    );
    assert_eq!(
        doc_ids(&of_child),
        ["child", "framework", "kafka-template", "lob", "org", "svc"]
    );
    let of_org = sorted(store.lineage_documents(&h, &id("org")).await.expect("org"));
    assert_eq!(of_org, pick(&docs, &["framework", "org"]));
    let of_root = store
        .lineage_documents(&h, &id("unrelated"))
        .await
        .expect("unrelated");
    assert_eq!(of_root, pick(&docs, &["unrelated"]));

    // Fresh planner statistics (as after an import) change plans, not answers.
    store.refresh_statistics().await.expect("statistics");
    let again = sorted(store.lineage_documents(&h, &id("svc")).await.expect("svc"));
    assert_eq!(again, expected);
    let listed = sorted(
        store
            .documents(&h, &[id("org"), id("ghost"), id("svc")])
            .await
            .expect("documents"),
    );
    assert_eq!(listed, pick(&docs, &["org", "svc"]));
}

pub async fn the_lineage_stays_within_its_host(store: Arc<dyn Store>) {
    let mut docs = graph();
    // Another host with the same ids, where `svc` has other parents.
    let other = [
        doc("other.example", "svc")
            .parents(&["lob", "elsewhere"])
            .build(),
        doc("other.example", "elsewhere").build(),
        doc("other.example", "framework")
            .procedure("other", "Other")
            .build(),
    ];
    docs.extend(other.iter().cloned());
    store.replace_documents(&docs).await.expect("replace");

    let here = sorted(
        store
            .lineage_documents(&host(HOST), &id("svc"))
            .await
            .expect("here"),
    );
    assert_eq!(
        here,
        pick(
            &graph(),
            &["framework", "kafka-template", "lob", "org", "svc"]
        )
    );
    let there = sorted(
        store
            .lineage_documents(&host("other.example"), &id("svc"))
            .await
            .expect("there"),
    );
    assert_eq!(
        there,
        sorted(other[..2].to_vec()),
        "lob is not in that host; framework is not an ancestor there"
    );
    assert!(
        store
            .lineage_documents(&host("third.example"), &id("svc"))
            .await
            .expect("third")
            .is_empty()
    );
}

pub async fn the_lineage_of_an_unknown_scope_is_empty(store: Arc<dyn Store>) {
    store.replace_documents(&graph()).await.expect("replace");
    let h = host(HOST);
    assert!(
        store
            .lineage_documents(&h, &id("nobody"))
            .await
            .expect("unknown")
            .is_empty()
    );
    // Named as a parent, but never written: still unknown.
    assert!(
        store
            .lineage_documents(&h, &id("ghost"))
            .await
            .expect("ghost")
            .is_empty()
    );
}

pub async fn the_lineage_walk_terminates_on_a_cycle_of_stored_parents(store: Arc<dyn Store>) {
    // Validation is the caller's: the store keeps cycles it is given.
    let docs = vec![
        doc(HOST, "a").parents(&["b"]).build(),
        doc(HOST, "b").parents(&["c"]).build(),
        doc(HOST, "c").parents(&["a", "root"]).build(),
        doc(HOST, "root").build(),
        doc(HOST, "self").parents(&["self"]).build(),
        doc(HOST, "leaf").parents(&["a"]).build(),
    ];
    store.replace_documents(&docs).await.expect("replace");
    let h = host(HOST);
    let walk = |scope: &'static str| {
        let store = store.clone();
        let h = h.clone();
        async move {
            let found = tokio::time::timeout(
                Duration::from_secs(20),
                store.lineage_documents(&h, &id(scope)),
            )
            .await
            .unwrap_or_else(|_| panic!("the lineage walk from {scope} did not terminate"))
            .expect("lineage");
            sorted(found)
        }
    };
    assert_eq!(walk("a").await, pick(&docs, &["a", "b", "c", "root"]));
    assert_eq!(
        walk("leaf").await,
        pick(&docs, &["a", "b", "c", "leaf", "root"])
    );
    assert_eq!(walk("self").await, pick(&docs, &["self"]));
}
