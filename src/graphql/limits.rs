//! Query guardrails beyond async-graphql's own depth and complexity limits:
//! an alias limit, and stable `extensions.code`s on every refusal, so clients
//! can tell a limit (`LIMIT_EXCEEDED`) from a malformed query (`BAD_USER_INPUT`).

use std::sync::Arc;

use async_graphql::{
    ServerError, ServerResult, ValidationResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation},
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};

use crate::error::ApiErrorCode;

/// Installs the guardrails with the given alias limit.
pub struct Guardrails {
    /// Most aliased fields a query may have.
    pub max_aliases: usize,
    /// Whether `__schema`, `__type` and the subgraph's `_service` (its whole
    /// SDL) may be queried.
    pub introspection: bool,
}

impl ExtensionFactory for Guardrails {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(GuardrailsExtension {
            max_aliases: self.max_aliases,
            introspection: self.introspection,
        })
    }
}

struct GuardrailsExtension {
    max_aliases: usize,
    introspection: bool,
}

pub(super) fn with_code(mut error: ServerError, code: ApiErrorCode) -> ServerError {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set("code", code.as_str());
    }
    error
}

fn count_aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(f) => {
                usize::from(f.node.alias.is_some()) + count_aliases(&f.node.selection_set.node)
            }
            Selection::InlineFragment(f) => count_aliases(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

fn introspects(set: &SelectionSet) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(f) => {
            matches!(
                f.node.name.node.as_str(),
                "__schema" | "__type" | "_service"
            ) || introspects(&f.node.selection_set.node)
        }
        Selection::InlineFragment(f) => introspects(&f.node.selection_set.node),
        Selection::FragmentSpread(_) => false,
    })
}

fn introspection(doc: &ExecutableDocument) -> bool {
    doc.operations
        .iter()
        .any(|(_, op)| introspects(&op.node.selection_set.node))
        || doc
            .fragments
            .values()
            .any(|f| introspects(&f.node.selection_set.node))
}

fn aliases(doc: &ExecutableDocument) -> usize {
    let operations: usize = doc
        .operations
        .iter()
        .map(|(_, op)| count_aliases(&op.node.selection_set.node))
        .sum();
    let fragments: usize = doc
        .fragments
        .values()
        .map(|f| count_aliases(&f.node.selection_set.node))
        .sum();
    operations + fragments
}

#[async_trait::async_trait]
impl Extension for GuardrailsExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next
            .run(ctx, query, variables)
            .await
            .map_err(|e| with_code(e, ApiErrorCode::BadUserInput))?;
        let used = aliases(&doc);
        if used > self.max_aliases {
            return Err(with_code(
                ServerError::new(
                    format!(
                        "query uses {used} aliases; at most {} are allowed",
                        self.max_aliases
                    ),
                    None,
                ),
                ApiErrorCode::LimitExceeded,
            ));
        }
        if !self.introspection && introspection(&doc) {
            return Err(with_code(
                ServerError::new("introspection is turned off on this service", None),
                ApiErrorCode::Forbidden,
            ));
        }
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|e| {
                    // async-graphql reports its own limits only as text.
                    let limit = e.message.contains("too complex")
                        || e.message.contains("nested too deep")
                        || e.message.contains("Too many");
                    let code = if limit {
                        ApiErrorCode::LimitExceeded
                    } else {
                        ApiErrorCode::BadUserInput
                    };
                    with_code(e, code)
                })
                .collect()
        })
    }
}
