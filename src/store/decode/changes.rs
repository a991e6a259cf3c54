//! Revisions and history rows, decoded into the domain.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{At, ContentRow};
use crate::{
    domain::{Host, ObjectRef, ScopeId},
    store::{
        StoreResult,
        change::{Action, Actor, HistoryRecord},
        failure::corrupt,
    },
};

/// One object of a scope with its revision. `key2` is the label of a branch
/// (whose `key1` is its `from` key); the scope's `key1` is empty.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RevisionRow {
    pub kind: String,
    pub key1: String,
    pub key2: Option<String>,
    pub revision: i64,
}

/// One history row; `before_json` and `after_json` are JSON text.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct HistoryRow {
    pub change_id: i64,
    pub scope: String,
    pub object_kind: String,
    pub object_key: String,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub uid: String,
    pub at_ms: i64,
    pub operation: String,
}

/// A change id or revision read back (from `table`, about `host`): never negative.
pub(crate) fn change_id(
    backend: &'static str,
    table: &str,
    host: &str,
    value: i64,
) -> StoreResult<u64> {
    u64::try_from(value).map_err(|e| corrupt(backend, table, host, "-", &value.to_string(), e))
}

/// The objects of one scope with their revisions, in `domain::objects` order.
pub(crate) fn revisions(
    backend: &'static str,
    host: &Host,
    scope: &ScopeId,
    rows: Vec<RevisionRow>,
) -> StoreResult<Vec<(ObjectRef, u64)>> {
    let mut revisions = rows
        .into_iter()
        .map(|row| {
            let key = match &row.key2 {
                Some(label) => format!("{}/{label}", row.key1),
                None => row.key1,
            };
            let at = At {
                backend,
                table: "scopes",
                host: host.as_str(),
                scope: scope.as_str(),
            };
            let object = at.parse(&key, ObjectRef::parse(&row.kind, &key))?;
            Ok((
                object,
                change_id(backend, "scopes", host.as_str(), row.revision)?,
            ))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    revisions.sort();
    Ok(revisions)
}

/// The revisions that document rows carry (their `rev`), per scope, each
/// scope's in `domain::objects` order: what [`revisions`] reads, for every
/// scope of a document query at once.
pub(crate) fn content_revisions(
    backend: &'static str,
    host: &Host,
    rows: &[ContentRow],
) -> StoreResult<BTreeMap<ScopeId, Vec<(ObjectRef, u64)>>> {
    let mut by_scope: BTreeMap<&str, Vec<RevisionRow>> = BTreeMap::new();
    for row in rows {
        let kind = match row.tag.as_str() {
            "scope" => "scope",
            "procedure" => "procedure",
            "branch" => "branch",
            "entry" => "entry",
            "error_code" => "errorCode",
            _ => continue,
        };
        let Some(revision) = row.rev else { continue };
        by_scope.entry(&row.scope).or_default().push(RevisionRow {
            kind: kind.to_owned(),
            // The scope vertex has no key; its `key1` is the scope's name.
            key1: match kind {
                "scope" => String::new(),
                _ => row.key1.clone().unwrap_or_default(),
            },
            key2: row.key2.clone().filter(|_| kind == "branch"),
            revision,
        });
    }
    by_scope
        .into_iter()
        .map(|(scope, rows)| {
            let at = At {
                backend,
                table: "scopes",
                host: host.as_str(),
                scope,
            };
            let id = at.parse(scope, ScopeId::parse(scope))?;
            let objects = revisions(backend, host, &id, rows)?;
            Ok((id, objects))
        })
        .collect()
}

/// A history record from a [`HistoryRow`] of `host`.
pub(crate) fn history(
    backend: &'static str,
    host: &Host,
    row: HistoryRow,
) -> StoreResult<HistoryRecord> {
    let at = At {
        backend,
        table: "history",
        host: host.as_str(),
        scope: &row.scope,
    };
    let key = &row.object_key;
    let json = |text: &Option<String>| -> StoreResult<Option<Value>> {
        text.as_deref()
            .map(|t| at.parse(key, serde_json::from_str(t)))
            .transpose()
    };
    Ok(HistoryRecord {
        change_id: change_id(backend, "history", host.as_str(), row.change_id)?,
        host: host.clone(),
        scope: at.parse(key, ScopeId::parse(row.scope.as_str()))?,
        object: at.parse(key, ObjectRef::parse(&row.object_kind, key))?,
        action: Action::parse(&row.action)
            .ok_or_else(|| at.corrupt(key, format!("unknown action {:?}", row.action)))?,
        before: json(&row.before_json)?,
        after: json(&row.after_json)?,
        actor: Actor {
            uid: row.uid,
            at_ms: row.at_ms,
            operation: row.operation,
        },
    })
}
