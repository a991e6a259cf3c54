//! The objects a scope document is made of — the scope vertex itself and each
//! procedure, branch, entry and error code layer — addressed one by one, for
//! revisions, history and restore. Each object has a JSON form, and two
//! documents differ by a list of object changes.

use std::{collections::BTreeSet, fmt};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{
    BranchChange, BranchId, BranchLabel, BranchPatch, Contact, EntryCode, ErrorCode,
    ErrorCodePatch, InvalidId, ProcedureChange, ProcedureKey, ProcedurePatch, ScopeDocument,
    ScopeId, ScopeKind,
};

/// One object of a scope document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectRef {
    /// The scope vertex: name, kind, parents, owners, contacts.
    Scope,
    /// A procedure layer.
    Procedure(ProcedureKey),
    /// A branch layer.
    Branch(BranchId),
    /// An entry.
    Entry(EntryCode),
    /// An error code layer.
    ErrorCode(ErrorCode),
}

impl ObjectRef {
    /// The kind of object: `scope`, `procedure`, `branch`, `entry`, `errorCode`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Scope => "scope",
            Self::Procedure(_) => "procedure",
            Self::Branch(_) => "branch",
            Self::Entry(_) => "entry",
            Self::ErrorCode(_) => "errorCode",
        }
    }

    /// The object's key within its scope: empty for the scope, `from/label`
    /// for a branch.
    pub fn key(&self) -> String {
        match self {
            Self::Scope => String::new(),
            Self::Procedure(k) => k.to_string(),
            Self::Branch(b) => format!("{}/{}", b.from, b.label),
            Self::Entry(c) => c.to_string(),
            Self::ErrorCode(c) => c.to_string(),
        }
    }

    /// Parses a kind and key as [`ObjectRef::kind`] and [`ObjectRef::key`] write them.
    pub fn parse(kind: &str, key: &str) -> Result<Self, InvalidId> {
        let invalid = |rule| InvalidId {
            what: "object",
            value: format!("{kind} {key}"),
            rule,
        };
        match kind {
            "scope" if key.is_empty() => Ok(Self::Scope),
            "procedure" => ProcedureKey::parse(key).map(Self::Procedure),
            "branch" => {
                let (from, label) = key
                    .split_once('/')
                    .ok_or_else(|| invalid("a branch key is from/label"))?;
                Ok(Self::Branch(BranchId {
                    from: ProcedureKey::parse(from)?,
                    label: BranchLabel::parse(label)?,
                }))
            }
            "entry" => EntryCode::parse(key).map(Self::Entry),
            "errorCode" => ErrorCode::parse(key).map(Self::ErrorCode),
            _ => Err(invalid(
                "kind must be scope, procedure, branch, entry or errorCode",
            )),
        }
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Scope => f.write_str("scope"),
            other => write!(f, "{} {}", other.kind(), other.key()),
        }
    }
}

/// The scope vertex's fields, as history stores them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeFields {
    name: String,
    kind: ScopeKind,
    parents: Vec<ScopeId>,
    owners: Vec<String>,
    contacts: Vec<Contact>,
}

/// An object's JSON form in a document, `None` when the document lacks it.
/// Tombstones are `{"removed": true}`; an entry is `{"key": KEY or null}`.
pub fn object_json(doc: &ScopeDocument, object: &ObjectRef) -> Option<Value> {
    let c = &doc.content;
    let value = match object {
        ObjectRef::Scope => serde_json::to_value(ScopeFields {
            name: doc.scope.name.clone(),
            kind: doc.scope.kind,
            parents: doc.scope.parents.clone(),
            owners: doc.scope.owners.clone(),
            contacts: doc.scope.contacts.clone(),
        }),
        ObjectRef::Procedure(k) => match c.procedures.get(k)? {
            ProcedureChange::Removed => Ok(json!({ "removed": true })),
            ProcedureChange::Patch(p) => serde_json::to_value(p),
        },
        ObjectRef::Branch(b) => match c.branches.get(b)? {
            BranchChange::Removed => Ok(json!({ "removed": true })),
            BranchChange::Patch(p) => serde_json::to_value(p),
        },
        ObjectRef::Entry(code) => Ok(json!({ "key": c.entries.get(code)? })),
        ObjectRef::ErrorCode(code) => serde_json::to_value(c.error_codes.get(code)?),
    };
    // Serializing these plain types cannot fail; a failure would mean no object.
    value.ok()
}

fn is_tombstone(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|o| o.len() == 1 && o.get("removed") == Some(&json!(true)))
}

/// Puts an object's JSON form into a document (`None` takes it out). The
/// scope object cannot be taken out; its JSON form replaces the vertex fields.
pub fn set_object(
    doc: &mut ScopeDocument,
    object: &ObjectRef,
    value: Option<&Value>,
) -> Result<(), serde_json::Error> {
    let c = &mut doc.content;
    match (object, value) {
        (ObjectRef::Scope, Some(v)) => {
            let f: ScopeFields = serde_json::from_value(v.clone())?;
            doc.scope.name = f.name;
            doc.scope.kind = f.kind;
            doc.scope.parents = f.parents;
            doc.scope.owners = f.owners;
            doc.scope.contacts = f.contacts;
        }
        (ObjectRef::Scope, None) => {}
        (ObjectRef::Procedure(k), v) => {
            let change = v
                .map(|v| -> Result<_, serde_json::Error> {
                    Ok(if is_tombstone(v) {
                        ProcedureChange::Removed
                    } else {
                        ProcedureChange::Patch(serde_json::from_value::<ProcedurePatch>(v.clone())?)
                    })
                })
                .transpose()?;
            put(&mut c.procedures, k, change);
        }
        (ObjectRef::Branch(b), v) => {
            let change = v
                .map(|v| -> Result<_, serde_json::Error> {
                    Ok(if is_tombstone(v) {
                        BranchChange::Removed
                    } else {
                        BranchChange::Patch(serde_json::from_value::<BranchPatch>(v.clone())?)
                    })
                })
                .transpose()?;
            put(&mut c.branches, b, change);
        }
        (ObjectRef::Entry(code), v) => {
            let target = v
                .map(|v| serde_json::from_value::<Option<ProcedureKey>>(v["key"].clone()))
                .transpose()?;
            put(&mut c.entries, code, target);
        }
        (ObjectRef::ErrorCode(code), v) => {
            let patch = v
                .map(|v| serde_json::from_value::<ErrorCodePatch>(v.clone()))
                .transpose()?;
            put(&mut c.error_codes, code, patch);
        }
    }
    Ok(())
}

fn put<K: Ord + Clone, V>(map: &mut std::collections::BTreeMap<K, V>, key: &K, value: Option<V>) {
    match value {
        Some(v) => {
            map.insert(key.clone(), v);
        }
        None => {
            map.remove(key);
        }
    }
}

/// Every object of a document, in a stable order (the scope first).
pub fn objects(doc: &ScopeDocument) -> Vec<ObjectRef> {
    let c = &doc.content;
    std::iter::once(ObjectRef::Scope)
        .chain(c.procedures.keys().cloned().map(ObjectRef::Procedure))
        .chain(c.branches.keys().cloned().map(ObjectRef::Branch))
        .chain(c.entries.keys().cloned().map(ObjectRef::Entry))
        .chain(c.error_codes.keys().cloned().map(ObjectRef::ErrorCode))
        .collect()
}

/// One object's change between two versions of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectChange {
    pub object: ObjectRef,
    /// Its JSON form before (`None`: it did not exist).
    pub before: Option<Value>,
    /// Its JSON form after (`None`: it no longer exists).
    pub after: Option<Value>,
}

/// The objects that differ between two versions of a scope's document
/// (`None` for a scope that does not exist), in a stable order.
pub fn diff(old: Option<&ScopeDocument>, new: Option<&ScopeDocument>) -> Vec<ObjectChange> {
    let all: BTreeSet<ObjectRef> = old.into_iter().chain(new).flat_map(objects).collect();
    all.into_iter()
        .filter_map(|object| {
            let before = old.and_then(|d| object_json(d, &object));
            let after = new.and_then(|d| object_json(d, &object));
            (before != after).then_some(ObjectChange {
                object,
                before,
                after,
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "objects_tests.rs"]
mod tests;
