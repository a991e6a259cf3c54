//! What one scope says: its procedures, branches, entries and error codes,
//! each a layer over what the scope inherits.

use std::{collections::BTreeMap, fmt};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    ids::{BranchLabel, EntryCode, ErrorCode, ProcedureKey},
    patch::Patch,
    scope::Scope,
};

/// What a procedure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProcedureKind {
    /// A manual action.
    Step,
    /// A question whose answers are the labelled branches.
    Decision,
    /// Carried out by automation (see `automation`).
    Automated,
    /// Terminal: the problem is resolved.
    Resolution,
    /// Terminal: hand over to people.
    Escalation,
}

impl ProcedureKind {
    /// Every kind.
    pub const ALL: [ProcedureKind; 5] = [
        Self::Step,
        Self::Decision,
        Self::Automated,
        Self::Resolution,
        Self::Escalation,
    ];

    /// The API's name, upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Step => "STEP",
            Self::Decision => "DECISION",
            Self::Automated => "AUTOMATED",
            Self::Resolution => "RESOLUTION",
            Self::Escalation => "ESCALATION",
        }
    }

    /// Parses the API's name in any letter case.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(value))
    }
}

impl fmt::Display for ProcedureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fields one scope gives for a procedure; absent fields inherit.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcedurePatch {
    /// Short title.
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub title: Patch<String>,
    /// What the procedure is.
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub kind: Patch<ProcedureKind>,
    /// Markdown text.
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub body: Patch<String>,
    /// Free JSON object for automated procedures (executor and input).
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub automation: Patch<Map<String, Value>>,
    /// Free tags.
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub tags: Patch<Vec<String>>,
}

/// One scope's layer for a procedure key.
#[derive(Debug, Clone, PartialEq)]
pub enum ProcedureChange {
    /// `removed: true`: hides the key and resets it for more specific scopes.
    Removed,
    /// A field-level patch.
    Patch(ProcedurePatch),
}

/// A branch is identified by where it leaves from and its label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BranchId {
    /// The procedure the branch leaves.
    pub from: ProcedureKey,
    /// The answer or outcome it stands for.
    pub label: BranchLabel,
}

/// The fields one scope gives for a branch; absent fields inherit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchPatch {
    /// The procedure the branch leads to.
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub to: Patch<ProcedureKey>,
    /// When to take it, in words or as a machine-checkable expression.
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub condition: Patch<String>,
    /// Position among the branches of `from`; branches with an order come first.
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub order: Patch<i64>,
}

/// One scope's layer for a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BranchChange {
    /// `removed: true`: hides the branch and resets it.
    Removed,
    /// A field-level patch.
    Patch(BranchPatch),
}

/// The fields one scope gives for an error code (light-4j `status.yml` shape).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ErrorCodePatch {
    /// HTTP status code.
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub status_code: Patch<u16>,
    /// Short message, e.g. `AUTH_TOKEN_EXPIRED`.
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub message: Patch<String>,
    /// Longer description.
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub description: Patch<String>,
    /// Free-text severity.
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub severity: Patch<String>,
}

/// Everything one scope says, each part a layer over its ancestors.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScopeContent {
    /// Procedure layers by key.
    pub procedures: BTreeMap<ProcedureKey, ProcedureChange>,
    /// Branch layers by (from, label).
    pub branches: BTreeMap<BranchId, BranchChange>,
    /// Entries: code to procedure key; `None` removes an inherited entry.
    pub entries: BTreeMap<EntryCode, Option<ProcedureKey>>,
    /// Error code layers by code.
    pub error_codes: BTreeMap<ErrorCode, ErrorCodePatch>,
}

/// A scope with its whole content: what one YAML document states, and what
/// the store replaces in one piece.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeDocument {
    /// The scope vertex.
    pub scope: Scope,
    /// What it says.
    pub content: ScopeContent,
}
