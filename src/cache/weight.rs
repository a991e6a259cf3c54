//! Estimates of the heap bytes a cache entry holds, to bound the cache by
//! size: strings and lists by their lengths plus fixed overheads (allocator
//! slack aside). Computed once per entry, when it is inserted.

use std::mem::size_of;

use serde_json::{Map, Value};

use super::{Answer, RunbookKey};
use crate::{
    domain::{BranchChange, Contact, ProcedureChange, Scope, ScopeDocument},
    resolve::{
        EffectiveErrorCode, EffectiveProcedure, EffectiveRunbook, IndexedRunbook, Source, Warning,
    },
};

pub(super) fn key_bytes(key: &RunbookKey) -> u64 {
    (key.host.as_str().len()
        + key.service.as_str().len()
        + key.code.as_ref().map_or(0, |c| c.as_str().len())) as u64
}

/// An estimate of the heap bytes an answer holds (allocator overhead aside).
pub(super) fn answer_bytes(answer: &Answer) -> u64 {
    let bytes = match answer {
        Answer::Missing => 0,
        Answer::Runbook(result) => match result {
            Ok(rb) => runbook_bytes(rb) + index_bytes(rb),
            Err(e) => 256 + e.to_string().len(),
        },
        Answer::ErrorCode(result) => match result.as_ref() {
            Ok(Some((code, scopes))) => {
                error_code_bytes(code) + scopes.values().map(|s| 64 + scope_bytes(s)).sum::<usize>()
            }
            Ok(None) => 0,
            Err(e) => 256 + e.to_string().len(),
        },
    };
    bytes as u64
}

/// The indexes of an [`IndexedRunbook`]: a map slot per lineage scope (with
/// its shared copy), procedure and branch.
fn index_bytes(rb: &IndexedRunbook) -> usize {
    let scopes: usize = rb.lineage.iter().map(|s| 64 + scope_bytes(s)).sum();
    scopes + 48 * rb.procedures.len() + 56 * rb.branches.len()
}

fn runbook_bytes(rb: &EffectiveRunbook) -> usize {
    let lineage: usize = rb.lineage.iter().map(scope_bytes).sum();
    let procedures: usize = rb.procedures.iter().map(procedure_bytes).sum();
    let branches: usize = rb
        .branches
        .iter()
        .map(|b| {
            size_of_val(b)
                + b.from.as_str().len()
                + b.label.as_str().len()
                + b.to.as_str().len()
                + opt(b.condition.as_deref())
                + source_bytes(&b.source)
        })
        .sum();
    let entries: usize = rb
        .entries
        .iter()
        .map(|e| size_of_val(e) + 16 + e.key.as_str().len() + e.scope.as_str().len())
        .sum();
    let removed = rb.removed.len() * 96;
    let warnings: usize = rb.warnings.iter().map(warning_bytes).sum();
    size_of::<EffectiveRunbook>()
        + lineage
        + procedures
        + branches
        + entries
        + removed
        + contacts_bytes(&rb.contacts)
        + warnings
        + rb.error_code.as_ref().map_or(0, error_code_bytes)
}

fn procedure_bytes(p: &EffectiveProcedure) -> usize {
    size_of::<EffectiveProcedure>()
        + p.key.as_str().len()
        + p.title.len()
        + opt(p.body.as_deref())
        + p.automation.as_ref().map_or(0, json_bytes)
        + p.tags.iter().map(|t| 24 + t.len()).sum::<usize>()
        + source_bytes(&p.source)
}

fn scope_bytes(s: &Scope) -> usize {
    size_of::<Scope>()
        + s.host.as_str().len()
        + s.id.as_str().len()
        + s.name.len()
        + s.parents
            .iter()
            .map(|p| 24 + p.as_str().len())
            .sum::<usize>()
        + s.owners.iter().map(|o| 24 + o.len()).sum::<usize>()
        + contacts_bytes(&s.contacts)
}

fn contacts_bytes(contacts: &[Contact]) -> usize {
    contacts
        .iter()
        .map(|c| {
            size_of::<Contact>()
                + c.name.len()
                + opt(c.email.as_deref())
                + opt(c.phone.as_deref())
                + opt(c.chat.as_deref())
        })
        .sum()
}

fn error_code_bytes(c: &EffectiveErrorCode) -> usize {
    size_of::<EffectiveErrorCode>()
        + opt(c.message.as_deref())
        + opt(c.description.as_deref())
        + opt(c.severity.as_deref())
        + source_bytes(&c.source)
}

fn warning_bytes(w: &Warning) -> usize {
    size_of::<Warning>()
        + w.message.len()
        + w.scope.as_ref().map_or(0, |s| s.as_str().len())
        + opt(w.key.as_deref())
}

fn source_bytes(s: &Source) -> usize {
    s.origin.as_str().len()
        + s.layers
            .iter()
            .map(|l| 24 + l.as_str().len())
            .sum::<usize>()
}

/// JSON held as `serde_json` values: its text length plus per-value overhead.
fn json_bytes(map: &Map<String, Value>) -> usize {
    fn value(v: &Value) -> usize {
        32 + match v {
            Value::String(s) => s.len(),
            Value::Array(items) => items.iter().map(value).sum(),
            Value::Object(map) => map.iter().map(|(k, v)| 24 + k.len() + value(v)).sum(),
            _ => 0,
        }
    }
    map.iter().map(|(k, v)| 24 + k.len() + value(v)).sum()
}

fn opt(s: Option<&str>) -> usize {
    s.map_or(0, str::len)
}

/// An estimate of the heap bytes a decoded document holds: its vertex, and
/// its content by the length of each patch's JSON form plus per-object
/// overhead.
/// The estimated bytes of a document's object revisions (an object reference
/// with its key strings and a number each).
pub(super) fn revisions_bytes(revisions: &[(crate::domain::ObjectRef, u64)]) -> u64 {
    (revisions.len() * 96) as u64
}

pub(super) fn document_bytes(doc: &ScopeDocument) -> u64 {
    fn json(value: &impl serde::Serialize) -> usize {
        serde_json::to_string(value).map_or(0, |t| t.len())
    }
    let content = &doc.content;
    let procedures: usize = (content.procedures.iter())
        .map(|(k, c)| match c {
            ProcedureChange::Patch(p) => 96 + k.as_str().len() + json(p),
            ProcedureChange::Removed => 96 + k.as_str().len(),
        })
        .sum();
    let branches: usize = (content.branches.iter())
        .map(|(id, c)| {
            let ids = id.from.as_str().len() + id.label.as_str().len();
            match c {
                BranchChange::Patch(p) => 128 + ids + json(p),
                BranchChange::Removed => 128 + ids,
            }
        })
        .sum();
    let entries = content.entries.len() * 96;
    let codes: usize = (content.error_codes.iter())
        .map(|(c, p)| 96 + c.as_str().len() + json(p))
        .sum();
    (scope_bytes(&doc.scope) + procedures + branches + entries + codes) as u64
}
