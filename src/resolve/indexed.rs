//! An effective runbook with the lookups its readers need (scopes by id,
//! procedures by key, branches by origin), built once when the runbook is
//! resolved and shared from then on: a cached answer is served as it is,
//! with no copy and no indexing per request.

use std::{collections::HashMap, ops::Deref, sync::Arc};

use super::EffectiveRunbook;
use crate::domain::{ProcedureKey, Scope, ScopeId};

/// An [`EffectiveRunbook`] and its indexes. Reads as the runbook itself.
#[derive(Debug)]
pub struct IndexedRunbook {
    runbook: EffectiveRunbook,
    scopes: HashMap<ScopeId, Arc<Scope>>,
    procedures: HashMap<ProcedureKey, usize>,
    branches_from: HashMap<ProcedureKey, Vec<usize>>,
}

impl IndexedRunbook {
    /// Indexes `runbook`.
    pub fn new(runbook: EffectiveRunbook) -> Self {
        let scopes = (runbook.lineage.iter())
            .map(|s| (s.id.clone(), Arc::new(s.clone())))
            .collect();
        let procedures = (runbook.procedures.iter().enumerate())
            .map(|(i, p)| (p.key.clone(), i))
            .collect();
        let mut branches_from: HashMap<ProcedureKey, Vec<usize>> = HashMap::new();
        for (i, b) in runbook.branches.iter().enumerate() {
            branches_from.entry(b.from.clone()).or_default().push(i);
        }
        Self {
            runbook,
            scopes,
            procedures,
            branches_from,
        }
    }

    /// The lineage's scopes by id.
    pub fn scopes(&self) -> &HashMap<ScopeId, Arc<Scope>> {
        &self.scopes
    }

    /// A lineage scope by id.
    pub fn scope(&self, id: &ScopeId) -> Option<&Arc<Scope>> {
        self.scopes.get(id)
    }

    /// The index in `procedures` of the procedure `key`.
    pub fn procedure_index(&self, key: &ProcedureKey) -> Option<usize> {
        self.procedures.get(key).copied()
    }

    /// The indexes in `branches` of the branches leaving `key`, in order.
    pub fn branches_from(&self, key: &ProcedureKey) -> &[usize] {
        self.branches_from.get(key).map_or(&[], Vec::as_slice)
    }
}

impl Deref for IndexedRunbook {
    type Target = EffectiveRunbook;

    fn deref(&self) -> &EffectiveRunbook {
        &self.runbook
    }
}

/// Equal when the runbooks are: the indexes follow from them.
impl PartialEq for IndexedRunbook {
    fn eq(&self, other: &Self) -> bool {
        self.runbook == other.runbook
    }
}
