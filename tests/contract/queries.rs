//! Listing scopes, children and error codes.

use std::sync::Arc;

use light_runbook::{
    domain::{ErrorCode, ScopeId, ScopeKind},
    store::Store,
};

use super::fixtures::{code, doc, host, id, ids};

const HOST: &str = "acme.example";

/// Ids whose byte order differs from most locales' order.
const MIXED_IDS: [&str; 8] = ["b", "B", "a_svc", "a.svc", "a-svc", "A-svc", "9lives", "a"];

fn kind_of(scope_id: &str) -> ScopeKind {
    if scope_id.starts_with('a') {
        ScopeKind::Template
    } else {
        ScopeKind::Service
    }
}

pub async fn scopes_are_listed_in_pages_by_id_optionally_of_one_kind(store: Arc<dyn Store>) {
    let docs: Vec<_> = MIXED_IDS
        .iter()
        .map(|i| doc(HOST, i).kind(kind_of(i)).parents(&["z", "y"]).build())
        .collect();
    store.replace_documents(&docs).await.expect("replace");
    store
        .replace_documents(&[doc("other.example", "a0").build()])
        .await
        .expect("other host");
    let h = host(HOST);

    let mut expected: Vec<&str> = MIXED_IDS.to_vec();
    expected.sort();
    let page = |kind: Option<ScopeKind>, after: Option<ScopeId>, limit: u32| {
        let store = store.clone();
        let h = h.clone();
        async move {
            let scopes = store
                .list_scopes(&h, kind, after.as_ref(), limit)
                .await
                .expect("list_scopes");
            scopes
                .into_iter()
                .map(|s| s.id.as_str().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let mut listed = Vec::new();
    let mut after = None;
    loop {
        let got = page(None, after.clone(), 3).await;
        assert!(got.len() <= 3);
        let Some(last) = got.last() else { break };
        after = Some(id(last));
        listed.extend(got);
    }
    assert_eq!(listed, expected, "every scope once, in byte order");

    let templates: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|i| kind_of(i) == ScopeKind::Template)
        .collect();
    let first = page(Some(ScopeKind::Template), None, 2).await;
    assert_eq!(first, templates[..2]);
    let rest = page(Some(ScopeKind::Template), Some(id(&first[1])), 10).await;
    assert_eq!(rest, templates[2..]);
    assert!(page(Some(ScopeKind::Framework), None, 10).await.is_empty());
    assert!(page(None, None, 0).await.is_empty());
    assert!(page(None, Some(id("zzz")), 10).await.is_empty());

    let full = store
        .list_scopes(&h, None, None, 1)
        .await
        .expect("first scope");
    assert_eq!(
        full,
        vec![docs[6].scope.clone()],
        "whole vertices, parents in order"
    );
}

pub async fn children_are_sorted_parent_child_pairs(store: Arc<dyn Store>) {
    let docs = vec![
        doc(HOST, "p1").build(),
        doc(HOST, "p2").build(),
        doc(HOST, "c1").parents(&["p2", "p1"]).build(),
        doc(HOST, "c2").parents(&["p2"]).build(),
        doc(HOST, "c3").parents(&["p1"]).build(),
        doc(HOST, "grandchild").parents(&["c1"]).build(),
        doc("other.example", "c9").parents(&["p1"]).build(),
    ];
    store.replace_documents(&docs).await.expect("replace");
    let h = host(HOST);
    let pairs = store
        .children(&h, &ids(&["p2", "p1", "missing"]))
        .await
        .expect("children");
    let expected =
        [("p1", "c1"), ("p1", "c3"), ("p2", "c1"), ("p2", "c2")].map(|(p, c)| (id(p), id(c)));
    assert_eq!(pairs, expected);
    assert!(
        store
            .children(&h, &ids(&["grandchild"]))
            .await
            .expect("leaf")
            .is_empty()
    );
    assert!(
        store
            .children(&h, &[])
            .await
            .expect("none asked")
            .is_empty()
    );
}

pub async fn error_code_definitions_sort_by_code_then_general_kind_first(store: Arc<dyn Store>) {
    let docs = vec![
        doc(HOST, "a-service")
            .parents(&["z-framework"])
            .error_code("ERR10001", "svc")
            .error_code("ERR10002", "only svc")
            .build(),
        doc(HOST, "z-framework")
            .kind(ScopeKind::Framework)
            .error_code("ERR10001", "framework")
            .build(),
        doc(HOST, "m-org")
            .kind(ScopeKind::Organization)
            .error_code("ERR10001", "org")
            .error_code("ERR10003", "not asked")
            .build(),
        doc(HOST, "t2")
            .kind(ScopeKind::Template)
            .error_code("ERR10001", "t2")
            .build(),
        doc(HOST, "t1")
            .kind(ScopeKind::Template)
            .error_code("ERR10001", "t1")
            .build(),
        doc("other.example", "a-service")
            .error_code("ERR10001", "other host")
            .build(),
    ];
    store.replace_documents(&docs).await.expect("replace");
    let asked = [code("ERR10002"), code("ERR10001"), code("ERR99999")];
    let definitions = store
        .error_code_definitions(&host(HOST), &asked)
        .await
        .expect("definitions");
    let got: Vec<(&str, ScopeKind, &str)> = definitions
        .iter()
        .map(|d| (d.code.as_str(), d.scope_kind, d.scope.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("ERR10001", ScopeKind::Framework, "z-framework"),
            ("ERR10001", ScopeKind::Organization, "m-org"),
            ("ERR10001", ScopeKind::Template, "t1"),
            ("ERR10001", ScopeKind::Template, "t2"),
            ("ERR10001", ScopeKind::Service, "a-service"),
            ("ERR10002", ScopeKind::Service, "a-service"),
        ]
    );
    let t1 = &docs[4].content.error_codes[&code("ERR10001")];
    assert_eq!(&definitions[2].patch, t1, "the scope's own patch");
    assert!(
        store
            .error_code_definitions(&host(HOST), &[])
            .await
            .expect("none asked")
            .is_empty()
    );
}

pub async fn error_codes_are_listed_distinct_sorted_and_paged(store: Arc<dyn Store>) {
    let docs = vec![
        doc(HOST, "a")
            .error_code("ERR30000", "x")
            .error_code("ABC10000", "x")
            .build(),
        doc(HOST, "b")
            .error_code("ERR30000", "y")
            .error_code("ERR20000", "y")
            .build(),
        doc(HOST, "c")
            .error_code("ZZZ00001", "z")
            .error_code("ERR20000", "z")
            .build(),
        doc("other.example", "a")
            .error_code("ERR25000", "other host")
            .build(),
    ];
    store.replace_documents(&docs).await.expect("replace");
    let h = host(HOST);
    let list = |after: Option<ErrorCode>, limit: u32| {
        let store = store.clone();
        let h = h.clone();
        async move {
            let codes = store
                .list_error_codes(&h, after.as_ref(), limit)
                .await
                .expect("list_error_codes");
            codes
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        list(None, 10).await,
        ["ABC10000", "ERR20000", "ERR30000", "ZZZ00001"]
    );
    assert_eq!(list(None, 2).await, ["ABC10000", "ERR20000"]);
    assert_eq!(
        list(Some(code("ERR20000")), 2).await,
        ["ERR30000", "ZZZ00001"]
    );
    assert_eq!(
        list(Some(code("ERR25000")), 10).await,
        ["ERR30000", "ZZZ00001"],
        "after a code nobody here has"
    );
    assert!(list(Some(code("ZZZ00001")), 10).await.is_empty());
    assert!(list(None, 0).await.is_empty());
}
