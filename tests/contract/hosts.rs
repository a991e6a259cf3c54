//! Hosts (tenants): isolated from each other, listed in order.

use std::sync::Arc;

use light_runbook::{domain::ScopeKind, store::Store};

use super::fixtures::{code, doc, host, ids};

pub async fn hosts_are_isolated(store: Arc<dyn Store>) {
    let (ha, hb) = (host("host-a"), host("host-b"));
    let in_a = doc("host-a", "shared")
        .parents(&["root"])
        .procedure("p", "In A")
        .error_code("ERR10001", "A")
        .build();
    let root_a = doc("host-a", "root").kind(ScopeKind::Framework).build();
    let in_b = doc("host-b", "shared").procedure("q", "In B").build();
    store
        .replace_documents(&[in_a.clone(), root_a.clone(), in_b.clone()])
        .await
        .expect("write both hosts");

    assert_eq!(
        store.documents(&ha, &ids(&["shared"])).await.expect("a"),
        vec![in_a.clone()]
    );
    assert_eq!(
        store.documents(&hb, &ids(&["shared"])).await.expect("b"),
        vec![in_b.clone()]
    );
    assert_eq!(
        store.host_documents(&hb).await.expect("host b"),
        vec![in_b.clone()]
    );
    assert!(
        store
            .documents(&hb, &ids(&["root"]))
            .await
            .expect("root in b")
            .is_empty()
    );
    assert!(
        store
            .children(&hb, &ids(&["root"]))
            .await
            .expect("children in b")
            .is_empty()
    );
    assert!(
        store
            .list_error_codes(&hb, None, 10)
            .await
            .expect("codes in b")
            .is_empty()
    );
    assert!(
        store
            .error_code_definitions(&hb, &[code("ERR10001")])
            .await
            .expect("defs in b")
            .is_empty()
    );

    // Rewriting the scope in one host leaves the other alone.
    let in_a2 = doc("host-a", "shared").build();
    assert_eq!(
        store
            .replace_documents(std::slice::from_ref(&in_a2))
            .await
            .expect("rewrite a"),
        ids(&["shared"])
    );
    assert_eq!(
        store
            .documents(&hb, &ids(&["shared"]))
            .await
            .expect("b again"),
        vec![in_b]
    );
    let listed: Vec<_> = store
        .list_scopes(&ha, None, None, 10)
        .await
        .expect("list a");
    assert_eq!(listed, vec![root_a.scope, in_a2.scope]);
}

pub async fn hosts_are_listed_sorted(store: Arc<dyn Store>) {
    let names = ["zeta.example", "beta", "alpha", "Alpha", "a-1", "a.1"];
    let docs: Vec<_> = names.iter().map(|h| doc(h, "svc").build()).collect();
    store.replace_documents(&docs).await.expect("replace");
    let hosts = store.hosts().await.expect("hosts");
    let listed: Vec<&str> = hosts.iter().map(|h| h.as_str()).collect();
    assert_eq!(
        listed,
        ["Alpha", "a-1", "a.1", "alpha", "beta", "zeta.example"],
        "byte order, each once"
    );
}
