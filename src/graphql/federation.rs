//! The schema as an Apollo Federation v2 subgraph, for the light-portal's supergraph.
//!
//! The subgraph schema is the plain schema (`schema.graphql`) plus what a
//! federation gateway needs (`schema.subgraph.graphql` is its SDL):
//! - `_service { sdl }`, the SDL with its `@key` directives;
//! - the mutation root named `Mutation` (it is `MutationRoot` in the plain
//!   schema): a subgraph's SDL names no root types, so composition finds them by
//!   their default names;
//! - `_entities(representations:)`, which turns the keys another subgraph hands
//!   over into this service's objects;
//! - two entities the portal shares:
//!   - `Service @key(fields: "host serviceId")`: a service scope, with its `scope`
//!     and its effective `runbook(errorCode:)`. The portal owns the rest of a
//!     service (its name, its team, …); this subgraph adds what the runbooks say.
//!     A key that names no service scope resolves to null.
//!   - `ErrorCode @key(fields: "host code")`: an error code as registered by its
//!     most general scope (what `errorCode(host:, code:)` answers without a
//!     `serviceId`); null when no scope registers it. A service's own view of a
//!     code (merged over its lineage) stays on `Service.runbook(errorCode:).errorCode`.
//!
//! A batch of representations costs a fixed number of store calls, not one per
//! key: services load through the request's [`ScopeLoader`] (one `scopes` call
//! per host), error codes through [`ErrorCodeLoader`] (one `error_code_definitions`
//! call per host, then one `scopes` call for the scopes that register them).
//! Each `Service.runbook` is then one lineage read, as the `runbook` query is.
//!
//! The plain schema has none of this: `serve` serves the subgraph schema only
//! with `--federation`.

use std::{collections::HashMap, sync::Arc};

use async_graphql::{Context, MergedObject, Object, dataloader::DataLoader, dataloader::Loader};

use super::{
    errors::{arg, gql},
    history::HistoryQuery,
    loaders::ScopeLoader,
    mutation::MutationRoot,
    query::{QueryRoot, read_host},
    runbook::{EffectiveErrorCodeObject, RunbookObject},
    scope::ScopeObject,
};
use crate::{
    domain::{ErrorCode, Host, Scope, ScopeId, ScopeKind},
    error::ApiError,
    resolve::ErrorCodeView,
    runbooks::Runbooks,
};

// The doc comments of the two roots are their GraphQL descriptions: the same
// as in the plain schema.

/// Every query: runbooks and content, then history and audit.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct SubgraphQuery(
    QueryRoot,
    HistoryQuery,
    super::search::SearchQuery,
    super::lint::LintQuery,
    super::ExecutionQuery,
    EntityResolvers,
);

// The plain schema's `MutationRoot`, named `Mutation`: a subgraph's SDL
// declares no `schema { }`, so composition finds its roots by their default names.
/// Writes.
#[derive(MergedObject)]
#[graphql(name = "Mutation")]
pub struct SubgraphMutation(pub MutationRoot, pub super::ExecutionMutation);

/// Resolves the representations a gateway sends to `_entities`.
#[derive(Default)]
pub struct EntityResolvers;

#[Object]
impl EntityResolvers {
    /// `Service` by its key (`host`, `serviceId`): null when the host holds no
    /// service scope with that id.
    #[graphql(entity)]
    async fn find_service_by_host_and_service_id(
        &self,
        ctx: &Context<'_>,
        host: String,
        service_id: String,
    ) -> async_graphql::Result<Option<ServiceEntity>> {
        let host = read_host(ctx, Some(&host))?;
        let id = arg::<ScopeId>("serviceId", &service_id)?;
        let loader = ctx.data::<DataLoader<ScopeLoader>>()?;
        let scope = loader.load_one((host, id)).await.map_err(gql)?;
        Ok(scope
            .filter(|s| s.kind == ScopeKind::Service)
            .map(ServiceEntity))
    }

    /// `ErrorCode` by its key (`host`, `code`), as registered by its most
    /// general scope: null when no scope of the host registers it.
    #[graphql(entity)]
    async fn find_error_code_by_host_and_code(
        &self,
        ctx: &Context<'_>,
        host: String,
        code: String,
    ) -> async_graphql::Result<Option<EffectiveErrorCodeObject>> {
        let host = read_host(ctx, Some(&host))?;
        let code = arg::<ErrorCode>("code", &code)?;
        let loader = ctx.data::<DataLoader<ErrorCodeLoader>>()?;
        match loader.load_one((host, code)).await.map_err(gql)? {
            Some(view) => EffectiveErrorCodeObject::new(&view.0, &view.1).map(Some),
            None => Ok(None),
        }
    }
}

/// A service scope as a federation entity, keyed by `host` and `serviceId`.
pub struct ServiceEntity(Arc<Scope>);

#[Object(name = "Service")]
impl ServiceEntity {
    /// The tenant the service belongs to.
    async fn host(&self) -> &str {
        self.0.host.as_str()
    }
    /// The service's light-4j `serviceId`: its scope id.
    async fn service_id(&self) -> &str {
        self.0.id.as_str()
    }
    /// The service's scope: its parents, owners, contacts and content as written.
    async fn scope(&self) -> ScopeObject {
        ScopeObject(self.0.clone())
    }
    /// The service's effective runbook, as the `runbook` query gives it. With
    /// `errorCode`, only what is reachable from that code's entry. Null, with
    /// the reason in `errors`, when it does not resolve.
    async fn runbook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A light-4j error code such as ERR10001.")] error_code: Option<String>,
    ) -> async_graphql::Result<Option<RunbookObject>> {
        let runbooks = ctx.data::<Runbooks>()?;
        let code = match error_code.as_deref() {
            Some(c) => Some(arg::<ErrorCode>("errorCode", c)?),
            None => None,
        };
        let rb = runbooks
            .runbook(&self.0.host, &self.0.id, code.as_ref())
            .await
            .map_err(gql)?;
        Ok(Some(rb.into()))
    }
}

/// Key of an error code: its host and code.
pub type ErrorCodeKey = (Host, ErrorCode);

/// Loads error codes by (host, code), each as registered by its most general
/// scope with the scopes it names ([`Runbooks::registered_codes`]): per host,
/// one call for every code asked for.
pub struct ErrorCodeLoader(pub Runbooks);

impl Loader<ErrorCodeKey> for ErrorCodeLoader {
    type Value = Arc<ErrorCodeView>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ErrorCodeKey],
    ) -> Result<HashMap<ErrorCodeKey, Arc<ErrorCodeView>>, ApiError> {
        let mut by_host: HashMap<&Host, Vec<ErrorCode>> = HashMap::new();
        for (host, code) in keys {
            by_host.entry(host).or_default().push(code.clone());
        }
        let mut out = HashMap::new();
        for (host, mut codes) in by_host {
            codes.sort();
            codes.dedup();
            for view in self.0.registered_codes(host, &codes).await? {
                out.insert((host.clone(), view.0.code.clone()), Arc::new(view));
            }
        }
        Ok(out)
    }
}
