//! The runbook an execution follows, pinned when it starts: the resolved
//! procedures and branches, the host generation they were read at, and the
//! revision of every layer, so later edits never change an open execution.
//! Pinning itself (from a resolved runbook) is `executions::pinned`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::{BranchLabel, ObjectRef, ProcedureKey, ProcedureKind, ScopeId};

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
