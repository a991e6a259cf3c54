//! `restore`: an object put back as it was after a change of its history.

use async_graphql::{Context, Object};

use super::{caller, revision};
use crate::{
    domain::{ObjectRef, ScopeId},
    error::ApiError,
    graphql::{
        errors::{arg, gql},
        write_types::{ObjectKind, WriteResult},
    },
    runbooks::Runbooks,
    writes::{Restore, Writer},
};

/// Restores.
#[derive(Default)]
pub struct RestoreMutation;

#[Object]
impl RestoreMutation {
    /// Puts an object back as it was after a change of its history (itself a
    /// new change, previewable with `dryRun`).
    // One parameter per argument of the field.
    #[allow(clippy::too_many_arguments)]
    async fn restore(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        kind: ObjectKind,
        #[graphql(default)] key: String,
        change_id: i64,
        expected_revision: Option<i64>,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let runbooks = ctx.data::<Runbooks>()?;
        let host = runbooks.host(host.as_deref()).map_err(gql)?;
        let scope = arg::<ScopeId>("scopeId", &scope_id)?;
        let object = ObjectRef::parse(kind.name(), &key)
            .map_err(|e| gql(ApiError::bad_input("key", e.to_string())))?;
        let change = revision(Some(change_id))?.unwrap_or_default();
        let restore = Restore {
            caller: caller(ctx),
            host,
            scope,
            object,
            change,
            expected: revision(expected_revision)?,
            dry_run: dry_run.unwrap_or(false),
        };
        let outcome = ctx.data::<Writer>()?.restore(restore).await.map_err(gql)?;
        Ok(outcome.into())
    }
}
