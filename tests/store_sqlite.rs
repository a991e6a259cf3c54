//! The store contract against SQLite (a fresh database file per test, in a
//! temp dir), and what is particular to opening a SQLite store.

mod contract;

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use contract::{Backdoor, TestStore};
use light_runbook::{
    domain::{Host, ObjectRef, ProcedureKey, ScopeId},
    store::{self, HistoryFilter, StoreError, StoreOptions},
};
use sqlx::{
    SqlitePool,
    migrate::Migrator,
    sqlite::{SqliteConnectOptions, SqlitePoolOptions},
};

fn url_of(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// A fresh store on a new file in a temp dir that lives as long as the test.
async fn fresh_sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("runbook.db");
    let store = store::open(&url_of(&path), &StoreOptions::default())
        .await
        .expect("open a SQLite store");
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_lazy_with(SqliteConnectOptions::new().filename(&path));
    TestStore::new(store, SqliteBackdoor { pool }, dir)
}

contract_suite!(sqlite, fresh_sqlite());

/// A separate connection to the test's database file.
struct SqliteBackdoor {
    pool: SqlitePool,
}

#[async_trait]
impl Backdoor for SqliteBackdoor {
    async fn refuse_error_code_rows(&self) {
        const REFUSE: &str = "
CREATE TRIGGER refuse_error_code_rows BEFORE INSERT ON error_codes
BEGIN
    SELECT RAISE(ABORT, 'error code rows are refused by the test');
END";
        sqlx::query(REFUSE)
            .execute(&self.pool)
            .await
            .expect("create the trigger");
    }

    async fn revision(&self, host: &Host, scope: &ScopeId) -> Option<i64> {
        const REVISION: &str = "SELECT revision FROM scopes WHERE host = ?1 AND id = ?2";
        sqlx::query_scalar(REVISION)
            .bind(host.as_str())
            .bind(scope.as_str())
            .fetch_optional(&self.pool)
            .await
            .expect("read the revision")
    }

    async fn corrupt_procedure_key(
        &self,
        host: &Host,
        scope: &ScopeId,
        key: &ProcedureKey,
        bad: &str,
    ) {
        const CORRUPT: &str =
            "UPDATE procedures SET key = ?1 WHERE host = ?2 AND scope = ?3 AND key = ?4";
        let done = sqlx::query(CORRUPT)
            .bind(bad)
            .bind(host.as_str())
            .bind(scope.as_str())
            .bind(key.as_str())
            .execute(&self.pool)
            .await
            .expect("corrupt the key");
        assert_eq!(done.rows_affected(), 1);
    }
}

#[tokio::test]
async fn opening_creates_a_missing_database_file_in_wal_mode() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("new.db");
    assert!(!path.exists());
    let store = store::open(&url_of(&path), &StoreOptions::default())
        .await
        .expect("open");
    assert!(store.is_empty().await.expect("is_empty"));
    assert_eq!(store.backend(), "sqlite");
    assert!(path.exists());
    let pool = SqlitePool::connect_with(SqliteConnectOptions::new().filename(&path))
        .await
        .expect("inspect");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .expect("journal mode");
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn a_relative_path_is_relative_to_the_working_directory() {
    // Tests run in the package root; cargo's temp dir for tests is under it.
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir under target/");
    let absolute = dir.path().join("relative.db");
    let cwd = std::env::current_dir().expect("cwd");
    let relative: PathBuf = absolute
        .strip_prefix(&cwd)
        .expect("under the working directory")
        .into();
    assert!(relative.is_relative());
    let store = store::open(&url_of(&relative), &StoreOptions::default())
        .await
        .expect("open");
    store.ping().await.expect("ping");
    assert!(absolute.exists());
}

#[tokio::test]
async fn a_file_that_cannot_be_opened_is_unavailable_naming_its_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("no-such-dir").join("runbook.db");
    match store::open(&url_of(&path), &StoreOptions::default()).await {
        Err(StoreError::Unavailable { message, .. }) => {
            assert!(message.contains(&path.display().to_string()), "{message}");
        }
        Err(other) => panic!("expected Unavailable, got {other}"),
        Ok(_) => panic!("opened a file in a directory that does not exist"),
    }
}

#[tokio::test]
async fn an_unknown_scheme_is_a_config_error_listing_the_supported_ones() {
    match store::open("mysql://root:hunter2@db/runbook", &StoreOptions::default()).await {
        Err(StoreError::Config(message)) => {
            for part in ["mysql", "sqlite://", "postgres://", "postgresql://"] {
                assert!(message.contains(part), "{message} should name {part}");
            }
            assert!(!message.contains("hunter2"), "{message}");
        }
        Err(other) => panic!("expected a Config error, got {other}"),
        Ok(_) => panic!("opened a mysql URL"),
    }
}

#[tokio::test]
async fn migrate_prepares_a_database_that_open_then_uses_without_migrating() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = url_of(&dir.path().join("migrated.db"));
    let without = StoreOptions {
        run_migrations: false,
        ..StoreOptions::default()
    };
    store::migrate(&url, &without).await.expect("migrate");
    store::migrate(&url, &without)
        .await
        .expect("migrating twice is a no-op");
    let store = store::open(&url, &without).await.expect("open");
    assert!(store.is_empty().await.expect("the schema is there"));

    let bare = url_of(&dir.path().join("bare.db"));
    let store = store::open(&bare, &without)
        .await
        .expect("open without migrations");
    assert!(
        matches!(store.is_empty().await, Err(StoreError::Query { .. })),
        "no schema, no tables"
    );
}

/// Content written under the first released schema, before revisions.
const LEGACY_CONTENT: &str = r#"
INSERT INTO scopes (host, id, name, kind, owners, contacts, revision)
VALUES ('acme.example', 'svc', 'Service', 'SERVICE', '[]', '[]', 7);
INSERT INTO procedures (host, scope, key, removed, patch)
VALUES ('acme.example', 'svc', 'p', 0, '{"title":"P"}');"#;

#[tokio::test]
async fn content_from_before_revisions_is_migrated_to_one_baseline_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let released = dir.path().join("released");
    std::fs::create_dir(&released).expect("released migrations dir");
    let first = "0001_runbook_graph.sql";
    std::fs::copy(
        Path::new("migrations/sqlite").join(first),
        released.join(first),
    )
    .expect("copy the first migration");
    let path = dir.path().join("legacy.db");
    let options = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true);
    let pool = SqlitePool::connect_with(options).await.expect("legacy db");
    let migrator = Migrator::new(released.as_path()).await.expect("migrator");
    migrator.run(&pool).await.expect("the released schema");
    sqlx::raw_sql(LEGACY_CONTENT)
        .execute(&pool)
        .await
        .expect("legacy content");
    pool.close().await;

    let store = store::open(&url_of(&path), &StoreOptions::default())
        .await
        .expect("open and migrate");
    let (h, svc) = (
        Host::parse("acme.example").expect("host"),
        ScopeId::parse("svc").expect("id"),
    );
    let baseline = store.generation(&h).await.expect("generation");
    assert!(baseline > 0, "the host is at the baseline change");
    let procedure = ObjectRef::Procedure(ProcedureKey::parse("p").expect("key"));
    assert_eq!(
        store.revisions(&h, &svc).await.expect("revisions"),
        vec![(ObjectRef::Scope, baseline), (procedure, baseline)]
    );
    let filter = HistoryFilter {
        limit: 10,
        ..HistoryFilter::default()
    };
    assert!(
        store
            .history(&h, &filter)
            .await
            .expect("history")
            .is_empty()
    );
    let docs = store.host_documents(&h).await.expect("documents");
    let mut renamed = docs[0].clone();
    renamed.scope.name = "Renamed".into();
    store.replace_documents(&[renamed]).await.expect("a write");
    let next = store.generation(&h).await.expect("generation");
    assert!(next > baseline);
    let revisions = store.revisions(&h, &svc).await.expect("revisions");
    assert_eq!((revisions[0].1, revisions[1].1), (next, baseline));
}
