//! Writing documents and reading them back: idempotence, whole replacement,
//! hosts, lookups by id.

use std::sync::Arc;

use light_runbook::{
    domain::{ScopeId, ScopeKind},
    store::Store,
};

use super::fixtures::{code, doc, doc_ids, host, id, ids};

const HOST: &str = "acme.example";

pub async fn an_empty_store_is_empty(store: Arc<dyn Store>) {
    let h = host(HOST);
    assert!(store.is_empty().await.expect("is_empty"));
    assert!(store.hosts().await.expect("hosts").is_empty());
    assert!(
        store
            .host_documents(&h)
            .await
            .expect("host_documents")
            .is_empty()
    );
    assert!(
        store
            .lineage_documents(&h, &id("svc"))
            .await
            .expect("lineage")
            .is_empty()
    );
    assert!(
        store
            .documents(&h, &ids(&["svc"]))
            .await
            .expect("documents")
            .is_empty()
    );
    assert!(
        store
            .list_scopes(&h, None, None, 10)
            .await
            .expect("list_scopes")
            .is_empty()
    );
    assert!(
        store
            .list_error_codes(&h, None, 10)
            .await
            .expect("list_error_codes")
            .is_empty()
    );
    assert_eq!(
        store.replace_documents(&[]).await.expect("replace nothing"),
        Vec::<ScopeId>::new()
    );
    assert!(
        store
            .is_empty()
            .await
            .expect("is_empty after an empty replace")
    );
}

pub async fn replacing_is_idempotent_and_returns_only_the_changed_scope_ids(store: Arc<dyn Store>) {
    let a = doc(HOST, "a").procedure("p", "P").build();
    let b = doc(HOST, "b").parents(&["a"]).build();
    let z = doc(HOST, "z").build();
    let first = store
        .replace_documents(&[z.clone(), b.clone(), a.clone()])
        .await
        .expect("first");
    assert_eq!(
        first,
        ids(&["a", "b", "z"]),
        "sorted ids of every new scope"
    );
    let again = store
        .replace_documents(&[a.clone(), b.clone(), z.clone()])
        .await
        .expect("again");
    assert!(
        again.is_empty(),
        "nothing changed, nothing written: {again:?}"
    );

    let b2 = doc(HOST, "b").parents(&["a"]).entry("*", Some("p")).build();
    let changed = store
        .replace_documents(&[a.clone(), b2.clone(), z.clone()])
        .await
        .expect("one change");
    assert_eq!(changed, ids(&["b"]));

    // Several documents for one scope in one call: the last one is written.
    let z2 = doc(HOST, "z").name("Zed").build();
    let last_wins = store
        .replace_documents(&[z2.clone(), z.clone(), z2.clone()])
        .await
        .expect("last wins");
    assert_eq!(last_wins, ids(&["z"]));
    let all = store
        .host_documents(&host(HOST))
        .await
        .expect("host_documents");
    assert_eq!(all, vec![a, b2, z2]);
}

pub async fn replacing_a_document_replaces_its_whole_content(store: Arc<dyn Store>) {
    let h = host(HOST);
    let full = doc(HOST, "svc")
        .kind(ScopeKind::Template)
        .parents(&["x", "y"])
        .procedure("kept", "Kept")
        .procedure("dropped", "Dropped")
        .removed_procedure("tombstone")
        .branch("kept", "next", "dropped")
        .entry("ERR10001", Some("dropped"))
        .entry("*", None)
        .error_code("ERR10001", "GONE_SOON")
        .build();
    store
        .replace_documents(std::slice::from_ref(&full))
        .await
        .expect("full");
    let slim = doc(HOST, "svc")
        .name("Slim")
        .parents(&["y"])
        .procedure("kept", "Kept again")
        .build();
    assert_eq!(
        store
            .replace_documents(std::slice::from_ref(&slim))
            .await
            .expect("slim"),
        ids(&["svc"])
    );

    assert_eq!(
        store
            .documents(&h, &ids(&["svc"]))
            .await
            .expect("documents"),
        vec![slim]
    );
    assert!(
        store
            .children(&h, &ids(&["x"]))
            .await
            .expect("children of x")
            .is_empty()
    );
    assert_eq!(
        store
            .children(&h, &ids(&["y"]))
            .await
            .expect("children of y"),
        vec![(id("y"), id("svc"))]
    );
    assert!(
        store
            .list_error_codes(&h, None, 10)
            .await
            .expect("codes")
            .is_empty()
    );
    assert!(
        store
            .error_code_definitions(&h, &[code("ERR10001")])
            .await
            .expect("definitions")
            .is_empty()
    );
    let listed = store
        .list_scopes(&h, Some(ScopeKind::Template), None, 10)
        .await
        .expect("list");
    assert!(listed.is_empty(), "the kind was replaced too: {listed:?}");
}

pub async fn the_store_answers_a_ping(store: Arc<dyn Store>) {
    store.ping().await.expect("ping on an empty store");
    assert!(!store.backend().is_empty());
    store
        .replace_documents(&[doc(HOST, "svc").build()])
        .await
        .expect("replace");
    store.ping().await.expect("ping after a write");
}

pub async fn documents_and_scopes_by_id_ignore_missing_ids(store: Arc<dyn Store>) {
    let h = host(HOST);
    let docs: Vec<_> = ["c", "a", "b"]
        .iter()
        .map(|i| doc(HOST, i).procedure("p", i).build())
        .collect();
    store.replace_documents(&docs).await.expect("replace");
    let wanted = ids(&["c", "missing", "a"]);
    let found = store.documents(&h, &wanted).await.expect("documents");
    assert_eq!(doc_ids(&found), ["a", "c"], "sorted by id, missing ignored");
    assert_eq!(found[1], docs[0]);
    let scopes = store.scopes(&h, &wanted).await.expect("scopes");
    assert_eq!(scopes, vec![docs[1].scope.clone(), docs[0].scope.clone()]);
    assert!(store.documents(&h, &[]).await.expect("no ids").is_empty());
    assert!(
        store
            .scopes(&h, &ids(&["missing"]))
            .await
            .expect("only missing")
            .is_empty()
    );
}
