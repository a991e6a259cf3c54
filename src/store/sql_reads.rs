//! The read helpers of the SQL store ([`SqlStore`]): documents and scopes
//! decoded from a statement's rows, on the pool or in a transaction, and the
//! lineage statement's rows with the generation they are at.

use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

use super::{
    StoreResult,
    decode::{self, ContentRow, DefinitionRow, HistoryRow, RevisionRow, ScopeRow},
    encode,
    failure::sql_error,
    sql_store::{GENERATION_TAG, SqlStore},
};
use crate::domain::{Host, Scope, ScopeDocument, ScopeId};

impl<DB> SqlStore<DB>
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
    (String, String): for<'r> FromRow<'r, DB::Row>,
{
    /// Content rows of the given scopes, decoded; on the pool or in a transaction.
    pub(super) async fn documents_in<'e>(
        &self,
        executor: impl Executor<'e, Database = DB>,
        host: &Host,
        ids: &[ScopeId],
    ) -> StoreResult<Vec<ScopeDocument>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<ContentRow> = sqlx::query_as(self.sql.documents)
            .bind(host.as_str())
            .bind(encode::id_list(self.backend, ids)?)
            .fetch_all(executor)
            .await
            .map_err(sql_error(self.backend, "reading documents"))?;
        decode::documents(self.backend, host, rows)
    }

    /// Content rows of one statement with the host (and maybe one more text)
    /// bound; on the pool or in a transaction.
    pub(super) async fn content_in<'e>(
        &self,
        executor: impl Executor<'e, Database = DB>,
        statement: &'static str,
        host: &Host,
        scope: Option<&str>,
        context: &'static str,
    ) -> StoreResult<Vec<ScopeDocument>> {
        let mut query = sqlx::query_as::<DB, ContentRow>(statement).bind(host.as_str());
        if let Some(scope) = scope {
            query = query.bind(scope);
        }
        let rows = query
            .fetch_all(executor)
            .await
            .map_err(sql_error(self.backend, context))?;
        decode::documents(self.backend, host, rows)
    }

    /// The rows of the `lineage_at` statement and the generation they are at.
    pub(super) async fn lineage_rows_at(
        &self,
        host: &Host,
        scope: &ScopeId,
    ) -> StoreResult<(u64, Vec<ContentRow>)> {
        let mut rows: Vec<ContentRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(self.lineage_at.clone()))
                .bind(host.as_str())
                .bind(scope.as_str())
                .fetch_all(&self.pool)
                .await
                .map_err(sql_error(
                    self.backend,
                    "reading a lineage and its generation",
                ))?;
        let at = rows.iter().position(|r| r.tag == GENERATION_TAG);
        let generation = at.map(|i| rows.remove(i)).and_then(|r| r.num);
        let generation = decode::change_id(
            self.backend,
            "hosts",
            host.as_str(),
            generation.unwrap_or(0),
        )?;
        Ok((generation, rows))
    }

    /// Scope rows of one statement, decoded.
    pub(super) async fn scope_rows<'q>(
        &self,
        query: sqlx::query::QueryAs<'q, DB, ScopeRow, DB::Arguments>,
        host: &Host,
        context: &'static str,
    ) -> StoreResult<Vec<Scope>> {
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(sql_error(self.backend, context))?;
        rows.into_iter()
            .map(|row| decode::scope(self.backend, host, row))
            .collect()
    }
}
