//! Writes scope documents as `light-runbook/v1` YAML in a canonical form:
//! parents before children, fields in the reference's order, map keys sorted,
//! enums upper case, so that export → parse → export gives the same bytes.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use crate::domain::{
    BranchChange, BranchId, Contact, ErrorCodePatch, Host, Patch, ProcedureChange, ProcedurePatch,
    ScopeDocument, ScopeId,
};

use super::FORMAT;

/// YAML of the documents, separated by `---`: scopes ordered parents first
/// (over the parents present in the set, ties by id), fields in a fixed
/// order, map keys sorted, enums upper case, removals kept, `host` written only
/// when it differs from `default_host`, `format: light-runbook/v1` first in
/// each document.
pub fn export(docs: &[ScopeDocument], default_host: &Host) -> String {
    ordered(docs)
        .into_iter()
        .map(|doc| to_document_yaml(doc, default_host))
        .collect::<Vec<_>>()
        .join("---\n")
}

/// YAML of one document, by the same rules as [`export`].
pub fn to_document_yaml(doc: &ScopeDocument, default_host: &Host) -> String {
    let value = document_value(doc, default_host);
    let options = serde_saphyr::ser_options! {
        // Markdown bodies as literal blocks (`|`), not escaped one-liners.
        prefer_block_scalars: true,
    };
    let yaml = serde_saphyr::to_string_with_options(&value, options)
        // JSON is YAML too: a fallback that reads back the same, should it ever be needed.
        .or_else(|_| serde_json::to_string_pretty(&value))
        .unwrap_or_default();
    if yaml.ends_with('\n') {
        yaml
    } else {
        yaml + "\n"
    }
}

/// The documents, parents before children (Kahn's algorithm, ready scopes by
/// id then host); a cycle is broken at its smallest scope.
fn ordered(docs: &[ScopeDocument]) -> Vec<&ScopeDocument> {
    let key = |i: usize| (&docs[i].scope.id, &docs[i].scope.host, i);
    let mut by_key: HashMap<(&Host, &ScopeId), Vec<usize>> = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        by_key
            .entry((&doc.scope.host, &doc.scope.id))
            .or_default()
            .push(i);
    }
    let mut children = vec![Vec::new(); docs.len()];
    let mut waiting = vec![0usize; docs.len()];
    for (child, doc) in docs.iter().enumerate() {
        let parents: BTreeSet<_> = doc.scope.parents.iter().collect();
        for parent in parents {
            for &p in by_key.get(&(&doc.scope.host, parent)).into_iter().flatten() {
                if p != child {
                    children[p].push(child);
                    waiting[child] += 1;
                }
            }
        }
    }
    let mut remaining: BTreeSet<_> = (0..docs.len()).map(key).collect();
    let mut ready: BTreeSet<_> = (0..docs.len())
        .filter(|&i| waiting[i] == 0)
        .map(key)
        .collect();
    let mut out = Vec::with_capacity(docs.len());
    while let Some(next) = ready.pop_first().or_else(|| remaining.first().copied()) {
        let i = next.2;
        if !remaining.remove(&next) {
            continue;
        }
        out.push(&docs[i]);
        for &c in &children[i] {
            waiting[c] = waiting[c].saturating_sub(1);
            if waiting[c] == 0 && remaining.contains(&key(c)) {
                ready.insert(key(c));
            }
        }
    }
    out
}

fn document_value(doc: &ScopeDocument, default_host: &Host) -> Value {
    let (scope, content) = (&doc.scope, &doc.content);
    let mut m = Map::new();
    m.insert("format".into(), json!(FORMAT));
    if scope.host != *default_host {
        m.insert("host".into(), json!(scope.host.as_str()));
    }
    m.insert("scope".into(), json!(scope.id.as_str()));
    m.insert("name".into(), json!(scope.name));
    m.insert("kind".into(), json!(scope.kind.as_str()));
    let parents: Vec<_> = scope.parents.iter().map(ScopeId::as_str).collect();
    insert_nonempty(&mut m, "parents", json!(parents));
    insert_nonempty(&mut m, "owners", json!(scope.owners));
    let contacts = scope.contacts.iter().map(contact).collect();
    insert_nonempty(&mut m, "contacts", Value::Array(contacts));
    let codes = content
        .error_codes
        .iter()
        .map(|(code, patch)| (code.to_string(), error_code(patch)))
        .collect();
    insert_nonempty(&mut m, "errorCodes", Value::Object(codes));
    let procedures = content
        .procedures
        .iter()
        .map(|(key, change)| (key.to_string(), procedure(change)))
        .collect();
    insert_nonempty(&mut m, "procedures", Value::Object(procedures));
    let branches = content.branches.iter().map(branch).collect();
    insert_nonempty(&mut m, "branches", Value::Array(branches));
    let entries = content
        .entries
        .iter()
        .map(|(code, key)| (code.to_string(), json!(key.as_ref().map(|k| k.as_str()))))
        .collect();
    insert_nonempty(&mut m, "entries", Value::Object(entries));
    Value::Object(m)
}

fn branch((id, change): (&BranchId, &BranchChange)) -> Value {
    let mut b = Map::new();
    b.insert("from".into(), json!(id.from.as_str()));
    b.insert("label".into(), json!(id.label.as_str()));
    match change {
        BranchChange::Removed => {
            b.insert("removed".into(), json!(true));
        }
        BranchChange::Patch(p) => {
            put(&mut b, "to", &p.to, |k| json!(k.as_str()));
            put(&mut b, "condition", &p.condition, |c| json!(c));
            put(&mut b, "order", &p.order, |o| json!(o));
        }
    }
    Value::Object(b)
}

fn insert_nonempty(m: &mut Map<String, Value>, name: &str, value: Value) {
    let empty = match &value {
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    if !empty {
        m.insert(name.into(), value);
    }
}

/// Writes a layered field: absent is left out, a clear is `null`.
fn put<T>(m: &mut Map<String, Value>, name: &str, patch: &Patch<T>, f: impl Fn(&T) -> Value) {
    match patch {
        Patch::Absent => {}
        Patch::Clear => {
            m.insert(name.into(), Value::Null);
        }
        Patch::Set(v) => {
            m.insert(name.into(), f(v));
        }
    }
}

fn contact(c: &Contact) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(c.name));
    for (name, value) in [("email", &c.email), ("phone", &c.phone), ("chat", &c.chat)] {
        if let Some(v) = value {
            m.insert(name.into(), json!(v));
        }
    }
    Value::Object(m)
}

fn error_code(p: &ErrorCodePatch) -> Value {
    let mut m = Map::new();
    put(&mut m, "statusCode", &p.status_code, |s| json!(s));
    put(&mut m, "message", &p.message, |s| json!(s));
    put(&mut m, "description", &p.description, |s| json!(s));
    put(&mut m, "severity", &p.severity, |s| json!(s));
    Value::Object(m)
}

fn procedure(change: &ProcedureChange) -> Value {
    let p: &ProcedurePatch = match change {
        ProcedureChange::Removed => return json!({ "removed": true }),
        ProcedureChange::Patch(p) => p,
    };
    let mut m = Map::new();
    put(&mut m, "title", &p.title, |s| json!(s));
    put(&mut m, "kind", &p.kind, |k| json!(k.as_str()));
    put(&mut m, "body", &p.body, |s| json!(s));
    put(&mut m, "automation", &p.automation, |a| {
        sorted(&Value::Object(a.clone()))
    });
    put(&mut m, "tags", &p.tags, |t| json!(t));
    Value::Object(m)
}

/// The value with every object's keys in sorted order.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(o) => {
            let mut keys: Vec<_> = o.iter().collect();
            keys.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                keys.into_iter()
                    .map(|(k, v)| (k.clone(), sorted(v)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}
