//! The format's rules applied to a document already in the domain's form:
//! what a write through the API builds. The same bounds, field paths and
//! messages as reading the document from YAML (`document`, `content`), so
//! every write path refuses the same things, without writing the document
//! as YAML and reading it back. The types carry the rest (keys, codes,
//! kinds, enums parse when the value is made); a branch's condition is
//! checked by the write path itself, which names the branch.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::{
    content::{too_deep, too_large_json},
    path::{index_path, key_path},
    read::{too_long, too_many},
};
use crate::domain::{
    Contact, ErrorCodePatch, Owner, Patch, ProcedureChange, ProcedurePatch, ScopeDocument,
    limits::{
        MAX_AUTOMATION_BYTES, MAX_AUTOMATION_DEPTH, MAX_BRANCHES, MAX_CONTACTS, MAX_ENTRIES,
        MAX_ERROR_CODES, MAX_LONG_TEXT_BYTES, MAX_OWNERS, MAX_PARENTS, MAX_PROCEDURES,
        MAX_TAG_BYTES, MAX_TAGS, MAX_TEXT_BYTES,
    },
};

/// One rule a document breaks: the field path (as the YAML reader names it)
/// and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub field: String,
    pub message: String,
}

/// Collects violations, in document order.
#[derive(Default)]
struct Checker {
    found: Vec<Violation>,
}

impl Checker {
    fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.found.push(Violation {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    fn text(&mut self, field: &str, text: &str, max: usize) {
        if text.len() > max {
            self.fail(field, too_long(text.len(), max));
        }
    }

    fn non_blank(&mut self, field: &str, text: &str) {
        self.text(field, text, MAX_TEXT_BYTES);
        if text.len() <= MAX_TEXT_BYTES && text.trim().is_empty() {
            self.fail(field, "must not be blank");
        }
    }

    /// True when `count` items are within `max`; reported otherwise.
    fn within(&mut self, field: &str, count: usize, max: usize, what: &str, per: &str) -> bool {
        if count <= max {
            return true;
        }
        self.fail(field, too_many(count, max, what, per));
        false
    }

    fn patch_text(&mut self, field: &str, patch: &Patch<String>, max: usize) {
        if let Patch::Set(text) = patch {
            self.text(field, text, max);
        }
    }
}

/// Every rule of the format that `doc` breaks; empty when it is valid.
pub fn check(doc: &ScopeDocument) -> Vec<Violation> {
    let mut c = Checker::default();
    let scope = &doc.scope;
    c.non_blank("name", &scope.name);
    if c.within(
        "parents",
        scope.parents.len(),
        MAX_PARENTS,
        "parents",
        "scope",
    ) {
        let mut seen = HashSet::new();
        for (i, parent) in scope.parents.iter().enumerate() {
            let here = index_path("parents", i);
            if parent == &scope.id {
                c.fail(&here, format!("scope {parent} cannot be its own parent"));
            } else if !seen.insert(parent) {
                c.fail(&here, format!("parent {parent} is listed twice"));
            }
        }
    }
    if c.within("owners", scope.owners.len(), MAX_OWNERS, "owners", "scope") {
        for (i, owner) in scope.owners.iter().enumerate() {
            let here = index_path("owners", i);
            c.non_blank(&here, owner);
            if !owner.trim().is_empty()
                && let Err(e) = Owner::parse(owner)
            {
                c.fail(&here, e.to_string());
            }
        }
    }
    let contacts = &scope.contacts;
    if c.within(
        "contacts",
        contacts.len(),
        MAX_CONTACTS,
        "contacts",
        "scope",
    ) {
        for (i, contact) in contacts.iter().enumerate() {
            check_contact(&mut c, &index_path("contacts", i), contact);
        }
    }
    check_content(&mut c, doc);
    c.found
}

fn check_contact(c: &mut Checker, path: &str, contact: &Contact) {
    c.non_blank(&format!("{path}.name"), &contact.name);
    for (field, value) in [
        ("email", &contact.email),
        ("phone", &contact.phone),
        ("chat", &contact.chat),
    ] {
        if let Some(value) = value {
            c.text(&format!("{path}.{field}"), value, MAX_TEXT_BYTES);
        }
    }
}

fn check_content(c: &mut Checker, doc: &ScopeDocument) {
    let content = &doc.content;
    let procedures = content.procedures.len();
    if c.within(
        "procedures",
        procedures,
        MAX_PROCEDURES,
        "procedures",
        "document",
    ) {
        for (key, change) in &content.procedures {
            if let ProcedureChange::Patch(patch) = change {
                check_procedure(c, &key_path("procedures", key.as_str()), patch);
            }
        }
    }
    let branches = content.branches.len();
    // A branch's fields are keys and an order (any whole number); its
    // condition is the write path's to check.
    c.within("branches", branches, MAX_BRANCHES, "branches", "document");
    let entries = content.entries.len();
    c.within("entries", entries, MAX_ENTRIES, "entries", "document");
    let codes = content.error_codes.len();
    if c.within(
        "errorCodes",
        codes,
        MAX_ERROR_CODES,
        "errorCodes",
        "document",
    ) {
        for (code, patch) in &content.error_codes {
            check_error_code(c, &key_path("errorCodes", code.as_str()), patch);
        }
    }
}

fn check_procedure(c: &mut Checker, path: &str, p: &ProcedurePatch) {
    c.patch_text(&format!("{path}.title"), &p.title, MAX_TEXT_BYTES);
    c.patch_text(&format!("{path}.body"), &p.body, MAX_LONG_TEXT_BYTES);
    if let Patch::Set(automation) = &p.automation {
        check_automation(c, &format!("{path}.automation"), automation);
    }
    if let Patch::Set(tags) = &p.tags {
        let here = format!("{path}.tags");
        if c.within(&here, tags.len(), MAX_TAGS, "tags", "procedure") {
            for (i, tag) in tags.iter().enumerate() {
                c.text(&index_path(&here, i), tag, MAX_TAG_BYTES);
            }
        }
    }
}

fn check_automation(c: &mut Checker, path: &str, automation: &Map<String, Value>) {
    let depth = 1 + automation.values().map(nesting).max().unwrap_or(0);
    if depth > MAX_AUTOMATION_DEPTH {
        c.fail(path, too_deep(depth));
        return;
    }
    let size = serde_json::to_string(automation).map_or(usize::MAX, |json| json.len());
    if size > MAX_AUTOMATION_BYTES {
        c.fail(path, too_large_json(size));
    }
}

/// How many levels of objects and arrays a value nests (a scalar is 0), as
/// the reader counts the YAML it came from.
fn nesting(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(nesting).max().unwrap_or(0),
        _ => 0,
    }
}

fn check_error_code(c: &mut Checker, path: &str, p: &ErrorCodePatch) {
    if let Patch::Set(status) = p.status_code
        && !(100..=599).contains(&status)
    {
        let message = format!("{status} is out of range: must be from 100 to 599");
        c.fail(&format!("{path}.statusCode"), message);
    }
    c.patch_text(&format!("{path}.message"), &p.message, MAX_TEXT_BYTES);
    c.patch_text(
        &format!("{path}.description"),
        &p.description,
        MAX_LONG_TEXT_BYTES,
    );
    c.patch_text(&format!("{path}.severity"), &p.severity, MAX_TEXT_BYTES);
}
