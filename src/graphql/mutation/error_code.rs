//! Writes of a scope's error code layers: create (register or override),
//! update, delete.

use async_graphql::{Context, Object};
use serde_json::Map;

use super::ObjectWrite;
use crate::{
    domain::{ErrorCode, ObjectRef},
    graphql::{
        errors::arg,
        write_types::{ErrorCodeInput, WriteResult},
    },
    writes::Mode,
};

/// Error code writes.
#[derive(Default)]
pub struct ErrorCodeMutation;

fn error_code(code: &str) -> async_graphql::Result<ObjectRef> {
    Ok(ObjectRef::ErrorCode(arg::<ErrorCode>("code", code)?))
}

#[Object]
impl ErrorCodeMutation {
    /// Registers an error code in a scope, or overrides an inherited one's fields.
    async fn create_error_code(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        code: String,
        input: ErrorCodeInput,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "createErrorCode", host, "scopeId", &scope_id)?;
        let object = error_code(&code)?;
        write
            .previewing(dry_run)
            .write(ctx, object, Mode::Create, input.to_map())
            .await
    }

    /// Changes fields of a scope's error code layer.
    // One parameter per argument of the field.
    #[allow(clippy::too_many_arguments)]
    async fn update_error_code(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        code: String,
        input: ErrorCodeInput,
        #[graphql(default)] inherit: Vec<String>,
        expected_revision: Option<i64>,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "updateErrorCode", host, "scopeId", &scope_id)?;
        let object = error_code(&code)?;
        write
            .inheriting(inherit)
            .expecting(expected_revision)
            .previewing(dry_run)
            .write(ctx, object, Mode::Update, input.to_map())
            .await
    }

    /// Deletes a scope's error code layer.
    async fn delete_error_code(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        code: String,
        expected_revision: Option<i64>,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "deleteErrorCode", host, "scopeId", &scope_id)?;
        let object = error_code(&code)?;
        write
            .expecting(expected_revision)
            .previewing(dry_run)
            .write(ctx, object, Mode::Drop, Map::new())
            .await
    }
}
