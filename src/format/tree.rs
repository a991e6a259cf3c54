//! A document as a tree of YAML nodes, each with its position, read by
//! `serde-saphyr` with the JSON data model (YAML 1.2 core schema).
//!
//! The tree is read without judging its shape, so that every later problem
//! (an unknown field, a wrong type, an invalid id, a duplicate key) is found
//! with its exact position and field path, and all of them are reported, not
//! only the first.

use std::fmt;

use serde::{
    Deserialize, Deserializer,
    de::{MapAccess, SeqAccess, Visitor},
};
use serde_json::Number;
use serde_saphyr::{DuplicateKeyPolicy, Location, MessageFormatter, Spanned};

use super::error::Issue;

/// A 1-based line and column within a document's text.
pub(crate) type Pos = Option<(usize, usize)>;

/// A YAML node with its position.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// Where the node starts.
    pub at: Pos,
    /// What it is.
    pub value: Value,
}

/// A node's value in the JSON data model.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(Number),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in document order, duplicates kept (they are reported, not merged).
    Map(Vec<Entry>),
}

/// One mapping entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// The key's text.
    pub key: String,
    /// Where the key is.
    pub key_at: Pos,
    /// The value.
    pub value: Node,
}

impl Value {
    /// What the value is, for messages: `null`, `true`, `number 1.5`, `text`, `a list`.
    pub fn describe(&self) -> String {
        match self {
            Self::Null => "null".to_owned(),
            Self::Bool(b) => b.to_string(),
            Self::Number(n) => format!("number {n}"),
            Self::Str(_) => "text".to_owned(),
            Self::Seq(_) => "a list".to_owned(),
            Self::Map(_) => "a mapping".to_owned(),
        }
    }
}

fn pos(location: Location) -> Pos {
    let (line, column) = (location.line(), location.column());
    match (usize::try_from(line), usize::try_from(column)) {
        (Ok(line), Ok(column)) if line > 0 => Some((line, column.max(1))),
        _ => None,
    }
}

fn node(spanned: Spanned<RawValue>) -> Node {
    Node {
        at: pos(spanned.referenced),
        value: spanned.value.0,
    }
}

struct RawValue(Value);

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor).map(RawValue)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        RawValue::deserialize(d).map(|v| v.0)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number must be finite"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<RawValue>>()? {
            items.push(node(item));
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let value = map.next_value::<Spanned<RawValue>>()?;
            entries.push(Entry {
                key: key.value,
                key_at: pos(key.referenced),
                value: node(value),
            });
        }
        Ok(Value::Map(entries))
    }
}

/// How deeply collections may nest in a document.
pub(crate) const MAX_DEPTH: usize = 32;

/// Reads one document's text; `None` for an empty (or null) document.
///
/// Line numbers are relative to `text`.
pub(crate) fn parse(text: &str) -> Result<Option<Node>, Issue> {
    let options = serde_saphyr::options! {
        // Duplicates are reported by `duplicate_keys` with their path and both lines.
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        // YAML 1.2: `yes`, `no`, `on` and `off` are text, as in JSON Schema tools.
        strict_booleans: true,
        with_snippet: false,
        // Each level costs stack; runbooks need a handful of levels.
        budget: serde_saphyr::budget! { max_depth: MAX_DEPTH },
    };
    serde_saphyr::from_str_with_options::<Option<Spanned<RawValue>>>(text, options)
        .map(|doc| doc.map(node))
        .map_err(|e| Issue {
            at: e.location().and_then(pos),
            field: None,
            message: yaml_message(&e),
        })
}

fn yaml_message(e: &serde_saphyr::Error) -> String {
    let text = serde_saphyr::DefaultMessageFormatter.format_message(e.without_snippet());
    match e.without_snippet() {
        serde_saphyr::Error::NullIntoString { .. } => {
            "invalid YAML: a mapping key must be text, not null".to_owned()
        }
        serde_saphyr::Error::Budget { .. } => format!(
            "the document is too large, or nests lists and mappings more than {MAX_DEPTH} deep"
        ),
        _ => format!("invalid YAML: {text}"),
    }
}

/// The node as JSON (for `automation`); duplicate keys keep their last value.
pub(crate) fn to_json(node: &Node) -> serde_json::Value {
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::Value::Number(n.clone()),
        Value::Str(s) => serde_json::Value::String(s.clone()),
        Value::Seq(items) => items.iter().map(to_json).collect(),
        Value::Map(entries) => entries
            .iter()
            .map(|e| (e.key.clone(), to_json(&e.value)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_keys(node: &Node) -> Vec<(&str, Pos)> {
        match &node.value {
            Value::Map(entries) => entries.iter().map(|e| (e.key.as_str(), e.key_at)).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn scalars_follow_the_yaml_1_2_core_schema() {
        let doc = parse("a: yes\nb: true\nc: 1.5\nd: ~\ne: '1'\nf: 0x10\n")
            .unwrap()
            .unwrap();
        let Value::Map(entries) = doc.value else {
            panic!("not a map")
        };
        let values: Vec<_> = entries.iter().map(|e| e.value.value.describe()).collect();
        assert_eq!(
            values,
            ["text", "true", "number 1.5", "null", "text", "number 16"]
        );
    }

    #[test]
    fn keys_and_values_carry_their_positions() {
        let doc = parse("scope: a\nprocedures:\n  x:\n    title: b\n")
            .unwrap()
            .unwrap();
        assert_eq!(
            map_keys(&doc),
            [("scope", Some((1, 1))), ("procedures", Some((2, 1)))]
        );
    }

    #[test]
    fn an_empty_or_null_document_is_none() {
        assert_eq!(parse("---\n").unwrap(), None);
        assert_eq!(parse("# nothing\n").unwrap(), None);
    }

    #[test]
    fn a_syntax_error_has_a_position_and_says_invalid_yaml() {
        let issue = parse("a: 1\n\tb: 2\n").unwrap_err();
        assert!(issue.at.is_some(), "{issue:?}");
        assert!(issue.message.starts_with("invalid YAML: "), "{issue:?}");
    }
}
