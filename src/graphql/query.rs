//! The query root: the effective runbook, and the raw content as written.

use std::sync::Arc;

use async_graphql::{
    Context, Object, OutputType,
    connection::{Connection, Edge},
};

use super::{
    cacheable::ReadGenerations,
    enums::ScopeKind,
    errors::{arg, gql},
    runbook::{EffectiveErrorCodeObject, RunbookObject},
    scope::{ScopeObject, WrittenProcedure, load_scopes},
};
use crate::{
    domain::{ErrorCode, ProcedureKey, ScopeId, page::cut_page},
    error::ApiError,
    runbooks::Runbooks,
};

/// The largest page a list query returns.
pub const MAX_PAGE: i32 = 500;
const DEFAULT_PAGE: i32 = 50;

/// Read queries.
#[derive(Default)]
pub struct QueryRoot;

pub use crate::auth::ReadPolicy;

/// The host a query names (or the default), once the caller may read it.
pub(super) fn read_host(
    ctx: &Context<'_>,
    host: Option<&str>,
) -> async_graphql::Result<crate::domain::Host> {
    let runbooks = ctx.data::<Runbooks>()?;
    let host = runbooks.host(host).map_err(gql)?;
    let policy = *ctx.data::<ReadPolicy>()?;
    let caller = super::mutation::caller(ctx);
    crate::auth::can_read(caller, &host, runbooks.default_host(), policy).map_err(gql)?;
    Ok(host)
}

/// The host a history or audit query names (or the default), once the
/// caller may read its history: a token of that host.
pub(super) fn history_host(
    ctx: &Context<'_>,
    host: Option<&str>,
) -> async_graphql::Result<crate::domain::Host> {
    let runbooks = ctx.data::<Runbooks>()?;
    let host = runbooks.host(host).map_err(gql)?;
    let policy = *ctx.data::<ReadPolicy>()?;
    crate::auth::can_read_history(super::mutation::caller(ctx), &host, policy).map_err(gql)?;
    Ok(host)
}

/// A page of `nodes`, each with its cursor, as a Relay connection.
pub(super) fn connection<T, N: OutputType>(
    after_given: bool,
    has_next: bool,
    nodes: impl IntoIterator<Item = T>,
    edge: impl Fn(T) -> (String, N),
) -> Connection<String, N> {
    let mut connection = Connection::new(after_given, has_next);
    connection.edges.extend(nodes.into_iter().map(|node| {
        let (cursor, node) = edge(node);
        Edge::new(cursor, node)
    }));
    connection
}

pub(super) fn page_size(first: Option<i32>) -> async_graphql::Result<u32> {
    page_size_within(first, DEFAULT_PAGE, MAX_PAGE)
}

/// `first`, or `default`, once it is between 1 and `max`.
pub(super) fn page_size_within(
    first: Option<i32>,
    default: i32,
    max: i32,
) -> async_graphql::Result<u32> {
    match first.unwrap_or(default) {
        n if (1..=max).contains(&n) => Ok(n.unsigned_abs()),
        n => Err(gql(ApiError::bad_input(
            "first",
            format!("first must be between 1 and {max}, got {n}"),
        ))),
    }
}

#[Object]
impl QueryRoot {
    /// A service's effective runbook: inherited plus overridden, with the
    /// provenance of every step. With `errorCode`, only what is reachable from
    /// that code's entry (the exact entry, else `*`).
    async fn runbook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Tenant; the service's default host when omitted.")] host: Option<String>,
        #[graphql(desc = "The service's scope id (its light-4j serviceId).")] service_id: String,
        #[graphql(desc = "A light-4j error code such as ERR10001.")] error_code: Option<String>,
    ) -> async_graphql::Result<RunbookObject> {
        let runbooks = ctx.data::<Runbooks>()?;
        let host = read_host(ctx, host.as_deref())?;
        let service = arg::<ScopeId>("serviceId", &service_id)?;
        let code = match error_code.as_deref() {
            Some(c) => Some(arg::<ErrorCode>("errorCode", c)?),
            None => None,
        };
        let (rb, generation) = runbooks
            .runbook_at(&host, &service, code.as_ref())
            .await
            .map_err(gql)?;
        if let (Some(generation), Some(read)) = (generation, ctx.data_opt::<Arc<ReadGenerations>>())
        {
            read.record(&host, generation);
        }
        Ok(rb.into())
    }

    /// One scope by id.
    async fn scope(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        id: String,
    ) -> async_graphql::Result<Option<ScopeObject>> {
        let host = read_host(ctx, host.as_deref())?;
        let id = arg::<ScopeId>("id", &id)?;
        Ok(load_scopes(ctx, &host, &[id]).await?.pop())
    }

    /// Scopes by id, optionally of one kind; forward pagination (`first`, `after`).
    async fn scopes(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        kind: Option<ScopeKind>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, ScopeObject>> {
        let runbooks = ctx.data::<Runbooks>()?;
        let host = read_host(ctx, host.as_deref())?;
        let limit = page_size(first)?;
        let after = match after.as_deref() {
            Some(a) => Some(arg::<ScopeId>("after", a)?),
            None => None,
        };
        let mut page = runbooks
            .list_scopes(&host, kind.map(Into::into), after.as_ref(), limit + 1)
            .await
            .map_err(gql)?;
        let has_next = cut_page(&mut page, limit);
        Ok(connection(after.is_some(), has_next, page, |s| {
            (s.id.to_string(), ScopeObject(Arc::new(s)))
        }))
    }

    /// An error code. With `serviceId`: as merged over that service's lineage.
    /// Without: as registered by its most general scope. Null when unregistered.
    async fn error_code(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        code: String,
        service_id: Option<String>,
    ) -> async_graphql::Result<Option<EffectiveErrorCodeObject>> {
        let runbooks = ctx.data::<Runbooks>()?;
        let host = read_host(ctx, host.as_deref())?;
        let code = arg::<ErrorCode>("code", &code)?;
        let service = match service_id.as_deref() {
            Some(s) => Some(arg::<ScopeId>("serviceId", s)?),
            None => None,
        };
        runbooks
            .error_code(&host, &code, service.as_ref())
            .await
            .map_err(gql)?
            .map(|(c, scopes)| EffectiveErrorCodeObject::new(&c, &scopes))
            .transpose()
    }

    /// Error codes registered in a host, by code, each as registered by its
    /// most general scope; forward pagination (`first`, `after`).
    async fn error_codes(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, EffectiveErrorCodeObject>> {
        let runbooks = ctx.data::<Runbooks>()?;
        let host = read_host(ctx, host.as_deref())?;
        let limit = page_size(first)?;
        let after = match after.as_deref() {
            Some(a) => Some(arg::<ErrorCode>("after", a)?),
            None => None,
        };
        let (codes, has_next) = runbooks
            .error_code_page(&host, after.as_ref(), limit)
            .await
            .map_err(gql)?;
        let mut connection = Connection::new(after.is_some(), has_next);
        for (c, scopes) in codes {
            let node = EffectiveErrorCodeObject::new(&c, &scopes)?;
            connection.edges.push(Edge::new(c.code.to_string(), node));
        }
        Ok(connection)
    }

    /// A procedure as written in one scope (a layer, not merged).
    async fn procedure(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        key: String,
    ) -> async_graphql::Result<Option<WrittenProcedure>> {
        let runbooks = ctx.data::<Runbooks>()?;
        let host = read_host(ctx, host.as_deref())?;
        let scope = arg::<ScopeId>("scopeId", &scope_id)?;
        let key = arg::<ProcedureKey>("key", &key)?;
        let docs = runbooks
            .documents(&host, std::slice::from_ref(&scope))
            .await
            .map_err(gql)?;
        Ok(docs.first().and_then(|d| {
            d.content
                .procedures
                .get(&key)
                .map(|change| WrittenProcedure::new(&host, &scope, &key, change))
        }))
    }
}
