//! `importRunbook`: whole YAML documents, each replacing its scope's content.

use async_graphql::{Context, Object};

use super::run;
use crate::{
    error::ApiError,
    format,
    graphql::{errors::gql, write_types::WriteResult},
    runbooks::Runbooks,
    writes::Edit,
};

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
    ) -> async_graphql::Result<WriteResult> {
        let runbooks = ctx.data::<Runbooks>()?;
        let docs = format::parse_str("yaml", &yaml, runbooks.default_host()).map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            let field = errors
                .first()
                .and_then(|e| e.field.clone())
                .unwrap_or_else(|| "yaml".into());
            gql(ApiError::bad_input(field, lines.join("\n")))
        })?;
        let edits = docs
            .into_iter()
            .map(|d| (d.doc.scope.host.clone(), Edit::Put(d.doc)))
            .collect();
        run(ctx, edits, dry_run, "importRunbook").await
    }
}
