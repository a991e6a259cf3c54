//! Pinning a resolved runbook when an execution starts (the pinned records
//! themselves are [`crate::domain::execution::pinned`]).

pub use crate::domain::execution::pinned::*;
use crate::{
    domain::{BranchId, ObjectRef, ScopeId},
    resolve::EffectiveRunbook,
};

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
}
