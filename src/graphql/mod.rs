//! The GraphQL schema: free of HTTP, built once and shared by every request.

mod enums;
mod errors;
pub mod federation;
mod history;
mod limits;
mod loaders;
mod mutation;
mod query;
mod runbook;
mod scope;
mod write_types;

use async_graphql::{
    EmptySubscription, MergedObject, ObjectType, SDLExportOptions, Schema, SchemaBuilder,
    dataloader::DataLoader,
};

pub use loaders::{ChildrenLoader, DocumentLoader, RevisionLoader, ScopeLoader};
pub use mutation::MutationRoot;
pub use query::{QueryRoot, ReadPolicy};

use crate::{runbooks::Runbooks, writes::Writer};

/// Every query: runbooks and content, then history and audit.
#[derive(MergedObject, Default)]
pub struct Query(QueryRoot, history::HistoryQuery);

/// The schema a service serves: the plain one of `schema.graphql`, or the same
/// API as an Apollo Federation v2 subgraph (`schema.subgraph.graphql`).
#[derive(Clone)]
pub enum RunbookSchema {
    /// Standalone use: the schema of `schema.graphql`.
    Plain(Schema<Query, MutationRoot, EmptySubscription>),
    /// Part of a supergraph: adds `_service`, `_entities` and the entities.
    Subgraph(Schema<federation::SubgraphQuery, federation::SubgraphMutation, EmptySubscription>),
}

impl RunbookSchema {
    /// Runs one request.
    pub async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        match self {
            Self::Plain(schema) => schema.execute(request).await,
            Self::Subgraph(schema) => schema.execute(request).await,
        }
    }
}

/// Limits applied to every query.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    /// Deepest nesting of fields.
    pub depth: usize,
    /// Highest complexity (fields counted, lists weighted by async-graphql's defaults).
    pub complexity: usize,
    /// Most aliased fields a query may have.
    pub aliases: usize,
    /// Whether `__schema` / `__type` introspection is allowed.
    pub introspection: bool,
}

impl Default for QueryLimits {
    fn default() -> Self {
        Self {
            depth: 16,
            complexity: 5_000,
            aliases: 30,
            introspection: true,
        }
    }
}

/// Builds the plain schema over the given operations.
pub fn build_schema(
    runbooks: Runbooks,
    writer: Writer,
    read_policy: ReadPolicy,
    limits: QueryLimits,
) -> RunbookSchema {
    let builder = Schema::build(Query::default(), MutationRoot, EmptySubscription);
    RunbookSchema::Plain(configure(builder, runbooks, writer, read_policy, limits).finish())
}

/// Builds the Apollo Federation v2 subgraph schema over the given operations.
pub fn build_subgraph_schema(
    runbooks: Runbooks,
    writer: Writer,
    read_policy: ReadPolicy,
    limits: QueryLimits,
) -> RunbookSchema {
    let builder = Schema::build(
        federation::SubgraphQuery::default(),
        federation::SubgraphMutation(MutationRoot),
        EmptySubscription,
    )
    .enable_federation();
    RunbookSchema::Subgraph(configure(builder, runbooks, writer, read_policy, limits).finish())
}

/// What both schemas share: the operations, the policy and the limits.
fn configure<Q: ObjectType + 'static, M: ObjectType + 'static>(
    builder: SchemaBuilder<Q, M, EmptySubscription>,
    runbooks: Runbooks,
    writer: Writer,
    read_policy: ReadPolicy,
    limits: QueryLimits,
) -> SchemaBuilder<Q, M, EmptySubscription> {
    let mut builder = builder
        .data(runbooks)
        .data(writer)
        .data(read_policy)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .extension(limits::Guardrails {
            max_aliases: limits.aliases,
            introspection: limits.introspection,
        });
    if !limits.introspection {
        builder = builder.disable_introspection();
    }
    builder
}

/// The schema's SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), MutationRoot, EmptySubscription)
        .finish()
        .sdl()
}

/// The subgraph schema's SDL (Federation v2, with `@key`s), as checked in at
/// `schema.subgraph.graphql` and served at `_service { sdl }`.
pub fn subgraph_sdl() -> String {
    Schema::build(
        federation::SubgraphQuery::default(),
        federation::SubgraphMutation(MutationRoot),
        EmptySubscription,
    )
    .enable_federation()
    .finish()
    // The options `_service { sdl }` uses, so the file is what a gateway reads.
    .sdl_with_options(SDLExportOptions::new().federation().compose_directive())
}

/// Attaches this request's DataLoaders, so cached values never cross between callers.
pub fn with_loaders(
    request: async_graphql::Request,
    runbooks: &Runbooks,
) -> async_graphql::Request {
    let store = runbooks.store().clone();
    request
        .data(DataLoader::new(ScopeLoader(store.clone()), tokio::spawn))
        .data(DataLoader::new(ChildrenLoader(store.clone()), tokio::spawn))
        .data(DataLoader::new(DocumentLoader(store.clone()), tokio::spawn))
        .data(DataLoader::new(RevisionLoader(store.clone()), tokio::spawn))
        .data(DataLoader::new(
            federation::ErrorCodeLoader(store),
            tokio::spawn,
        ))
}
