//! The effective runbook as GraphQL objects. Everything here reads from one
//! resolved `EffectiveRunbook`: walking `next` and `target` costs no store
//! round trip.

use std::{collections::HashMap, sync::Arc};

use async_graphql::{Context, Json, Object, SimpleObject};
use serde_json::{Map, Value};

mod error_code;
mod removal;

pub use error_code::EffectiveErrorCodeObject;
pub use removal::RemovalObject;

use super::{
    budget::AnswerBudget,
    enums::{ProcedureKind, Provenance},
    errors::gql,
    scope::{ContactObject, ScopeObject},
};
use crate::{
    domain::{ProcedureKey, Scope, ScopeId},
    error::{ApiError, ApiErrorCode},
    resolve::{self, IndexedRunbook, Source},
};

/// A lineage scope of the runbook as a GraphQL object.
fn scope_object(rb: &IndexedRunbook, id: &ScopeId) -> Option<ScopeObject> {
    rb.scope(id).cloned().map(ScopeObject)
}

/// The runbook's procedure `key` as a GraphQL object.
fn procedure_object(
    rb: &Arc<IndexedRunbook>,
    key: &ProcedureKey,
) -> Option<EffectiveProcedureObject> {
    rb.procedure_index(key)
        .map(|index| EffectiveProcedureObject {
            shared: rb.clone(),
            index,
        })
}

/// A service's effective runbook: inherited plus overridden, with provenance.
/// Shares the resolved, indexed runbook (a cached one as it is cached).
pub struct RunbookObject(Arc<IndexedRunbook>);

impl From<Arc<IndexedRunbook>> for RunbookObject {
    fn from(rb: Arc<IndexedRunbook>) -> Self {
        Self(rb)
    }
}

#[Object(name = "EffectiveRunbook")]
impl RunbookObject {
    /// The service asked about.
    async fn service_id(&self) -> &str {
        self.0.service_id.as_str()
    }
    /// The service first, then its ancestors in C3 order.
    async fn lineage(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScopeObject>> {
        AnswerBudget::charge(ctx, self.0.lineage.len())?;
        Ok(self
            .0
            .lineage
            .iter()
            .filter_map(|s| scope_object(&self.0, &s.id))
            .collect())
    }
    /// The key of the entry procedure for the error code asked about; null without one.
    async fn entry(&self) -> Option<&str> {
        self.0.entry.as_ref().map(ProcedureKey::as_str)
    }
    /// The error code asked about, merged over the lineage; null when no scope registers it.
    async fn error_code(&self) -> async_graphql::Result<Option<EffectiveErrorCodeObject>> {
        self.0
            .error_code
            .as_ref()
            .map(|code| EffectiveErrorCodeObject::new(code, self.0.scopes()))
            .transpose()
    }
    /// With an error code, the procedures reachable from the entry (breadth first);
    /// without one, every effective procedure, by key.
    async fn procedures(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<EffectiveProcedureObject>> {
        AnswerBudget::charge(ctx, self.0.procedures.len())?;
        Ok((0..self.0.procedures.len())
            .map(|index| EffectiveProcedureObject {
                shared: self.0.clone(),
                index,
            })
            .collect())
    }
    /// The effective branches among `procedures`.
    async fn branches(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<EffectiveBranchObject>> {
        AnswerBudget::charge(ctx, self.0.branches.len())?;
        Ok((0..self.0.branches.len())
            .map(|index| EffectiveBranchObject {
                shared: self.0.clone(),
                index,
            })
            .collect())
    }
    /// Entries by code, `*` last (with an error code: only the entry used).
    async fn entries(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<EffectiveEntryObject>> {
        AnswerBudget::charge(ctx, self.0.entries.len())?;
        Ok((0..self.0.entries.len())
            .map(|index| EffectiveEntryObject {
                shared: self.0.clone(),
                index,
            })
            .collect())
    }
    /// What the lineage removed, and which scope removed it.
    async fn removed(&self) -> Vec<RemovalObject> {
        (0..self.0.removed.len())
            .map(|index| RemovalObject {
                shared: self.0.clone(),
                index,
            })
            .collect()
    }
    /// Escalation contacts: those of the nearest scope of the lineage that has any.
    async fn contacts(&self) -> Vec<ContactObject> {
        self.0.contacts.iter().map(ContactObject::from).collect()
    }
    /// What did not stop resolution but should be looked at.
    async fn warnings(&self) -> Vec<WarningObject> {
        self.0.warnings.iter().map(WarningObject::from).collect()
    }
}

struct SourceFields<'a>(&'a Source, &'a HashMap<ScopeId, Arc<Scope>>);

impl SourceFields<'_> {
    /// The origin is always in the lineage the runbook was resolved from;
    /// its absence would be a bug, reported as an internal error.
    fn origin(&self) -> async_graphql::Result<ScopeObject> {
        self.1
            .get(&self.0.origin)
            .cloned()
            .map(ScopeObject)
            .ok_or_else(|| {
                tracing::error!(scope = %self.0.origin, "origin scope missing from the lineage");
                gql(ApiError::new(
                    ApiErrorCode::Internal,
                    "internal error; see the service log",
                ))
            })
    }
    fn layers(&self) -> Vec<ScopeObject> {
        self.0
            .layers
            .iter()
            .filter_map(|id| self.1.get(id).cloned().map(ScopeObject))
            .collect()
    }
}

/// A procedure after merging every layer of the lineage.
pub struct EffectiveProcedureObject {
    shared: Arc<IndexedRunbook>,
    index: usize,
}

impl EffectiveProcedureObject {
    fn p(&self) -> &resolve::EffectiveProcedure {
        &self.shared.procedures[self.index]
    }
    fn src(&self) -> SourceFields<'_> {
        SourceFields(&self.p().source, self.shared.scopes())
    }
}

#[Object(name = "EffectiveProcedure")]
impl EffectiveProcedureObject {
    async fn key(&self) -> &str {
        self.p().key.as_str()
    }
    async fn title(&self) -> &str {
        &self.p().title
    }
    async fn kind(&self) -> ProcedureKind {
        self.p().kind.into()
    }
    /// Markdown.
    async fn body(&self) -> Option<&str> {
        self.p().body.as_deref()
    }
    /// For AUTOMATED procedures: the executor and its input.
    async fn automation(&self) -> Option<Json<Map<String, Value>>> {
        self.p().automation.clone().map(Json)
    }
    async fn tags(&self) -> &[String] {
        &self.p().tags
    }
    /// The most general scope that defines it since its last removal.
    async fn origin(&self) -> async_graphql::Result<ScopeObject> {
        self.src().origin()
    }
    /// Every scope that defines it since its last removal, general first.
    async fn layers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScopeObject>> {
        AnswerBudget::charge(ctx, self.src().0.layers.len())?;
        Ok(self.src().layers())
    }
    /// Relative to the service asked about.
    async fn provenance(&self) -> Provenance {
        self.p().source.provenance.into()
    }
    /// Its effective branches, in branch order.
    async fn next(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<EffectiveBranchObject>> {
        let list = self.shared.branches_from(&self.p().key);
        AnswerBudget::charge(ctx, list.len())?;
        Ok(list
            .iter()
            .map(|&index| EffectiveBranchObject {
                shared: self.shared.clone(),
                index,
            })
            .collect())
    }
}

/// A branch after merging every layer of the lineage.
pub struct EffectiveBranchObject {
    shared: Arc<IndexedRunbook>,
    index: usize,
}

impl EffectiveBranchObject {
    fn b(&self) -> &resolve::EffectiveBranch {
        &self.shared.branches[self.index]
    }
    fn src(&self) -> SourceFields<'_> {
        SourceFields(&self.b().source, self.shared.scopes())
    }
}

#[Object(name = "EffectiveBranch")]
impl EffectiveBranchObject {
    async fn from(&self) -> &str {
        self.b().from.as_str()
    }
    async fn to(&self) -> &str {
        self.b().to.as_str()
    }
    async fn label(&self) -> &str {
        self.b().label.as_str()
    }
    /// When to take it.
    async fn condition(&self) -> Option<&str> {
        self.b().condition.as_deref()
    }
    /// Position among the branches of `from`.
    async fn order(&self) -> Option<i64> {
        self.b().order
    }
    async fn origin(&self) -> async_graphql::Result<ScopeObject> {
        self.src().origin()
    }
    async fn layers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScopeObject>> {
        AnswerBudget::charge(ctx, self.src().0.layers.len())?;
        Ok(self.src().layers())
    }
    async fn provenance(&self) -> Provenance {
        self.b().source.provenance.into()
    }
    /// The procedure it leads to.
    async fn target(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<EffectiveProcedureObject>> {
        AnswerBudget::charge(ctx, 1)?;
        Ok(procedure_object(&self.shared, &self.b().to))
    }
}

/// An entry after merging: the nearest scope that sets the code wins.
pub struct EffectiveEntryObject {
    shared: Arc<IndexedRunbook>,
    index: usize,
}

#[Object(name = "EffectiveEntry")]
impl EffectiveEntryObject {
    /// An error code, or `*`.
    async fn code(&self) -> &str {
        self.shared.entries[self.index].code.as_str()
    }
    async fn key(&self) -> &str {
        self.shared.entries[self.index].key.as_str()
    }
    /// The scope whose setting won.
    async fn scope(&self) -> Option<ScopeObject> {
        scope_object(&self.shared, &self.shared.entries[self.index].scope)
    }
    async fn provenance(&self) -> Provenance {
        self.shared.entries[self.index].provenance.into()
    }
    /// The entry procedure.
    async fn procedure(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<EffectiveProcedureObject>> {
        AnswerBudget::charge(ctx, 1)?;
        let key = &self.shared.entries[self.index].key;
        Ok(procedure_object(&self.shared, key))
    }
}

/// Something that did not stop resolution but should be looked at.
#[derive(SimpleObject)]
#[graphql(name = "Warning")]
pub struct WarningObject {
    /// Stable: `DANGLING_BRANCH`, `ENTRY_NOT_EFFECTIVE`.
    pub code: String,
    pub message: String,
    /// The scope whose definition is affected.
    pub scope: Option<String>,
    /// The procedure key, `from/label` of a branch, or an entry code.
    pub key: Option<String>,
}

impl From<&resolve::Warning> for WarningObject {
    fn from(w: &resolve::Warning) -> Self {
        Self {
            code: w.code.as_str().to_owned(),
            message: w.message.clone(),
            scope: w.scope.as_ref().map(ToString::to_string),
            key: w.key.clone(),
        }
    }
}
