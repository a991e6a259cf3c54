//! Committing change sets: generations, unchanged commits, stale bases,
//! expectations and deletes.

use std::sync::Arc;

use light_runbook::{
    domain::{ObjectRef, objects},
    store::{CommitError, Committed, Store},
};

use super::{
    fixtures::{all_history, change, doc, host, id, ids, procedure},
    history::records,
};

const HOST: &str = "acme.example";
const OTHER: &str = "other.example";

pub async fn generation_starts_at_zero_and_becomes_the_id_of_each_change_to_the_host(
    store: Arc<dyn Store>,
) {
    let (h, o) = (host(HOST), host(OTHER));
    assert_eq!(store.generation(&h).await.expect("generation"), 0);
    let svc = doc(HOST, "svc").procedure("p", "P").build();
    let first = change().put(&svc).commit(store.as_ref()).await;
    assert!(first.change_id > 0, "{first:?}");
    assert_eq!((first.scopes, first.objects), (ids(&["svc"]), 2));
    assert_eq!(store.generation(&h).await.expect("h"), first.change_id);
    assert_eq!(
        store.generation(&o).await.expect("o"),
        0,
        "other host untouched"
    );

    let elsewhere = change()
        .put(&doc(OTHER, "svc").build())
        .commit(store.as_ref())
        .await;
    assert!(
        elsewhere.change_id > first.change_id,
        "ids increase store-wide"
    );
    assert_eq!(store.generation(&o).await.expect("o"), elsewhere.change_id);
    assert_eq!(store.generation(&h).await.expect("h"), first.change_id);

    let both = change()
        .put(&doc(HOST, "svc").procedure("p", "P2").build())
        .put(&doc(OTHER, "new").build())
        .commit(store.as_ref())
        .await;
    assert!(both.change_id > elsewhere.change_id);
    assert_eq!((both.scopes, both.objects), (ids(&["new", "svc"]), 2));
    for hst in [&h, &o] {
        assert_eq!(store.generation(hst).await.expect("gen"), both.change_id);
    }
}

pub async fn an_unchanged_commit_returns_the_default_and_leaves_generation_and_history_alone(
    store: Arc<dyn Store>,
) {
    let h = host(HOST);
    let svc = doc(HOST, "svc").procedure("p", "P").build();
    let written = change().put(&svc).commit(store.as_ref()).await;
    let history = all_history(store.as_ref(), HOST).await;
    let unchanged = [
        change().put(&svc).by("bob", 5_000, "again"),
        change().delete(HOST, "missing"),
        change().base(HOST, written.change_id),
        change(),
    ];
    for attempt in unchanged {
        assert_eq!(attempt.commit(store.as_ref()).await, Committed::default());
    }
    assert_eq!(store.generation(&h).await.expect("gen"), written.change_id);
    assert_eq!(all_history(store.as_ref(), HOST).await, history);
    let next = change()
        .put(&doc(HOST, "svc").name("Renamed").build())
        .commit(store.as_ref())
        .await;
    assert!(next.change_id > written.change_id);
}

pub async fn a_stale_base_is_refused_and_writes_nothing(store: Arc<dyn Store>) {
    let h = host(HOST);
    let c1 = change()
        .put(&doc(HOST, "svc").procedure("p", "P").build())
        .commit(store.as_ref())
        .await
        .change_id;
    let v2 = doc(HOST, "svc").procedure("p", "P2").build();
    let c2 = change().put(&v2).commit(store.as_ref()).await.change_id;
    let history = all_history(store.as_ref(), HOST).await;

    let late = doc(HOST, "svc").procedure("p", "Late").build();
    let stale = [
        change().put(&late).base(HOST, c1).build(),
        change().put(&late).base(HOST, c2).base(OTHER, 1).build(),
    ];
    for (attempt, stale_host) in stale.iter().zip([HOST, OTHER]) {
        match store.commit(attempt).await {
            Err(CommitError::Stale { host: named }) => assert_eq!(named, host(stale_host)),
            other => panic!("expected Stale for {stale_host}, got {other:?}"),
        }
    }
    assert_eq!(store.host_documents(&h).await.expect("docs"), vec![v2]);
    assert_eq!(store.generation(&h).await.expect("gen"), c2);
    assert_eq!(all_history(store.as_ref(), HOST).await, history);

    let current = change().put(&late).base(HOST, c2).base(OTHER, 0);
    assert!(current.commit(store.as_ref()).await.change_id > c2);
}

pub async fn an_expectation_of_another_revision_conflicts_naming_the_object_and_both_revisions(
    store: Arc<dyn Store>,
) {
    let h = host(HOST);
    let c1 = change()
        .put(&doc(HOST, "svc").procedure("p", "P").build())
        .commit(store.as_ref())
        .await
        .change_id;
    let v2 = doc(HOST, "svc").procedure("p", "P2").build();
    let c2 = change().put(&v2).commit(store.as_ref()).await.change_id;
    let history = all_history(store.as_ref(), HOST).await;

    let mine = doc(HOST, "svc").procedure("p", "Mine").build();
    let attempts = [
        (procedure("p"), Some(c1), Some(c2)),
        (procedure("missing"), Some(c1), None),
    ];
    for (object, expected, actual) in attempts {
        let attempt = change()
            .put(&mine)
            .expect(HOST, "svc", ObjectRef::Scope, Some(c1))
            .expect(HOST, "svc", object.clone(), expected)
            .build();
        match store.commit(&attempt).await {
            Err(CommitError::Conflict {
                scope,
                object: named,
                expected: e,
                actual: a,
            }) => assert_eq!((scope, named, e, a), (id("svc"), object, expected, actual)),
            other => panic!("expected a conflict on {object}, got {other:?}"),
        }
    }
    assert_eq!(store.host_documents(&h).await.expect("docs"), vec![v2]);
    assert_eq!(store.generation(&h).await.expect("gen"), c2);
    assert_eq!(all_history(store.as_ref(), HOST).await, history);

    let holds = change()
        .put(&mine)
        .expect(HOST, "svc", procedure("p"), Some(c2))
        .commit(store.as_ref())
        .await;
    assert!(holds.change_id > c2);
}

pub async fn an_expectation_of_no_revision_conflicts_with_an_existing_object(
    store: Arc<dyn Store>,
) {
    let h = host(HOST);
    let svc = doc(HOST, "svc").build();
    let create_only = || {
        change()
            .put(&svc)
            .expect(HOST, "svc", ObjectRef::Scope, None)
    };
    let created = create_only().commit(store.as_ref()).await.change_id;
    let again = create_only().build();
    match store.commit(&again).await {
        Err(CommitError::Conflict {
            scope,
            object,
            expected,
            actual,
        }) => assert_eq!(
            (scope, object, expected, actual),
            (id("svc"), ObjectRef::Scope, None, Some(created))
        ),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(store.generation(&h).await.expect("gen"), created);
}

pub async fn deleting_a_scope_removes_its_document_and_records_each_object_deleted(
    store: Arc<dyn Store>,
) {
    let h = host(HOST);
    let svc = doc(HOST, "svc")
        .parents(&["base"])
        .procedure("p", "P")
        .removed_procedure("gone")
        .branch("p", "next", "p")
        .entry("*", Some("p"))
        .error_code("ERR10001", "E")
        .build();
    let base = doc(HOST, "base").build();
    change().put(&svc).put(&base).commit(store.as_ref()).await;
    let deleted = change()
        .delete(HOST, "svc")
        .by("carol", 7_000, "deleteScope")
        .commit(store.as_ref())
        .await;
    assert_eq!(
        (deleted.scopes.clone(), deleted.objects),
        (ids(&["svc"]), objects(&svc).len())
    );
    assert_eq!(store.host_documents(&h).await.expect("docs"), vec![base]);
    assert!(
        store
            .revisions(&h, &id("svc"))
            .await
            .expect("revs")
            .is_empty()
    );
    assert!(
        store
            .children(&h, &ids(&["base"]))
            .await
            .expect("children")
            .is_empty()
    );
    assert_eq!(store.generation(&h).await.expect("gen"), deleted.change_id);

    let history = all_history(store.as_ref(), HOST).await;
    let expected = records(&deleted, "carol", 7_000, "deleteScope", Some(&svc), None);
    assert_eq!(history[..expected.len()], expected[..]);

    // The host's last scope: gone from the hosts, its generation still moves.
    let last = change().delete(HOST, "base").commit(store.as_ref()).await;
    assert!(store.hosts().await.expect("hosts").is_empty());
    assert_eq!(store.generation(&h).await.expect("gen"), last.change_id);
}
