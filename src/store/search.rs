//! Search on the SQL backends: one statement on the backend's text index
//! (`Statements::search`), the matches marked by the domain's rule.

use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, Type};

use super::{
    StoreResult,
    decode::{self, SearchRow},
    failure::sql_error,
    sql_store::SqlStore,
};
use crate::domain::{
    Host,
    search::{SearchHit, SearchTerms},
};

impl<DB> SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'v> &'v str: Encode<'v, DB> + Type<DB>,
    String: for<'v> Encode<'v, DB> + Type<DB>,
    i64: for<'v> Encode<'v, DB> + Type<DB>,
    SearchRow: for<'r> FromRow<'r, DB::Row>,
{
    /// A page of hits of `host` for `terms`, best first.
    pub(super) async fn search_hits(
        &self,
        host: &Host,
        terms: &SearchTerms,
        offset: u32,
        limit: u32,
    ) -> StoreResult<Vec<SearchHit>> {
        let rows: Vec<SearchRow> = sqlx::query_as(self.sql.search)
            .bind(host.as_str())
            .bind((self.sql.search_expression)(terms))
            .bind(i64::from(limit))
            .bind(i64::from(offset))
            .fetch_all(&self.pool)
            .await
            .map_err(sql_error(self.backend, "searching"))?;
        rows.into_iter()
            .map(|row| decode::search_hit(self.backend, host, row, terms))
            .collect()
    }
}
