//! A whole host's documents in memory, to validate a change (import, check,
//! mutations) before anything is stored.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::domain::{ErrorCode, ScopeDocument, ScopeId};

use super::{
    lineage::{Lookup, linearize_in},
    model::{EffectiveRunbook, ResolveError},
    runbook::resolve_in,
};

/// An in-memory view of a whole host, for validating changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    docs: BTreeMap<ScopeId, ScopeDocument>,
}

impl Catalog {
    /// A catalog of the given documents; of two with the same id, the later wins.
    pub fn new(docs: impl IntoIterator<Item = ScopeDocument>) -> Self {
        Self {
            docs: docs.into_iter().map(|d| (d.scope.id.clone(), d)).collect(),
        }
    }

    /// The document of a scope.
    pub fn get(&self, id: &ScopeId) -> Option<&ScopeDocument> {
        self.docs.get(id)
    }

    /// Every document, sorted by id.
    pub fn docs(&self) -> impl Iterator<Item = &ScopeDocument> {
        self.docs.values()
    }

    /// How many scopes the catalog holds.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when the catalog holds no scope.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// A copy with the given documents put in place of (or beside) the existing ones.
    pub fn with(&self, docs: &[ScopeDocument]) -> Catalog {
        let mut copy = self.clone();
        for doc in docs {
            copy.docs.insert(doc.scope.id.clone(), doc.clone());
        }
        copy
    }

    /// A copy without the given scopes.
    pub fn without(&self, ids: &[ScopeId]) -> Catalog {
        let mut copy = self.clone();
        for id in ids {
            copy.docs.remove(id);
        }
        copy
    }

    /// The ids of the scopes that name `id` as a parent, sorted.
    pub fn children(&self, id: &ScopeId) -> Vec<ScopeId> {
        self.docs
            .values()
            .filter(|d| d.scope.parents.contains(id))
            .map(|d| d.scope.id.clone())
            .collect()
    }

    /// The lineage of a scope: the scope first, then its ancestors in C3 order.
    pub fn lineage(&self, id: &ScopeId) -> Result<Vec<ScopeId>, ResolveError> {
        linearize_in(self, id)
    }

    /// A service's effective runbook, whole or for one error code (see [`super::resolve`]).
    pub fn resolve(
        &self,
        service: &ScopeId,
        code: Option<&ErrorCode>,
    ) -> Result<EffectiveRunbook, ResolveError> {
        resolve_in(self, service, code)
    }

    /// The given scopes and every scope below them (transitively through
    /// parents), sorted. The given ids are kept even if the catalog lacks them.
    pub fn descendants(&self, ids: &[ScopeId]) -> Vec<ScopeId> {
        let mut children: BTreeMap<&ScopeId, Vec<&ScopeId>> = BTreeMap::new();
        for doc in self.docs.values() {
            for parent in &doc.scope.parents {
                children.entry(parent).or_default().push(&doc.scope.id);
            }
        }
        let mut found: BTreeSet<&ScopeId> = ids.iter().collect();
        let mut queue: VecDeque<&ScopeId> = found.iter().copied().collect();
        while let Some(id) = queue.pop_front() {
            for child in children.get(id).into_iter().flatten() {
                if found.insert(child) {
                    queue.push_back(child);
                }
            }
        }
        found.into_iter().cloned().collect()
    }
}

impl Lookup for Catalog {
    fn doc(&self, id: &ScopeId) -> Option<&ScopeDocument> {
        self.docs.get(id)
    }
}
