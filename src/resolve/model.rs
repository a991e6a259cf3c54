//! What resolution produces: a service's effective runbook with the provenance
//! of every part, and the errors that stop it.

use std::fmt;

use serde_json::{Map, Value};

use crate::domain::{
    BranchLabel, Contact, EntryCode, ErrorCode, ProcedureKey, ProcedureKind, Scope, ScopeId,
};

/// How a part of the effective runbook relates to the service asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provenance {
    /// Only ancestors define it.
    Inherited,
    /// The service and at least one ancestor define it.
    Overridden,
    /// Only the service defines it.
    Local,
}

/// Where a merged part comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The most general scope that defines it since its last removal.
    pub origin: ScopeId,
    /// Every scope of the lineage that defines it since its last removal, general first.
    pub layers: Vec<ScopeId>,
    /// Relative to the service asked about.
    pub provenance: Provenance,
}

/// A procedure after merging every layer of the lineage.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectiveProcedure {
    pub key: ProcedureKey,
    pub title: String,
    pub kind: ProcedureKind,
    pub body: Option<String>,
    pub automation: Option<Map<String, Value>>,
    pub tags: Vec<String>,
    pub source: Source,
}

/// A branch after merging every layer of the lineage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectiveBranch {
    pub from: ProcedureKey,
    pub label: BranchLabel,
    pub to: ProcedureKey,
    pub condition: Option<String>,
    pub order: Option<i64>,
    pub source: Source,
}

/// An entry after merging: the nearest scope that sets the code wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectiveEntry {
    pub code: EntryCode,
    pub key: ProcedureKey,
    /// The scope whose setting won.
    pub scope: ScopeId,
    pub provenance: Provenance,
}

/// An error code after merging its layers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectiveErrorCode {
    pub code: ErrorCode,
    pub status_code: Option<u16>,
    pub message: Option<String>,
    pub description: Option<String>,
    pub severity: Option<String>,
    pub source: Source,
}

/// Something a scope of the lineage removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemovedItem {
    /// A procedure key hidden with `removed: true`.
    Procedure { key: ProcedureKey },
    /// A branch hidden with `removed: true`.
    Branch {
        from: ProcedureKey,
        label: BranchLabel,
    },
    /// An entry removed with `CODE: null`.
    Entry { code: EntryCode },
}

/// A removal that is in force for the service, and who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub item: RemovedItem,
    /// The scope that removed it (the most specific one, if several did).
    pub scope: ScopeId,
}

/// A stable code for each kind of warning, so automation can act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WarningCode {
    /// A branch whose `from` or `to` is not an effective procedure: left out.
    DanglingBranch,
    /// An entry whose procedure is not effective: skipped.
    EntryNotEffective,
}

impl WarningCode {
    /// The code as the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DanglingBranch => "DANGLING_BRANCH",
            Self::EntryNotEffective => "ENTRY_NOT_EFFECTIVE",
        }
    }
}

impl fmt::Display for WarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something that did not stop resolution but that a person or automation should see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub code: WarningCode,
    pub message: String,
    /// The scope whose definition is affected (e.g. the one that wrote the branch).
    pub scope: Option<ScopeId>,
    /// The key it is about: a procedure key, `from/label` for a branch, or an entry code.
    pub key: Option<String>,
}

/// A service's effective runbook, whole or for one error code.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectiveRunbook {
    pub service_id: ScopeId,
    /// The service first, then its ancestors in C3 order.
    pub lineage: Vec<Scope>,
    /// The entry procedure for the error code asked about (None without a code).
    pub entry: Option<ProcedureKey>,
    /// The merged error code, if any scope of the lineage registers it.
    pub error_code: Option<EffectiveErrorCode>,
    /// With a code: reachable from the entry, breadth first; without: every one, by key.
    pub procedures: Vec<EffectiveProcedure>,
    /// Branches among `procedures`, grouped by `from` in the order of `procedures`,
    /// each group in branch order (ordered ones ascending, then the rest by label).
    pub branches: Vec<EffectiveBranch>,
    /// Entries by code, `*` last (with a code: only the entry used).
    pub entries: Vec<EffectiveEntry>,
    /// What the lineage removed.
    pub removed: Vec<Removal>,
    /// The nearest scope's contacts that has any.
    pub contacts: Vec<Contact>,
    pub warnings: Vec<Warning>,
}

/// Why a runbook cannot be resolved, or a change cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// The scope asked about does not exist.
    #[error("scope {scope} does not exist")]
    UnknownScope { scope: ScopeId },
    /// A scope names a parent that does not exist in its host.
    #[error("scope {scope} names parent {parent}, which does not exist")]
    UnknownParent { scope: ScopeId, parent: ScopeId },
    /// The parents form a cycle.
    #[error("inheritance cycle: {}", join(.scopes, " -> "))]
    InheritanceCycle { scopes: Vec<ScopeId> },
    /// The parents' orders cannot be merged (C3 linearization fails).
    #[error("cannot linearize the parents of {scope}: the orders of {} conflict", join(.conflicting, ", "))]
    Linearization {
        scope: ScopeId,
        conflicting: Vec<ScopeId>,
    },
    /// The lineage has more levels of parents than [`MAX_LINEAGE_DEPTH`].
    ///
    /// [`MAX_LINEAGE_DEPTH`]: crate::domain::limits::MAX_LINEAGE_DEPTH
    #[error(
        "the lineage of {scope} is more than {limit} levels of parents deep (the limit), through {through}"
    )]
    LineageTooDeep {
        scope: ScopeId,
        limit: usize,
        through: ScopeId,
    },
    /// The lineage holds more scopes than [`MAX_LINEAGE_SCOPES`].
    ///
    /// [`MAX_LINEAGE_SCOPES`]: crate::domain::limits::MAX_LINEAGE_SCOPES
    #[error("the lineage of {scope} holds more than {limit} scopes (the limit)")]
    LineageTooLarge { scope: ScopeId, limit: usize },
    /// After merging, a procedure lacks `title` or `kind`.
    #[error("procedure {key} is incomplete in the lineage of {service}: no {} after merging (last defined by {scope})", .missing.join(" and "))]
    IncompleteProcedure {
        service: ScopeId,
        scope: ScopeId,
        key: ProcedureKey,
        missing: Vec<&'static str>,
    },
    /// After merging, a branch lacks `to`.
    #[error(
        "branch {from}/{label} is incomplete in the lineage of {service}: no `to` after merging (last defined by {scope})"
    )]
    IncompleteBranch {
        service: ScopeId,
        scope: ScopeId,
        from: ProcedureKey,
        label: BranchLabel,
    },
    /// No entry (exact or `*`) leads to an effective procedure.
    #[error("service {service} has no runbook entry for {code}")]
    NoEntry { service: ScopeId, code: ErrorCode },
}

impl ResolveError {
    /// A stable code for the error, as `check` and automation report it.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownScope { .. } => "UNKNOWN_SCOPE",
            Self::UnknownParent { .. } => "UNKNOWN_PARENT",
            Self::InheritanceCycle { .. } => "INHERITANCE_CYCLE",
            Self::Linearization { .. } => "LINEARIZATION",
            Self::LineageTooDeep { .. } => "LINEAGE_TOO_DEEP",
            Self::LineageTooLarge { .. } => "LINEAGE_TOO_LARGE",
            Self::IncompleteProcedure { .. } => "INCOMPLETE_PROCEDURE",
            Self::IncompleteBranch { .. } => "INCOMPLETE_BRANCH",
            Self::NoEntry { .. } => "NO_ENTRY",
        }
    }
}

fn join(ids: &[ScopeId], sep: &str) -> String {
    ids.iter()
        .map(ScopeId::as_str)
        .collect::<Vec<_>>()
        .join(sep)
}
