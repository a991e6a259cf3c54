//! What a lineage read for the shared document cache returns: each scope's
//! version, and only the documents the caller does not hold yet.

use super::{
    StoreResult,
    decode::{self, ContentRow},
    failure::corrupt,
    sql_store::GENERATION_TAG,
};
use crate::domain::{Host, ScopeDocument, ScopeId, execution::pinned::Revisions};

/// The version of a scope's stored document: the highest revision among its
/// vertex and its content objects, and how many objects it has (the vertex
/// included). Every change to a scope moves it: what a change writes gets the
/// change's id as revision, above every revision before it, and a change that
/// only deletes lowers the count. So two equal versions of a scope are the
/// same document (the revisions of the objects left are all at or below the
/// highest, hence untouched since, and there are as many as before).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeVersion {
    /// The highest revision of the scope's objects.
    pub revision: u64,
    /// How many objects the scope has, its vertex included.
    pub objects: u64,
}

impl ScopeVersion {
    /// The text form the statements compare with: `revision:objects:id`
    /// (the id last, so that any character of it is harmless).
    pub(crate) fn key(&self, id: &ScopeId) -> String {
        format!("{}:{}:{}", self.revision, self.objects, id.as_str())
    }
}

/// What [`super::Store::lineage_shared`] read, in one statement.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SharedLineage {
    /// The host's generation (0 when no change touched it).
    pub generation: u64,
    /// Every existing scope of the lineage with its version, sorted by id;
    /// empty when the scope asked about does not exist.
    pub scopes: Vec<(ScopeId, ScopeVersion)>,
    /// The documents of the lineage's scopes whose (id, version) the caller
    /// did not name as known, sorted by id.
    pub docs: Vec<ScopeDocument>,
    /// Every object of each document in `docs` with its revision, for
    /// pinning a runbook to what it was resolved from.
    pub revisions: Revisions,
}

/// The rows of a SQL `lineage_shared` statement (tagged content rows, then
/// `version` rows, then the `generation` row) as a [`SharedLineage`].
pub(crate) fn from_rows(
    backend: &'static str,
    host: &Host,
    rows: Vec<ContentRow>,
) -> StoreResult<SharedLineage> {
    let mut read = SharedLineage::default();
    let mut content = Vec::with_capacity(rows.len());
    for row in rows {
        match row.tag.as_str() {
            GENERATION_TAG => {
                read.generation =
                    decode::change_id(backend, "hosts", host.as_str(), row.num.unwrap_or(0))?;
            }
            VERSION_TAG => read.scopes.push(version(backend, host, &row)?),
            _ => content.push(row),
        }
    }
    read.scopes.sort();
    read.revisions = decode::content_revisions(backend, host, &content)?;
    read.docs = decode::documents(backend, host, content)?;
    Ok(read)
}

/// The tag of a `version` row: revision in `num`, object count in `key1`.
const VERSION_TAG: &str = "version";

fn version(
    backend: &'static str,
    host: &Host,
    row: &ContentRow,
) -> StoreResult<(ScopeId, ScopeVersion)> {
    let bad = |message: String| {
        corrupt(
            backend,
            "scopes",
            host.as_str(),
            &row.scope,
            "version",
            message,
        )
    };
    let id = ScopeId::parse(row.scope.as_str()).map_err(|e| bad(e.to_string()))?;
    let revision = u64::try_from(row.num.unwrap_or(0)).map_err(|e| bad(e.to_string()))?;
    let objects = row
        .key1
        .as_deref()
        .unwrap_or_default()
        .parse::<u64>()
        .map_err(|e| bad(format!("object count: {e}")))?;
    Ok((id, ScopeVersion { revision, objects }))
}
