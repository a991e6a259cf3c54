//! Documents as both SQL backends write them: scalar columns for the scope row,
//! and one JSON array per content table that a single `INSERT … SELECT` over
//! the array (`json_each` in SQLite, `json_to_recordset` in PostgreSQL) turns
//! into rows. One bound parameter per table, whatever the document's size.

use serde::Serialize;

use super::{StoreResult, failure::encode_error};
use crate::domain::{
    BranchChange, BranchLabel, BranchPatch, EntryCode, ErrorCode, ErrorCodePatch, ProcedureChange,
    ProcedureKey, ProcedurePatch, ScopeDocument,
};

/// One document, ready to bind. A content array is `None` when it has no rows.
#[derive(Debug)]
pub(crate) struct EncodedDocument<'a> {
    pub host: &'a str,
    pub id: &'a str,
    pub name: &'a str,
    pub kind: &'static str,
    /// JSON array of strings.
    pub owners: String,
    /// JSON array of contact objects.
    pub contacts: String,
    /// JSON array of parent ids, in order (the index is the position).
    pub parents: Option<String>,
    /// JSON array of `{key, removed, patch?}`.
    pub procedures: Option<String>,
    /// JSON array of `{from_key, label, removed, patch?}`.
    pub branches: Option<String>,
    /// JSON array of `{code, procedure_key}` (`null` removes an inherited entry).
    pub entries: Option<String>,
    /// JSON array of `{code, patch}`.
    pub error_codes: Option<String>,
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

/// Encodes a document for writing.
pub(crate) fn document<'a>(
    backend: &'static str,
    doc: &'a ScopeDocument,
) -> StoreResult<EncodedDocument<'a>> {
    let scope = &doc.scope;
    let content = &doc.content;
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
    Ok(EncodedDocument {
        host: scope.host.as_str(),
        id: scope.id.as_str(),
        name: &scope.name,
        kind: scope.kind.as_str(),
        owners: json(backend, &scope.owners)?,
        contacts: json(backend, &scope.contacts)?,
        parents: rows(backend, &scope.parents)?,
        procedures: rows(backend, &procedures)?,
        branches: rows(backend, &branches)?,
        entries: rows(backend, &entries)?,
        error_codes: rows(backend, &error_codes)?,
    })
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
mod tests {
    use super::*;
    use crate::domain::{Host, Patch, Scope, ScopeContent, ScopeId, ScopeKind};

    #[test]
    fn tombstones_carry_no_patch_and_absent_fields_are_omitted() {
        let key = ProcedureKey::parse("check").unwrap();
        let gone = ProcedureKey::parse("gone").unwrap();
        let mut content = ScopeContent::default();
        let patch = ProcedurePatch {
            title: Patch::Set("Check".into()),
            body: Patch::Clear,
            ..ProcedurePatch::default()
        };
        content
            .procedures
            .insert(key, ProcedureChange::Patch(patch));
        content.procedures.insert(gone, ProcedureChange::Removed);
        let doc = ScopeDocument {
            scope: Scope {
                host: Host::parse("h").unwrap(),
                id: ScopeId::parse("s").unwrap(),
                name: "S".into(),
                kind: ScopeKind::Service,
                parents: vec![],
                owners: vec![],
                contacts: vec![],
            },
            content,
        };
        let encoded = document("test", &doc).unwrap();
        assert_eq!(
            encoded.procedures.as_deref(),
            Some(
                r#"[{"key":"check","removed":false,"patch":{"title":"Check","body":null}},{"key":"gone","removed":true}]"#
            )
        );
        assert_eq!(encoded.parents, None);
        assert_eq!(encoded.owners, "[]");
    }
}
