//! History and audit: every version of every object, who changed it, when,
//! and how; pages newest first.

use async_graphql::{Context, Json, Object, SimpleObject, connection::Connection};
use serde_json::Value;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{
    errors::{arg, gql},
    query::{connection, history_host, page_size},
    write_types::ObjectKind,
};
use crate::{
    domain::{
        ObjectRef, ScopeId,
        history::{HistoryFilter, HistoryRecord},
        page::cut_page,
    },
    error::ApiError,
    runbooks::Runbooks,
};

/// One version of one object.
#[derive(SimpleObject)]
pub struct Change {
    /// The change's id, also the object's revision after it.
    pub change_id: i64,
    pub scope_id: String,
    pub kind: ObjectKind,
    /// Empty for the scope itself; `from/label` for a branch.
    pub key: String,
    /// `CREATED`, `UPDATED` or `DELETED`.
    pub action: String,
    /// The object before the change (null when created).
    pub before: Option<Json<Value>>,
    /// The object after the change (null when deleted).
    pub after: Option<Json<Value>>,
    /// Who: the token's `uid`.
    pub uid: String,
    /// When, RFC 3339.
    pub at: String,
    /// Which operation, e.g. `updateProcedure` or `importRunbook`.
    pub operation: String,
}

fn rfc3339(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| ms.to_string())
}

fn millis(field: &str, text: &str) -> async_graphql::Result<i64> {
    let t = OffsetDateTime::parse(text, &Rfc3339).map_err(|e| {
        gql(ApiError::bad_input(
            field,
            format!("{field} must be an RFC 3339 time such as 2026-11-26T08:00:00Z: {e}"),
        ))
    })?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000)
        .map_err(|_| gql(ApiError::bad_input(field, "time out of range")))
}

impl From<HistoryRecord> for Change {
    fn from(r: HistoryRecord) -> Self {
        Self {
            change_id: i64::try_from(r.change_id).unwrap_or(i64::MAX),
            scope_id: r.scope.to_string(),
            kind: ObjectKind::of(&r.object),
            key: r.object.key(),
            action: r.action.as_str().to_owned(),
            before: r.before.map(Json),
            after: r.after.map(Json),
            uid: r.actor.uid,
            at: rfc3339(r.actor.at_ms),
            operation: r.actor.operation,
        }
    }
}

/// History queries.
#[derive(Default)]
pub struct HistoryQuery;

async fn page(
    ctx: &Context<'_>,
    host: Option<String>,
    mut filter: HistoryFilter,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<Connection<String, Change>> {
    let host = history_host(ctx, host.as_deref())?;
    let limit = page_size(first)?;
    filter.limit = limit + 1;
    filter.before_change = match after.as_deref() {
        Some(cursor) => Some(
            cursor
                .parse()
                .map_err(|_| gql(ApiError::bad_input("after", "not a cursor of this list")))?,
        ),
        None => None,
    };
    let runbooks = ctx.data::<Runbooks>()?;
    let mut records = runbooks.history(&host, &filter).await.map_err(gql)?;
    let has_next = cut_page(&mut records, limit);
    // The cursor is the change id; a change touching many objects of one
    // scope could straddle a page, so a page ends on a whole change.
    if has_next
        && let Some(last) = records.last().map(|r| r.change_id)
        && records.iter().any(|r| r.change_id != last)
    {
        records.retain(|r| r.change_id != last);
    }
    Ok(connection(after.is_some(), has_next, records, |r| {
        (r.change_id.to_string(), Change::from(r))
    }))
}

#[Object]
impl HistoryQuery {
    /// The versions of a scope's objects, newest first: of one object when
    /// `kind` (and `key`) is given, else of everything in the scope.
    #[allow(clippy::too_many_arguments)]
    async fn history(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        kind: Option<ObjectKind>,
        #[graphql(default)] key: String,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Change>> {
        let scope = arg::<ScopeId>("scopeId", &scope_id)?;
        let object = kind
            .map(|k| ObjectRef::parse(k.name(), &key))
            .transpose()
            .map_err(|e| gql(ApiError::bad_input("key", e.to_string())))?;
        let filter = HistoryFilter {
            scope: Some(scope),
            object,
            ..HistoryFilter::default()
        };
        page(ctx, host, filter, first, after).await
    }

    /// The audit trail of a host, newest first, by scope, by user and by time
    /// range (`from` inclusive, `to` exclusive, RFC 3339).
    #[allow(clippy::too_many_arguments)]
    async fn audit(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: Option<String>,
        uid: Option<String>,
        from: Option<String>,
        to: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Change>> {
        let filter = HistoryFilter {
            scope: scope_id
                .map(|s| arg::<ScopeId>("scopeId", &s))
                .transpose()?,
            uid,
            from_ms: from.map(|t| millis("from", &t)).transpose()?,
            to_ms: to.map(|t| millis("to", &t)).transpose()?,
            ..HistoryFilter::default()
        };
        page(ctx, host, filter, first, after).await
    }
}
