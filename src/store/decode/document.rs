//! Assembling documents from the tagged rows of one `UNION ALL` statement.

use std::collections::BTreeMap;

use super::{At, vertex};
use crate::{
    domain::{
        BranchChange, BranchId, BranchLabel, EntryCode, ErrorCode, Host, ProcedureChange,
        ProcedureKey, Scope, ScopeContent, ScopeDocument, ScopeId,
    },
    store::{StoreResult, failure::corrupt},
};

/// One row of a document query: the content tables of a set of scopes, tagged
/// and flattened into one column shape so that one `UNION ALL` statement reads
/// them all (see the backends' `sql.rs`).
///
/// | tag          | key1     | key2          | num           | doc1   | doc2     |
/// |--------------|----------|---------------|---------------|--------|----------|
/// | `scope`      | name     | kind          | revision      | owners | contacts |
/// | `parent`     | parent   |               | position      |        |          |
/// | `procedure`  | key      |               | removed (0/1) | patch  |          |
/// | `branch`     | from_key | label         | removed (0/1) | patch  |          |
/// | `entry`      | code     | procedure_key |               |        |          |
/// | `error_code` | code     |               |               | patch  |          |
///
/// `rev` is the row's object revision (none on `parent` rows: a scope's
/// parents are part of its vertex).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ContentRow {
    pub tag: String,
    pub scope: String,
    pub key1: Option<String>,
    pub key2: Option<String>,
    pub num: Option<i64>,
    pub doc1: Option<String>,
    pub doc2: Option<String>,
    pub rev: Option<i64>,
}

/// A scope being assembled from its rows.
#[derive(Default)]
struct Assembly {
    vertex: Option<Scope>,
    parents: Vec<(i64, ScopeId)>,
    content: ScopeContent,
}

/// Assembles tagged content rows of one host into documents, sorted by id.
pub(crate) fn documents(
    backend: &'static str,
    host: &Host,
    rows: Vec<ContentRow>,
) -> StoreResult<Vec<ScopeDocument>> {
    let mut scopes: BTreeMap<ScopeId, Assembly> = BTreeMap::new();
    for row in rows {
        let at = At {
            backend,
            table: table_of(&row.tag),
            host: host.as_str(),
            scope: &row.scope,
        };
        let id = at.parse(&row.scope, ScopeId::parse(row.scope.as_str()))?;
        let assembly = scopes.entry(id.clone()).or_default();
        add_row(&at, host, id, assembly, &row)?;
    }
    scopes
        .into_iter()
        .map(|(id, assembly)| {
            let mut scope = assembly.vertex.ok_or_else(|| {
                corrupt(
                    backend,
                    "scopes",
                    host.as_str(),
                    id.as_str(),
                    id.as_str(),
                    "content without a scope row",
                )
            })?;
            let mut parents = assembly.parents;
            parents.sort_by_key(|(position, _)| *position);
            scope.parents = parents.into_iter().map(|(_, parent)| parent).collect();
            Ok(ScopeDocument {
                scope,
                content: assembly.content,
            })
        })
        .collect()
}

fn table_of(tag: &str) -> &'static str {
    match tag {
        "scope" => "scopes",
        "parent" => "scope_parents",
        "procedure" => "procedures",
        "branch" => "branches",
        "entry" => "entries",
        "error_code" => "error_codes",
        _ => "unknown",
    }
}

fn add_row(
    at: &At<'_>,
    host: &Host,
    id: ScopeId,
    into: &mut Assembly,
    row: &ContentRow,
) -> StoreResult<()> {
    let key = row.key1.as_deref().unwrap_or_default();
    let content = &mut into.content;
    match row.tag.as_str() {
        "scope" => {
            let kind = at.text(key, "kind", &row.key2)?;
            into.vertex = Some(vertex(
                at,
                host,
                id,
                key,
                kind,
                row.doc1.as_deref(),
                row.doc2.as_deref(),
            )?);
        }
        "parent" => {
            let parent = at.parse(key, ScopeId::parse(key))?;
            into.parents.push((row.num.unwrap_or_default(), parent));
        }
        "procedure" => {
            let (key, change) = procedure(at, key, row)?;
            content.procedures.insert(key, change);
        }
        "branch" => {
            let (branch, change) = branch(at, key, row)?;
            content.branches.insert(branch, change);
        }
        "entry" => {
            let target = row.key2.as_deref().map(ProcedureKey::parse).transpose();
            content.entries.insert(
                at.parse(key, EntryCode::parse(key))?,
                at.parse(key, target)?,
            );
        }
        "error_code" => {
            let patch = at.json(key, row.doc1.as_deref())?;
            content
                .error_codes
                .insert(at.parse(key, ErrorCode::parse(key))?, patch);
        }
        other => return Err(at.corrupt(key, format!("unknown row tag {other:?}"))),
    }
    Ok(())
}

fn procedure(
    at: &At<'_>,
    key: &str,
    row: &ContentRow,
) -> StoreResult<(ProcedureKey, ProcedureChange)> {
    let change = if removed(at, key, row)? {
        ProcedureChange::Removed
    } else {
        ProcedureChange::Patch(at.json(key, row.doc1.as_deref())?)
    };
    Ok((at.parse(key, ProcedureKey::parse(key))?, change))
}

fn branch(at: &At<'_>, from: &str, row: &ContentRow) -> StoreResult<(BranchId, BranchChange)> {
    let label = at.text(from, "label", &row.key2)?;
    let name = format!("{from}/{label}");
    let change = if removed(at, &name, row)? {
        BranchChange::Removed
    } else {
        BranchChange::Patch(at.json(&name, row.doc1.as_deref())?)
    };
    let branch = BranchId {
        from: at.parse(&name, ProcedureKey::parse(from))?,
        label: at.parse(&name, BranchLabel::parse(label))?,
    };
    Ok((branch, change))
}

/// A tombstone flag must come with no patch, and a live row with one.
fn removed(at: &At<'_>, key: &str, row: &ContentRow) -> StoreResult<bool> {
    match (row.num, &row.doc1) {
        (Some(1), None) => Ok(true),
        (Some(0), Some(_)) => Ok(false),
        (flag, patch) => Err(at.corrupt(
            key,
            format!(
                "removed = {flag:?} does not match a patch that is {}",
                if patch.is_some() { "present" } else { "absent" }
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreError;

    fn row(
        tag: &str,
        key1: &str,
        key2: Option<&str>,
        num: Option<i64>,
        doc1: Option<&str>,
    ) -> ContentRow {
        ContentRow {
            tag: tag.into(),
            scope: "svc".into(),
            key1: Some(key1.into()),
            key2: key2.map(Into::into),
            num,
            doc1: doc1.map(Into::into),
            doc2: Some("[]".into()),
            rev: None,
        }
    }

    fn context_of(rows: Vec<ContentRow>) -> String {
        let host = Host::parse("h").expect("host");
        match documents("test", &host, rows) {
            Err(StoreError::Corrupt { context, .. }) => context,
            other => panic!("expected a corrupt row, got {other:?}"),
        }
    }

    #[test]
    fn parents_come_back_in_position_order() {
        let host = Host::parse("h").expect("host");
        let rows = vec![
            row("parent", "second", None, Some(1), None),
            row("scope", "Service", Some("SERVICE"), Some(3), Some("[]")),
            row("parent", "first", None, Some(0), None),
        ];
        let docs = documents("test", &host, rows).expect("documents");
        let parents: Vec<&str> = docs[0].scope.parents.iter().map(ScopeId::as_str).collect();
        assert_eq!(parents, ["first", "second"]);
    }

    #[test]
    fn rows_that_do_not_parse_are_corrupt_and_say_where() {
        let scope = row("scope", "S", Some("GALAXY"), Some(1), Some("[]"));
        assert_eq!(
            context_of(vec![scope]),
            "table scopes, host h, scope svc, key svc"
        );
        let tombstone_with_patch = row("procedure", "p", None, Some(1), Some("{}"));
        assert_eq!(
            context_of(vec![tombstone_with_patch]),
            "table procedures, host h, scope svc, key p"
        );
        let unknown_field = row("branch", "p", Some("yes"), Some(0), Some(r#"{"colour":1}"#));
        assert_eq!(
            context_of(vec![unknown_field]),
            "table branches, host h, scope svc, key p/yes"
        );
        let orphan = row("entry", "*", Some("p"), None, None);
        assert_eq!(
            context_of(vec![orphan]),
            "table scopes, host h, scope svc, key svc"
        );
    }
}
