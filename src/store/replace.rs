//! The backend-neutral half of `replace_documents`: which documents to write.
//!
//! A backend opens its transaction (and takes its locks), hands it here as a
//! [`WriteTx`], and commits when this returns `Ok`. Dropping the transaction
//! on an error rolls everything back.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;

use super::{
    StoreResult,
    encode::{self, EncodedDocument},
};
use crate::domain::{Host, ScopeDocument, ScopeId};

/// A backend's open write transaction.
#[async_trait]
pub(crate) trait WriteTx: Send {
    /// The stored documents of `ids` in `host`, read inside the transaction.
    async fn stored(&mut self, host: &Host, ids: &[ScopeId]) -> StoreResult<Vec<ScopeDocument>>;

    /// Upserts the scope row (bumping its revision), then deletes and
    /// re-inserts its parents and content.
    async fn write(&mut self, doc: &EncodedDocument<'_>) -> StoreResult<()>;
}

/// Writes every document that differs from what is stored, in `tx`, and
/// returns the ids of the scopes written, sorted and distinct.
///
/// When several documents name the same scope, the last one is the one written.
pub(crate) async fn write_changed(
    backend: &'static str,
    tx: &mut dyn WriteTx,
    docs: &[ScopeDocument],
) -> StoreResult<Vec<ScopeId>> {
    let mut written = Vec::new();
    for (host, docs) in latest_by_host(docs) {
        let ids: Vec<ScopeId> = docs.iter().map(|doc| doc.scope.id.clone()).collect();
        let stored: HashMap<ScopeId, ScopeDocument> = tx
            .stored(host, &ids)
            .await?
            .into_iter()
            .map(|doc| (doc.scope.id.clone(), doc))
            .collect();
        for doc in docs {
            if stored.get(&doc.scope.id) != Some(doc) {
                tx.write(&encode::document(backend, doc)?).await?;
                written.push(doc.scope.id.clone());
            }
        }
    }
    written.sort();
    written.dedup();
    Ok(written)
}

/// The hosts the documents belong to, sorted and distinct: the order in which
/// a backend takes per-host locks, so that two writers cannot deadlock.
pub(crate) fn hosts_of(docs: &[ScopeDocument]) -> Vec<&Host> {
    let mut hosts: Vec<&Host> = docs.iter().map(|doc| &doc.scope.host).collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

/// The documents grouped by host, keeping for each scope the last document
/// given for it, in the order the scopes first appear.
fn latest_by_host(docs: &[ScopeDocument]) -> BTreeMap<&Host, Vec<&ScopeDocument>> {
    let mut grouped: BTreeMap<&Host, Vec<&ScopeDocument>> = BTreeMap::new();
    let mut slots: HashMap<(&Host, &ScopeId), usize> = HashMap::new();
    for doc in docs {
        let host = &doc.scope.host;
        let list = grouped.entry(host).or_default();
        match slots.get(&(host, &doc.scope.id)) {
            Some(&slot) => list[slot] = doc,
            None => {
                slots.insert((host, &doc.scope.id), list.len());
                list.push(doc);
            }
        }
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Scope, ScopeContent, ScopeKind};

    fn doc(host: &str, id: &str, name: &str) -> ScopeDocument {
        ScopeDocument {
            scope: Scope {
                host: Host::parse(host).unwrap(),
                id: ScopeId::parse(id).unwrap(),
                name: name.into(),
                kind: ScopeKind::Service,
                parents: vec![],
                owners: vec![],
                contacts: vec![],
            },
            content: ScopeContent::default(),
        }
    }

    #[test]
    fn the_last_document_for_a_scope_wins_in_first_seen_order() {
        let docs = [
            doc("h", "b", "1"),
            doc("h", "a", "2"),
            doc("g", "a", "3"),
            doc("h", "b", "4"),
        ];
        let grouped = latest_by_host(&docs);
        let names: Vec<(&str, Vec<&str>)> = grouped
            .iter()
            .map(|(host, docs)| {
                (
                    host.as_str(),
                    docs.iter().map(|d| d.scope.name.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(names, [("g", vec!["3"]), ("h", vec!["4", "2"])]);
        let hosts: Vec<&str> = hosts_of(&docs).into_iter().map(Host::as_str).collect();
        assert_eq!(hosts, ["g", "h"]);
    }
}
