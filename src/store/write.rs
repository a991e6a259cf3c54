//! The write side of the SQL store: the open transaction as the commit flow
//! sees it ([`SqlWriter`]), and the statements of one scope's write — the same
//! sequence for every SQL backend, only the SQL text differs.

use async_trait::async_trait;
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

use super::{
    StoreResult,
    change::Actor,
    commit::CommitTx,
    decode::{self, ContentRow, DefinitionRow, HistoryRow, RevisionRow, ScopeRow},
    encode::{self, EncodedScope, EncodedWrite},
    failure::sql_error,
    scope_writes::ScopeWrite,
    sql_store::{SqlStore, sql_int},
    statements::WriteSql,
};
use crate::domain::{Host, ObjectRef, ScopeDocument, ScopeId};

const DELETE_CONTEXT: [&str; 4] = [
    "deleting procedures",
    "deleting branches",
    "deleting entries",
    "deleting error codes",
];

const INSERT_CONTEXT: [&str; 4] = [
    "writing procedures",
    "writing branches",
    "writing entries",
    "writing error codes",
];

/// Runs one statement with binds host, id and a JSON text, and maybe a revision.
async fn run<DB>(
    backend: &'static str,
    conn: &mut DB::Connection,
    statement: &'static str,
    (host, id, text): (&str, &str, &str),
    revision: Option<i64>,
    context: &'static str,
) -> StoreResult<()>
where
    DB: Database,
    DB::Arguments: IntoArguments<DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'v> &'v str: Encode<'v, DB> + Type<DB>,
    i64: for<'v> Encode<'v, DB> + Type<DB>,
{
    let mut query = sqlx::query::<DB>(statement).bind(host).bind(id).bind(text);
    if let Some(revision) = revision {
        query = query.bind(revision);
    }
    query
        .execute(&mut *conn)
        .await
        .map_err(sql_error(backend, context))?;
    Ok(())
}

/// Writes a scope row at `revision` and replaces its parents, on `conn`
/// (inside the caller's transaction).
async fn scope_row<DB>(
    backend: &'static str,
    conn: &mut DB::Connection,
    sql: &WriteSql,
    (host, id): (&str, &str),
    row: &EncodedScope<'_>,
    revision: i64,
) -> StoreResult<()>
where
    DB: Database,
    DB::Arguments: IntoArguments<DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'v> &'v str: Encode<'v, DB> + Type<DB>,
    i64: for<'v> Encode<'v, DB> + Type<DB>,
{
    sqlx::query::<DB>(sql.upsert_scope)
        .bind(host)
        .bind(id)
        .bind(row.name)
        .bind(row.kind)
        .bind(row.owners.as_str())
        .bind(row.contacts.as_str())
        .bind(revision)
        .execute(&mut *conn)
        .await
        .map_err(sql_error(backend, "writing a scope"))?;
    sqlx::query::<DB>(sql.clear_parents)
        .bind(host)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(sql_error(backend, "clearing parents"))?;
    let Some(parents) = &row.parents else {
        return Ok(());
    };
    let (binds, context) = ((host, id, parents.as_str()), "writing parents");
    run(backend, conn, sql.insert_parents, binds, None, context).await
}

/// Writes what a change encoded for one kept scope on `conn` (inside the
/// caller's transaction): the scope row and parents if the scope object
/// changed, then per content table the old rows of changed objects out and
/// their new rows in, at `revision`. Unchanged rows are left as they are.
async fn scope<DB>(
    backend: &'static str,
    conn: &mut DB::Connection,
    sql: &WriteSql,
    (host, id): (&str, &str),
    encoded: &EncodedWrite<'_>,
    revision: i64,
) -> StoreResult<()>
where
    DB: Database,
    DB::Arguments: IntoArguments<DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'v> &'v str: Encode<'v, DB> + Type<DB>,
    i64: for<'v> Encode<'v, DB> + Type<DB>,
{
    if let Some(row) = &encoded.scope {
        scope_row::<DB>(backend, conn, sql, (host, id), row, revision).await?;
    }
    let deletes = sql.delete_rows.iter().zip(&encoded.delete);
    for ((statement, keys), context) in deletes.zip(DELETE_CONTEXT) {
        let Some(keys) = keys else { continue };
        run(backend, conn, statement, (host, id, keys), None, context).await?;
    }
    let inserts = sql.insert_rows.iter().zip(&encoded.insert);
    for ((statement, rows), context) in inserts.zip(INSERT_CONTEXT) {
        let Some(rows) = rows else { continue };
        run(
            backend,
            conn,
            statement,
            (host, id, rows),
            Some(revision),
            context,
        )
        .await?;
    }
    Ok(())
}

/// The open write transaction, as the commit flow sees it.
pub(super) struct SqlWriter<'t, DB: Database> {
    store: &'t SqlStore<DB>,
    conn: &'t mut DB::Connection,
}

impl<'t, DB: Database> SqlWriter<'t, DB> {
    /// The writer of `store` on `conn`, a connection inside a transaction.
    pub(super) fn new(store: &'t SqlStore<DB>, conn: &'t mut DB::Connection) -> Self {
        Self { store, conn }
    }
}

#[async_trait]
impl<DB> CommitTx for SqlWriter<'_, DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'v> &'v str: Encode<'v, DB> + Type<DB>,
    for<'v> Option<&'v str>: Encode<'v, DB> + Type<DB>,
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
    async fn generation(&mut self, host: &Host) -> StoreResult<u64> {
        self.store.generation_in(&mut *self.conn, host).await
    }

    async fn revisions(
        &mut self,
        host: &Host,
        scope: &ScopeId,
    ) -> StoreResult<Vec<(ObjectRef, u64)>> {
        self.store.revisions_in(&mut *self.conn, host, scope).await
    }

    async fn stored(&mut self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<ScopeDocument>> {
        self.store.documents_in(&mut *self.conn, host, ids).await
    }

    async fn new_change(&mut self, actor: &Actor) -> StoreResult<u64> {
        let backend = self.store.backend;
        let id: i64 = sqlx::query_scalar::<DB, i64>(self.store.sql.write.insert_change)
            .bind(actor.uid.as_str())
            .bind(actor.at_ms)
            .bind(actor.operation.as_str())
            .fetch_one(&mut *self.conn)
            .await
            .map_err(sql_error(backend, "recording a change"))?;
        decode::change_id(backend, "changes", "-", id)
    }

    async fn write(&mut self, write: &ScopeWrite<'_>, change_id: u64) -> StoreResult<()> {
        let (backend, sql) = (self.store.backend, &self.store.sql.write);
        let (host, id) = (write.host.as_str(), write.scope.as_str());
        let Some(doc) = write.after else {
            sqlx::query::<DB>(sql.delete_scope)
                .bind(host)
                .bind(id)
                .execute(&mut *self.conn)
                .await
                .map_err(sql_error(backend, "deleting a scope"))?;
            return Ok(());
        };
        let encoded = encode::write(backend, doc, &write.changes)?;
        scope::<DB>(
            backend,
            self.conn,
            sql,
            (host, id),
            &encoded,
            sql_int(change_id),
        )
        .await
    }

    async fn record(
        &mut self,
        change_id: u64,
        actor: &Actor,
        writes: &[ScopeWrite<'_>],
    ) -> StoreResult<()> {
        let backend = self.store.backend;
        let rows = encode::history(backend, writes)?;
        sqlx::query::<DB>(self.store.sql.write.insert_history)
            .bind(sql_int(change_id))
            .bind(actor.uid.as_str())
            .bind(actor.at_ms)
            .bind(actor.operation.as_str())
            .bind(rows.as_str())
            .execute(&mut *self.conn)
            .await
            .map_err(sql_error(backend, "recording history"))?;
        Ok(())
    }

    async fn set_generation(&mut self, host: &Host, change_id: u64) -> StoreResult<()> {
        sqlx::query::<DB>(self.store.sql.write.set_generation)
            .bind(host.as_str())
            .bind(sql_int(change_id))
            .execute(&mut *self.conn)
            .await
            .map_err(sql_error(self.store.backend, "setting a host's generation"))?;
        Ok(())
    }
}
