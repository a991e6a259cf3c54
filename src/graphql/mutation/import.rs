//! `importRunbook`: whole YAML documents, each replacing its scope's content,
//! optionally refused when a scope changed since the documents were read.

use async_graphql::{Context, InputObject, Object};

use super::{revision, run_based};
use crate::{
    domain::ScopeId,
    error::ApiError,
    format,
    graphql::{
        errors::{arg, gql},
        write_types::WriteResult,
    },
    runbooks::Runbooks,
    writes::{Edit, base},
};

/// The revision a document of the import was based on.
#[derive(InputObject)]
pub struct BaseRevisionInput {
    /// The document's scope.
    pub scope_id: String,
    /// The scope's revision when the document was read: the `changeId` of
    /// the scope's newest `history` record, 0 for a scope without history.
    pub revision: i64,
}

/// Document writes.
#[derive(Default)]
pub struct ImportMutation;

#[Object]
impl ImportMutation {
    /// Applies YAML runbook documents as the CLI's `import` does: each
    /// document replaces its scope's whole content; all or nothing.
    async fn import_runbook(
        &self,
        ctx: &Context<'_>,
        yaml: String,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
        #[graphql(
            desc = "The revisions the documents were based on, per scope: when a scope changed \
                    since, the import is refused as `CONFLICT` (naming what changed, also in a \
                    dry run) and nothing is written. Scopes not listed are not checked."
        )]
        base_revisions: Option<Vec<BaseRevisionInput>>,
    ) -> async_graphql::Result<WriteResult> {
        let runbooks = ctx.data::<Runbooks>()?;
        let docs = format::parse_str("yaml", &yaml, runbooks.default_host()).map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            let field = errors
                .first()
                .and_then(|e| e.field.clone())
                .unwrap_or_else(|| "yaml".into());
            // Where each error is, for an editor to mark its line.
            let at: Vec<serde_json::Value> = (errors.iter())
                .map(|e| {
                    serde_json::json!({"line": e.line, "column": e.column, "field": e.field,
                                       "message": e.message})
                })
                .collect();
            gql(ApiError::bad_input(field, lines.join("\n")).with_details("yamlErrors", at.into()))
        })?;
        let docs: Vec<_> = docs.into_iter().map(|d| d.doc).collect();
        let mut given = Vec::new();
        for b in base_revisions.unwrap_or_default() {
            let scope = arg::<ScopeId>("baseRevisions", &b.scope_id)?;
            let revision = revision(Some(b.revision)).map_err(|_| {
                gql(ApiError::bad_input(
                    "baseRevisions",
                    "a revision is not negative",
                ))
            })?;
            given.push((scope, revision.unwrap_or(0)));
        }
        let bases = base::for_documents(&docs, &given, "baseRevisions").map_err(gql)?;
        let edits = docs
            .into_iter()
            .map(|d| (d.scope.host.clone(), Edit::Put(d)))
            .collect();
        run_based(ctx, edits, bases, dry_run, "importRunbook").await
    }
}
