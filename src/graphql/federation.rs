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
    resolve::{self, EffectiveErrorCode},
    runbooks::Runbooks,
    store::{self, Store},
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
            Some(view) => EffectiveErrorCodeObject::new(&view.code, &view.scopes).map(Some),
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

/// An error code as registered by its most general scope, with that scope.
pub struct RegisteredErrorCode {
    code: EffectiveErrorCode,
    scopes: HashMap<ScopeId, Arc<Scope>>,
}

/// Loads error codes by (host, code), each as registered by its most general
/// scope: per host, one `error_code_definitions` call for every code asked
/// for, then one `scopes` call for the scopes that register them.
pub struct ErrorCodeLoader(pub Arc<dyn Store>);

impl Loader<ErrorCodeKey> for ErrorCodeLoader {
    type Value = Arc<RegisteredErrorCode>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ErrorCodeKey],
    ) -> Result<HashMap<ErrorCodeKey, Arc<RegisteredErrorCode>>, ApiError> {
        let mut by_host: HashMap<&Host, Vec<ErrorCode>> = HashMap::new();
        for (host, code) in keys {
            by_host.entry(host).or_default().push(code.clone());
        }
        let mut out = HashMap::new();
        for (host, mut codes) in by_host {
            codes.sort();
            codes.dedup();
            let firsts = store::most_general(self.0.error_code_definitions(host, &codes).await?);
            let mut ids: Vec<ScopeId> = firsts.iter().map(|d| d.scope.clone()).collect();
            ids.sort();
            ids.dedup();
            let scopes: HashMap<ScopeId, Arc<Scope>> = self
                .0
                .scopes(host, &ids)
                .await?
                .into_iter()
                .map(|s| (s.id.clone(), Arc::new(s)))
                .collect();
            for d in firsts {
                let code = resolve::registered_error_code(&d.scope, &d.code, &d.patch);
                let own: HashMap<ScopeId, Arc<Scope>> = code
                    .source
                    .layers
                    .iter()
                    .chain(std::iter::once(&code.source.origin))
                    .filter_map(|id| scopes.get(id).map(|s| (id.clone(), s.clone())))
                    .collect();
                out.insert(
                    (host.clone(), d.code),
                    Arc::new(RegisteredErrorCode { code, scopes: own }),
                );
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ErrorCodePatch;
    use crate::store::{ErrorCodeDefinition, most_general};

    fn definition(scope: &str, kind: ScopeKind, code: &str) -> ErrorCodeDefinition {
        ErrorCodeDefinition {
            scope: ScopeId::parse(scope).expect("scope id"),
            scope_kind: kind,
            code: ErrorCode::parse(code).expect("code"),
            patch: ErrorCodePatch::default(),
        }
    }

    #[test]
    fn the_most_general_registration_of_each_code_is_kept() {
        let firsts = most_general(vec![
            definition("light-4j", ScopeKind::Framework, "ERR10001"),
            definition("acme", ScopeKind::Organization, "ERR10001"),
            definition("acme", ScopeKind::Organization, "ERR10002"),
            definition("ledger", ScopeKind::Service, "ERR10002"),
        ]);
        let kept: Vec<(&str, &str)> = firsts
            .iter()
            .map(|d| (d.code.as_str(), d.scope.as_str()))
            .collect();
        assert_eq!(kept, [("ERR10001", "light-4j"), ("ERR10002", "acme")]);
    }
}
