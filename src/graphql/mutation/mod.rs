//! The mutation root: every write of the YAML format, one object at a time
//! (one file per kind of object), or whole documents with `importRunbook`.
//! Each takes `dryRun` to preview the change and its blast radius without
//! writing.

mod branch;
mod entry;
mod error_code;
mod import;
mod procedure;
mod restore;
mod scope;

use async_graphql::{Context, MergedObject};
use serde_json::{Map, Value, json};

use super::{
    errors::{arg, gql},
    write_types::WriteResult,
};
use crate::{
    auth::Caller,
    domain::{Host, ObjectRef, ScopeId},
    error::ApiError,
    runbooks::Runbooks,
    writes::{Edit, Mode, ObjectEdit, WriteRequest, Writer, base::BaseRevision},
};

/// Writes.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    scope::ScopeMutation,
    procedure::ProcedureMutation,
    branch::BranchMutation,
    entry::EntryMutation,
    error_code::ErrorCodeMutation,
    import::ImportMutation,
    restore::RestoreMutation,
);

/// The caller of this request, if it presented a valid token.
pub fn caller<'a>(ctx: &Context<'a>) -> Option<&'a Caller> {
    ctx.data_opt::<Option<Caller>>().and_then(Option::as_ref)
}

/// A single-object write as a mutation field asks for it: the arguments
/// every such field shares (host, scope, expected revision, inherited
/// fields, `dryRun`), gathered before the object itself is named.
pub(super) struct ObjectWrite {
    operation: &'static str,
    host: Host,
    scope: ScopeId,
    expected: Option<i64>,
    unset: Vec<String>,
    dry_run: Option<bool>,
}

impl ObjectWrite {
    /// The write `operation` to the scope the argument `scope_field` names
    /// (`scope`), in `host` or the default host.
    pub fn new(
        ctx: &Context<'_>,
        operation: &'static str,
        host: Option<String>,
        scope_field: &str,
        scope: &str,
    ) -> async_graphql::Result<Self> {
        let runbooks = ctx.data::<Runbooks>()?;
        Ok(Self {
            operation,
            host: runbooks.host(host.as_deref()).map_err(gql)?,
            scope: arg::<ScopeId>(scope_field, scope)?,
            expected: None,
            unset: Vec::new(),
            dry_run: None,
        })
    }

    /// The revision the object must still have (`expectedRevision`).
    pub fn expecting(mut self, revision: Option<i64>) -> Self {
        self.expected = revision;
        self
    }

    /// Fields dropped from the layer so they inherit again (`inherit`).
    pub fn inheriting(mut self, fields: Vec<String>) -> Self {
        self.unset = fields;
        self
    }

    /// Whether this is only a preview (`dryRun`).
    pub fn previewing(mut self, dry_run: Option<bool>) -> Self {
        self.dry_run = dry_run;
        self
    }

    /// Carries the write out on `object`.
    pub async fn write(
        self,
        ctx: &Context<'_>,
        object: ObjectRef,
        mode: Mode,
        set: Map<String, Value>,
    ) -> async_graphql::Result<WriteResult> {
        let edit = ObjectEdit {
            scope: self.scope,
            object,
            mode,
            set,
            unset: self.unset,
            expected: revision(self.expected)?,
        };
        run(
            ctx,
            vec![(self.host, Edit::Object(edit))],
            self.dry_run,
            self.operation,
        )
        .await
    }
}

/// A revision argument: not negative.
pub(super) fn revision(expected: Option<i64>) -> async_graphql::Result<Option<u64>> {
    expected
        .map(|r| {
            u64::try_from(r).map_err(|_| {
                gql(ApiError::bad_input(
                    "expectedRevision",
                    "a revision is not negative",
                ))
            })
        })
        .transpose()
}

/// Carries out edits through the writer; `dryRun` is false unless given.
pub(super) async fn run(
    ctx: &Context<'_>,
    edits: Vec<(Host, Edit)>,
    dry_run: Option<bool>,
    operation: &'static str,
) -> async_graphql::Result<WriteResult> {
    run_based(ctx, edits, Vec::new(), dry_run, operation).await
}

/// [`run`] for whole documents based on the revisions `bases`.
pub(super) async fn run_based(
    ctx: &Context<'_>,
    edits: Vec<(Host, Edit)>,
    bases: Vec<BaseRevision>,
    dry_run: Option<bool>,
    operation: &'static str,
) -> async_graphql::Result<WriteResult> {
    let writer = ctx.data::<Writer>()?;
    let outcome = writer
        .write(WriteRequest {
            caller: caller(ctx),
            edits,
            dry_run: dry_run.unwrap_or(false),
            operation,
            bases,
        })
        .await
        .map_err(gql)?;
    Ok(outcome.into())
}

/// The JSON form of a tombstone: hides what the scope inherits.
pub(super) fn tombstone() -> Map<String, Value> {
    json!({ "removed": true })
        .as_object()
        .cloned()
        .unwrap_or_default()
}
