//! An error code merged over a lineage, as the GraphQL `ErrorCode`.

use std::{collections::HashMap, sync::Arc};

use async_graphql::Object;

use super::SourceFields;
use crate::{
    domain::{Scope, ScopeId},
    graphql::{enums::Provenance, scope::ScopeObject},
    resolve,
};

/// An error code merged over a lineage (or as registered by one scope).
pub struct EffectiveErrorCodeObject {
    code: resolve::EffectiveErrorCode,
    origin: ScopeObject,
    layers: Vec<ScopeObject>,
}

impl EffectiveErrorCodeObject {
    /// Wraps a merged code, finding its scopes among the given ones.
    pub fn new(
        code: &resolve::EffectiveErrorCode,
        scopes: &HashMap<ScopeId, Arc<Scope>>,
    ) -> async_graphql::Result<Self> {
        let fields = SourceFields(&code.source, scopes);
        Ok(Self {
            origin: fields.origin()?,
            layers: fields.layers(),
            code: code.clone(),
        })
    }
}

#[Object(name = "ErrorCode")]
impl EffectiveErrorCodeObject {
    /// The tenant whose scopes register it (with `code`, its key in a supergraph).
    async fn host(&self) -> &str {
        self.origin.0.host.as_str()
    }
    /// e.g. `ERR10001`.
    async fn code(&self) -> &str {
        self.code.code.as_str()
    }
    /// HTTP status code.
    async fn status_code(&self) -> Option<i32> {
        self.code.status_code.map(i32::from)
    }
    async fn message(&self) -> Option<&str> {
        self.code.message.as_deref()
    }
    async fn description(&self) -> Option<&str> {
        self.code.description.as_deref()
    }
    async fn severity(&self) -> Option<&str> {
        self.code.severity.as_deref()
    }
    /// The most general scope that registers it.
    async fn origin(&self) -> &ScopeObject {
        &self.origin
    }
    /// Every scope that registers or patches it, general first.
    async fn layers(&self) -> &[ScopeObject] {
        &self.layers
    }
    /// Relative to the service asked about.
    async fn provenance(&self) -> Provenance {
        self.code.source.provenance.into()
    }
}
