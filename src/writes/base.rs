//! Base revisions of whole-document writes (an import): the revision of a
//! scope a document was based on, checked against the scope's history so
//! that a document read before someone else's change cannot silently undo
//! it. A scope's revision is the id of the last change to anything of it
//! (its own fields or any layer, a deletion included); 0 when it has none.
//!
//! The history is read after the write's snapshot, and the commit requires
//! the snapshot's generation: a change that lands in between makes the
//! commit stale, and the check runs again.

use serde_json::{Value, json};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use crate::{
    domain::{Host, ObjectRef, ScopeDocument, ScopeId},
    error::{ApiError, ApiErrorCode},
    store::{HistoryFilter, HistoryRecord, Store},
};

/// How many of the changes made since a stale base are named in the error.
pub const CHANGES_SHOWN: usize = 20;

/// The revision a document of scope `scope` of `host` was based on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseRevision {
    pub host: Host,
    pub scope: ScopeId,
    pub revision: u64,
}

/// The bases of whole documents: each given (scope, revision) applies to
/// the document of that scope (in its host). A scope named twice, or not
/// among the documents, is `BAD_USER_INPUT` on `field`.
pub fn for_documents(
    docs: &[ScopeDocument],
    given: &[(ScopeId, u64)],
    field: &str,
) -> Result<Vec<BaseRevision>, ApiError> {
    let mut bases = Vec::new();
    for (i, (scope, revision)) in given.iter().enumerate() {
        if given[..i].iter().any(|(s, _)| s == scope) {
            return Err(ApiError::bad_input(
                field,
                format!("scope {scope} has two base revisions"),
            ));
        }
        let hosts: Vec<&Host> = docs
            .iter()
            .filter(|d| &d.scope.id == scope)
            .map(|d| &d.scope.host)
            .collect();
        if hosts.is_empty() {
            return Err(ApiError::bad_input(
                field,
                format!(
                    "a base revision names scope {scope}, which no document of the import holds"
                ),
            ));
        }
        bases.extend(hosts.into_iter().map(|host| BaseRevision {
            host: host.clone(),
            scope: scope.clone(),
            revision: *revision,
        }));
    }
    Ok(bases)
}

/// Parses the CLI's `--base-revision SCOPE=REV`.
pub fn parse_flag(text: &str) -> Result<(ScopeId, u64), String> {
    let (scope, revision) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not SCOPE=REV"))?;
    let scope = scope.parse().map_err(|e| format!("{e}"))?;
    let revision = revision
        .parse()
        .map_err(|_| format!("`{revision}` is not a revision (a whole number, 0 or more)"))?;
    Ok((scope, revision))
}

/// The current revision of a scope: its last change's id, 0 when none.
pub async fn scope_revision(
    store: &dyn Store,
    host: &Host,
    scope: &ScopeId,
) -> Result<u64, ApiError> {
    Ok(latest(store, host, scope, 1)
        .await?
        .first()
        .map_or(0, |r| r.change_id))
}

async fn latest(
    store: &dyn Store,
    host: &Host,
    scope: &ScopeId,
    limit: u32,
) -> Result<Vec<HistoryRecord>, ApiError> {
    let filter = HistoryFilter {
        scope: Some(scope.clone()),
        limit,
        ..HistoryFilter::default()
    };
    Ok(store.history(host, &filter).await?)
}

/// Refuses with `CONFLICT` the first base whose scope changed since: the
/// error names what changed (object, fields, who, when, operation).
pub async fn check(store: &dyn Store, bases: &[BaseRevision]) -> Result<(), ApiError> {
    for base in bases {
        // One more than shown: whether the list is cut.
        let limit = u32::try_from(CHANGES_SHOWN + 1).unwrap_or(u32::MAX);
        let records = latest(store, &base.host, &base.scope, limit).await?;
        let actual = records.first().map_or(0, |r| r.change_id);
        if actual != base.revision {
            let since: Vec<&HistoryRecord> = records
                .iter()
                .filter(|r| r.change_id > base.revision)
                .collect();
            return Err(stale(base, actual, &since));
        }
    }
    Ok(())
}

fn stale(base: &BaseRevision, actual: u64, since: &[&HistoryRecord]) -> ApiError {
    let shown = &since[..since.len().min(CHANGES_SHOWN)];
    let listed: Vec<String> = shown.iter().map(|r| describe(r)).collect();
    let what = match (listed.is_empty(), since.len() > CHANGES_SHOWN) {
        (true, _) => String::new(),
        (false, false) => format!(": {}", listed.join("; ")),
        (false, true) => format!(": {}; and earlier changes", listed.join("; ")),
    };
    let changes: Vec<Value> = shown.iter().map(|r| as_json(r)).collect();
    ApiError::new(
        ApiErrorCode::Conflict,
        format!(
            "scope {} is at revision {actual}, not {} (the revision the document was based on){what}; \
             reload it and try again",
            base.scope, base.revision
        ),
    )
    .with_details(
        "revision",
        json!({
            "scopeId": base.scope.as_str(),
            "expected": base.revision,
            "actual": actual,
            "changes": changes,
        }),
    )
}

/// The fields whose values differ between before and after, sorted.
fn fields(record: &HistoryRecord) -> Vec<String> {
    let empty = serde_json::Map::new();
    let of = |v: &Option<Value>| v.as_ref().and_then(Value::as_object).cloned();
    let (before, after) = (of(&record.before), of(&record.after));
    let (b, a) = (
        before.as_ref().unwrap_or(&empty),
        after.as_ref().unwrap_or(&empty),
    );
    let mut names: Vec<String> = b
        .keys()
        .chain(a.keys())
        .filter(|k| b.get(*k) != a.get(*k))
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    names
}

fn describe(record: &HistoryRecord) -> String {
    let fields = fields(record);
    let fields = if fields.is_empty() {
        String::new()
    } else {
        format!(" ({})", fields.join(", "))
    };
    format!(
        "{} {}{fields} by {} at {} ({}, change {})",
        record.object,
        record.action.as_str().to_lowercase(),
        record.actor.uid,
        rfc3339(record.actor.at_ms),
        record.actor.operation,
        record.change_id
    )
}

fn as_json(record: &HistoryRecord) -> Value {
    json!({
        "changeId": record.change_id,
        "scopeId": record.scope.as_str(),
        "object": record.object.to_string(),
        "kind": kind_name(&record.object),
        "key": record.object.key(),
        "action": record.action.as_str(),
        "fields": fields(record),
        "uid": record.actor.uid,
        "at": rfc3339(record.actor.at_ms),
        "operation": record.actor.operation,
    })
}

/// The object's kind as the API's `ObjectKind` names it.
fn kind_name(object: &ObjectRef) -> &'static str {
    match object {
        ObjectRef::Scope => "SCOPE",
        ObjectRef::Procedure(_) => "PROCEDURE",
        ObjectRef::Branch(_) => "BRANCH",
        ObjectRef::Entry(_) => "ENTRY",
        ObjectRef::ErrorCode(_) => "ERROR_CODE",
    }
}

fn rfc3339(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| ms.to_string())
}
