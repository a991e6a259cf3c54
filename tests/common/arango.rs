//! ArangoDB as the tests' third backend, on a server the user provides:
//! `ARANGO_URL` names it and a user that may create databases, e.g.
//! `ARANGO_URL=arangodb://root:pw@127.0.0.1:8529/_system`
//! (`scripts/arango-live.sh` runs every suite that takes it).
//!
//! Each test gets a database of its own (`lr_test_…`), created and migrated
//! before the test and dropped when its [`Database`] is. Without `ARANGO_URL`
//! the ArangoDB variant of a test returns at once and the binary says so, once,
//! on standard error: such a pass proves nothing about ArangoDB.

use std::{
    io::Write,
    sync::{
        Once,
        atomic::{AtomicU32, Ordering},
    },
    time::{SystemTime, UNIX_EPOCH},
};

use light_runbook::store::arango::{self, ArangoOptions, ArangoTarget};

/// What the tests print when they skip ArangoDB.
pub const SKIPPED: &str = "ARANGO_URL not set: ArangoDB variants of the tests not run";

/// The server, when `ARANGO_URL` names one; else `None`, said once.
pub fn server() -> Option<String> {
    let found = std::env::var("ARANGO_URL").ok();
    if found.is_none() {
        static NOTICE: Once = Once::new();
        // Straight to stderr: the test runner captures `eprintln!`.
        NOTICE.call_once(|| {
            let _ = writeln!(std::io::stderr().lock(), "{SKIPPED}");
        });
    }
    found
}

/// The options the tests open their databases with: creating them allowed.
pub fn options() -> ArangoOptions {
    ArangoOptions {
        create_database: true,
        ..ArangoOptions::default()
    }
}

/// A test's own database on the server; dropped with this value.
pub struct Database {
    pub url: String,
}

impl Database {
    /// A new database on `server`, migrated, or a panic saying why not.
    pub async fn create(server: &str) -> Self {
        let database = Self {
            url: with_database(server, &unique_name()),
        };
        // Made before migrating, so that the database is dropped even if migrating fails midway.
        arango::migrate(&database.url, &options())
            .await
            .unwrap_or_else(|e| panic!("ArangoDB at ARANGO_URL, migrating: {e}"));
        database
    }

    /// ArangoDB's HTTP API on this database: `_db/<name>/` of its server.
    pub fn api_base(&self) -> (String, ArangoTarget) {
        let target = ArangoTarget::parse(&self.url).expect("a test database URL");
        (
            format!("{}/_db/{}/", target.base_url(), target.database),
            target,
        )
    }

    /// Drops a collection behind the store's back (a store failure, for tests of them).
    pub async fn drop_collection(&self, name: &str) {
        let (base, target) = self.api_base();
        let response = reqwest::Client::new()
            .delete(format!("{base}_api/collection/{name}"))
            .basic_auth(&target.user, Some(&target.password))
            .send()
            .await
            .expect("reach ArangoDB");
        assert!(
            response.status().is_success(),
            "dropping {name}: {}",
            response.status()
        );
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let url = self.url.clone();
        // A runtime of its own on its own thread: the test's runtime may be
        // the one blocked in this drop.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(arango::drop_database(&url, &options()))
        })
        .join();
        if let Ok(Err(e)) = dropped {
            let _ = writeln!(
                std::io::stderr().lock(),
                "could not drop a test database: {e}"
            );
        }
    }
}

/// A database name no other test of any process uses.
pub fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("lr_test_{}_{n}_{nanos}", std::process::id())
}

/// `server` with its database replaced by `database`.
pub fn with_database(server: &str, database: &str) -> String {
    let mut url = url::Url::parse(server).expect("ARANGO_URL is a URL");
    url.set_path(&format!("/{database}"));
    url.to_string()
}
