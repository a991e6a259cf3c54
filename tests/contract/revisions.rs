//! Revisions of objects, as the store reports them and as the scope row
//! stores them, and snapshots of a host.

use std::sync::Arc;

use light_runbook::{
    domain::{ObjectRef, objects},
    store::{Snapshot, Store},
};

use super::{
    Backdoor,
    fixtures::{change, doc, host, id},
};

const HOST: &str = "acme.example";
const OTHER: &str = "other.example";

pub async fn revisions_start_at_the_creating_change_and_move_only_for_changed_objects(
    store: Arc<dyn Store>,
) {
    let (h, svc_id) = (host(HOST), id("svc"));
    assert!(store.revisions(&h, &svc_id).await.expect("none").is_empty());
    let v1 = doc(HOST, "svc")
        .procedure("p", "P")
        .procedure("q", "Q")
        .branch("p", "next", "q")
        .entry("*", Some("p"))
        .error_code("ERR10001", "E")
        .build();
    let c1 = change().put(&v1).commit(store.as_ref()).await.change_id;
    let at = |rev: u64| -> Vec<(ObjectRef, u64)> {
        objects(&v1).into_iter().map(|o| (o, rev)).collect()
    };
    assert_eq!(store.revisions(&h, &svc_id).await.expect("v1"), at(c1));

    let v2 = doc(HOST, "svc")
        .procedure("p", "P changed")
        .procedure("q", "Q")
        .branch("p", "next", "q")
        .entry("*", Some("p"))
        .error_code("ERR10001", "E")
        .build();
    let c2 = change().put(&v2).commit(store.as_ref()).await.change_id;
    let mut expected = at(c1);
    expected[1].1 = c2;
    assert_eq!(store.revisions(&h, &svc_id).await.expect("v2"), expected);

    // A change elsewhere moves no revision of this scope.
    change()
        .put(&doc(HOST, "other").build())
        .commit(store.as_ref())
        .await;
    assert_eq!(store.revisions(&h, &svc_id).await.expect("same"), expected);

    let v3 = doc(HOST, "svc")
        .name("Renamed")
        .procedure("p", "P changed")
        .procedure("r", "R")
        .branch("p", "next", "q")
        .entry("*", Some("p"))
        .error_code("ERR10001", "E")
        .build();
    let c3 = change().put(&v3).commit(store.as_ref()).await.change_id;
    let revisions = store.revisions(&h, &svc_id).await.expect("v3");
    let objects_v3 = objects(&v3);
    let expected: Vec<(ObjectRef, u64)> = objects_v3
        .into_iter()
        .zip([c3, c2, c3, c1, c1, c1])
        .collect();
    assert_eq!(
        revisions, expected,
        "q is gone, r is new, the scope renamed"
    );
}

pub async fn a_snapshot_holds_every_document_of_the_host_at_its_generation(store: Arc<dyn Store>) {
    let h = host(HOST);
    assert_eq!(
        store.snapshot(&h).await.expect("empty"),
        Snapshot::default()
    );
    let (b, a) = (
        doc(HOST, "b").procedure("p", "P").build(),
        doc(HOST, "a").entry("*", None).build(),
    );
    change().put(&b).put(&a).commit(store.as_ref()).await;
    let last = change()
        .put(&doc(OTHER, "x").build())
        .commit(store.as_ref())
        .await;
    let generation = store.generation(&h).await.expect("gen");
    assert!(generation < last.change_id);
    let snapshot = store.snapshot(&h).await.expect("snapshot");
    assert_eq!(
        snapshot,
        Snapshot {
            generation,
            docs: vec![a, b]
        }
    );
}

/// The scope row's stored revision is the scope object's revision.
pub async fn a_scope_row_revision_is_the_change_that_last_changed_the_scope_object(
    store: Arc<dyn Store>,
    backdoor: &dyn Backdoor,
) {
    let (h, a) = (host(HOST), id("a"));
    let scope_revision = || async {
        let stored = backdoor.revision(&h, &a).await;
        let revisions = store.revisions(&h, &a).await.expect("revisions");
        let object = revisions.first().filter(|(o, _)| *o == ObjectRef::Scope);
        assert_eq!(stored, object.map(|(_, r)| i64::try_from(*r).expect("i64")));
        stored
    };
    assert_eq!(scope_revision().await, None);
    let first = doc(HOST, "a").procedure("p", "P").build();
    store
        .replace_documents(std::slice::from_ref(&first))
        .await
        .expect("first");
    let created = store.generation(&h).await.expect("gen");
    let created = Some(i64::try_from(created).expect("i64"));
    assert_eq!(scope_revision().await, created);
    let content_only = doc(HOST, "a").procedure("p", "P2").build();
    store
        .replace_documents(&[content_only])
        .await
        .expect("content");
    assert_eq!(scope_revision().await, created, "only a procedure changed");
    let renamed = doc(HOST, "a").name("A").procedure("p", "P2").build();
    store.replace_documents(&[renamed]).await.expect("renamed");
    let generation = store.generation(&h).await.expect("gen");
    assert_eq!(
        scope_revision().await,
        Some(i64::try_from(generation).expect("i64"))
    );
}
