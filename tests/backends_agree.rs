//! The same fixture import gives the same effective runbooks on SQLite and
//! PostgreSQL: every service, whole and for every code it has an entry for.

mod common;

use common::{Backend, fresh_store_url};
use light_runbook::{
    demo,
    domain::{EntryCode, ErrorCode, ScopeKind},
    format,
    runbooks::Runbooks,
    store::{self, StoreOptions},
};

async fn seeded(backend: Backend, dir: &std::path::Path) -> Runbooks {
    let url = fresh_store_url(backend, dir).await;
    let store = store::open(&url, &StoreOptions::default())
        .await
        .expect("store opens");
    let runbooks = Runbooks::new(store, common::host());
    demo::seed_if_empty(&runbooks).await.expect("demo imports");
    runbooks
}

#[tokio::test]
async fn the_demo_resolves_identically_on_sqlite_and_postgresql() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = seeded(Backend::Sqlite, dir.path()).await;
    let postgres = seeded(Backend::Postgres, dir.path()).await;
    let host = common::host();

    let docs = sqlite
        .store()
        .host_documents(&host)
        .await
        .expect("documents");
    assert_eq!(
        docs,
        postgres
            .store()
            .host_documents(&host)
            .await
            .expect("documents")
    );
    assert_eq!(
        format::export(&docs, &host),
        format::export(
            &postgres
                .store()
                .host_documents(&host)
                .await
                .expect("documents"),
            &host
        )
    );

    let mut compared = 0;
    for service in docs.iter().filter(|d| d.scope.kind == ScopeKind::Service) {
        let id = &service.scope.id;
        let whole = sqlite.runbook(&host, id, None).await.expect("resolves");
        assert_eq!(
            whole,
            postgres.runbook(&host, id, None).await.expect("resolves")
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
            let a = sqlite
                .runbook(&host, id, Some(code))
                .await
                .map_err(|e| e.message);
            let b = postgres
                .runbook(&host, id, Some(code))
                .await
                .map_err(|e| e.message);
            assert_eq!(a, b, "{id} {code}");
            compared += 1;
        }
    }
    assert!(compared > 50, "compared only {compared} runbooks");
}
