//! The GraphQL schema: free of HTTP, built once and shared by every request.

mod enums;
mod errors;
mod executions;
mod history;
mod limits;
mod loaders;
mod mutation;
mod query;
mod runbook;
mod scope;
mod write_types;

use async_graphql::{MergedObject, Schema, dataloader::DataLoader};

pub use executions::{ExecutionMutation, ExecutionQuery, ExecutionSubscription};
pub use loaders::{ChildrenLoader, DocumentLoader, RevisionLoader, ScopeLoader};
pub use mutation::MutationRoot;
pub use query::{QueryRoot, ReadPolicy};

use crate::{runbooks::Runbooks, writes::Writer};

/// Every query: runbooks and content, then history and audit.
#[derive(MergedObject, Default)]
pub struct Query(QueryRoot, history::HistoryQuery, ExecutionQuery);

/// Every mutation: runbook writes, then the moves of executions.
#[derive(MergedObject)]
pub struct Mutation(MutationRoot, ExecutionMutation);

/// The service's schema type.
pub type RunbookSchema = Schema<Query, Mutation, ExecutionSubscription>;

fn roots() -> (Query, Mutation, ExecutionSubscription) {
    (
        Query::default(),
        Mutation(MutationRoot, ExecutionMutation),
        ExecutionSubscription,
    )
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

/// Builds the schema over the given operations.
pub fn build_schema(
    runbooks: Runbooks,
    writer: Writer,
    read_policy: ReadPolicy,
    limits: QueryLimits,
) -> RunbookSchema {
    build_schema_with(runbooks, writer, read_policy, limits, None)
}

/// Builds the schema, with executions when the store keeps them.
pub fn build_schema_with(
    runbooks: Runbooks,
    writer: Writer,
    read_policy: ReadPolicy,
    limits: QueryLimits,
    executions: Option<crate::executions::Executions>,
) -> RunbookSchema {
    let (query, mutation, subscription) = roots();
    let mut builder = Schema::build(query, mutation, subscription);
    if let Some(executions) = executions {
        builder = builder.data(executions);
    }
    builder = builder
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
    builder.finish()
}

/// The schema's SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    let (query, mutation, subscription) = roots();
    Schema::build(query, mutation, subscription).finish().sdl()
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
        .data(DataLoader::new(RevisionLoader(store), tokio::spawn))
}
