//! Folding a lineage's layers, most general first, into one state per key:
//! procedures, branches, entries and error codes, each with the scopes that
//! defined it since its last removal and the removal in force, if any.
//!
//! Nothing here judges completeness: a template may patch a key that only a
//! sibling's ancestor defines whole. [`super::runbook`] does that for services.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::domain::{
    BranchChange, BranchId, BranchPatch, EntryCode, ErrorCode, ErrorCodePatch, ProcedureChange,
    ProcedureKey, ProcedureKind, ProcedurePatch, ScopeDocument, ScopeId,
};

use super::model::{Provenance, Removal, RemovedItem, Source};

/// One key's state after every layer of the lineage.
#[derive(Debug, Clone)]
pub(crate) struct Layered<F> {
    /// The merged fields; `None` when never defined or removed last.
    fields: Option<F>,
    /// The scopes that defined it since its last removal, general first.
    layers: Vec<ScopeId>,
    /// The scope whose removal is in force (`None` once a more specific scope defines it again).
    removed_by: Option<ScopeId>,
}

impl<F> Default for Layered<F> {
    fn default() -> Self {
        Self {
            fields: None,
            layers: Vec::new(),
            removed_by: None,
        }
    }
}

/// A key that is defined, seen from one service.
pub(crate) struct Definition<'a, F> {
    /// The merged fields.
    pub fields: &'a F,
    /// Origin, layers and provenance.
    pub source: Source,
    /// The most specific scope that defines it.
    pub last: ScopeId,
}

impl<F> Layered<F> {
    fn remove(&mut self, scope: &ScopeId) {
        self.fields = None;
        self.layers.clear();
        self.removed_by = Some(scope.clone());
    }

    fn define(&mut self, scope: &ScopeId, merge: impl FnOnce(Option<F>) -> F) {
        self.fields = Some(merge(self.fields.take()));
        self.layers.push(scope.clone());
        self.removed_by = None;
    }

    /// The merged fields, when the key is defined and not removed.
    pub fn fields(&self) -> Option<&F> {
        self.fields.as_ref()
    }

    /// The definition with its source relative to `service`, when defined.
    pub fn definition(&self, service: &ScopeId) -> Option<Definition<'_, F>> {
        let fields = self.fields.as_ref()?;
        let origin = self.layers.first()?.clone();
        let last = self.layers.last()?.clone();
        let provenance = match (&last == service, self.layers.len()) {
            (false, _) => Provenance::Inherited,
            (true, 1) => Provenance::Local,
            (true, _) => Provenance::Overridden,
        };
        Some(Definition {
            fields,
            source: Source {
                origin,
                layers: self.layers.clone(),
                provenance,
            },
            last,
        })
    }
}

/// A procedure's fields after merging.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProcedureFields {
    pub title: Option<String>,
    pub kind: Option<ProcedureKind>,
    pub body: Option<String>,
    pub automation: Option<Map<String, Value>>,
    pub tags: Option<Vec<String>>,
}

impl ProcedureFields {
    fn apply(self, p: &ProcedurePatch) -> Self {
        Self {
            title: p.title.apply(self.title),
            kind: p.kind.apply(self.kind),
            body: p.body.apply(self.body),
            automation: p.automation.apply(self.automation),
            tags: p.tags.apply(self.tags),
        }
    }
}

/// A branch's fields after merging.
#[derive(Debug, Clone, Default)]
pub(crate) struct BranchFields {
    pub to: Option<ProcedureKey>,
    pub condition: Option<String>,
    pub order: Option<i64>,
}

impl BranchFields {
    fn apply(self, p: &BranchPatch) -> Self {
        Self {
            to: p.to.apply(self.to),
            condition: p.condition.apply(self.condition),
            order: p.order.apply(self.order),
        }
    }
}

/// An error code's fields after merging.
#[derive(Debug, Clone, Default)]
pub(crate) struct ErrorCodeFields {
    pub status_code: Option<u16>,
    pub message: Option<String>,
    pub description: Option<String>,
    pub severity: Option<String>,
}

impl ErrorCodeFields {
    pub(crate) fn apply(self, p: &ErrorCodePatch) -> Self {
        Self {
            status_code: p.status_code.apply(self.status_code),
            message: p.message.apply(self.message),
            description: p.description.apply(self.description),
            severity: p.severity.apply(self.severity),
        }
    }
}

/// Everything a lineage says, merged key by key.
#[derive(Debug, Clone, Default)]
pub(crate) struct Merged {
    pub procedures: BTreeMap<ProcedureKey, Layered<ProcedureFields>>,
    pub branches: BTreeMap<BranchId, Layered<BranchFields>>,
    /// Entry code to procedure key: the nearest scope's setting.
    pub entries: BTreeMap<EntryCode, Layered<ProcedureKey>>,
    pub error_codes: BTreeMap<ErrorCode, Layered<ErrorCodeFields>>,
}

impl Merged {
    /// Merges a lineage given most specific first (as [`super::linearize`] orders it).
    pub fn new(lineage: &[&ScopeDocument]) -> Self {
        let mut merged = Self::default();
        for doc in lineage.iter().rev() {
            merged.add(doc);
        }
        merged
    }

    fn add(&mut self, doc: &ScopeDocument) {
        let scope = &doc.scope.id;
        let content = &doc.content;
        for (key, change) in &content.procedures {
            let layered = self.procedures.entry(key.clone()).or_default();
            match change {
                ProcedureChange::Removed => layered.remove(scope),
                ProcedureChange::Patch(p) => {
                    layered.define(scope, |f| f.unwrap_or_default().apply(p))
                }
            }
        }
        for (id, change) in &content.branches {
            let layered = self.branches.entry(id.clone()).or_default();
            match change {
                BranchChange::Removed => layered.remove(scope),
                BranchChange::Patch(p) => layered.define(scope, |f| f.unwrap_or_default().apply(p)),
            }
        }
        for (code, key) in &content.entries {
            let layered = self.entries.entry(code.clone()).or_default();
            match key {
                None => layered.remove(scope),
                Some(key) => layered.define(scope, |_| key.clone()),
            }
        }
        for (code, p) in &content.error_codes {
            let layered = self.error_codes.entry(code.clone()).or_default();
            layered.define(scope, |f| f.unwrap_or_default().apply(p));
        }
    }

    /// True when some scope of the lineage defines `key` and no later one removed it,
    /// complete or not.
    pub fn is_defined(&self, key: &ProcedureKey) -> bool {
        self.procedures.get(key).is_some_and(|l| l.fields.is_some())
    }

    /// The removals in force: procedures by key, then branches, then entries by code.
    pub fn removals(&self) -> Vec<Removal> {
        fn in_force<'a, K, F>(
            map: &'a BTreeMap<K, Layered<F>>,
            item: impl Fn(&K) -> RemovedItem + 'a,
        ) -> impl Iterator<Item = Removal> + 'a {
            map.iter().filter_map(move |(k, l)| {
                l.removed_by.as_ref().map(|scope| Removal {
                    item: item(k),
                    scope: scope.clone(),
                })
            })
        }
        in_force(&self.procedures, |key| RemovedItem::Procedure {
            key: key.clone(),
        })
        .chain(in_force(&self.branches, |id: &BranchId| {
            RemovedItem::Branch {
                from: id.from.clone(),
                label: id.label.clone(),
            }
        }))
        .chain(in_force(&self.entries, |code| RemovedItem::Entry {
            code: code.clone(),
        }))
        .collect()
    }
}
