//! Error codes through the service layer: merged over a service's lineage
//! (cached like runbooks), or as their most general scope registers them.

use std::{collections::HashMap, sync::Arc};

use super::{Runbooks, mismatch, not_found, shared};
use crate::{
    cache::{Answer, RunbookKey, View},
    domain::{ErrorCode, Host, Scope, ScopeDocument, ScopeId},
    error::ApiError,
    resolve::{self, ErrorCodeView, ResolveError},
};

impl Runbooks {
    /// An error code: merged over a service's lineage when one is named, else
    /// as registered by its most general scope. `None` when unregistered.
    pub async fn error_code(
        &self,
        host: &Host,
        code: &ErrorCode,
        service: Option<&ScopeId>,
    ) -> Result<Option<ErrorCodeView>, ApiError> {
        let Some(service) = service else {
            let mut page = self
                .registered_codes(host, std::slice::from_ref(code))
                .await?;
            return Ok(page.pop());
        };
        let merge = |docs: &[Arc<ScopeDocument>]| -> Result<Option<ErrorCodeView>, ResolveError> {
            let merged = resolve::effective_error_code(service, docs, code)?;
            let scopes = docs
                .iter()
                .map(|d| (d.scope.id.clone(), Arc::new(d.scope.clone())))
                .collect();
            Ok(merged.map(|c| (c, scopes)))
        };
        let Some(cache) = &self.cache else {
            let docs = shared(self.store.lineage_documents(host, service).await?);
            return match docs.is_empty() {
                true => Err(not_found(host, service)),
                false => Ok(merge(&docs)?),
            };
        };
        let key = RunbookKey {
            view: View::ErrorCode,
            host: host.clone(),
            service: service.clone(),
            code: Some(code.clone()),
        };
        let (_, answer) = self
            .cached(cache, key, |docs| Answer::ErrorCode(Arc::new(merge(docs))))
            .await?;
        match answer {
            Answer::ErrorCode(result) => Ok(result.as_ref().clone()?),
            Answer::Missing => Err(not_found(host, service)),
            Answer::Runbook(_) => Err(mismatch()),
        }
    }

    /// A page of a host's error codes, each as registered by its most general
    /// scope, and whether more follow.
    pub async fn error_code_page(
        &self,
        host: &Host,
        after: Option<&ErrorCode>,
        limit: u32,
    ) -> Result<(Vec<ErrorCodeView>, bool), ApiError> {
        let mut codes = self.store.list_error_codes(host, after, limit + 1).await?;
        let has_next = crate::store::cut_page(&mut codes, limit);
        Ok((self.registered_codes(host, &codes).await?, has_next))
    }

    /// Each code as its most general registering scope states it, in code
    /// order, with the scopes it names (the scope that registers it and its
    /// layers): one `error_code_definitions` call and one `scopes` call,
    /// however many codes are asked for.
    pub async fn registered_codes(
        &self,
        host: &Host,
        codes: &[ErrorCode],
    ) -> Result<Vec<ErrorCodeView>, ApiError> {
        let definitions = self.store.error_code_definitions(host, codes).await?;
        let firsts = crate::store::most_general(definitions);
        let mut ids: Vec<ScopeId> = firsts.iter().map(|d| d.scope.clone()).collect();
        ids.sort();
        ids.dedup();
        let scopes: HashMap<ScopeId, Arc<Scope>> = self
            .store
            .scopes(host, &ids)
            .await?
            .into_iter()
            .map(|s| (s.id.clone(), Arc::new(s)))
            .collect();
        Ok(firsts
            .into_iter()
            .map(|d| {
                let code = resolve::registered_error_code(&d.scope, &d.code, &d.patch);
                let own = code
                    .source
                    .layers
                    .iter()
                    .chain(std::iter::once(&code.source.origin))
                    .filter_map(|id| scopes.get(id).map(|s| (id.clone(), s.clone())))
                    .collect();
                (code, own)
            })
            .collect())
    }
}
