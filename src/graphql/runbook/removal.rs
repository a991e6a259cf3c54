//! What a lineage removed, as GraphQL objects pointing into the resolved runbook.

use std::sync::Arc;

use async_graphql::{Enum, Object};

use super::scope_object;
use crate::{
    graphql::scope::ScopeObject,
    resolve::{IndexedRunbook, RemovedItem},
};

/// What kind of thing a removal hid.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum RemovalKind {
    Procedure,
    Branch,
    Entry,
}

/// Something the lineage removed, and the scope that removed it.
pub struct RemovalObject {
    pub(super) shared: Arc<IndexedRunbook>,
    pub(super) index: usize,
}

#[Object(name = "Removal")]
impl RemovalObject {
    async fn kind(&self) -> RemovalKind {
        match self.shared.removed[self.index].item {
            RemovedItem::Procedure { .. } => RemovalKind::Procedure,
            RemovedItem::Branch { .. } => RemovalKind::Branch,
            RemovedItem::Entry { .. } => RemovalKind::Entry,
        }
    }
    /// The procedure key (for a branch: its `from`; for an entry: the code).
    async fn key(&self) -> &str {
        match &self.shared.removed[self.index].item {
            RemovedItem::Procedure { key } => key.as_str(),
            RemovedItem::Branch { from, .. } => from.as_str(),
            RemovedItem::Entry { code } => code.as_str(),
        }
    }
    /// The branch label, for a removed branch.
    async fn label(&self) -> Option<&str> {
        match &self.shared.removed[self.index].item {
            RemovedItem::Branch { label, .. } => Some(label.as_str()),
            _ => None,
        }
    }
    /// The scope that removed it.
    async fn scope(&self) -> Option<ScopeObject> {
        scope_object(&self.shared, &self.shared.removed[self.index].scope)
    }
}
