//! Per-request DataLoaders: list fields such as `children` or `parents` are
//! batched into one store call per level of the query (through the service
//! layer's reads), and cached values never cross between requests (a new
//! loader is made for each request).

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;

use crate::{
    domain::{Host, ObjectRef, Scope, ScopeDocument, ScopeId},
    error::ApiError,
    runbooks::Runbooks,
};

/// Key of a scope: its host and id.
pub type ScopeKey = (Host, ScopeId);

/// Loads scope vertices by (host, id).
pub struct ScopeLoader(pub Runbooks);

/// Loads the children ids of scopes by (host, id).
pub struct ChildrenLoader(pub Runbooks);

/// Loads whole scope documents (vertex and content) by (host, id).
pub struct DocumentLoader(pub Runbooks);

/// Loads the revisions of every object of scopes by (host, id).
pub struct RevisionLoader(pub Runbooks);

impl Loader<ScopeKey> for RevisionLoader {
    type Value = Arc<HashMap<ObjectRef, u64>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ScopeKey],
    ) -> Result<HashMap<ScopeKey, Arc<HashMap<ObjectRef, u64>>>, ApiError> {
        let mut out = HashMap::new();
        for key in keys {
            let revisions = self.0.revisions(&key.0, &key.1).await?;
            out.insert(key.clone(), Arc::new(revisions.into_iter().collect()));
        }
        Ok(out)
    }
}

fn by_host(keys: &[ScopeKey]) -> HashMap<&Host, Vec<ScopeId>> {
    let mut grouped: HashMap<&Host, Vec<ScopeId>> = HashMap::new();
    for (host, id) in keys {
        grouped.entry(host).or_default().push(id.clone());
    }
    grouped
}

impl Loader<ScopeKey> for ScopeLoader {
    type Value = Arc<Scope>;
    type Error = ApiError;

    async fn load(&self, keys: &[ScopeKey]) -> Result<HashMap<ScopeKey, Arc<Scope>>, ApiError> {
        let mut out = HashMap::new();
        for (host, ids) in by_host(keys) {
            for scope in self.0.scopes(host, &ids).await? {
                out.insert((host.clone(), scope.id.clone()), Arc::new(scope));
            }
        }
        Ok(out)
    }
}

impl Loader<ScopeKey> for ChildrenLoader {
    type Value = Arc<Vec<ScopeId>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ScopeKey],
    ) -> Result<HashMap<ScopeKey, Arc<Vec<ScopeId>>>, ApiError> {
        let mut out: HashMap<ScopeKey, Vec<ScopeId>> =
            keys.iter().map(|k| (k.clone(), Vec::new())).collect();
        for (host, ids) in by_host(keys) {
            for (parent, child) in self.0.children(host, &ids).await? {
                if let Some(list) = out.get_mut(&(host.clone(), parent)) {
                    list.push(child);
                }
            }
        }
        Ok(out.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

impl Loader<ScopeKey> for DocumentLoader {
    type Value = Arc<ScopeDocument>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ScopeKey],
    ) -> Result<HashMap<ScopeKey, Arc<ScopeDocument>>, ApiError> {
        let mut out = HashMap::new();
        for (host, ids) in by_host(keys) {
            for doc in self.0.documents(host, &ids).await? {
                out.insert((host.clone(), doc.scope.id.clone()), Arc::new(doc));
            }
        }
        Ok(out)
    }
}
