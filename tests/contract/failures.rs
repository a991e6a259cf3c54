//! What the store does when its database fails or holds rows it cannot read.

use std::sync::Arc;

use light_runbook::store::{Store, StoreError};

use super::{
    Backdoor,
    fixtures::{all_history, doc, host, id, ids, key},
};

const HOST: &str = "acme.example";

/// The backdoor makes the database refuse error code rows; then one replace
/// writes, in order: an update of an existing scope without error codes (its
/// old error codes deleted, new procedures inserted), a new scope without error
/// codes, and a new scope whose error code row the database refuses, after its
/// scope row, parents and procedures went in. The whole replace must fail and
/// leave every table as it was, the history and the generation included.
pub async fn a_replace_that_fails_midway_leaves_nothing_written(
    store: Arc<dyn Store>,
    backdoor: &dyn Backdoor,
) {
    let h = host(HOST);
    let before = vec![
        doc(HOST, "a")
            .parents(&["root"])
            .procedure("old", "Old")
            .entry("ERR10001", Some("old"))
            .error_code("ERR10001", "OLD")
            .build(),
        doc(HOST, "root").procedure("base", "Base").build(),
    ];
    store
        .replace_documents(&before)
        .await
        .expect("initial write");
    let generation = store.generation(&h).await.expect("generation");
    let history = all_history(store.as_ref(), HOST).await;
    backdoor.refuse_error_code_rows().await;

    let a_changed = doc(HOST, "a")
        .name("Changed")
        .procedure("new", "New")
        .build();
    let new_plain = doc(HOST, "b").parents(&["a"]).procedure("p", "P").build();
    let new_refused = doc(HOST, "c")
        .parents(&["b"])
        .procedure("q", "Q")
        .error_code("ERR20000", "REFUSED")
        .build();
    let result = store
        .replace_documents(&[a_changed.clone(), new_plain, new_refused])
        .await;
    match result {
        Err(StoreError::Query { .. } | StoreError::Unavailable { .. }) => {}
        other => panic!("the refused write should fail as a query error, got {other:?}"),
    }

    assert_eq!(
        store.host_documents(&h).await.expect("after the failure"),
        before,
        "nothing written"
    );
    assert_eq!(
        store.list_error_codes(&h, None, 10).await.expect("codes"),
        vec![super::fixtures::code("ERR10001")]
    );
    assert!(
        store
            .children(&h, &ids(&["a", "b"]))
            .await
            .expect("children")
            .is_empty()
    );
    assert_eq!(store.hosts().await.expect("hosts"), vec![h.clone()]);
    assert_eq!(store.generation(&h).await.expect("generation"), generation);
    assert_eq!(all_history(store.as_ref(), HOST).await, history);

    // The store still works, and the failed write did not count as a write.
    let written = store
        .replace_documents(std::slice::from_ref(&a_changed))
        .await
        .expect("a write without error codes");
    assert_eq!(written, ids(&["a"]));
    assert_eq!(
        store.documents(&h, &ids(&["a"])).await.expect("a"),
        vec![a_changed]
    );
}

pub async fn a_row_that_no_longer_parses_is_reported_as_corrupt(
    store: Arc<dyn Store>,
    backdoor: &dyn Backdoor,
) {
    let h = host(HOST);
    let scope = id("svc");
    store
        .replace_documents(&[doc(HOST, "svc").procedure("check", "Check").build()])
        .await
        .expect("write");
    backdoor
        .corrupt_procedure_key(&h, &scope, &key("check"), "Not A Key")
        .await;

    let errors = [
        store
            .documents(&h, std::slice::from_ref(&scope))
            .await
            .err(),
        store.host_documents(&h).await.err(),
        store.lineage_documents(&h, &scope).await.err(),
    ];
    for error in errors {
        match error {
            Some(StoreError::Corrupt { context, .. }) => {
                for part in ["procedures", "acme.example", "svc", "Not A Key"] {
                    assert!(context.contains(part), "{context:?} should name {part}");
                }
            }
            other => panic!("expected a corrupt row error, got {other:?}"),
        }
    }
    // Reads that do not touch the row still work.
    assert_eq!(
        store
            .scopes(&h, std::slice::from_ref(&scope))
            .await
            .expect("scopes")
            .len(),
        1
    );
}
