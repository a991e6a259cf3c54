//! A request that takes longer than the configured timeout is answered 408.
//! Time is tokio's paused clock: the test never sleeps.

mod common;

use std::{sync::Arc, time::Duration};

use axum::{body::Body, http::Request};
use common::hooked::{Hooked, When};
use light_runbook::{
    http::HttpLimits,
    runbooks::Runbooks,
    startup::{Services, app},
    store::{self, Store, StoreOptions},
};
use tower::ServiceExt;

/// A real SQLite store whose reads on the runbook path take a minute: a
/// database stuck behind a lock, as far as the service can tell. They wait
/// before touching the database, so no pool timer races the request's.
fn stuck(store: Arc<dyn Store>) -> Arc<dyn Store> {
    Hooked::around(
        store,
        Arc::new(|when, method, _| {
            let stuck = when == When::Before
                && matches!(
                    method,
                    "lineage_documents" | "lineage_at" | "lineage_shared" | "generation"
                );
            Box::pin(async move {
                if stuck {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                }
            })
        }),
    )
}

#[tokio::test]
async fn a_request_stuck_on_the_store_is_answered_408_after_the_timeout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("runbooks.db").display());
    let store = store::open(&url, &StoreOptions::default())
        .await
        .expect("store opens");
    let runbooks = Runbooks::new(stuck(store), common::host());
    let mut services = Services::open(runbooks);
    services.http_limits = HttpLimits {
        timeout: Duration::from_secs(5),
        ..HttpLimits::default()
    };
    let router = app(services).expect("app");
    // From here on time is tokio's paused clock: it jumps to the next timer
    // whenever every task waits, so the test takes no real time.
    tokio::time::pause();
    let query = r#"{"query":"{ runbook(serviceId: \"svc\") { entry } }"}"#;
    let request = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(query))
        .expect("request");
    let started = tokio::time::Instant::now();
    let response = router.oneshot(request).await.expect("response");
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body");
    assert_eq!(status, 408, "{}", String::from_utf8_lossy(&body));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_secs(60),
        "{waited:?}"
    );
}
