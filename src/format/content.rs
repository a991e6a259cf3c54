//! Reads a document's content: procedures, branches, entries and error codes,
//! each a layer over what the scope inherits.

use std::{
    collections::{BTreeMap, HashMap},
    str::FromStr,
};

use serde_json::Map;

use crate::domain::{
    BranchChange, BranchId, BranchLabel, BranchPatch, EntryCode, ErrorCode, ErrorCodePatch,
    ProcedureChange, ProcedureKey, ProcedureKind, ProcedurePatch, condition,
    limits::{
        MAX_AUTOMATION_BYTES, MAX_AUTOMATION_DEPTH, MAX_BRANCHES, MAX_ENTRIES, MAX_ERROR_CODES,
        MAX_PROCEDURES, MAX_TAG_BYTES, MAX_TAGS,
    },
};

use super::{
    path::{first_at, index_path, key_path},
    read::{Fields, Reader, enum_name},
    tree::{Entry, Node, Pos, Value, to_json},
};

const PROCEDURE_FIELDS: &[&str] = &["title", "kind", "body", "automation", "tags", "removed"];
const BRANCH_FIELDS: &[&str] = &["from", "label", "to", "condition", "order", "removed"];
const ERROR_CODE_FIELDS: &[&str] = &["statusCode", "message", "description", "severity"];

/// `procedures`: key to a patch or `{removed: true}`.
pub(crate) fn procedures(
    r: &mut Reader,
    doc: &Fields<'_>,
) -> BTreeMap<ProcedureKey, ProcedureChange> {
    let mut out = BTreeMap::new();
    let path = doc.path("procedures");
    let Some(entries) = bounded_entries(r, doc, "procedures", MAX_PROCEDURES) else {
        return out;
    };
    for entry in entries {
        let here = key_path(&path, &entry.key);
        let key = r.key(entry, &here, ProcedureKey::from_str);
        let change = procedure(r, &entry.value, &here);
        if let (Some(key), Some(change)) = (key, change) {
            out.insert(key, change);
        }
    }
    out
}

fn procedure(r: &mut Reader, node: &Node, path: &str) -> Option<ProcedureChange> {
    let f = r.fields(node, path, PROCEDURE_FIELDS)?;
    if removed(r, &f, &[])? {
        return Some(ProcedureChange::Removed);
    }
    Some(ProcedureChange::Patch(ProcedurePatch {
        title: r.patch(&f, "title", Reader::short_text),
        kind: r.patch(&f, "kind", |r, n, p| {
            r.parsed(n, p, |t| {
                let names = ProcedureKind::ALL.map(ProcedureKind::as_str);
                enum_name("procedure kind", t, ProcedureKind::parse, names)
            })
        }),
        body: r.patch(&f, "body", Reader::long_text),
        automation: r.patch(&f, "automation", automation),
        tags: r.patch(&f, "tags", tags),
    }))
}

/// `Some(true)` for a valid tombstone, `Some(false)` when `removed` is absent,
/// `None` (with an issue) when `removed` is wrong or stands beside fields other
/// than the `identity` ones (a branch's `from` and `label`).
fn removed(r: &mut Reader, f: &Fields<'_>, identity: &[&str]) -> Option<bool> {
    let Some(entry) = f.get("removed") else {
        return Some(false);
    };
    let path = f.path("removed");
    match r.boolean(&entry.value, &path)? {
        false => {
            let msg = "`removed: false` is not allowed; leave `removed` out instead";
            r.error(entry.value.at, &path, msg);
            None
        }
        true => {
            let others: Vec<_> = f
                .names()
                .filter(|n| *n != "removed" && !identity.contains(n))
                .map(|n| format!("`{n}`"))
                .collect();
            if others.is_empty() {
                return Some(true);
            }
            let verb = if others.len() == 1 { "is" } else { "are" };
            let msg = format!(
                "`removed: true` must stand alone, but {} {verb} also given",
                others.join(", ")
            );
            r.error(entry.key_at, &path, msg);
            None
        }
    }
}

/// The entries of an optional mapping field of the document, when it holds
/// at most `max` of them.
fn bounded_entries<'a>(
    r: &mut Reader,
    doc: &Fields<'a>,
    name: &str,
    max: usize,
) -> Option<&'a [Entry]> {
    let path = doc.path(name);
    let node = doc.value(name)?;
    let entries = r.entries(node, &path)?;
    r.within(node, &path, entries.len(), max, name, "document")
        .then_some(entries)
}

fn automation(r: &mut Reader, node: &Node, path: &str) -> Option<Map<String, serde_json::Value>> {
    r.entries(node, path)?;
    let depth = nesting(node);
    if depth > MAX_AUTOMATION_DEPTH {
        r.error(node.at, path, too_deep(depth));
        return None;
    }
    let serde_json::Value::Object(map) = to_json(node) else {
        return None;
    };
    let size = serde_json::to_string(&map).map_or(usize::MAX, |json| json.len());
    if size > MAX_AUTOMATION_BYTES {
        r.error(node.at, path, too_large_json(size));
        return None;
    }
    Some(map)
}

/// Why an automation nesting `depth` levels is refused (the reader's words and `check`'s).
pub(crate) fn too_deep(depth: usize) -> String {
    format!("nests {depth} levels deep; at most {MAX_AUTOMATION_DEPTH} are allowed")
}

/// Why an automation of `size` bytes as JSON is refused.
pub(crate) fn too_large_json(size: usize) -> String {
    format!("is {size} bytes long as JSON; at most {MAX_AUTOMATION_BYTES} are allowed")
}

/// How many levels of mappings and lists a node nests (a scalar is 0).
fn nesting(node: &Node) -> usize {
    let inner = match &node.value {
        Value::Seq(items) => items.iter().map(nesting).max().unwrap_or(0),
        Value::Map(entries) => entries.iter().map(|e| nesting(&e.value)).max().unwrap_or(0),
        _ => return 0,
    };
    inner + 1
}

fn tags(r: &mut Reader, node: &Node, path: &str) -> Option<Vec<String>> {
    let items = r.items(node, path)?;
    if !r.within(node, path, items.len(), MAX_TAGS, "tags", "procedure") {
        return None;
    }
    let tags: Vec<_> = items
        .iter()
        .enumerate()
        .map(|(i, n)| r.text_within(n, &index_path(path, i), MAX_TAG_BYTES))
        .collect();
    tags.into_iter().collect()
}

/// `branches`: a list of patches or tombstones, one per (from, label).
pub(crate) fn branches(r: &mut Reader, doc: &Fields<'_>) -> BTreeMap<BranchId, BranchChange> {
    let mut out = BTreeMap::new();
    let mut seen: HashMap<BranchId, Pos> = HashMap::new();
    let path = doc.path("branches");
    let Some(node) = doc.value("branches") else {
        return out;
    };
    let Some(items) = r.items(node, &path) else {
        return out;
    };
    if !r.within(
        node,
        &path,
        items.len(),
        MAX_BRANCHES,
        "branches",
        "document",
    ) {
        return out;
    }
    for (i, node) in items.iter().enumerate() {
        let here = index_path(&path, i);
        let Some((id, change)) = branch(r, node, &here) else {
            continue;
        };
        if let Some(first) = seen.get(&id) {
            let msg = format!(
                "branch from `{}` labelled `{}` is given twice in this document{}",
                id.from,
                id.label,
                first_at(*first)
            );
            r.error(node.at, &here, msg);
            continue;
        }
        seen.insert(id.clone(), node.at);
        out.insert(id, change);
    }
    out
}

fn branch(r: &mut Reader, node: &Node, path: &str) -> Option<(BranchId, BranchChange)> {
    let f = r.fields(node, path, BRANCH_FIELDS)?;
    let from = f
        .required(r, "from")
        .and_then(|n| r.parsed(n, &f.path("from"), ProcedureKey::from_str));
    let label = f
        .required(r, "label")
        .and_then(|n| r.parsed(n, &f.path("label"), BranchLabel::from_str));
    let change = match removed(r, &f, &["from", "label"]) {
        Some(true) => Some(BranchChange::Removed),
        Some(false) => Some(BranchChange::Patch(BranchPatch {
            to: r.patch(&f, "to", |r, n, p| r.parsed(n, p, ProcedureKey::from_str)),
            condition: r.patch(&f, "condition", |r, n, p| {
                condition(r, n, p, from.as_ref(), label.as_ref())
            }),
            order: r.patch(&f, "order", |r, n, p| r.integer(n, p, i64::MIN, i64::MAX)),
        })),
        None => None,
    };
    Some((
        BranchId {
            from: from?,
            label: label?,
        },
        change?,
    ))
}

/// A branch's condition: any text within the bounds of
/// [`condition`](crate::domain::condition); prose is fine, an expression past
/// a bound (or any text too long) is refused.
fn condition(
    r: &mut Reader,
    node: &Node,
    path: &str,
    from: Option<&ProcedureKey>,
    label: Option<&BranchLabel>,
) -> Option<String> {
    let text = r.text(node, path)?;
    let Some(e) = condition::bound_violation(&text) else {
        return Some(text);
    };
    let branch = match (from, label) {
        (Some(from), Some(label)) => format!("branch from `{from}` labelled `{label}`"),
        _ => "branch".to_owned(),
    };
    r.error(
        node.at,
        path,
        format!("the condition of the {branch} is refused: {}", e.message),
    );
    None
}

/// `entries`: code (or `*`) to a procedure key, `null` to remove an inherited entry.
pub(crate) fn entries(
    r: &mut Reader,
    doc: &Fields<'_>,
) -> BTreeMap<EntryCode, Option<ProcedureKey>> {
    let mut out = BTreeMap::new();
    let path = doc.path("entries");
    let Some(entries) = bounded_entries(r, doc, "entries", MAX_ENTRIES) else {
        return out;
    };
    for entry in entries {
        let here = key_path(&path, &entry.key);
        let code = r.key(entry, &here, EntryCode::parse);
        let target = match &entry.value.value {
            Value::Null => Some(None),
            _ => r
                .parsed(&entry.value, &here, ProcedureKey::from_str)
                .map(Some),
        };
        if let (Some(code), Some(target)) = (code, target) {
            out.insert(code, target);
        }
    }
    out
}

/// `errorCodes`: code to the fields this scope gives for it.
pub(crate) fn error_codes(r: &mut Reader, doc: &Fields<'_>) -> BTreeMap<ErrorCode, ErrorCodePatch> {
    let mut out = BTreeMap::new();
    let path = doc.path("errorCodes");
    let Some(entries) = bounded_entries(r, doc, "errorCodes", MAX_ERROR_CODES) else {
        return out;
    };
    for entry in entries {
        let here = key_path(&path, &entry.key);
        let code = r.key(entry, &here, ErrorCode::from_str);
        let Some(f) = r.fields(&entry.value, &here, ERROR_CODE_FIELDS) else {
            continue;
        };
        let patch = ErrorCodePatch {
            status_code: r.patch(&f, "statusCode", |r, n, p| {
                r.integer(n, p, 100, 599)
                    .and_then(|v| u16::try_from(v).ok())
            }),
            message: r.patch(&f, "message", Reader::short_text),
            description: r.patch(&f, "description", Reader::long_text),
            severity: r.patch(&f, "severity", Reader::short_text),
        };
        if let Some(code) = code {
            out.insert(code, patch);
        }
    }
    out
}
