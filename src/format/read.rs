//! Typed reading of tree nodes: each getter checks a node's type or rule and,
//! when it fails, records an issue with the node's position and field path
//! and carries on, so one pass finds every problem of a document.

use std::fmt::Display;

use crate::domain::{
    Patch,
    limits::{MAX_LONG_TEXT_BYTES, MAX_TEXT_BYTES},
};

use super::{
    error::Issue,
    path::key_path,
    tree::{Entry, Node, Pos, Value},
};

/// Collects the issues found while reading one document.
#[derive(Debug, Default)]
pub(crate) struct Reader {
    /// Everything found so far.
    pub issues: Vec<Issue>,
}

/// A mapping read as a struct: its entries, known to be among the allowed fields.
pub(crate) struct Fields<'a> {
    at: Pos,
    path: String,
    entries: &'a [Entry],
}

impl<'a> Fields<'a> {
    /// The entry for a field, if given.
    pub fn get(&self, name: &str) -> Option<&'a Entry> {
        self.entries.iter().find(|e| e.key == name)
    }

    /// The value of a field, if given.
    pub fn value(&self, name: &str) -> Option<&'a Node> {
        self.get(name).map(|e| &e.value)
    }

    /// The field's path, e.g. `branches[0].label`.
    pub fn path(&self, name: &str) -> String {
        key_path(&self.path, name)
    }

    /// The names of the fields given, in document order.
    pub fn names(&self) -> impl Iterator<Item = &'a str> {
        self.entries.iter().map(|e| e.key.as_str())
    }

    /// The value of a required field; reports it missing otherwise.
    pub fn required(&self, r: &mut Reader, name: &str) -> Option<&'a Node> {
        let value = self.value(name);
        if value.is_none() {
            let msg = format!("missing required field `{name}`");
            r.error(self.at, &self.path(name), msg);
        }
        value
    }
}

fn quote_hint(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) | Value::Number(_) => " (quote it to make it text)",
        _ => "",
    }
}

impl Reader {
    /// Records an issue.
    pub fn error(&mut self, at: Pos, field: &str, message: impl Into<String>) {
        self.issues.push(Issue::new(at, field, message));
    }

    fn wrong_type(&mut self, node: &Node, path: &str, expected: &str) {
        let found = node.value.describe();
        let hint = if expected == "text" {
            quote_hint(&node.value)
        } else {
            ""
        };
        self.error(
            node.at,
            path,
            format!("expected {expected}, found {found}{hint}"),
        );
    }

    /// A mapping with the given fields; an unknown field is reported and skipped.
    pub fn fields<'a>(
        &mut self,
        node: &'a Node,
        path: &str,
        allowed: &[&str],
    ) -> Option<Fields<'a>> {
        let entries = self.entries(node, path)?;
        for entry in entries {
            if !allowed.contains(&entry.key.as_str()) {
                let msg = format!(
                    "unknown field `{}`; expected one of: {}",
                    entry.key,
                    allowed.join(", ")
                );
                self.error(entry.key_at, &key_path(path, &entry.key), msg);
            }
        }
        Some(Fields {
            at: node.at,
            path: path.to_owned(),
            entries,
        })
    }

    /// The entries of a mapping with free keys.
    pub fn entries<'a>(&mut self, node: &'a Node, path: &str) -> Option<&'a [Entry]> {
        match &node.value {
            Value::Map(entries) => Some(entries),
            _ => {
                self.wrong_type(node, path, "a mapping");
                None
            }
        }
    }

    /// The items of a list.
    pub fn items<'a>(&mut self, node: &'a Node, path: &str) -> Option<&'a [Node]> {
        match &node.value {
            Value::Seq(items) => Some(items),
            _ => {
                self.wrong_type(node, path, "a list");
                None
            }
        }
    }

    /// Text (a YAML string; numbers and booleans must be quoted).
    pub fn text(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            _ => {
                self.wrong_type(node, path, "text");
                None
            }
        }
    }

    /// Text of at most `max` bytes.
    pub fn text_within(&mut self, node: &Node, path: &str, max: usize) -> Option<String> {
        let text = self.text(node, path)?;
        if text.len() > max {
            self.error(node.at, path, too_long(text.len(), max));
            return None;
        }
        Some(text)
    }

    /// Short text: at most [`MAX_TEXT_BYTES`].
    pub fn short_text(&mut self, node: &Node, path: &str) -> Option<String> {
        self.text_within(node, path, MAX_TEXT_BYTES)
    }

    /// Long text: at most [`MAX_LONG_TEXT_BYTES`].
    pub fn long_text(&mut self, node: &Node, path: &str) -> Option<String> {
        self.text_within(node, path, MAX_LONG_TEXT_BYTES)
    }

    /// True when a collection of `count` items is within `max`; otherwise
    /// reports it (`what` names the items, `per` what holds them).
    pub fn within(
        &mut self,
        node: &Node,
        path: &str,
        count: usize,
        max: usize,
        what: &str,
        per: &str,
    ) -> bool {
        if count <= max {
            return true;
        }
        self.error(node.at, path, too_many(count, max, what, per));
        false
    }

    /// Short text with at least one character that is not white space.
    pub fn non_blank(&mut self, node: &Node, path: &str) -> Option<String> {
        let text = self.short_text(node, path)?;
        if text.trim().is_empty() {
            self.error(node.at, path, "must not be blank");
            return None;
        }
        Some(text)
    }

    /// Text parsed by `parse`; its error is the message.
    pub fn parsed<T, E: Display>(
        &mut self,
        node: &Node,
        path: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let text = self.text(node, path)?;
        match parse(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(node.at, path, e.to_string());
                None
            }
        }
    }

    /// A key parsed by `parse`, reported at the key.
    pub fn key<T, E: Display>(
        &mut self,
        entry: &Entry,
        path: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        match parse(&entry.key) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(entry.key_at, path, e.to_string());
                None
            }
        }
    }

    /// A whole number within `min..=max`.
    pub fn integer(&mut self, node: &Node, path: &str, min: i64, max: i64) -> Option<i64> {
        let Value::Number(n) = &node.value else {
            self.wrong_type(node, path, "a whole number");
            return None;
        };
        // As in JSON Schema, `2.0` is a whole number.
        let whole = n.as_f64().is_some_and(|f| f.fract() == 0.0);
        if !whole {
            self.wrong_type(node, path, "a whole number");
            return None;
        }
        let value = n.as_i64().or_else(|| {
            let f = n.as_f64()?;
            // -2^63 and 2^63 are exact as f64, so the cast below is exact too.
            let bound = -(i64::MIN as f64);
            (-bound..bound).contains(&f).then_some(f as i64)
        });
        match value {
            Some(v) if (min..=max).contains(&v) => Some(v),
            _ => {
                let msg = format!("{n} is out of range: must be from {min} to {max}");
                self.error(node.at, path, msg);
                None
            }
        }
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, node: &Node, path: &str) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(node, path, "true or false");
                None
            }
        }
    }

    /// A layered field: absent, `null` to clear, or a value read by `read`.
    ///
    /// A value that fails to read counts as absent (its issue is recorded).
    pub fn patch<T>(
        &mut self,
        fields: &Fields<'_>,
        name: &str,
        read: impl FnOnce(&mut Self, &Node, &str) -> Option<T>,
    ) -> Patch<T> {
        match fields.value(name) {
            None => Patch::Absent,
            Some(Node {
                value: Value::Null, ..
            }) => Patch::Clear,
            Some(node) => read(self, node, &fields.path(name)).map_or(Patch::Absent, Patch::Set),
        }
    }
}

/// Parses an API enum name in any letter case, listing the valid names when unknown.
/// Why a text of `len` bytes is refused (the reader's words and `check`'s).
pub(crate) fn too_long(len: usize, max: usize) -> String {
    format!("is {len} bytes long; at most {max} are allowed")
}

/// Why `count` items of `what` in one `per` are refused.
pub(crate) fn too_many(count: usize, max: usize, what: &str, per: &str) -> String {
    format!("{count} {what}; at most {max} are allowed per {per}")
}

pub(crate) fn enum_name<T>(
    what: &str,
    text: &str,
    parse: impl Fn(&str) -> Option<T>,
    names: impl IntoIterator<Item = &'static str>,
) -> Result<T, String> {
    parse(text).ok_or_else(|| {
        let names: Vec<_> = names.into_iter().collect();
        format!(
            "unknown {what} `{text}`; expected one of {} (any letter case)",
            names.join(", ")
        )
    })
}
