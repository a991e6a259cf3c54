//! The same fixture import gives the same effective runbooks on every
//! backend: SQLite, PostgreSQL and, when `ARANGO_URL` names a server,
//! ArangoDB. Every service, whole and for every code it has an entry for.

mod common;

use common::{Backend, FreshStore, fresh_store};
use light_runbook::{
    demo,
    domain::{EntryCode, ErrorCode, ScopeKind},
    format,
    runbooks::Runbooks,
    store::{self, StoreOptions},
};

/// The demo on a fresh store of `backend`, with the store kept alive.
async fn seeded(backend: Backend, dir: &std::path::Path) -> (Runbooks, FreshStore) {
    let fresh = fresh_store(backend, dir).await;
    let store = store::open(&fresh.url, &StoreOptions::default())
        .await
        .expect("store opens");
    let runbooks = Runbooks::new(store, common::host());
    demo::seed_if_empty(
        runbooks.store().as_ref(),
        &common::host(),
        &light_runbook::auth::SystemClock,
    )
    .await
    .expect("demo imports");
    (runbooks, fresh)
}

/// How many runbooks `a` and `b` were found to agree on; a panic where they do not.
async fn compare(a: &Runbooks, b: &Runbooks, name: &str) -> usize {
    let host = common::host();
    let docs = a.store().host_documents(&host).await.expect("documents");
    let theirs = b.store().host_documents(&host).await.expect("documents");
    assert_eq!(docs, theirs, "documents on {name}");
    assert_eq!(
        format::export(&docs, &host),
        format::export(&theirs, &host),
        "export on {name}"
    );
    let mut compared = 0;
    for service in docs.iter().filter(|d| d.scope.kind == ScopeKind::Service) {
        let id = &service.scope.id;
        let whole = a.runbook(&host, id, None).await.expect("resolves");
        assert_eq!(
            whole,
            b.runbook(&host, id, None).await.expect("resolves"),
            "{id} on {name}"
        );
        let mut codes: Vec<ErrorCode> = whole
            .entries
            .iter()
            .filter_map(|e| match &e.code {
                EntryCode::Code(c) => Some(c.clone()),
                EntryCode::Default => None,
            })
            .collect();
        codes.push(ErrorCode::parse("ZZZ99999").expect("code"));
        for code in &codes {
            let mine = a
                .runbook(&host, id, Some(code))
                .await
                .map_err(|e| e.message);
            let other = b
                .runbook(&host, id, Some(code))
                .await
                .map_err(|e| e.message);
            assert_eq!(mine, other, "{id} {code} on {name}");
            compared += 1;
        }
    }
    compared
}

#[tokio::test]
async fn the_demo_resolves_identically_on_every_backend() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (sqlite, _kept) = seeded(Backend::Sqlite, dir.path()).await;
    let mut others = vec![("PostgreSQL", Backend::Postgres)];
    if common::arango::server().is_some() {
        others.push(("ArangoDB", Backend::Arango));
    }
    for (name, backend) in others {
        let (other, _kept) = seeded(backend, dir.path()).await;
        let compared = compare(&sqlite, &other, name).await;
        assert!(compared > 50, "compared only {compared} runbooks on {name}");
    }
}
