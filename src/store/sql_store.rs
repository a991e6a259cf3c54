//! The `Store` implementation shared by the SQL backends.
//!
//! A backend is an sqlx database plus a table of [`Statements`]: its own SQL
//! text with the same binds and the same result columns. Everything else —
//! binding, decoding, the commit flow — is written once: reads here, changes
//! in `sql_changes.rs`, `commit.rs` and `write.rs`.

use std::sync::Arc;

use async_trait::async_trait;
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, FromRow, IntoArguments, Pool, Type};

use super::{
    ErrorCodeDefinition, LineageAt, ScopeVersion, SharedLineage, Snapshot, Store, StoreError,
    StoreResult,
    change::{ChangeSet, CommitError, Committed, HistoryFilter, HistoryRecord},
    decode::{self, ContentRow, DefinitionRow, HistoryRow, RevisionRow, ScopeRow, SearchRow},
    encode,
    failure::sql_error,
    shared,
    statements::Statements,
};
use crate::domain::{
    ErrorCode, Host, ObjectRef, Scope, ScopeDocument, ScopeId, ScopeKind,
    search::{SearchHit, SearchTerms},
};

/// A [`Store`] on an sqlx pool with a backend's statements.
pub(crate) struct SqlStore<DB: Database> {
    pub(super) backend: &'static str,
    pub(super) pool: Pool<DB>,
    pub(super) sql: &'static Statements,
    /// `lineage_documents` plus one row tagged `generation` (the host's
    /// generation in `num`): one statement, so one round trip and one snapshot.
    pub(super) lineage_at: Arc<str>,
    /// `lineage_shared` plus the same generation row.
    pub(super) lineage_shared: Arc<str>,
    /// Where write transactions begin: the pool itself, or on a database
    /// that takes one writer at a time a pool of one connection, on which
    /// writers queue in the order they came instead of behind readers.
    pub(super) writer: Pool<DB>,
}

impl<DB: Database> SqlStore<DB> {
    /// A store on an open, migrated pool.
    pub(crate) fn new(backend: &'static str, pool: Pool<DB>, sql: &'static Statements) -> Self {
        let with_generation = |statement: &str| -> Arc<str> {
            format!(
                "{statement}\nUNION ALL\nSELECT '{GENERATION_TAG}', '', NULL, NULL, ({}), NULL, NULL, NULL",
                sql.generation
            )
            .into()
        };
        Self {
            backend,
            writer: pool.clone(),
            pool,
            sql,
            lineage_at: with_generation(sql.lineage_documents),
            lineage_shared: with_generation(sql.lineage_shared),
        }
    }

    /// The same store, its write transactions begun on `writer`.
    pub(crate) fn with_writer(self, writer: Pool<DB>) -> Self {
        Self { writer, ..self }
    }
}

/// The tag of the generation row of `lineage_at`.
pub(super) const GENERATION_TAG: &str = "generation";

// The bounds below say what the SQL store needs of an sqlx database: executors,
// the types it binds and decodes, and the row shapes of `decode`. SQLite and
// PostgreSQL meet them. Rust does not carry such bounds through a helper trait,
// so they are spelled out on each impl that needs them (one here, one on the
// read helpers in `sql_reads.rs`, one in `sql_changes.rs`, one on the writer
// in `write.rs`).

/// A change id or revision as SQL binds it. Ids come from the database, so
/// they fit; a larger bound (a cursor from a client) means "all of them".
pub(crate) fn sql_int(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

#[async_trait]
impl<DB> Store for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'v> &'v str: Encode<'v, DB> + Type<DB>,
    for<'v> Option<&'v str>: Encode<'v, DB> + Type<DB>,
    DB::Arguments: Default,
    i64: for<'v> Encode<'v, DB> + for<'r> Decode<'r, DB> + Type<DB>,
    String: for<'v> Encode<'v, DB> + for<'r> Decode<'r, DB> + Type<DB>,
    bool: for<'r> Decode<'r, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
    ContentRow: for<'r> FromRow<'r, DB::Row>,
    ScopeRow: for<'r> FromRow<'r, DB::Row>,
    DefinitionRow: for<'r> FromRow<'r, DB::Row>,
    RevisionRow: for<'r> FromRow<'r, DB::Row>,
    HistoryRow: for<'r> FromRow<'r, DB::Row>,
    SearchRow: for<'r> FromRow<'r, DB::Row>,
    (String, String): for<'r> FromRow<'r, DB::Row>,
{
    fn backend(&self) -> &'static str {
        self.backend
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query::<DB>(self.sql.ping)
            .execute(&self.pool)
            .await
            .map_err(sql_error(self.backend, "ping"))?;
        Ok(())
    }

    async fn refresh_statistics(&self) -> StoreResult<()> {
        sqlx::query::<DB>(self.sql.refresh_statistics)
            .execute(&self.writer)
            .await
            .map_err(sql_error(self.backend, "refreshing planner statistics"))?;
        Ok(())
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        sqlx::query_scalar::<DB, bool>(self.sql.is_empty)
            .fetch_one(&self.pool)
            .await
            .map_err(sql_error(self.backend, "checking for scopes"))
    }

    async fn hosts(&self) -> StoreResult<Vec<Host>> {
        let hosts: Vec<String> = sqlx::query_scalar::<DB, String>(self.sql.hosts)
            .fetch_all(&self.pool)
            .await
            .map_err(sql_error(self.backend, "listing hosts"))?;
        hosts
            .into_iter()
            .map(|h| decode::host(self.backend, h))
            .collect()
    }

    async fn lineage_documents(
        &self,
        host: &Host,
        scope: &ScopeId,
    ) -> StoreResult<Vec<ScopeDocument>> {
        let context = "reading lineage documents";
        self.content_in(
            &self.pool,
            self.sql.lineage_documents,
            host,
            Some(scope.as_str()),
            context,
        )
        .await
    }

    async fn lineage_at(
        &self,
        host: &Host,
        scope: &ScopeId,
    ) -> StoreResult<(u64, Vec<ScopeDocument>)> {
        let (generation, rows) = self.lineage_rows_at(host, scope).await?;
        Ok((generation, decode::documents(self.backend, host, rows)?))
    }

    async fn lineage_shared(
        &self,
        host: &Host,
        scope: &ScopeId,
        known: &[(ScopeId, ScopeVersion)],
    ) -> StoreResult<SharedLineage> {
        let known: Vec<String> = known.iter().map(|(id, v)| v.key(id)).collect();
        let known = serde_json::to_string(&known).map_err(|e| StoreError::Query {
            backend: self.backend,
            context: "encoding known scope versions",
            message: e.to_string(),
        })?;
        let rows: Vec<ContentRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(self.lineage_shared.clone()))
                .bind(host.as_str())
                .bind(scope.as_str())
                .bind(known)
                .fetch_all(&self.pool)
                .await
                .map_err(sql_error(self.backend, "reading a lineage's versions"))?;
        shared::from_rows(self.backend, host, rows)
    }

    async fn lineage_revisions_at(&self, host: &Host, scope: &ScopeId) -> StoreResult<LineageAt> {
        let (generation, rows) = self.lineage_rows_at(host, scope).await?;
        let revisions = decode::content_revisions(self.backend, host, &rows)?;
        let docs = decode::documents(self.backend, host, rows)?;
        Ok(LineageAt {
            generation,
            docs,
            revisions,
        })
    }

    async fn documents(&self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<ScopeDocument>> {
        self.documents_in(&self.pool, host, ids).await
    }

    async fn host_documents(&self, host: &Host) -> StoreResult<Vec<ScopeDocument>> {
        self.content_in(
            &self.pool,
            self.sql.host_documents,
            host,
            None,
            "reading host documents",
        )
        .await
    }

    async fn scopes(&self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<Scope>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let query = sqlx::query_as(self.sql.scopes)
            .bind(host.as_str())
            .bind(encode::id_list(self.backend, ids)?);
        self.scope_rows(query, host, "reading scopes").await
    }

    async fn list_scopes(
        &self,
        host: &Host,
        kind: Option<ScopeKind>,
        after: Option<&ScopeId>,
        limit: u32,
    ) -> StoreResult<Vec<Scope>> {
        let query = sqlx::query_as(self.sql.list_scopes)
            .bind(host.as_str())
            .bind(kind.map(ScopeKind::as_str))
            .bind(after.map(ScopeId::as_str))
            .bind(i64::from(limit));
        self.scope_rows(query, host, "listing scopes").await
    }

    async fn children(
        &self,
        host: &Host,
        parents: &[ScopeId],
    ) -> StoreResult<Vec<(ScopeId, ScopeId)>> {
        if parents.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(String, String)> = sqlx::query_as(self.sql.children)
            .bind(host.as_str())
            .bind(encode::id_list(self.backend, parents)?)
            .fetch_all(&self.pool)
            .await
            .map_err(sql_error(self.backend, "reading children"))?;
        rows.into_iter()
            .map(|pair| decode::child_pair(self.backend, host, pair))
            .collect()
    }

    async fn error_code_definitions(
        &self,
        host: &Host,
        codes: &[ErrorCode],
    ) -> StoreResult<Vec<ErrorCodeDefinition>> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<DefinitionRow> = sqlx::query_as(self.sql.definitions)
            .bind(host.as_str())
            .bind(encode::id_list(self.backend, codes)?)
            .fetch_all(&self.pool)
            .await
            .map_err(sql_error(self.backend, "reading error code definitions"))?;
        let mut definitions = rows
            .into_iter()
            .map(|row| decode::definition(self.backend, host, row))
            .collect::<StoreResult<Vec<_>>>()?;
        decode::sort_definitions(&mut definitions);
        Ok(definitions)
    }

    async fn list_error_codes(
        &self,
        host: &Host,
        after: Option<&ErrorCode>,
        limit: u32,
    ) -> StoreResult<Vec<ErrorCode>> {
        let codes: Vec<String> = sqlx::query_scalar::<DB, String>(self.sql.list_error_codes)
            .bind(host.as_str())
            .bind(after.map(ErrorCode::as_str))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(sql_error(self.backend, "listing error codes"))?;
        codes
            .into_iter()
            .map(|code| decode::error_code(self.backend, host, code))
            .collect()
    }

    async fn search(
        &self,
        host: &Host,
        terms: &SearchTerms,
        offset: u32,
        limit: u32,
    ) -> StoreResult<Vec<SearchHit>> {
        self.search_hits(host, terms, offset, limit).await
    }

    async fn generation(&self, host: &Host) -> StoreResult<u64> {
        self.generation_in(&self.pool, host).await
    }

    async fn snapshot(&self, host: &Host) -> StoreResult<Snapshot> {
        self.snapshot_of(host).await
    }

    async fn revisions(&self, host: &Host, scope: &ScopeId) -> StoreResult<Vec<(ObjectRef, u64)>> {
        self.revisions_in(&self.pool, host, scope).await
    }

    async fn commit(&self, change: &ChangeSet) -> Result<Committed, CommitError> {
        self.commit_change(change).await
    }

    async fn history(
        &self,
        host: &Host,
        filter: &HistoryFilter,
    ) -> StoreResult<Vec<HistoryRecord>> {
        self.history_of(host, filter).await
    }
}
