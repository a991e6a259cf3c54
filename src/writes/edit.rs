//! Edits: what a write asks for, applied to working copies of a host's
//! documents. Pure: no store, no clock, no caller.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::{
    domain::{
        BranchChange, BranchPatch, ObjectRef, Patch, Scope, ScopeContent, ScopeDocument, ScopeId,
        condition, object_json, set_object,
    },
    error::{ApiError, ApiErrorCode},
    format,
};

/// How an object edit relates to what the scope holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The object must not exist yet; its JSON form becomes `set`.
    Create,
    /// The object must exist (and not be a tombstone); `set` replaces the
    /// fields it names (`null` stores a clearing null), `unset` drops fields
    /// from the layer so they inherit again.
    Update,
    /// The object's JSON form becomes `set`, whatever was there.
    Replace,
    /// The object must exist; it is taken out of the scope (for the scope
    /// object: the whole scope is deleted).
    Drop,
}

/// A change to one object of one scope.
#[derive(Debug, Clone)]
pub struct ObjectEdit {
    pub scope: ScopeId,
    pub object: ObjectRef,
    pub mode: Mode,
    pub set: Map<String, Value>,
    pub unset: Vec<String>,
    /// The revision the object must still have; `Create` implies "none".
    pub expected: Option<u64>,
}

/// One thing a write asks for.
#[derive(Debug, Clone)]
pub enum Edit {
    /// A whole document in place of its scope's (an import).
    Put(ScopeDocument),
    /// One object.
    Object(ObjectEdit),
}

/// Working copies of a host's documents: `None` marks a deleted scope.
pub type Working = BTreeMap<ScopeId, Option<ScopeDocument>>;

fn tombstone(value: &Value) -> bool {
    value.get("removed") == Some(&json!(true))
}

fn conflict(message: String) -> ApiError {
    ApiError::new(ApiErrorCode::Conflict, message)
}

/// Applies one object edit to the working copies.
pub fn apply(
    working: &mut Working,
    host: &crate::domain::Host,
    edit: &ObjectEdit,
) -> Result<(), ApiError> {
    let current = working.get(&edit.scope).cloned().flatten();
    if edit.object == ObjectRef::Scope {
        return apply_scope(working, host, current, edit);
    }
    let Some(mut doc) = current else {
        return Err(
            ApiError::not_found(format!("no scope {} in host {host}", edit.scope))
                .on_field("scopeId"),
        );
    };
    let existing = object_json(&doc, &edit.object);
    let what = format!("{} in scope {}", edit.object, edit.scope);
    let new = match edit.mode {
        Mode::Create if existing.is_some() => {
            return Err(conflict(format!("{what} already exists")));
        }
        Mode::Create | Mode::Replace => Some(Value::Object(edit.set.clone())),
        Mode::Update => match &existing {
            Some(old) if !tombstone(old) => Some(merged(old, &edit.set, &edit.unset)),
            _ => {
                return Err(ApiError::not_found(format!(
                    "{what} does not exist (or is removed)"
                )));
            }
        },
        Mode::Drop if existing.is_none() => {
            return Err(ApiError::not_found(format!("{what} does not exist")));
        }
        Mode::Drop => None,
    };
    set_object(&mut doc, &edit.object, new.as_ref())
        .map_err(|e| ApiError::bad_input("input", format!("{what}: {e}")))?;
    working.insert(edit.scope.clone(), Some(doc));
    Ok(())
}

fn merged(old: &Value, set: &Map<String, Value>, unset: &[String]) -> Value {
    let mut fields = old.as_object().cloned().unwrap_or_default();
    for (k, v) in set {
        fields.insert(k.clone(), v.clone());
    }
    for k in unset {
        fields.remove(k);
    }
    Value::Object(fields)
}

fn apply_scope(
    working: &mut Working,
    host: &crate::domain::Host,
    current: Option<ScopeDocument>,
    edit: &ObjectEdit,
) -> Result<(), ApiError> {
    let id = &edit.scope;
    let doc = match (edit.mode, current) {
        (Mode::Create, Some(_)) => return Err(conflict(format!("scope {id} already exists"))),
        (Mode::Create, None) => {
            let mut doc = ScopeDocument {
                scope: Scope {
                    host: host.clone(),
                    id: id.clone(),
                    name: String::new(),
                    kind: crate::domain::ScopeKind::Service,
                    parents: Vec::new(),
                    owners: Vec::new(),
                    contacts: Vec::new(),
                },
                content: ScopeContent::default(),
            };
            let mut fields = Map::new();
            fields.insert("parents".into(), json!([]));
            fields.insert("owners".into(), json!([]));
            fields.insert("contacts".into(), json!([]));
            fields.extend(edit.set.clone());
            set_scope(&mut doc, &Value::Object(fields))?;
            Some(doc)
        }
        (_, None) => {
            return Err(ApiError::not_found(format!("no scope {id} in host {host}")).on_field("id"));
        }
        (Mode::Drop, Some(_)) => None,
        (Mode::Update | Mode::Replace, Some(mut doc)) => {
            if !edit.unset.is_empty() {
                return Err(ApiError::bad_input(
                    "inherit",
                    "a scope's own fields do not inherit",
                ));
            }
            let old = object_json(&doc, &ObjectRef::Scope).unwrap_or_default();
            set_scope(&mut doc, &merged(&old, &edit.set, &[]))?;
            Some(doc)
        }
    };
    working.insert(id.clone(), doc);
    Ok(())
}

fn set_scope(doc: &mut ScopeDocument, fields: &Value) -> Result<(), ApiError> {
    set_object(doc, &ObjectRef::Scope, Some(fields))
        .map_err(|e| ApiError::bad_input("input", format!("scope {}: {e}", doc.scope.id)))
}

/// Checks a document by the YAML format's rules (the same as an import), so
/// every write path refuses the same things.
pub fn validate(doc: &ScopeDocument) -> Result<(), ApiError> {
    check_conditions(doc)?;
    let violations = format::check(doc);
    let Some(first) = violations.first() else {
        return Ok(());
    };
    let messages: Vec<String> = (violations.iter())
        .map(|v| format!("{}: {}", v.field, v.message))
        .collect();
    Err(ApiError::bad_input(
        first.field.clone(),
        format!("scope {}: {}", doc.scope.id, messages.join("; ")),
    ))
}

/// Refuses a branch condition past the bounds of
/// [`condition`](crate::domain::condition), naming the branch by its
/// identity (an index in a re-rendered document would mean nothing to the
/// caller).
fn check_conditions(doc: &ScopeDocument) -> Result<(), ApiError> {
    for (id, change) in &doc.content.branches {
        let BranchChange::Patch(BranchPatch {
            condition: Patch::Set(text),
            ..
        }) = change
        else {
            continue;
        };
        if let Some(e) = condition::bound_violation(text) {
            return Err(ApiError::bad_input(
                format!("branches[{}/{}].condition", id.from, id.label),
                format!(
                    "scope {}: the condition of the branch from `{}` labelled `{}` is refused: {}",
                    doc.scope.id, id.from, id.label, e.message
                ),
            ));
        }
    }
    Ok(())
}
