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
    error::{ApiError, ErrorCode},
    resolve::{self, EffectiveRunbook, Source},
};

/// One resolved runbook shared by all the objects that point into it.
struct Resolved {
    rb: EffectiveRunbook,
    scopes: HashMap<ScopeId, Arc<Scope>>,
    procedure_index: HashMap<ProcedureKey, usize>,
    branches_from: HashMap<ProcedureKey, Vec<usize>>,
}

impl Resolved {
    fn scope(&self, id: &ScopeId) -> Option<ScopeObject> {
        self.scopes.get(id).cloned().map(ScopeObject)
    }

    fn procedure(self: &Arc<Self>, key: &ProcedureKey) -> Option<EffectiveProcedureObject> {
        self.procedure_index
            .get(key)
            .map(|&index| EffectiveProcedureObject {
                shared: self.clone(),
                index,
            })
    }
}

/// A service's effective runbook: inherited plus overridden, with provenance.
pub struct RunbookObject(Arc<Resolved>);

impl From<EffectiveRunbook> for RunbookObject {
    fn from(rb: EffectiveRunbook) -> Self {
        let scopes = rb
            .lineage
            .iter()
            .map(|s| (s.id.clone(), Arc::new(s.clone())))
            .collect();
        let procedure_index = rb
            .procedures
            .iter()
            .enumerate()
            .map(|(i, p)| (p.key.clone(), i))
            .collect();
        let mut branches_from: HashMap<ProcedureKey, Vec<usize>> = HashMap::new();
        for (i, b) in rb.branches.iter().enumerate() {
            branches_from.entry(b.from.clone()).or_default().push(i);
        }
        Self(Arc::new(Resolved {
            rb,
            scopes,
            procedure_index,
            branches_from,
        }))
    }
}

#[Object(name = "EffectiveRunbook")]
impl RunbookObject {
    /// The service asked about.
    async fn service_id(&self) -> &str {
        self.0.rb.service_id.as_str()
    }
    /// The service first, then its ancestors in C3 order.
    async fn lineage(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScopeObject>> {
        AnswerBudget::charge(ctx, self.0.rb.lineage.len())?;
        Ok(self
            .0
            .rb
            .lineage
            .iter()
            .filter_map(|s| self.0.scope(&s.id))
            .collect())
    }
    /// The key of the entry procedure for the error code asked about; null without one.
    async fn entry(&self) -> Option<&str> {
        self.0.rb.entry.as_ref().map(ProcedureKey::as_str)
    }
    /// The error code asked about, merged over the lineage; null when no scope registers it.
    async fn error_code(&self) -> async_graphql::Result<Option<EffectiveErrorCodeObject>> {
        self.0
            .rb
            .error_code
            .as_ref()
            .map(|code| EffectiveErrorCodeObject::new(code, &self.0.scopes))
            .transpose()
    }
    /// With an error code, the procedures reachable from the entry (breadth first);
    /// without one, every effective procedure, by key.
    async fn procedures(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<EffectiveProcedureObject>> {
        AnswerBudget::charge(ctx, self.0.rb.procedures.len())?;
        Ok((0..self.0.rb.procedures.len())
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
        AnswerBudget::charge(ctx, self.0.rb.branches.len())?;
        Ok((0..self.0.rb.branches.len())
            .map(|index| EffectiveBranchObject {
                shared: self.0.clone(),
                index,
            })
            .collect())
    }
    /// Entries by code, `*` last (with an error code: only the entry used).
    async fn entries(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<EffectiveEntryObject>> {
        AnswerBudget::charge(ctx, self.0.rb.entries.len())?;
        Ok((0..self.0.rb.entries.len())
            .map(|index| EffectiveEntryObject {
                shared: self.0.clone(),
                index,
            })
            .collect())
    }
    /// What the lineage removed, and which scope removed it.
    async fn removed(&self) -> Vec<RemovalObject> {
        (0..self.0.rb.removed.len())
            .map(|index| RemovalObject {
                shared: self.0.clone(),
                index,
            })
            .collect()
    }
    /// Escalation contacts: those of the nearest scope of the lineage that has any.
    async fn contacts(&self) -> Vec<ContactObject> {
        self.0.rb.contacts.iter().map(ContactObject::from).collect()
    }
    /// What did not stop resolution but should be looked at.
    async fn warnings(&self) -> Vec<WarningObject> {
        self.0.rb.warnings.iter().map(WarningObject::from).collect()
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
                    ErrorCode::Internal,
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
    shared: Arc<Resolved>,
    index: usize,
}

impl EffectiveProcedureObject {
    fn p(&self) -> &resolve::EffectiveProcedure {
        &self.shared.rb.procedures[self.index]
    }
    fn src(&self) -> SourceFields<'_> {
        SourceFields(&self.p().source, &self.shared.scopes)
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
        let list = self
            .shared
            .branches_from
            .get(&self.p().key)
            .map_or(&[][..], Vec::as_slice);
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
    shared: Arc<Resolved>,
    index: usize,
}

impl EffectiveBranchObject {
    fn b(&self) -> &resolve::EffectiveBranch {
        &self.shared.rb.branches[self.index]
    }
    fn src(&self) -> SourceFields<'_> {
        SourceFields(&self.b().source, &self.shared.scopes)
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
        Ok(self.shared.procedure(&self.b().to))
    }
}

/// An entry after merging: the nearest scope that sets the code wins.
pub struct EffectiveEntryObject {
    shared: Arc<Resolved>,
    index: usize,
}

#[Object(name = "EffectiveEntry")]
impl EffectiveEntryObject {
    /// An error code, or `*`.
    async fn code(&self) -> &str {
        self.shared.rb.entries[self.index].code.as_str()
    }
    async fn key(&self) -> &str {
        self.shared.rb.entries[self.index].key.as_str()
    }
    /// The scope whose setting won.
    async fn scope(&self) -> Option<ScopeObject> {
        self.shared.scope(&self.shared.rb.entries[self.index].scope)
    }
    async fn provenance(&self) -> Provenance {
        self.shared.rb.entries[self.index].provenance.into()
    }
    /// The entry procedure.
    async fn procedure(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<EffectiveProcedureObject>> {
        AnswerBudget::charge(ctx, 1)?;
        Ok(self
            .shared
            .procedure(&self.shared.rb.entries[self.index].key))
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
