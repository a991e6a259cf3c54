//! Field paths (`procedures.token-expired.kind`, `branches[2].label`) and the
//! check for keys given twice in one mapping.

use std::collections::HashMap;

use super::{
    error::Issue,
    tree::{Node, Pos, Value},
};

/// Reports every key that appears twice in one mapping, anywhere in the tree.
pub(crate) fn duplicate_keys(root: &Node, issues: &mut Vec<Issue>) {
    walk_duplicates(root, "", issues);
}

fn walk_duplicates(node: &Node, path: &str, issues: &mut Vec<Issue>) {
    match &node.value {
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_duplicates(item, &index_path(path, i), issues);
            }
        }
        Value::Map(entries) => {
            let mut seen: HashMap<&str, Pos> = HashMap::new();
            for entry in entries {
                let here = key_path(path, &entry.key);
                if let Some(first) = seen.get(entry.key.as_str()) {
                    let msg = format!("duplicate key `{}`{}", entry.key, first_at(*first));
                    issues.push(Issue::new(entry.key_at, &here, msg));
                } else {
                    seen.insert(&entry.key, entry.key_at);
                }
                walk_duplicates(&entry.value, &here, issues);
            }
        }
        _ => {}
    }
}

/// ` (first at line N)` when the first place is known.
pub(crate) fn first_at(first: Pos) -> String {
    first.map_or_else(String::new, |(line, _)| format!(" (first at line {line})"))
}

/// `parent.key`, with the key quoted when it is not a plain word.
pub(crate) fn key_path(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*'));
    let key = if plain {
        key.to_owned()
    } else {
        serde_json::Value::from(key).to_string()
    };
    if parent.is_empty() {
        key
    } else {
        format!("{parent}.{key}")
    }
}

/// `parent[i]` (0-based).
pub(crate) fn index_path(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::tree::parse;

    #[test]
    fn duplicate_keys_are_kept_and_reported_with_both_lines() {
        let doc = parse("a: 1\nb:\n  x: 1\n  x: 2\na: 3\n").unwrap().unwrap();
        let mut issues = Vec::new();
        duplicate_keys(&doc, &mut issues);
        let shown: Vec<_> = issues
            .iter()
            .map(|i| (i.at, i.field.as_deref(), i.message.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    Some((4, 3)),
                    Some("b.x"),
                    "duplicate key `x` (first at line 3)"
                ),
                (
                    Some((5, 1)),
                    Some("a"),
                    "duplicate key `a` (first at line 1)"
                ),
            ]
        );
    }

    #[test]
    fn key_paths_quote_keys_that_are_not_plain_words() {
        assert_eq!(key_path("", "procedures"), "procedures");
        assert_eq!(key_path("entries", "*"), "entries.*");
        assert_eq!(key_path("procedures", "Bad Key"), "procedures.\"Bad Key\"");
        assert_eq!(index_path("branches", 2), "branches[2]");
    }
}
