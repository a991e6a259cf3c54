//! Changes as both SQL backends write them: scalar columns for the scope row,
//! and one JSON array per table that a single `INSERT … SELECT` (or `DELETE …
//! IN`) over the array (`json_each` in SQLite, `json_to_recordset` in
//! PostgreSQL) turns into rows. One bound parameter per table, whatever the
//! size of the change.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{StoreResult, failure::encode_error, scope_writes::ScopeWrite, scope_writes::action};
use crate::domain::{
    BranchChange, BranchId, BranchLabel, BranchPatch, EntryCode, ErrorCode, ErrorCodePatch,
    ObjectChange, ObjectRef, ProcedureChange, ProcedureKey, ProcedurePatch, Scope, ScopeContent,
    ScopeDocument,
};

/// A scope row (without its host and id) with its parents, ready to bind.
#[derive(Debug)]
pub(crate) struct EncodedScope<'a> {
    pub name: &'a str,
    pub kind: &'static str,
    /// JSON array of strings.
    pub owners: String,
    /// JSON array of contact objects.
    pub contacts: String,
    /// JSON array of parent ids, in order (the index is the position); `None`
    /// when there are none.
    pub parents: Option<String>,
}

/// What one change writes for one scope that it keeps (or creates). Arrays are
/// per content table — procedures, branches, entries, error codes — and
/// `None` when they would be empty.
#[derive(Debug)]
pub(crate) struct EncodedWrite<'a> {
    /// The scope row and its parents, when the scope object changed.
    pub scope: Option<EncodedScope<'a>>,
    /// The keys of the rows to delete: every changed object that existed.
    /// Keys are strings, except branches: `{from_key, label}`.
    pub delete: [Option<String>; 4],
    /// The rows to insert: every changed object that exists after the change.
    pub insert: [Option<String>; 4],
}

#[derive(Serialize)]
struct ProcedureRow<'a> {
    key: &'a ProcedureKey,
    removed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    patch: Option<&'a ProcedurePatch>,
}

#[derive(Serialize)]
struct BranchRow<'a> {
    from_key: &'a ProcedureKey,
    label: &'a BranchLabel,
    removed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    patch: Option<&'a BranchPatch>,
}

#[derive(Serialize)]
struct EntryRow<'a> {
    code: &'a EntryCode,
    procedure_key: Option<&'a ProcedureKey>,
}

#[derive(Serialize)]
struct ErrorCodeRow<'a> {
    code: &'a ErrorCode,
    patch: &'a ErrorCodePatch,
}

#[derive(Serialize)]
struct BranchKey<'a> {
    from_key: &'a ProcedureKey,
    label: &'a BranchLabel,
}

/// One history row (see `WriteSql::insert_history`). The JSON forms are
/// strings holding JSON text, so that the text stored is the text written.
#[derive(Serialize)]
struct HistoryRow<'a> {
    host: &'a str,
    seq: usize,
    scope: &'a str,
    kind: &'static str,
    key: String,
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<String>,
}

/// Keys of the changed rows to delete, per content table.
#[derive(Default)]
struct Deleted<'a> {
    procedures: Vec<&'a ProcedureKey>,
    branches: Vec<BranchKey<'a>>,
    entries: Vec<&'a EntryCode>,
    error_codes: Vec<&'a ErrorCode>,
}

/// Encodes what `changes` (the objects that differ between the stored
/// version and `doc`) write: the scope row if the scope object changed, the
/// old rows of changed objects to delete, and their new rows to insert.
pub(crate) fn write<'a>(
    backend: &'static str,
    doc: &'a ScopeDocument,
    changes: &'a [ObjectChange],
) -> StoreResult<EncodedWrite<'a>> {
    let (mut scope, mut deleted) = (None, Deleted::default());
    let (from, mut to) = (&doc.content, ScopeContent::default());
    for change in changes {
        let existed = change.before.is_some();
        match &change.object {
            ObjectRef::Scope => scope = Some(self::scope(backend, &doc.scope)?),
            ObjectRef::Procedure(key) => {
                deleted.procedures.extend(existed.then_some(key));
                copy(&from.procedures, &mut to.procedures, key);
            }
            ObjectRef::Branch(id) => {
                let BranchId {
                    from: from_key,
                    label,
                } = id;
                deleted
                    .branches
                    .extend(existed.then_some(BranchKey { from_key, label }));
                copy(&from.branches, &mut to.branches, id);
            }
            ObjectRef::Entry(code) => {
                deleted.entries.extend(existed.then_some(code));
                copy(&from.entries, &mut to.entries, code);
            }
            ObjectRef::ErrorCode(code) => {
                deleted.error_codes.extend(existed.then_some(code));
                copy(&from.error_codes, &mut to.error_codes, code);
            }
        }
    }
    Ok(EncodedWrite {
        scope,
        delete: [
            rows(backend, &deleted.procedures)?,
            rows(backend, &deleted.branches)?,
            rows(backend, &deleted.entries)?,
            rows(backend, &deleted.error_codes)?,
        ],
        insert: content(backend, &to)?,
    })
}

/// Copies the value of `key` (if any) from one content map to another.
fn copy<K: Ord + Clone, V: Clone>(from: &BTreeMap<K, V>, to: &mut BTreeMap<K, V>, key: &K) {
    if let Some(value) = from.get(key) {
        to.insert(key.clone(), value.clone());
    }
}

/// A scope row and its parents.
fn scope<'a>(backend: &'static str, scope: &'a Scope) -> StoreResult<EncodedScope<'a>> {
    Ok(EncodedScope {
        name: &scope.name,
        kind: scope.kind.as_str(),
        owners: json(backend, &scope.owners)?,
        contacts: json(backend, &scope.contacts)?,
        parents: rows(backend, &scope.parents)?,
    })
}

/// The rows of every content table, in table order.
fn content(backend: &'static str, content: &ScopeContent) -> StoreResult<[Option<String>; 4]> {
    let procedures: Vec<_> = content
        .procedures
        .iter()
        .map(|(key, change)| ProcedureRow {
            key,
            removed: matches!(change, ProcedureChange::Removed),
            patch: match change {
                ProcedureChange::Removed => None,
                ProcedureChange::Patch(patch) => Some(patch),
            },
        })
        .collect();
    let branches: Vec<_> = content
        .branches
        .iter()
        .map(|(id, change)| BranchRow {
            from_key: &id.from,
            label: &id.label,
            removed: matches!(change, BranchChange::Removed),
            patch: match change {
                BranchChange::Removed => None,
                BranchChange::Patch(patch) => Some(patch),
            },
        })
        .collect();
    let entries: Vec<_> = content
        .entries
        .iter()
        .map(|(code, key)| EntryRow {
            code,
            procedure_key: key.as_ref(),
        })
        .collect();
    let error_codes: Vec<_> = content
        .error_codes
        .iter()
        .map(|(code, patch)| ErrorCodeRow { code, patch })
        .collect();
    Ok([
        rows(backend, &procedures)?,
        rows(backend, &branches)?,
        rows(backend, &entries)?,
        rows(backend, &error_codes)?,
    ])
}

/// The history rows of a change, numbered in order: one per changed object
/// of every scope written.
pub(crate) fn history(backend: &'static str, writes: &[ScopeWrite<'_>]) -> StoreResult<String> {
    let text =
        |value: &Option<serde_json::Value>| value.as_ref().map(|v| json(backend, v)).transpose();
    let mut rows = Vec::new();
    for write in writes {
        for change in &write.changes {
            rows.push(HistoryRow {
                host: write.host.as_str(),
                seq: rows.len(),
                scope: write.scope.as_str(),
                kind: change.object.kind(),
                key: change.object.key(),
                action: action(change).as_str(),
                before: text(&change.before)?,
                after: text(&change.after)?,
            });
        }
    }
    json(backend, &rows)
}

/// A list of ids (or codes) as a JSON array of strings: how lists are bound.
pub(crate) fn id_list(backend: &'static str, ids: &[impl AsRef<str>]) -> StoreResult<String> {
    let ids: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    json(backend, &ids)
}

fn json<T: Serialize + ?Sized>(backend: &'static str, value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| encode_error(backend, &e))
}

/// The rows of one content table as a JSON array, `None` when there are none.
fn rows<T: Serialize>(backend: &'static str, rows: &[T]) -> StoreResult<Option<String>> {
    if rows.is_empty() {
        Ok(None)
    } else {
        json(backend, rows).map(Some)
    }
}

#[cfg(test)]
#[path = "encode_tests.rs"]
mod tests;
