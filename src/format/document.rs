//! Reads one document's tree into a `ScopeDocument`: the scope's own fields
//! here, its content in `content.rs`.

use std::{collections::HashMap, str::FromStr};

use crate::domain::{
    Contact, Host, Owner, Scope, ScopeContent, ScopeDocument, ScopeId, ScopeKind,
    limits::{MAX_CONTACTS, MAX_OWNERS, MAX_PARENTS},
};

use super::{
    FORMAT, content,
    error::Issue,
    path::{first_at, index_path},
    read::{Fields, Reader, enum_name},
    tree::{Node, Pos},
};

const DOCUMENT_FIELDS: &[&str] = &[
    "format",
    "host",
    "scope",
    "name",
    "kind",
    "parents",
    "owners",
    "contacts",
    "errorCodes",
    "procedures",
    "branches",
    "entries",
];

/// One owner entry: text that reads as a user id or a `role:` entry.
fn owner(r: &mut Reader, node: &Node, path: &str) -> Option<String> {
    let text = r.non_blank(node, path)?;
    if let Err(e) = Owner::parse(&text) {
        r.error(node.at, path, e.to_string());
        return None;
    }
    Some(text)
}

const CONTACT_FIELDS: &[&str] = &["name", "email", "phone", "chat"];

/// What reading one document gave.
pub(crate) struct Read {
    /// The document, when it had no issue.
    pub doc: Option<ScopeDocument>,
    /// The scope id, when it could be read (even if the document has issues).
    pub scope: Option<ScopeId>,
    /// Line of the `scope` field within the document's text.
    pub scope_line: Option<usize>,
    /// Everything wrong with it.
    pub issues: Vec<Issue>,
}

/// Reads a document tree; `default_host` stands in for an absent `host`.
pub(crate) fn read(root: &Node, default_host: &Host) -> Read {
    let mut r = Reader::default();
    let Some(f) = r.fields(root, "", DOCUMENT_FIELDS) else {
        return Read {
            doc: None,
            scope: None,
            scope_line: None,
            issues: r.issues,
        };
    };
    if let Some(node) = f.value("format") {
        check_format(&mut r, node);
    }
    let host = match f.value("host") {
        Some(node) => r.parsed(node, "host", Host::from_str),
        None => Some(default_host.clone()),
    };
    let scope_entry = f.get("scope");
    let id = f
        .required(&mut r, "scope")
        .and_then(|n| r.parsed(n, "scope", ScopeId::from_str));
    let name = f
        .required(&mut r, "name")
        .and_then(|n| r.non_blank(n, "name"));
    let kind = f
        .required(&mut r, "kind")
        .and_then(|n| scope_kind(&mut r, n));
    let parents = parents(&mut r, &f, id.as_ref());
    let owners = list(&mut r, &f, ("owners", MAX_OWNERS), owner);
    let contacts = list(&mut r, &f, ("contacts", MAX_CONTACTS), contact);
    let content = ScopeContent {
        procedures: content::procedures(&mut r, &f),
        branches: content::branches(&mut r, &f),
        entries: content::entries(&mut r, &f),
        error_codes: content::error_codes(&mut r, &f),
    };
    let doc = match (host, id.clone(), name, kind) {
        (Some(host), Some(id), Some(name), Some(kind)) if r.issues.is_empty() => {
            Some(ScopeDocument {
                scope: Scope {
                    host,
                    id,
                    name,
                    kind,
                    parents,
                    owners,
                    contacts,
                },
                content,
            })
        }
        _ => None,
    };
    Read {
        doc,
        scope: id,
        scope_line: scope_entry.and_then(|e| e.key_at).map(|(line, _)| line),
        issues: r.issues,
    }
}

fn scope_kind(r: &mut Reader, node: &Node) -> Option<ScopeKind> {
    let names = ScopeKind::ALL.map(ScopeKind::as_str);
    r.parsed(node, "kind", |t| {
        enum_name("scope kind", t, ScopeKind::parse, names)
    })
}

fn check_format(r: &mut Reader, node: &Node) {
    if let Some(text) = r.text(node, "format")
        && text != FORMAT
    {
        let msg = format!("unsupported format `{text}`; expected {FORMAT}");
        r.error(node.at, "format", msg);
    }
}

/// An optional list field of at most `max` items, each read by `item`; items
/// that fail are left out.
fn list<T>(
    r: &mut Reader,
    f: &Fields<'_>,
    (name, max): (&str, usize),
    item: impl Fn(&mut Reader, &Node, &str) -> Option<T>,
) -> Vec<T> {
    let Some(items) = bounded_items(r, f, name, max) else {
        return Vec::new();
    };
    let path = f.path(name);
    items
        .iter()
        .enumerate()
        .filter_map(|(i, n)| item(r, n, &index_path(&path, i)))
        .collect()
}

fn parents(r: &mut Reader, f: &Fields<'_>, own: Option<&ScopeId>) -> Vec<ScopeId> {
    let mut seen: HashMap<ScopeId, Pos> = HashMap::new();
    let mut out = Vec::new();
    let path = f.path("parents");
    let Some(items) = bounded_items(r, f, "parents", MAX_PARENTS) else {
        return out;
    };
    for (i, node) in items.iter().enumerate() {
        let here = index_path(&path, i);
        let Some(id) = r.parsed(node, &here, ScopeId::from_str) else {
            continue;
        };
        if Some(&id) == own {
            r.error(
                node.at,
                &here,
                format!("scope {id} cannot be its own parent"),
            );
        } else if let Some(first) = seen.get(&id) {
            let msg = format!("parent {id} is listed twice{}", first_at(*first));
            r.error(node.at, &here, msg);
        } else {
            seen.insert(id.clone(), node.at);
            out.push(id);
        }
    }
    out
}

/// The items of an optional list field, when it holds at most `max` of them.
fn bounded_items<'a>(r: &mut Reader, f: &Fields<'a>, name: &str, max: usize) -> Option<&'a [Node]> {
    let path = f.path(name);
    let node = f.value(name)?;
    let items = r.items(node, &path)?;
    r.within(node, &path, items.len(), max, name, "scope")
        .then_some(items)
}

fn contact(r: &mut Reader, node: &Node, path: &str) -> Option<Contact> {
    let f = r.fields(node, path, CONTACT_FIELDS)?;
    let name = f
        .required(r, "name")
        .and_then(|n| r.non_blank(n, &f.path("name")));
    let mut optional = |field: &str| f.value(field).and_then(|n| r.short_text(n, &f.path(field)));
    let (email, phone, chat) = (optional("email"), optional("phone"), optional("chat"));
    Some(Contact {
        name: name?,
        email,
        phone,
        chat,
    })
}
