//! Writes of a scope's branch layers: create, update, remove (a tombstone),
//! delete.

use async_graphql::{Context, Object};
use serde_json::Map;

use super::{ObjectWrite, tombstone};
use crate::{
    domain::{BranchId, BranchLabel, ObjectRef, ProcedureKey},
    graphql::{
        errors::arg,
        write_types::{BranchInput, WriteResult},
    },
    writes::Mode,
};

/// Branch writes.
#[derive(Default)]
pub struct BranchMutation;

fn branch(from: &str, label: &str) -> async_graphql::Result<ObjectRef> {
    Ok(ObjectRef::Branch(BranchId {
        from: arg::<ProcedureKey>("from", from)?,
        label: arg::<BranchLabel>("label", label)?,
    }))
}

// Each resolver takes one parameter per argument of its field: a branch is
// named by two of them, hence `too_many_arguments`.
#[Object]
impl BranchMutation {
    /// Adds a branch layer to a scope.
    #[allow(clippy::too_many_arguments)]
    async fn create_branch(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        from: String,
        label: String,
        input: BranchInput,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "createBranch", host, "scopeId", &scope_id)?;
        write
            .previewing(dry_run)
            .write(ctx, branch(&from, &label)?, Mode::Create, input.to_map())
            .await
    }

    /// Changes fields of a scope's branch layer (e.g. redirects it with `to`).
    #[allow(clippy::too_many_arguments)]
    async fn update_branch(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        from: String,
        label: String,
        input: BranchInput,
        #[graphql(default)] inherit: Vec<String>,
        expected_revision: Option<i64>,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "updateBranch", host, "scopeId", &scope_id)?;
        write
            .inheriting(inherit)
            .expecting(expected_revision)
            .previewing(dry_run)
            .write(ctx, branch(&from, &label)?, Mode::Update, input.to_map())
            .await
    }

    /// Hides an inherited branch in this scope and below (a tombstone).
    #[allow(clippy::too_many_arguments)]
    async fn remove_branch(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        from: String,
        label: String,
        expected_revision: Option<i64>,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "removeBranch", host, "scopeId", &scope_id)?;
        write
            .expecting(expected_revision)
            .previewing(dry_run)
            .write(ctx, branch(&from, &label)?, Mode::Replace, tombstone())
            .await
    }

    /// Deletes a scope's branch layer.
    #[allow(clippy::too_many_arguments)]
    async fn delete_branch(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        scope_id: String,
        from: String,
        label: String,
        expected_revision: Option<i64>,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "deleteBranch", host, "scopeId", &scope_id)?;
        write
            .expecting(expected_revision)
            .previewing(dry_run)
            .write(ctx, branch(&from, &label)?, Mode::Drop, Map::new())
            .await
    }
}
