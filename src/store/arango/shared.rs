//! `Store::lineage_shared` on ArangoDB: one query (`lineage_shared.aql`)
//! returns the generation, each lineage scope's version, and the documents
//! of the scopes whose version the caller does not hold.

use serde::Deserialize;

use super::{ArangoStore, errors, keys, queries, records::scope_handle, rows::DocumentRow};
use crate::{
    domain::{Host, ScopeId},
    store::{ScopeVersion, SharedLineage, StoreResult},
};

/// What `lineage_shared.aql` returns (one row).
#[derive(Debug, Deserialize)]
struct SharedRow {
    generation: u64,
    scopes: Vec<VersionRow>,
}

/// One lineage scope: its version, and its document unless known.
#[derive(Debug, Deserialize)]
struct VersionRow {
    id: ScopeId,
    revision: u64,
    objects: u64,
    /// Empty when the caller holds this version; else the document.
    documents: Vec<DocumentRow>,
}

impl ArangoStore {
    /// See `Store::lineage_shared`.
    pub(super) async fn lineage_shared_of(
        &self,
        host: &Host,
        scope: &ScopeId,
        known: &[(ScopeId, ScopeVersion)],
    ) -> StoreResult<SharedLineage> {
        let start = scope_handle(&keys::scope_key(host, scope));
        let known: Vec<String> = known.iter().map(|(id, v)| v.key(id)).collect();
        let bound = queries::lineage_shared(host, &keys::host_key(host), &start, &known);
        let rows: Vec<SharedRow> = self.query(bound).await?;
        let row = rows.into_iter().next().ok_or_else(|| {
            errors::corrupt("lineage_shared", "the query returned nothing".to_owned())
        })?;
        let mut read = SharedLineage {
            generation: row.generation,
            ..SharedLineage::default()
        };
        for scope in row.scopes {
            let version = ScopeVersion {
                revision: scope.revision,
                objects: scope.objects,
            };
            for doc in scope.documents {
                let stored = doc.decode()?;
                let revisions = stored.revisions.into_iter().collect();
                read.revisions
                    .insert(stored.doc.scope.id.clone(), revisions);
                read.docs.push(stored.doc);
            }
            read.scopes.push((scope.id, version));
        }
        read.scopes.sort();
        read.docs.sort_by(|a, b| a.scope.id.cmp(&b.scope.id));
        Ok(read)
    }
}
