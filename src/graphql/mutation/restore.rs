//! `restore`: an object put back as it was after a change of its history.

use async_graphql::{Context, Object};
use serde_json::Map;

use super::{ObjectWrite, caller, revision};
use crate::{
    domain::ObjectRef,
    error::ApiError,
    graphql::{
        errors::gql,
        write_types::{ObjectKind, WriteResult},
    },
    runbooks::Runbooks,
    store::HistoryFilter,
    writes::{Mode, Writer},
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
        let write = ObjectWrite::new(ctx, "restore", host, "scopeId", &scope_id)?;
        let object = ObjectRef::parse(kind.name(), &key)
            .map_err(|e| gql(ApiError::bad_input("key", e.to_string())))?;
        let change = revision(Some(change_id))?.unwrap_or_default();
        let (host, scope) = write.target();
        // Authorized before the history is read: what it holds is no answer
        // for a caller who may not write the scope.
        let writer = ctx.data::<Writer>()?;
        writer
            .may_write(caller(ctx), host, scope)
            .await
            .map_err(gql)?;
        let runbooks = ctx.data::<Runbooks>()?;
        let filter = HistoryFilter {
            scope: Some(scope.clone()),
            object: Some(object.clone()),
            before_change: Some(change + 1),
            limit: 1,
            ..HistoryFilter::default()
        };
        let record = runbooks
            .store()
            .history(host, &filter)
            .await
            .map_err(|e| gql(e.into()))?
            .into_iter()
            .find(|r| r.change_id == change)
            .ok_or_else(|| {
                gql(ApiError::not_found(format!(
                    "change {change} did not change {object} of scope {scope}"
                ))
                .on_field("changeId"))
            })?;
        let (mode, set) = match (&object, record.after) {
            (ObjectRef::Scope, None) => {
                return Err(gql(ApiError::bad_input(
                    "changeId",
                    "that change deleted the scope; restore it with importRunbook",
                )));
            }
            (ObjectRef::Scope, Some(v)) => {
                (Mode::Update, v.as_object().cloned().unwrap_or_default())
            }
            (_, Some(v)) => (Mode::Replace, v.as_object().cloned().unwrap_or_default()),
            (_, None) => (Mode::Drop, Map::new()),
        };
        write
            .expecting(expected_revision)
            .previewing(dry_run)
            .write(ctx, object, mode, set)
            .await
    }
}
