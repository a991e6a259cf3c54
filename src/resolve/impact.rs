//! The blast radius of a change: for each affected service, what its
//! effective runbook gains, loses and changes, and which warnings are new.

use std::collections::BTreeMap;

use crate::domain::ScopeId;

use super::{
    catalog::Catalog,
    model::{EffectiveBranch, EffectiveEntry, EffectiveProcedure, EffectiveRunbook, Warning},
};

/// The kind of a runbook part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartKind {
    Procedure,
    Branch,
    Entry,
}

/// One part of an effective runbook: a procedure key, a branch `from/label`
/// or an entry code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Part {
    pub kind: PartKind,
    pub key: String,
}

/// How a change alters one service's effective runbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceImpact {
    pub service: ScopeId,
    /// Parts the service gains.
    pub added: Vec<Part>,
    /// Parts the service loses.
    pub removed: Vec<Part>,
    /// Parts whose content or provenance changes.
    pub changed: Vec<Part>,
    /// Warnings the service did not have before.
    pub new_warnings: Vec<Warning>,
}

/// A part's content, compared to tell a change.
#[derive(PartialEq)]
enum Content<'a> {
    Procedure(&'a EffectiveProcedure),
    Branch(&'a EffectiveBranch),
    Entry(&'a EffectiveEntry),
}

/// Each part of a whole runbook, keyed, with its content.
fn parts(rb: Option<&EffectiveRunbook>) -> BTreeMap<Part, Content<'_>> {
    let Some(rb) = rb else {
        return BTreeMap::new();
    };
    let procedures = rb.procedures.iter().map(|p| {
        let part = Part {
            kind: PartKind::Procedure,
            key: p.key.to_string(),
        };
        (part, Content::Procedure(p))
    });
    let branches = rb.branches.iter().map(|b| {
        let part = Part {
            kind: PartKind::Branch,
            key: format!("{}/{}", b.from, b.label),
        };
        (part, Content::Branch(b))
    });
    let entries = rb.entries.iter().map(|e| {
        let part = Part {
            kind: PartKind::Entry,
            key: e.code.to_string(),
        };
        (part, Content::Entry(e))
    });
    procedures.chain(branches).chain(entries).collect()
}

/// The impact of going from `before` to `after` on each given service, for
/// the services whose effective runbook or warnings change. A service that
/// does not resolve on one side counts as having no parts there.
pub fn impact(before: &Catalog, after: &Catalog, services: &[ScopeId]) -> Vec<ServiceImpact> {
    // Without a stop, every service is compared.
    impact_until(before, after, services, &|| false).unwrap_or_default()
}

/// [`impact`], asking `stop` before each service: `None` when it said to end.
pub fn impact_until(
    before: &Catalog,
    after: &Catalog,
    services: &[ScopeId],
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<ServiceImpact>> {
    let mut impacts = Vec::new();
    for service in services {
        if stop() {
            return None;
        }
        impacts.extend(service_impact(before, after, service));
    }
    Some(impacts)
}

fn service_impact(before: &Catalog, after: &Catalog, service: &ScopeId) -> Option<ServiceImpact> {
    let old = before.resolve(service, None).ok();
    let new = after.resolve(service, None).ok();
    let (old_parts, new_parts) = (parts(old.as_ref()), parts(new.as_ref()));
    let mut impact = ServiceImpact {
        service: service.clone(),
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
        new_warnings: new
            .iter()
            .flat_map(|rb| rb.warnings.iter())
            .filter(|w| !old.as_ref().is_some_and(|o| o.warnings.contains(w)))
            .cloned()
            .collect(),
    };
    for (part, content) in &new_parts {
        match old_parts.get(part) {
            None => impact.added.push(part.clone()),
            Some(previous) if previous != content => impact.changed.push(part.clone()),
            Some(_) => {}
        }
    }
    impact.removed = old_parts
        .keys()
        .filter(|p| !new_parts.contains_key(*p))
        .cloned()
        .collect();
    let unchanged = impact.added.is_empty()
        && impact.removed.is_empty()
        && impact.changed.is_empty()
        && impact.new_warnings.is_empty();
    (!unchanged).then_some(impact)
}
