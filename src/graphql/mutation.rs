//! The mutation root: every write of the YAML format, one object at a time,
//! or whole documents with `importRunbook`. Each takes `dryRun` to preview
//! the change and its blast radius without writing.

use async_graphql::{Context, Object};
use serde_json::{Map, Value, json};

use super::{
    errors::{arg, gql},
    write_types::{
        BranchInput, ErrorCodeInput, ObjectKind, ProcedureInput, ScopeInput, ScopePatchInput,
        WriteResult,
    },
};
use crate::{
    auth::Caller,
    domain::{BranchId, BranchLabel, EntryCode, ErrorCode, Host, ObjectRef, ProcedureKey, ScopeId},
    error::ApiError,
    format,
    runbooks::Runbooks,
    store::HistoryFilter,
    writes::{Edit, Mode, ObjectEdit, WriteRequest, Writer},
};

/// Writes.
pub struct MutationRoot;

/// The caller of this request, if it presented a valid token.
pub fn caller<'a>(ctx: &Context<'a>) -> Option<&'a Caller> {
    ctx.data_opt::<Option<Caller>>().and_then(Option::as_ref)
}

struct Target {
    host: Host,
    scope: ScopeId,
}

fn target(
    ctx: &Context<'_>,
    host: Option<String>,
    scope_field: &str,
    scope: &str,
) -> async_graphql::Result<Target> {
    let runbooks = ctx.data::<Runbooks>()?;
    Ok(Target {
        host: runbooks.host(host.as_deref()).map_err(gql)?,
        scope: arg::<ScopeId>(scope_field, scope)?,
    })
}

fn revision(expected: Option<i64>) -> async_graphql::Result<Option<u64>> {
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

// Each mutation field names every part of its edit in one call.
#[allow(clippy::too_many_arguments)]
async fn write_object(
    ctx: &Context<'_>,
    target: Target,
    object: ObjectRef,
    mode: Mode,
    set: Map<String, Value>,
    unset: Vec<String>,
    expected: Option<i64>,
    dry_run: bool,
    operation: &'static str,
) -> async_graphql::Result<WriteResult> {
    let edit = ObjectEdit {
        scope: target.scope,
        object,
        mode,
        set,
        unset,
        expected: revision(expected)?,
    };
    run(
        ctx,
        vec![(target.host, Edit::Object(edit))],
        dry_run,
        operation,
    )
    .await
}

async fn run(
    ctx: &Context<'_>,
    edits: Vec<(Host, Edit)>,
    dry_run: bool,
    operation: &'static str,
) -> async_graphql::Result<WriteResult> {
    let writer = ctx.data::<Writer>()?;
    let outcome = writer
        .write(WriteRequest {
            caller: caller(ctx),
            edits,
            dry_run,
            operation,
        })
        .await
        .map_err(gql)?;
    Ok(outcome.into())
}

fn branch(from: &str, label: &str) -> async_graphql::Result<ObjectRef> {
    Ok(ObjectRef::Branch(BranchId {
        from: arg::<ProcedureKey>("from", from)?,
        label: arg::<BranchLabel>("label", label)?,
    }))
}

fn entry_code(code: &str) -> async_graphql::Result<EntryCode> {
    EntryCode::parse(code).map_err(|e| gql(ApiError::bad_input("code", e.to_string())))
}

#[Object]
impl MutationRoot {
    /// Creates a scope.
    async fn create_scope(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        input: ScopeInput,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let t = target(ctx, host, "input.id", &input.id)?;
        let kind: crate::domain::ScopeKind = input.kind.into();
        let set = json!({
            "name": input.name, "kind": kind, "parents": input.parents,
            "owners": input.owners, "contacts": input.contacts,
        });
        let set = set.as_object().cloned().unwrap_or_default();
        write_object(
            ctx,
            t,
            ObjectRef::Scope,
            Mode::Create,
            set,
            vec![],
            None,
            dry_run.unwrap_or(false),
            "createScope",
        )
        .await
    }

    /// Changes a scope's own fields (name, kind, parents, owners, contacts).
    async fn update_scope(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        id: String,
        input: ScopePatchInput,
        expected_revision: Option<i64>,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let t = target(ctx, host, "id", &id)?;
        let mut set = Map::new();
        if let Some(name) = input.name {
            set.insert("name".into(), json!(name));
        }
        if let Some(kind) = input.kind {
            set.insert("kind".into(), json!(crate::domain::ScopeKind::from(kind)));
        }
        for (field, value) in [
            ("parents", input.parents.map(|v| json!(v))),
            ("owners", input.owners.map(|v| json!(v))),
            ("contacts", input.contacts.map(|v| json!(v))),
        ] {
            if let Some(v) = value {
                set.insert(field.into(), v);
            }
        }
        write_object(
            ctx,
            t,
            ObjectRef::Scope,
            Mode::Update,
            set,
            vec![],
            expected_revision,
            dry_run.unwrap_or(false),
            "updateScope",
        )
        .await
    }

    /// Deletes a scope and all it holds; a scope with children cannot be deleted.
    async fn delete_scope(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        id: String,
        expected_revision: Option<i64>,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let t = target(ctx, host, "id", &id)?;
        write_object(
            ctx,
            t,
            ObjectRef::Scope,
            Mode::Drop,
            Map::new(),
            vec![],
            expected_revision,
            dry_run.unwrap_or(false),
            "deleteScope",
        )
        .await
    }

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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        let object = ObjectRef::Procedure(arg::<ProcedureKey>("key", &key)?);
        write_object(
            ctx,
            t,
            object,
            Mode::Create,
            input.to_map(),
            vec![],
            None,
            dry_run.unwrap_or(false),
            "createProcedure",
        )
        .await
    }

    /// Changes fields of a scope's procedure layer; `inherit` drops fields
    /// from the layer so they inherit again.
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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        let object = ObjectRef::Procedure(arg::<ProcedureKey>("key", &key)?);
        write_object(
            ctx,
            t,
            object,
            Mode::Update,
            input.to_map(),
            inherit,
            expected_revision,
            dry_run.unwrap_or(false),
            "updateProcedure",
        )
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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        let object = ObjectRef::Procedure(arg::<ProcedureKey>("key", &key)?);
        let set = tombstone();
        write_object(
            ctx,
            t,
            object,
            Mode::Replace,
            set,
            vec![],
            expected_revision,
            dry_run.unwrap_or(false),
            "removeProcedure",
        )
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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        let object = ObjectRef::Procedure(arg::<ProcedureKey>("key", &key)?);
        write_object(
            ctx,
            t,
            object,
            Mode::Drop,
            Map::new(),
            vec![],
            expected_revision,
            dry_run.unwrap_or(false),
            "deleteProcedure",
        )
        .await
    }

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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        write_object(
            ctx,
            t,
            branch(&from, &label)?,
            Mode::Create,
            input.to_map(),
            vec![],
            None,
            dry_run.unwrap_or(false),
            "createBranch",
        )
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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        write_object(
            ctx,
            t,
            branch(&from, &label)?,
            Mode::Update,
            input.to_map(),
            inherit,
            expected_revision,
            dry_run.unwrap_or(false),
            "updateBranch",
        )
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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        write_object(
            ctx,
            t,
            branch(&from, &label)?,
            Mode::Replace,
            tombstone(),
            vec![],
            expected_revision,
            dry_run.unwrap_or(false),
            "removeBranch",
        )
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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        write_object(
            ctx,
            t,
            branch(&from, &label)?,
            Mode::Drop,
            Map::new(),
            vec![],
            expected_revision,
            dry_run.unwrap_or(false),
            "deleteBranch",
        )
        .await
    }

    /// Sets a scope's entry for a code (`*` for the default); a null `key`
    /// removes the entry the scope inherits.
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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        let key = key.map(|k| arg::<ProcedureKey>("key", &k)).transpose()?;
        let set = json!({ "key": key })
            .as_object()
            .cloned()
            .unwrap_or_default();
        let object = ObjectRef::Entry(entry_code(&code)?);
        write_object(
            ctx,
            t,
            object,
            Mode::Replace,
            set,
            vec![],
            expected_revision,
            dry_run.unwrap_or(false),
            "setEntry",
        )
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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        let object = ObjectRef::Entry(entry_code(&code)?);
        write_object(
            ctx,
            t,
            object,
            Mode::Drop,
            Map::new(),
            vec![],
            expected_revision,
            dry_run.unwrap_or(false),
            "deleteEntry",
        )
        .await
    }

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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        let object = ObjectRef::ErrorCode(arg::<ErrorCode>("code", &code)?);
        write_object(
            ctx,
            t,
            object,
            Mode::Create,
            input.to_map(),
            vec![],
            None,
            dry_run.unwrap_or(false),
            "createErrorCode",
        )
        .await
    }

    /// Changes fields of a scope's error code layer.
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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        let object = ObjectRef::ErrorCode(arg::<ErrorCode>("code", &code)?);
        write_object(
            ctx,
            t,
            object,
            Mode::Update,
            input.to_map(),
            inherit,
            expected_revision,
            dry_run.unwrap_or(false),
            "updateErrorCode",
        )
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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        let object = ObjectRef::ErrorCode(arg::<ErrorCode>("code", &code)?);
        write_object(
            ctx,
            t,
            object,
            Mode::Drop,
            Map::new(),
            vec![],
            expected_revision,
            dry_run.unwrap_or(false),
            "deleteErrorCode",
        )
        .await
    }

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
        run(ctx, edits, dry_run.unwrap_or(false), "importRunbook").await
    }

    /// Puts an object back as it was after a change of its history (itself a
    /// new change, previewable with `dryRun`).
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
        let t = target(ctx, host, "scopeId", &scope_id)?;
        let object = ObjectRef::parse(kind.name(), &key)
            .map_err(|e| gql(ApiError::bad_input("key", e.to_string())))?;
        let change = revision(Some(change_id))?.unwrap_or_default();
        // Authorized before the history is read: what it holds is no answer
        // for a caller who may not write the scope.
        let writer = ctx.data::<Writer>()?;
        writer
            .may_write(caller(ctx), &t.host, &t.scope)
            .await
            .map_err(gql)?;
        let runbooks = ctx.data::<Runbooks>()?;
        let filter = HistoryFilter {
            scope: Some(t.scope.clone()),
            object: Some(object.clone()),
            before_change: Some(change + 1),
            limit: 1,
            ..HistoryFilter::default()
        };
        let record = runbooks
            .store()
            .history(&t.host, &filter)
            .await
            .map_err(|e| gql(e.into()))?
            .into_iter()
            .find(|r| r.change_id == change)
            .ok_or_else(|| {
                gql(ApiError::not_found(format!(
                    "change {change} did not change {object} of scope {}",
                    t.scope
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
        write_object(
            ctx,
            t,
            object,
            mode,
            set,
            vec![],
            expected_revision,
            dry_run.unwrap_or(false),
            "restore",
        )
        .await
    }
}

fn tombstone() -> Map<String, Value> {
    json!({ "removed": true })
        .as_object()
        .cloned()
        .unwrap_or_default()
}
