//! The `Scope` type and the content as written in one scope (before merging).

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Json, Object, SimpleObject, dataloader::DataLoader};
use serde_json::{Map, Value};

use super::{
    enums::{ProcedureKind, ScopeKind},
    errors::gql,
    loaders::{ChildrenLoader, DocumentLoader, RevisionLoader, ScopeLoader},
};
use crate::domain::{self, BranchChange, Patch, ProcedureChange, Scope, ScopeDocument, ScopeId};

/// A scope: a vertex that owns runbook content and inherits from its parents.
pub struct ScopeObject(pub Arc<Scope>);

/// Someone to escalate to.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Contact")]
pub struct ContactObject {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub chat: Option<String>,
}

impl From<&domain::Contact> for ContactObject {
    fn from(c: &domain::Contact) -> Self {
        Self {
            name: c.name.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            chat: c.chat.clone(),
        }
    }
}

/// The current revision of one object of a scope, through the request's DataLoader.
pub async fn revision_of(
    ctx: &Context<'_>,
    host: &domain::Host,
    scope: &ScopeId,
    object: &domain::ObjectRef,
) -> async_graphql::Result<Option<i64>> {
    let loader = ctx.data::<DataLoader<RevisionLoader>>()?;
    let revisions = loader
        .load_one((host.clone(), scope.clone()))
        .await
        .map_err(gql)?;
    Ok(revisions
        .and_then(|r| r.get(object).copied())
        .map(|r| i64::try_from(r).unwrap_or(i64::MAX)))
}

/// Loads scopes by id through the request's DataLoader, keeping the given order.
pub async fn load_scopes(
    ctx: &Context<'_>,
    host: &domain::Host,
    ids: &[ScopeId],
) -> async_graphql::Result<Vec<ScopeObject>> {
    let loader = ctx.data::<DataLoader<ScopeLoader>>()?;
    let keys: Vec<_> = ids.iter().map(|id| (host.clone(), id.clone())).collect();
    let mut found = loader.load_many(keys.iter().cloned()).await.map_err(gql)?;
    Ok(keys
        .iter()
        .filter_map(|k| found.remove(k))
        .map(ScopeObject)
        .collect())
}

impl ScopeObject {
    async fn document(&self, ctx: &Context<'_>) -> async_graphql::Result<Arc<ScopeDocument>> {
        let loader = ctx.data::<DataLoader<DocumentLoader>>()?;
        let key = (self.0.host.clone(), self.0.id.clone());
        loader
            .load_one(key)
            .await
            .map_err(gql)?
            .ok_or_else(|| format!("scope {} vanished while reading it", self.0.id).into())
    }
}

#[Object(name = "Scope")]
impl ScopeObject {
    /// The tenant the scope belongs to.
    async fn host(&self) -> &str {
        self.0.host.as_str()
    }
    /// Unique within the host; for a service, its light-4j `serviceId`.
    async fn id(&self) -> &str {
        self.0.id.as_str()
    }
    /// Human-readable name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The revision of the scope's own fields (name, kind, parents, owners, contacts).
    async fn revision(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i64>> {
        revision_of(ctx, &self.0.host, &self.0.id, &domain::ObjectRef::Scope).await
    }
    /// What the scope stands for.
    async fn kind(&self) -> ScopeKind {
        self.0.kind.into()
    }
    /// Who owns (may write) the scope: `role:NAME` a role, `NAME` or `user:NAME` a user id.
    async fn owners(&self) -> &[String] {
        &self.0.owners
    }
    /// The scope's own escalation contacts (a service's effective contacts are on `runbook`).
    async fn contacts(&self) -> Vec<ContactObject> {
        self.0.contacts.iter().map(ContactObject::from).collect()
    }
    /// Ordered parents.
    async fn parents(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScopeObject>> {
        load_scopes(ctx, &self.0.host, &self.0.parents).await
    }
    /// Scopes that name this one as a parent, by id.
    async fn children(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScopeObject>> {
        let loader = ctx.data::<DataLoader<ChildrenLoader>>()?;
        let ids = loader
            .load_one((self.0.host.clone(), self.0.id.clone()))
            .await
            .map_err(gql)?
            .unwrap_or_default();
        load_scopes(ctx, &self.0.host, &ids).await
    }
    /// Procedures as written in this scope (layers, not merged), by key.
    async fn procedures(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<WrittenProcedure>> {
        let doc = self.document(ctx).await?;
        Ok(doc
            .content
            .procedures
            .iter()
            .map(|(key, change)| WrittenProcedure::new(&self.0.host, &self.0.id, key, change))
            .collect())
    }
    /// Branches as written in this scope, by (from, label).
    async fn branches(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<WrittenBranch>> {
        let doc = self.document(ctx).await?;
        Ok(doc
            .content
            .branches
            .iter()
            .map(|(id, change)| WrittenBranch::new(&self.0.host, &self.0.id, id, change))
            .collect())
    }
    /// Entries as written in this scope, by code with `*` last.
    async fn entries(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<WrittenEntry>> {
        let doc = self.document(ctx).await?;
        Ok(doc
            .content
            .entries
            .iter()
            .map(|(code, key)| WrittenEntry {
                host: self.0.host.clone(),
                object: domain::ObjectRef::Entry(code.clone()),
                scope_id: self.0.id.to_string(),
                code: code.to_string(),
                key: key.as_ref().map(ToString::to_string),
            })
            .collect())
    }
    /// Error codes as registered (or patched) by this scope, by code.
    async fn error_codes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<WrittenErrorCode>> {
        let doc = self.document(ctx).await?;
        Ok(doc
            .content
            .error_codes
            .iter()
            .map(|(code, p)| WrittenErrorCode {
                host: self.0.host.clone(),
                object: domain::ObjectRef::ErrorCode(code.clone()),
                scope_id: self.0.id.to_string(),
                code: code.to_string(),
                status_code: p.status_code.as_set().map(|s| i32::from(*s)),
                message: p.message.as_set().cloned(),
                description: p.description.as_set().cloned(),
                severity: p.severity.as_set().cloned(),
                cleared: cleared(&[
                    ("statusCode", matches!(p.status_code, Patch::Clear)),
                    ("message", matches!(p.message, Patch::Clear)),
                    ("description", matches!(p.description, Patch::Clear)),
                    ("severity", matches!(p.severity, Patch::Clear)),
                ]),
            })
            .collect())
    }
}

fn cleared(fields: &[(&str, bool)]) -> Vec<String> {
    fields
        .iter()
        .filter(|(_, c)| *c)
        .map(|(f, _)| (*f).to_owned())
        .collect()
}

/// A procedure as one scope writes it: a layer over what the scope inherits.
/// Fields it does not give are null; fields it clears are listed in `cleared`.
#[derive(SimpleObject)]
#[graphql(name = "Procedure", complex)]
pub struct WrittenProcedure {
    #[graphql(skip)]
    pub host: domain::Host,
    #[graphql(skip)]
    pub object: domain::ObjectRef,
    pub scope_id: String,
    pub key: String,
    /// True for a tombstone (`removed: true`).
    pub removed: bool,
    pub title: Option<String>,
    pub kind: Option<ProcedureKind>,
    pub body: Option<String>,
    pub automation: Option<Json<Map<String, Value>>>,
    pub tags: Option<Vec<String>>,
    /// Fields this scope sets to null, clearing the inherited value.
    pub cleared: Vec<String>,
}

impl WrittenProcedure {
    /// The GraphQL view of one scope's layer for a key.
    pub fn new(
        host: &domain::Host,
        scope: &ScopeId,
        key: &domain::ProcedureKey,
        change: &ProcedureChange,
    ) -> Self {
        let mut out = Self {
            host: host.clone(),
            object: domain::ObjectRef::Procedure(key.clone()),
            scope_id: scope.to_string(),
            key: key.to_string(),
            removed: false,
            title: None,
            kind: None,
            body: None,
            automation: None,
            tags: None,
            cleared: Vec::new(),
        };
        match change {
            ProcedureChange::Removed => out.removed = true,
            ProcedureChange::Patch(p) => {
                out.title = p.title.as_set().cloned();
                out.kind = p.kind.as_set().map(|k| (*k).into());
                out.body = p.body.as_set().cloned();
                out.automation = p.automation.as_set().cloned().map(Json);
                out.tags = p.tags.as_set().cloned();
                out.cleared = cleared(&[
                    ("title", matches!(p.title, Patch::Clear)),
                    ("kind", matches!(p.kind, Patch::Clear)),
                    ("body", matches!(p.body, Patch::Clear)),
                    ("automation", matches!(p.automation, Patch::Clear)),
                    ("tags", matches!(p.tags, Patch::Clear)),
                ]);
            }
        }
        out
    }
}

/// A branch as one scope writes it.
#[derive(SimpleObject)]
#[graphql(name = "Branch", complex)]
pub struct WrittenBranch {
    #[graphql(skip)]
    pub host: domain::Host,
    #[graphql(skip)]
    pub object: domain::ObjectRef,
    pub scope_id: String,
    pub from: String,
    pub label: String,
    /// True for a tombstone (`removed: true`).
    pub removed: bool,
    pub to: Option<String>,
    pub condition: Option<String>,
    pub order: Option<i64>,
    /// Fields this scope sets to null, clearing the inherited value.
    pub cleared: Vec<String>,
}

impl WrittenBranch {
    fn new(
        host: &domain::Host,
        scope: &ScopeId,
        id: &domain::BranchId,
        change: &BranchChange,
    ) -> Self {
        let mut out = Self {
            host: host.clone(),
            object: domain::ObjectRef::Branch(id.clone()),
            scope_id: scope.to_string(),
            from: id.from.to_string(),
            label: id.label.to_string(),
            removed: false,
            to: None,
            condition: None,
            order: None,
            cleared: Vec::new(),
        };
        match change {
            BranchChange::Removed => out.removed = true,
            BranchChange::Patch(p) => {
                out.to = p.to.as_set().map(ToString::to_string);
                out.condition = p.condition.as_set().cloned();
                out.order = p.order.as_set().copied();
                out.cleared = cleared(&[
                    ("to", matches!(p.to, Patch::Clear)),
                    ("condition", matches!(p.condition, Patch::Clear)),
                    ("order", matches!(p.order, Patch::Clear)),
                ]);
            }
        }
        out
    }
}

/// An entry as one scope writes it; `key` null removes an inherited entry.
#[derive(SimpleObject)]
#[graphql(name = "Entry", complex)]
pub struct WrittenEntry {
    #[graphql(skip)]
    pub host: domain::Host,
    #[graphql(skip)]
    pub object: domain::ObjectRef,
    pub scope_id: String,
    /// An error code, or `*` for the default entry.
    pub code: String,
    pub key: Option<String>,
}

/// An error code as one scope registers or patches it.
#[derive(SimpleObject)]
#[graphql(name = "ScopeErrorCode", complex)]
pub struct WrittenErrorCode {
    #[graphql(skip)]
    pub host: domain::Host,
    #[graphql(skip)]
    pub object: domain::ObjectRef,
    pub scope_id: String,
    pub code: String,
    pub status_code: Option<i32>,
    pub message: Option<String>,
    pub description: Option<String>,
    pub severity: Option<String>,
    /// Fields this scope sets to null, clearing the inherited value.
    pub cleared: Vec<String>,
}

#[ComplexObject]
impl WrittenProcedure {
    /// The object's current revision, for `expectedRevision`.
    async fn revision(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i64>> {
        let scope = ScopeId::parse(self.scope_id.as_str())?;
        revision_of(ctx, &self.host, &scope, &self.object).await
    }
}

#[ComplexObject]
impl WrittenBranch {
    /// The object's current revision, for `expectedRevision`.
    async fn revision(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i64>> {
        let scope = ScopeId::parse(self.scope_id.as_str())?;
        revision_of(ctx, &self.host, &scope, &self.object).await
    }
}

#[ComplexObject]
impl WrittenEntry {
    /// The object's current revision, for `expectedRevision`.
    async fn revision(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i64>> {
        let scope = ScopeId::parse(self.scope_id.as_str())?;
        revision_of(ctx, &self.host, &scope, &self.object).await
    }
}

#[ComplexObject]
impl WrittenErrorCode {
    /// The object's current revision, for `expectedRevision`.
    async fn revision(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i64>> {
        let scope = ScopeId::parse(self.scope_id.as_str())?;
        revision_of(ctx, &self.host, &scope, &self.object).await
    }
}
