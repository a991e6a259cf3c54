//! The GraphQL schema: free of HTTP, built once and shared by every request.

mod budget;
mod cacheable;
mod enums;
mod errors;
mod executions;
pub mod federation;
mod history;
mod limits;
mod lint;
mod loaders;
mod mutation;
mod query;
mod runbook;
mod scope;
mod search;
mod write_types;

use std::sync::Arc;

use async_graphql::{
    Data, Executor, MergedObject, ObjectType, SDLExportOptions, Schema, SchemaBuilder,
    dataloader::DataLoader, futures_util::stream::BoxStream,
};

pub use cacheable::{ReadGenerations, is_cacheable, selected_operations};
pub use executions::{ExecutionMutation, ExecutionQuery, ExecutionSubscription};
pub use loaders::{ChildrenLoader, DocumentLoader, RevisionLoader, ScopeLoader};
pub use mutation::MutationRoot;
pub use query::{QueryRoot, ReadPolicy};

use crate::{executions::Executions, runbooks::Runbooks, writes::Writer};

/// Every query: runbooks and content, history and audit, executions.
#[derive(MergedObject, Default)]
pub struct Query(
    QueryRoot,
    history::HistoryQuery,
    search::SearchQuery,
    lint::LintQuery,
    ExecutionQuery,
);

/// Every mutation: runbook writes, then the moves of executions.
#[derive(MergedObject)]
pub struct Mutation(MutationRoot, ExecutionMutation);

type PlainSchema = Schema<Query, Mutation, ExecutionSubscription>;
type SubgraphSchema =
    Schema<federation::SubgraphQuery, federation::SubgraphMutation, ExecutionSubscription>;

/// The schema a service serves: the plain one of `schema.graphql`, or the same
/// API as an Apollo Federation v2 subgraph (`schema.subgraph.graphql`).
#[derive(Clone)]
pub enum RunbookSchema {
    /// Standalone use: the schema of `schema.graphql`.
    Plain(PlainSchema),
    /// Part of a supergraph: adds `_service`, `_entities` and the entities.
    Subgraph(SubgraphSchema),
}

impl Executor for RunbookSchema {
    async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        match self {
            Self::Plain(schema) => schema.execute(request).await,
            Self::Subgraph(schema) => schema.execute(request).await,
        }
    }

    fn execute_stream(
        &self,
        request: async_graphql::Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, async_graphql::Response> {
        match self {
            Self::Plain(schema) => Executor::execute_stream(schema, request, session_data),
            Self::Subgraph(schema) => Executor::execute_stream(schema, request, session_data),
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
    /// Whether `__schema` / `__type` introspection (and the subgraph's
    /// `_service { sdl }`, and field suggestions in errors) is allowed.
    pub introspection: bool,
    /// Most objects of the runbook tree one answer may hold (see `budget`).
    pub answer_objects: usize,
}

impl Default for QueryLimits {
    fn default() -> Self {
        Self {
            depth: 16,
            complexity: 5_000,
            aliases: 30,
            introspection: true,
            answer_objects: 20_000,
        }
    }
}

/// What a schema is built over.
#[derive(Clone)]
pub struct SchemaParts {
    pub runbooks: Runbooks,
    pub writer: Writer,
    pub read_policy: ReadPolicy,
    pub limits: QueryLimits,
    /// Executions and alerts, when the store keeps them.
    pub executions: Option<Executions>,
}

fn plain_roots() -> (Query, Mutation, ExecutionSubscription) {
    (
        Query::default(),
        Mutation(MutationRoot::default(), ExecutionMutation),
        ExecutionSubscription,
    )
}

fn subgraph_roots() -> (
    federation::SubgraphQuery,
    federation::SubgraphMutation,
    ExecutionSubscription,
) {
    (
        federation::SubgraphQuery::default(),
        federation::SubgraphMutation(MutationRoot::default(), ExecutionMutation),
        ExecutionSubscription,
    )
}

/// Builds the plain schema.
pub fn build_schema(parts: SchemaParts) -> RunbookSchema {
    let (query, mutation, subscription) = plain_roots();
    let builder = Schema::build(query, mutation, subscription);
    RunbookSchema::Plain(configure(builder, parts).finish())
}

/// Builds the Apollo Federation v2 subgraph schema.
pub fn build_subgraph_schema(parts: SchemaParts) -> RunbookSchema {
    let (query, mutation, subscription) = subgraph_roots();
    let builder = Schema::build(query, mutation, subscription).enable_federation();
    RunbookSchema::Subgraph(configure(builder, parts).finish())
}

/// What both schemas share: the operations, the policy and the limits.
fn configure<Q: ObjectType + 'static, M: ObjectType + 'static>(
    builder: SchemaBuilder<Q, M, ExecutionSubscription>,
    parts: SchemaParts,
) -> SchemaBuilder<Q, M, ExecutionSubscription> {
    let limits = parts.limits;
    let mut builder = builder
        .data(parts.runbooks)
        .data(parts.writer)
        .data(parts.read_policy)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .extension(limits::Guardrails {
            max_aliases: limits.aliases,
            introspection: limits.introspection,
        })
        .extension(budget::AnswerLimit {
            max_objects: limits.answer_objects,
        });
    if let Some(executions) = parts.executions {
        builder = builder.data(executions);
    }
    if !limits.introspection {
        // "Did you mean …" in validation errors would tell the schema too.
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder
}

/// The schema's SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    let (query, mutation, subscription) = plain_roots();
    Schema::build(query, mutation, subscription).finish().sdl()
}

/// The subgraph schema's SDL (Federation v2, with `@key`s), as checked in at
/// `schema.subgraph.graphql` and served at `_service { sdl }`.
pub fn subgraph_sdl() -> String {
    let (query, mutation, subscription) = subgraph_roots();
    Schema::build(query, mutation, subscription)
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
    request
        .data(DataLoader::new(ScopeLoader(runbooks.clone()), tokio::spawn))
        .data(DataLoader::new(
            ChildrenLoader(runbooks.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            DocumentLoader(runbooks.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            RevisionLoader(runbooks.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            federation::ErrorCodeLoader(runbooks.clone()),
            tokio::spawn,
        ))
}
