//! Fresh PostgreSQL databases for end-to-end tests, on the throwaway server
//! that `scripts/with-postgres.sh` starts (its admin URL in
//! `RUNBOOK_TEST_POSTGRES_URL`). Missing, the test fails: it never skips.

use std::{
    sync::atomic::{AtomicUsize, Ordering},
    time::{SystemTime, UNIX_EPOCH},
};

use sqlx::{AssertSqlSafe, Connection, PgConnection};

const ADMIN_URL: &str = "RUNBOOK_TEST_POSTGRES_URL";

/// Creates a new, empty database and returns its URL.
pub async fn fresh_database() -> String {
    let admin = std::env::var(ADMIN_URL).unwrap_or_else(|_| {
        panic!(
            "{ADMIN_URL} is not set: run the tests through scripts/with-postgres.sh \
             (scripts/test.sh does), which starts a throwaway PostgreSQL and sets it"
        )
    });
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!(
        "runbook_e2e_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut conn = PgConnection::connect(&admin)
        .await
        .expect("connect to the admin database");
    // A database name is an identifier, which cannot be bound; this one is made above.
    sqlx::raw_sql(AssertSqlSafe(format!(
        "CREATE DATABASE {name} TEMPLATE template0"
    )))
    .execute(&mut conn)
    .await
    .expect("create a test database");
    let mut url = url::Url::parse(&admin).expect("the admin URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}
