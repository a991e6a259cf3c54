//! Writes of a scope's own fields: create, update, delete.

use async_graphql::{Context, Object};
use serde_json::{Map, json};

use super::ObjectWrite;
use crate::{
    domain::{ObjectRef, ScopeKind},
    graphql::write_types::{ScopeInput, ScopePatchInput, WriteResult},
    writes::Mode,
};

/// Scope writes.
#[derive(Default)]
pub struct ScopeMutation;

#[Object]
impl ScopeMutation {
    /// Creates a scope.
    async fn create_scope(
        &self,
        ctx: &Context<'_>,
        host: Option<String>,
        input: ScopeInput,
        #[graphql(desc = "Preview only: check and report, write nothing.")] dry_run: Option<bool>,
    ) -> async_graphql::Result<WriteResult> {
        let write = ObjectWrite::new(ctx, "createScope", host, "input.id", &input.id)?;
        let kind: ScopeKind = input.kind.into();
        let set = json!({
            "name": input.name, "kind": kind, "parents": input.parents,
            "owners": input.owners, "contacts": input.contacts,
        });
        let set = set.as_object().cloned().unwrap_or_default();
        write
            .previewing(dry_run)
            .write(ctx, ObjectRef::Scope, Mode::Create, set)
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
        let write = ObjectWrite::new(ctx, "updateScope", host, "id", &id)?;
        let mut set = Map::new();
        if let Some(name) = input.name {
            set.insert("name".into(), json!(name));
        }
        if let Some(kind) = input.kind {
            set.insert("kind".into(), json!(ScopeKind::from(kind)));
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
        write
            .expecting(expected_revision)
            .previewing(dry_run)
            .write(ctx, ObjectRef::Scope, Mode::Update, set)
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
        ObjectWrite::new(ctx, "deleteScope", host, "id", &id)?
            .expecting(expected_revision)
            .previewing(dry_run)
            .write(ctx, ObjectRef::Scope, Mode::Drop, Map::new())
            .await
    }
}
