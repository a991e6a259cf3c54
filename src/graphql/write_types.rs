//! Inputs and results of the write API.

use async_graphql::{Enum, InputObject, Json, MaybeUndefined, SimpleObject};
use serde_json::{Map, Value};

use super::enums::{ProcedureKind, ScopeKind};
use crate::{
    domain::ObjectRef,
    resolve::{self, PartKind},
    writes::WriteOutcome,
};

/// The kinds of object a scope is made of.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Scope,
    Procedure,
    Branch,
    Entry,
    ErrorCode,
}

impl ObjectKind {
    /// The stored kind name (`domain::ObjectRef::kind`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Scope => "scope",
            Self::Procedure => "procedure",
            Self::Branch => "branch",
            Self::Entry => "entry",
            Self::ErrorCode => "errorCode",
        }
    }

    /// The kind of a stored object.
    pub fn of(object: &ObjectRef) -> Self {
        match object {
            ObjectRef::Scope => Self::Scope,
            ObjectRef::Procedure(_) => Self::Procedure,
            ObjectRef::Branch(_) => Self::Branch,
            ObjectRef::Entry(_) => Self::Entry,
            ObjectRef::ErrorCode(_) => Self::ErrorCode,
        }
    }
}

/// Adds a field to a JSON patch: absent stays absent, null clears, a value sets.
pub fn put<T: serde::Serialize>(
    map: &mut Map<String, Value>,
    name: &str,
    value: &MaybeUndefined<T>,
) {
    match value {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => {
            map.insert(name.to_owned(), Value::Null);
        }
        MaybeUndefined::Value(v) => {
            map.insert(
                name.to_owned(),
                serde_json::to_value(v).unwrap_or(Value::Null),
            );
        }
    }
}

/// An escalation contact.
#[derive(InputObject, Clone, serde::Serialize)]
pub struct ContactInput {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat: Option<String>,
}

/// A new scope.
#[derive(InputObject)]
pub struct ScopeInput {
    pub id: String,
    pub name: String,
    pub kind: ScopeKind,
    #[graphql(default)]
    pub parents: Vec<String>,
    #[graphql(default)]
    pub owners: Vec<String>,
    #[graphql(default)]
    pub contacts: Vec<ContactInput>,
}

/// Changes to a scope's own fields; omitted fields stay as they are.
#[derive(InputObject)]
pub struct ScopePatchInput {
    pub name: Option<String>,
    pub kind: Option<ScopeKind>,
    pub parents: Option<Vec<String>>,
    pub owners: Option<Vec<String>>,
    pub contacts: Option<Vec<ContactInput>>,
}

/// A procedure layer's fields: omitted fields are left as they are (inherit,
/// for a new layer), `null` clears the inherited value.
#[derive(InputObject)]
pub struct ProcedureInput {
    pub title: MaybeUndefined<String>,
    pub kind: MaybeUndefined<ProcedureKind>,
    pub body: MaybeUndefined<String>,
    pub automation: MaybeUndefined<Json<Map<String, Value>>>,
    pub tags: MaybeUndefined<Vec<String>>,
}

impl ProcedureInput {
    /// The fields as a JSON patch.
    pub fn to_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        put(&mut map, "title", &self.title);
        put(
            &mut map,
            "kind",
            &convert(&self.kind, |k| crate::domain::ProcedureKind::from(*k)),
        );
        put(&mut map, "body", &self.body);
        put(
            &mut map,
            "automation",
            &convert(&self.automation, |j| j.0.clone()),
        );
        put(&mut map, "tags", &self.tags);
        map
    }
}

fn convert<T, U>(value: &MaybeUndefined<T>, f: impl FnOnce(&T) -> U) -> MaybeUndefined<U> {
    match value {
        MaybeUndefined::Undefined => MaybeUndefined::Undefined,
        MaybeUndefined::Null => MaybeUndefined::Null,
        MaybeUndefined::Value(v) => MaybeUndefined::Value(f(v)),
    }
}

/// A branch layer's fields (same rules as [`ProcedureInput`]).
#[derive(InputObject)]
pub struct BranchInput {
    pub to: MaybeUndefined<String>,
    pub condition: MaybeUndefined<String>,
    pub order: MaybeUndefined<i64>,
}

impl BranchInput {
    /// The fields as a JSON patch.
    pub fn to_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        put(&mut map, "to", &self.to);
        put(&mut map, "condition", &self.condition);
        put(&mut map, "order", &self.order);
        map
    }
}

/// An error code layer's fields (same rules as [`ProcedureInput`]).
#[derive(InputObject)]
pub struct ErrorCodeInput {
    pub status_code: MaybeUndefined<i32>,
    pub message: MaybeUndefined<String>,
    pub description: MaybeUndefined<String>,
    pub severity: MaybeUndefined<String>,
}

impl ErrorCodeInput {
    /// The fields as a JSON patch.
    pub fn to_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        put(&mut map, "statusCode", &self.status_code);
        put(&mut map, "message", &self.message);
        put(&mut map, "description", &self.description);
        put(&mut map, "severity", &self.severity);
        map
    }
}

/// A part of an effective runbook.
#[derive(SimpleObject)]
pub struct RunbookPart {
    /// `PROCEDURE`, `BRANCH` or `ENTRY`.
    pub kind: String,
    /// Procedure key, branch `from/label` or entry code.
    pub key: String,
}

fn parts(list: &[resolve::Part]) -> Vec<RunbookPart> {
    list.iter()
        .map(|p| RunbookPart {
            kind: match p.kind {
                PartKind::Procedure => "PROCEDURE",
                PartKind::Branch => "BRANCH",
                PartKind::Entry => "ENTRY",
            }
            .to_owned(),
            key: p.key.clone(),
        })
        .collect()
}

/// A problem found while checking a change.
#[derive(SimpleObject)]
pub struct ChangeProblem {
    pub code: String,
    pub scope_id: String,
    pub key: Option<String>,
    pub message: String,
}

/// How a write changes one service's effective runbook.
#[derive(SimpleObject)]
pub struct ServiceImpact {
    pub service_id: String,
    pub added: Vec<RunbookPart>,
    pub removed: Vec<RunbookPart>,
    pub changed: Vec<RunbookPart>,
    pub new_warnings: Vec<super::runbook::WarningObject>,
}

/// One object a write changes.
#[derive(SimpleObject)]
pub struct ChangedObject {
    pub scope_id: String,
    pub kind: ObjectKind,
    /// Empty for the scope itself; `from/label` for a branch.
    pub key: String,
}

/// What a write did, or would do (`dryRun`).
#[derive(SimpleObject)]
pub struct WriteResult {
    pub dry_run: bool,
    /// The change's id: every changed object's new revision. 0 for a dry run
    /// or a write that changed nothing.
    pub change_id: i64,
    /// Scopes written or deleted.
    pub scopes: Vec<String>,
    pub changes: Vec<ChangedObject>,
    /// Services whose effective runbook changes, and how.
    pub impact: Vec<ServiceImpact>,
    /// New warnings the change causes (they do not refuse it).
    pub warnings: Vec<ChangeProblem>,
}

impl From<WriteOutcome> for WriteResult {
    fn from(o: WriteOutcome) -> Self {
        Self {
            dry_run: o.dry_run,
            change_id: i64::try_from(o.change_id).unwrap_or(i64::MAX),
            scopes: o.scopes.iter().map(ToString::to_string).collect(),
            changes: o
                .objects
                .iter()
                .map(|(scope, object)| ChangedObject {
                    scope_id: scope.to_string(),
                    kind: ObjectKind::of(object),
                    key: object.key(),
                })
                .collect(),
            impact: o
                .impact
                .iter()
                .map(|i| ServiceImpact {
                    service_id: i.service.to_string(),
                    added: parts(&i.added),
                    removed: parts(&i.removed),
                    changed: parts(&i.changed),
                    new_warnings: i
                        .new_warnings
                        .iter()
                        .map(super::runbook::WarningObject::from)
                        .collect(),
                })
                .collect(),
            warnings: o
                .warnings
                .iter()
                .map(|p| ChangeProblem {
                    code: p.code.to_owned(),
                    scope_id: p.scope.to_string(),
                    key: p.key.clone(),
                    message: p.message.clone(),
                })
                .collect(),
        }
    }
}
