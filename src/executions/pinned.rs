//! The runbook an execution follows, pinned when it starts: the resolved
//! procedures and branches, the host generation they were read at, and the
//! revision of every layer, so later edits never change an open execution.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{
    domain::{BranchId, BranchLabel, ObjectRef, ProcedureKey, ProcedureKind, ScopeId},
    resolve::EffectiveRunbook,
};

/// One scope's layer of a pinned object and its revision then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layer {
    pub scope: ScopeId,
    /// The object's revision in that scope when pinned (None if the store had none).
    pub revision: Option<u64>,
}

/// A procedure as resolved when the execution started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PinnedProcedure {
    pub key: ProcedureKey,
    pub title: String,
    pub kind: ProcedureKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automation: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Every scope that defines it, general first, with its revision.
    pub layers: Vec<Layer>,
}

/// A branch as resolved when the execution started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinnedBranch {
    pub from: ProcedureKey,
    pub label: BranchLabel,
    pub to: ProcedureKey,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
    pub layers: Vec<Layer>,
}

/// The whole pinned runbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PinnedRunbook {
    /// The host's generation the runbook was resolved at.
    pub generation: u64,
    /// The service first, then its ancestors.
    pub lineage: Vec<ScopeId>,
    pub entry: ProcedureKey,
    /// Reachable from the entry, breadth first.
    pub procedures: Vec<PinnedProcedure>,
    /// Grouped by `from`, each group in branch order.
    pub branches: Vec<PinnedBranch>,
}

/// Revisions per scope, as the store reports them.
pub type Revisions = BTreeMap<ScopeId, Vec<(ObjectRef, u64)>>;

impl PinnedRunbook {
    /// Pins an effective runbook (resolved for an error code) with the
    /// generation and revisions it was read at. None without an entry.
    pub fn pin(rb: &EffectiveRunbook, generation: u64, revisions: &Revisions) -> Option<Self> {
        let layers = |scopes: &[ScopeId], object: &ObjectRef| -> Vec<Layer> {
            scopes
                .iter()
                .map(|scope| Layer {
                    scope: scope.clone(),
                    revision: revisions.get(scope).and_then(|objects| {
                        objects.iter().find(|(o, _)| o == object).map(|(_, r)| *r)
                    }),
                })
                .collect()
        };
        let procedures = rb
            .procedures
            .iter()
            .map(|p| PinnedProcedure {
                key: p.key.clone(),
                title: p.title.clone(),
                kind: p.kind,
                body: p.body.clone(),
                automation: p.automation.clone(),
                tags: p.tags.clone(),
                layers: layers(&p.source.layers, &ObjectRef::Procedure(p.key.clone())),
            })
            .collect();
        let branches = rb
            .branches
            .iter()
            .map(|b| {
                let id = BranchId {
                    from: b.from.clone(),
                    label: b.label.clone(),
                };
                PinnedBranch {
                    from: b.from.clone(),
                    label: b.label.clone(),
                    to: b.to.clone(),
                    condition: b.condition.clone(),
                    order: b.order,
                    layers: layers(&b.source.layers, &ObjectRef::Branch(id)),
                }
            })
            .collect();
        Some(Self {
            generation,
            lineage: rb.lineage.iter().map(|s| s.id.clone()).collect(),
            entry: rb.entry.clone()?,
            procedures,
            branches,
        })
    }

    /// The scopes whose revisions pinning reads: every layer of the runbook.
    pub fn scopes_of(rb: &EffectiveRunbook) -> Vec<ScopeId> {
        let mut scopes: Vec<ScopeId> = rb
            .procedures
            .iter()
            .flat_map(|p| p.source.layers.iter())
            .chain(rb.branches.iter().flat_map(|b| b.source.layers.iter()))
            .cloned()
            .collect();
        scopes.sort();
        scopes.dedup();
        scopes
    }

    /// A procedure by key.
    pub fn procedure(&self, key: &ProcedureKey) -> Option<&PinnedProcedure> {
        self.procedures.iter().find(|p| &p.key == key)
    }

    /// The branches leaving a procedure, in branch order.
    pub fn branches_from<'a>(
        &'a self,
        key: &'a ProcedureKey,
    ) -> impl Iterator<Item = &'a PinnedBranch> + 'a {
        self.branches.iter().filter(move |b| &b.from == key)
    }
}
