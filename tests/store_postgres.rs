//! The store contract against PostgreSQL: a fresh database per test, created
//! on the server named by `RUNBOOK_TEST_POSTGRES_URL` (an admin URL) and
//! dropped after the test. Run through `scripts/with-postgres.sh`, which starts
//! a throwaway server and sets that variable.

mod contract;

use std::{
    sync::atomic::{AtomicUsize, Ordering},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use async_trait::async_trait;
use contract::{Backdoor, TestStore};
use light_runbook::{
    domain::{Host, ObjectRef, ProcedureKey, ScopeId},
    store::{self, HistoryFilter, StoreError, StoreOptions},
};
use sqlx::{
    AssertSqlSafe, Connection, PgConnection, PgPool, migrate::Migrator, postgres::PgPoolOptions,
};

const ADMIN_URL: &str = "RUNBOOK_TEST_POSTGRES_URL";

fn admin_url() -> String {
    std::env::var(ADMIN_URL).unwrap_or_else(|_| {
        panic!(
            "{ADMIN_URL} is not set: run the PostgreSQL tests through scripts/with-postgres.sh, \
             e.g. `scripts/with-postgres.sh cargo test --test store_postgres`; it starts a \
             throwaway PostgreSQL and sets {ADMIN_URL} to its admin URL"
        )
    })
}

/// A database name no other test (or earlier run) uses: `[a-z0-9_]` only.
fn unique_database_name() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "runbook_test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Runs one statement on the admin database. Database names are identifiers,
/// which cannot be bound: the only ones formatted in come from `unique_database_name`.
async fn admin(admin_url: &str, statement: String) -> Result<(), sqlx::Error> {
    let mut conn = PgConnection::connect(admin_url).await?;
    sqlx::raw_sql(AssertSqlSafe(statement))
        .execute(&mut conn)
        .await?;
    conn.close().await
}

/// Creates a test database. Where the server has ICU (PostgreSQL 15+ built
/// with it), its locale is `en-US`, whose order is not byte order: any sorting
/// or paging that forgets the "C" collation of the schema fails the suite.
async fn create_database(admin_url: &str, name: &str) {
    let icu =
        format!("CREATE DATABASE {name} LOCALE_PROVIDER icu ICU_LOCALE 'en-US' TEMPLATE template0");
    if admin(admin_url, icu).await.is_err() {
        admin(admin_url, format!("CREATE DATABASE {name}"))
            .await
            .unwrap_or_else(|e| panic!("cannot create a test database on {ADMIN_URL}: {e}"));
    }
}

/// Drops the test's database when the test ends (best effort, on its own thread
/// and runtime, since `Drop` cannot wait on the test's runtime).
struct DropDatabase {
    admin_url: String,
    name: String,
}

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        let dropper = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(runtime) = runtime {
                let statement = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let _ = runtime.block_on(admin(&admin_url, statement));
            }
        });
        let _ = dropper.join();
    }
}

async fn fresh_postgres() -> TestStore {
    let admin_url = admin_url();
    let name = unique_database_name();
    create_database(&admin_url, &name).await;
    let guard = DropDatabase {
        admin_url: admin_url.clone(),
        name: name.clone(),
    };
    let mut url = url::Url::parse(&admin_url).expect("the admin URL parses");
    url.set_path(&format!("/{name}"));
    let store = store::open(url.as_str(), &StoreOptions::default())
        .await
        .expect("open a PostgreSQL store");
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy(url.as_str())
        .expect("a backdoor pool");
    TestStore::new(store, PostgresBackdoor { pool }, guard)
}

contract_suite!(postgres, fresh_postgres());

/// A separate connection to the test's database.
struct PostgresBackdoor {
    pool: PgPool,
}

#[async_trait]
impl Backdoor for PostgresBackdoor {
    async fn refuse_error_code_rows(&self) {
        const REFUSE: &str = "
CREATE FUNCTION refuse_error_code_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'error code rows are refused by the test';
END
$$;
CREATE TRIGGER refuse_error_code_rows BEFORE INSERT ON error_codes
    FOR EACH ROW EXECUTE FUNCTION refuse_error_code_rows();";
        sqlx::raw_sql(REFUSE)
            .execute(&self.pool)
            .await
            .expect("create the trigger");
    }

    async fn revision(&self, host: &Host, scope: &ScopeId) -> Option<i64> {
        const REVISION: &str = "SELECT revision FROM scopes WHERE host = $1 AND id = $2";
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
            "UPDATE procedures SET key = $1 WHERE host = $2 AND scope = $3 AND key = $4";
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
async fn an_unreachable_server_is_unavailable_naming_host_and_port_but_not_the_password() {
    let options = StoreOptions {
        acquire_timeout: Duration::from_secs(3),
        ..StoreOptions::default()
    };
    // Port 1 on the loopback: nothing listens there.
    match store::open("postgres://runbook:s3cret-pw@127.0.0.1:1/runbook", &options).await {
        Err(StoreError::Unavailable { message, .. }) => {
            assert!(message.contains("127.0.0.1:1/runbook"), "{message}");
            assert!(!message.contains("s3cret-pw"), "{message}");
        }
        Err(other) => panic!("expected Unavailable, got {other}"),
        Ok(_) => panic!("connected to port 1"),
    }
}

#[tokio::test]
async fn migrate_prepares_a_database_that_open_then_uses_without_migrating() {
    let admin_url = admin_url();
    let name = unique_database_name();
    create_database(&admin_url, &name).await;
    let _guard = DropDatabase {
        admin_url: admin_url.clone(),
        name: name.clone(),
    };
    let mut url = url::Url::parse(&admin_url).expect("the admin URL parses");
    url.set_path(&format!("/{name}"));
    let without = StoreOptions {
        run_migrations: false,
        ..StoreOptions::default()
    };
    store::migrate(url.as_str(), &without)
        .await
        .expect("migrate");
    store::migrate(url.as_str(), &without)
        .await
        .expect("migrating twice is a no-op");
    let store = store::open(url.as_str(), &without).await.expect("open");
    assert!(store.is_empty().await.expect("the schema is there"));
    assert_eq!(store.backend(), "postgres");
}

/// Content written under the first released schema, before revisions.
const LEGACY_CONTENT: &str = r#"
INSERT INTO scopes (host, id, name, kind, owners, contacts, revision)
VALUES ('acme.example', 'svc', 'Service', 'SERVICE', '[]', '[]', 7);
INSERT INTO procedures (host, scope, key, removed, patch)
VALUES ('acme.example', 'svc', 'p', false, '{"title":"P"}');"#;

#[tokio::test]
async fn content_from_before_revisions_is_migrated_to_one_baseline_change() {
    let admin_url = admin_url();
    let name = unique_database_name();
    create_database(&admin_url, &name).await;
    let _guard = DropDatabase {
        admin_url: admin_url.clone(),
        name: name.clone(),
    };
    let mut url = url::Url::parse(&admin_url).expect("the admin URL parses");
    url.set_path(&format!("/{name}"));
    let dir = tempfile::tempdir().expect("temp dir");
    let first = "0001_runbook_graph.sql";
    std::fs::copy(
        std::path::Path::new("migrations/postgres").join(first),
        dir.path().join(first),
    )
    .expect("copy the first migration");
    let mut conn = PgConnection::connect(url.as_str()).await.expect("connect");
    let migrator = Migrator::new(dir.path()).await.expect("migrator");
    migrator.run(&mut conn).await.expect("the released schema");
    sqlx::raw_sql(LEGACY_CONTENT)
        .execute(&mut conn)
        .await
        .expect("legacy content");
    conn.close().await.expect("close");

    let store = store::open(url.as_str(), &StoreOptions::default())
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
