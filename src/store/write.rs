//! The write side of the SQL store: the open transaction as the shared replace
//! flow sees it, and the writing of one encoded document — the same sequence
//! for every SQL backend, only the SQL text differs.

use async_trait::async_trait;
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

use super::{
    StoreResult,
    decode::{ContentRow, DefinitionRow, ScopeRow},
    encode::EncodedDocument,
    failure::sql_error,
    replace::WriteTx,
    sql_store::SqlStore,
    statements::WriteSql,
};
use crate::domain::{Host, ScopeDocument, ScopeId};

const INSERT_CONTEXT: [&str; 5] = [
    "writing parents",
    "writing procedures",
    "writing branches",
    "writing entries",
    "writing error codes",
];

/// Writes `doc` on `conn`, which must be inside the caller's transaction.
pub(crate) async fn document<DB>(
    backend: &'static str,
    conn: &mut DB::Connection,
    sql: &WriteSql,
    doc: &EncodedDocument<'_>,
) -> StoreResult<()>
where
    DB: Database,
    DB::Arguments: IntoArguments<DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'v> &'v str: Encode<'v, DB> + Type<DB>,
{
    sqlx::query::<DB>(sql.upsert_scope)
        .bind(doc.host)
        .bind(doc.id)
        .bind(doc.name)
        .bind(doc.kind)
        .bind(doc.owners.as_str())
        .bind(doc.contacts.as_str())
        .execute(&mut *conn)
        .await
        .map_err(sql_error(backend, "writing a scope"))?;
    for statement in sql.clear_scope {
        sqlx::query::<DB>(statement)
            .bind(doc.host)
            .bind(doc.id)
            .execute(&mut *conn)
            .await
            .map_err(sql_error(backend, "clearing a scope's content"))?;
    }
    let arrays = [
        &doc.parents,
        &doc.procedures,
        &doc.branches,
        &doc.entries,
        &doc.error_codes,
    ];
    for ((statement, rows), context) in sql.insert_rows.into_iter().zip(arrays).zip(INSERT_CONTEXT)
    {
        let Some(rows) = rows else { continue };
        sqlx::query::<DB>(statement)
            .bind(doc.host)
            .bind(doc.id)
            .bind(rows.as_str())
            .execute(&mut *conn)
            .await
            .map_err(sql_error(backend, context))?;
    }
    Ok(())
}

/// The open write transaction, as the shared replace flow sees it.
pub(super) struct Writer<'t, DB: Database> {
    store: &'t SqlStore<DB>,
    conn: &'t mut DB::Connection,
}

impl<'t, DB: Database> Writer<'t, DB> {
    /// The writer of `store` on `conn`, a connection inside a transaction.
    pub(super) fn new(store: &'t SqlStore<DB>, conn: &'t mut DB::Connection) -> Self {
        Self { store, conn }
    }
}

#[async_trait]
impl<DB> WriteTx for Writer<'_, DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'v> &'v str: Encode<'v, DB> + Type<DB>,
    for<'v> Option<&'v str>: Encode<'v, DB> + Type<DB>,
    i64: for<'v> Encode<'v, DB> + Type<DB>,
    String: for<'v> Encode<'v, DB> + for<'r> Decode<'r, DB> + Type<DB>,
    bool: for<'r> Decode<'r, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
    ContentRow: for<'r> FromRow<'r, DB::Row>,
    ScopeRow: for<'r> FromRow<'r, DB::Row>,
    DefinitionRow: for<'r> FromRow<'r, DB::Row>,
    (String, String): for<'r> FromRow<'r, DB::Row>,
{
    async fn stored(&mut self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<ScopeDocument>> {
        self.store.documents_in(&mut *self.conn, host, ids).await
    }

    async fn write(&mut self, doc: &EncodedDocument<'_>) -> StoreResult<()> {
        let store = self.store;
        document::<DB>(store.backend, self.conn, &store.sql.write, doc).await
    }
}
