//! What the read queries return, and how it becomes the domain again.

use serde::{Deserialize, Serialize};

use super::records::{BranchBody, EntryBody, ErrorCodeBody, ProcedureBody, ScopeBody};
use crate::domain::{
    BranchChange, BranchId, ProcedureChange, Scope, ScopeContent, ScopeDocument, ScopeId,
};

/// One scope document as the document queries return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRow {
    /// The scope vertex.
    pub scope: ScopeBody,
    /// Parent ids in order.
    pub parents: Vec<ScopeId>,
    /// Procedure layers.
    pub procedures: Vec<ProcedureBody>,
    /// Branch layers.
    pub branches: Vec<BranchBody>,
    /// Entries.
    pub entries: Vec<EntryBody>,
    /// Error code layers.
    pub error_codes: Vec<ErrorCodeBody>,
}

/// One scope vertex with its parents, as the scope queries return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopeRow {
    /// The scope vertex.
    pub scope: ScopeBody,
    /// Parent ids in order.
    pub parents: Vec<ScopeId>,
}

/// A stored row that does not make a domain value.
#[derive(Debug, PartialEq, Eq)]
pub struct BadRow(pub String);

impl ScopeRow {
    /// The scope vertex in the domain.
    pub fn into_scope(self) -> Scope {
        let b = self.scope;
        Scope {
            host: b.host,
            id: b.id,
            name: b.name,
            kind: b.kind,
            parents: self.parents,
            owners: b.owners,
            contacts: b.contacts,
        }
    }
}

impl DocumentRow {
    /// The scope document in the domain.
    pub fn into_document(self) -> Result<ScopeDocument, BadRow> {
        let id = self.scope.id.clone();
        let bad = |what: &str, key: &dyn std::fmt::Display| {
            BadRow(format!(
                "scope {id}: {what} {key} is neither removed nor patched"
            ))
        };
        let mut content = ScopeContent::default();
        for p in self.procedures {
            let change = match (p.removed, p.patch) {
                (true, _) => ProcedureChange::Removed,
                (false, Some(patch)) => ProcedureChange::Patch(patch),
                (false, None) => return Err(bad("procedure", &p.key)),
            };
            content.procedures.insert(p.key, change);
        }
        for b in self.branches {
            let change = match (b.removed, b.patch) {
                (true, _) => BranchChange::Removed,
                (false, Some(patch)) => BranchChange::Patch(patch),
                (false, None) => return Err(bad("branch from", &b.from)),
            };
            content.branches.insert(
                BranchId {
                    from: b.from,
                    label: b.label,
                },
                change,
            );
        }
        content.entries = self.entries.into_iter().map(|e| (e.code, e.key)).collect();
        content.error_codes = self
            .error_codes
            .into_iter()
            .map(|e| (e.code, e.patch))
            .collect();
        let scope = ScopeRow {
            scope: self.scope,
            parents: self.parents,
        }
        .into_scope();
        Ok(ScopeDocument { scope, content })
    }
}
