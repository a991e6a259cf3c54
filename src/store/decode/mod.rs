//! Rows as both SQL backends return them, and their decoding into the domain.
//!
//! Every identifier and JSON payload read back is parsed again: a row that no
//! longer parses is `StoreError::Corrupt`, naming its table, host, scope and key.

mod changes;
mod document;

use std::fmt::Display;

use serde::de::DeserializeOwned;

use super::{ErrorCodeDefinition, StoreError, StoreResult, failure::corrupt};
use crate::domain::{
    Contact, ErrorCode, Host, Scope, ScopeId, ScopeKind,
    search::{HitKind, SearchHit, SearchTerms},
};

pub(crate) use changes::{
    HistoryRow, RevisionRow, change_id, content_revisions, history, revisions,
};
pub(crate) use document::{ContentRow, documents};

/// A scope vertex with its parents as a JSON array in position order.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ScopeRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub owners: String,
    pub contacts: String,
    pub parents: String,
}

/// One registration of an error code, with the kind of the scope that made it.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct DefinitionRow {
    pub scope: String,
    pub kind: String,
    pub code: String,
    pub patch: String,
}

/// Where a row was read from, to name it when it does not parse.
struct At<'a> {
    backend: &'static str,
    table: &'static str,
    host: &'a str,
    scope: &'a str,
}

impl At<'_> {
    fn corrupt(&self, key: &str, message: impl Display) -> StoreError {
        corrupt(
            self.backend,
            self.table,
            self.host,
            self.scope,
            key,
            message,
        )
    }

    fn parse<T, E: Display>(&self, key: &str, parsed: Result<T, E>) -> StoreResult<T> {
        parsed.map_err(|e| self.corrupt(key, e))
    }

    fn text<'v>(&self, key: &str, column: &str, value: &'v Option<String>) -> StoreResult<&'v str> {
        value
            .as_deref()
            .ok_or_else(|| self.corrupt(key, format!("{column} is missing")))
    }

    fn json<T: DeserializeOwned>(&self, key: &str, text: Option<&str>) -> StoreResult<T> {
        let text = text.ok_or_else(|| self.corrupt(key, "JSON payload is missing"))?;
        self.parse(key, serde_json::from_str(text))
    }
}

/// A scope vertex without its parents.
fn vertex(
    at: &At<'_>,
    host: &Host,
    id: ScopeId,
    name: &str,
    kind: &str,
    owners: Option<&str>,
    contacts: Option<&str>,
) -> StoreResult<Scope> {
    let kind = ScopeKind::parse(kind)
        .ok_or_else(|| at.corrupt(id.as_str(), format!("unknown scope kind {kind:?}")))?;
    let owners: Vec<String> = at.json(id.as_str(), owners)?;
    let contacts: Vec<Contact> = at.json(id.as_str(), contacts)?;
    Ok(Scope {
        host: host.clone(),
        id,
        name: name.to_owned(),
        kind,
        parents: Vec::new(),
        owners,
        contacts,
    })
}

/// A scope vertex with its parents, from a [`ScopeRow`].
pub(crate) fn scope(backend: &'static str, host: &Host, row: ScopeRow) -> StoreResult<Scope> {
    let at = At {
        backend,
        table: "scopes",
        host: host.as_str(),
        scope: &row.id,
    };
    let id = at.parse(&row.id, ScopeId::parse(row.id.as_str()))?;
    let mut scope = vertex(
        &at,
        host,
        id,
        &row.name,
        &row.kind,
        Some(&row.owners),
        Some(&row.contacts),
    )?;
    let at = At {
        table: "scope_parents",
        ..at
    };
    scope.parents = at.json(&row.id, Some(&row.parents))?;
    Ok(scope)
}

/// An error code registration from a [`DefinitionRow`].
pub(crate) fn definition(
    backend: &'static str,
    host: &Host,
    row: DefinitionRow,
) -> StoreResult<ErrorCodeDefinition> {
    let at = At {
        backend,
        table: "error_codes",
        host: host.as_str(),
        scope: &row.scope,
    };
    let code = &row.code;
    Ok(ErrorCodeDefinition {
        scope: at.parse(code, ScopeId::parse(row.scope.as_str()))?,
        scope_kind: ScopeKind::parse(&row.kind)
            .ok_or_else(|| at.corrupt(code, format!("unknown scope kind {:?}", row.kind)))?,
        code: at.parse(code, ErrorCode::parse(code.as_str()))?,
        patch: at.json(code, Some(&row.patch))?,
    })
}

/// Sorts definitions as the trait promises: by code, then scope kind (general
/// first), then scope id. Done here rather than in SQL so that both backends
/// share the domain's order of kinds.
pub(crate) fn sort_definitions(definitions: &mut [ErrorCodeDefinition]) {
    definitions
        .sort_by(|a, b| (&a.code, a.scope_kind, &a.scope).cmp(&(&b.code, b.scope_kind, &b.scope)));
}

/// A host read back from the store.
pub(crate) fn host(backend: &'static str, value: String) -> StoreResult<Host> {
    Host::parse(value.as_str()).map_err(|e| corrupt(backend, "scopes", &value, "-", "-", e))
}

/// An error code read back from the store.
pub(crate) fn error_code(
    backend: &'static str,
    host: &Host,
    value: String,
) -> StoreResult<ErrorCode> {
    ErrorCode::parse(value.as_str())
        .map_err(|e| corrupt(backend, "error_codes", host.as_str(), "-", &value, e))
}

/// A (parent, child) pair read back from `scope_parents`.
pub(crate) fn child_pair(
    backend: &'static str,
    host: &Host,
    (parent, child): (String, String),
) -> StoreResult<(ScopeId, ScopeId)> {
    let at = At {
        backend,
        table: "scope_parents",
        host: host.as_str(),
        scope: &child,
    };
    Ok((
        at.parse(&parent, ScopeId::parse(parent.as_str()))?,
        at.parse(&child, ScopeId::parse(child.as_str()))?,
    ))
}

/// A search hit as both SQL backends return it.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SearchRow {
    pub kind: String,
    pub scope: String,
    pub scope_kind: String,
    pub key: String,
    pub title: String,
    pub body: String,
}

/// A search hit from a [`SearchRow`], its matches marked for `terms`.
pub(crate) fn search_hit(
    backend: &'static str,
    host: &Host,
    row: SearchRow,
    terms: &SearchTerms,
) -> StoreResult<SearchHit> {
    let at = At {
        backend,
        table: "search_index",
        host: host.as_str(),
        scope: &row.scope,
    };
    let kind = HitKind::parse(&row.kind)
        .ok_or_else(|| at.corrupt(&row.key, format!("unknown hit kind {:?}", row.kind)))?;
    let scope_kind = ScopeKind::parse(&row.scope_kind)
        .ok_or_else(|| at.corrupt(&row.key, format!("unknown scope kind {:?}", row.scope_kind)))?;
    let scope = at.parse(&row.key, ScopeId::parse(row.scope.as_str()))?;
    let texts = (row.title.as_str(), row.body.as_str());
    Ok(SearchHit::found(
        kind,
        (scope, scope_kind),
        row.key,
        texts,
        terms,
    ))
}
