//! Writes of a scope's entries: which procedure a code (or `*`) starts at.

use async_graphql::{Context, Object};
use serde_json::{Map, json};

use super::ObjectWrite;
use crate::{
    domain::{EntryCode, ObjectRef, ProcedureKey},
    error::ApiError,
    graphql::{
        errors::{arg, gql},
        write_types::WriteResult,
    },
    writes::Mode,
};

/// Entry writes.
#[derive(Default)]
pub struct EntryMutation;

fn entry(code: &str) -> async_graphql::Result<ObjectRef> {
    EntryCode::parse(code)
        .map(ObjectRef::Entry)
        .map_err(|e| gql(ApiError::bad_input("code", e.to_string())))
}

#[Object]
impl EntryMutation {
    /// Sets a scope's entry for a code (`*` for the default); a null `key`
    /// removes the entry the scope inherits.
    // One parameter per argument of the field.
    #[allow(clippy::too_many_arguments)]
    async fn set_entry(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        code: String,
        key: Option<String>,
        expected_revision: Option<i64>,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "setEntry", host, "scopeId", &scope_id)?;
        let key = key.map(|k| arg::<ProcedureKey>("key", &k)).transpose()?;
        let set = json!({ "key": key })
            .as_object()
            .cloned()
            .unwrap_or_default();
        let object = entry(&code)?;
        write
            .expecting(expected_revision)
            .previewing(dry_run)
            .write(ctx, object, Mode::Replace, set)
            .await
    }

    /// Deletes a scope's entry for a code (the inherited one applies again).
    async fn delete_entry(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        code: String,
        expected_revision: Option<i64>,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "deleteEntry", host, "scopeId", &scope_id)?;
        let object = entry(&code)?;
        write
            .expecting(expected_revision)
            .previewing(dry_run)
            .write(ctx, object, Mode::Drop, Map::new())
            .await
    }
}
