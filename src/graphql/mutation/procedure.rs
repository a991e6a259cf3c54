//! Writes of a scope's procedure layers: create, update, remove (a
//! tombstone), delete.

use async_graphql::{Context, Object};
use serde_json::Map;

use super::{ObjectWrite, tombstone};
use crate::{
    domain::{ObjectRef, ProcedureKey},
    graphql::{
        errors::arg,
        write_types::{ProcedureInput, WriteResult},
    },
    writes::Mode,
};

/// Procedure writes.
#[derive(Default)]
pub struct ProcedureMutation;

fn procedure(key: &str) -> async_graphql::Result<ObjectRef> {
    Ok(ObjectRef::Procedure(arg::<ProcedureKey>("key", key)?))
}

#[Object]
impl ProcedureMutation {
    /// Adds a procedure layer to a scope (a new procedure, or an override of an inherited one).
    async fn create_procedure(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        key: String,
        input: ProcedureInput,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "createProcedure", host, "scopeId", &scope_id)?;
        let object = procedure(&key)?;
        write
            .previewing(dry_run)
            .write(ctx, object, Mode::Create, input.to_map())
            .await
    }

    /// Changes fields of a scope's procedure layer; `inherit` drops fields
    /// from the layer so they inherit again.
    // One parameter per argument of the field.
    #[allow(clippy::too_many_arguments)]
    async fn update_procedure(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        key: String,
        input: ProcedureInput,
        #[graphql(default)] inherit: Vec<String>,
        expected_revision: Option<i64>,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "updateProcedure", host, "scopeId", &scope_id)?;
        let object = procedure(&key)?;
        write
            .inheriting(inherit)
            .expecting(expected_revision)
            .previewing(dry_run)
            .write(ctx, object, Mode::Update, input.to_map())
            .await
    }

    /// Hides an inherited procedure in this scope and below (a tombstone).
    async fn remove_procedure(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        key: String,
        expected_revision: Option<i64>,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "removeProcedure", host, "scopeId", &scope_id)?;
        let object = procedure(&key)?;
        write
            .expecting(expected_revision)
            .previewing(dry_run)
            .write(ctx, object, Mode::Replace, tombstone())
            .await
    }

    /// Deletes a scope's procedure layer (its definition, override or tombstone).
    async fn delete_procedure(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        key: String,
        expected_revision: Option<i64>,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "deleteProcedure", host, "scopeId", &scope_id)?;
        let object = procedure(&key)?;
        write
            .expecting(expected_revision)
            .previewing(dry_run)
            .write(ctx, object, Mode::Drop, Map::new())
            .await
    }
}
