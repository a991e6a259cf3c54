//! The effective decision graph of one service: complete procedures, the
//! branches between them in branch order, and the branches left out because
//! an end is not an effective procedure.

use std::{
    cmp::Ordering,
    collections::{BTreeMap, HashSet, VecDeque},
};

use crate::domain::{BranchId, ProcedureKey, ScopeId};

use super::{
    merge::Merged,
    model::{EffectiveBranch, EffectiveProcedure, ResolveError, Warning, WarningCode},
};

/// A service's procedures and branches after merging and validation.
#[derive(Debug, Clone)]
pub(crate) struct Graph {
    /// Every effective procedure, by key.
    pub procedures: BTreeMap<ProcedureKey, EffectiveProcedure>,
    /// Each procedure's outgoing branches, in branch order.
    pub branches: BTreeMap<ProcedureKey, Vec<EffectiveBranch>>,
    /// Warnings for branches left out, each with the `from` of its branch.
    pub dangling: Vec<(ProcedureKey, Warning)>,
}

impl Graph {
    /// Builds the graph; an incomplete procedure or branch is an error.
    pub fn build(merged: &Merged, service: &ScopeId) -> Result<Self, ResolveError> {
        let procedures = procedures(merged, service)?;
        let mut branches: BTreeMap<ProcedureKey, Vec<EffectiveBranch>> = BTreeMap::new();
        let mut dangling = Vec::new();
        for (id, layered) in &merged.branches {
            let Some(def) = layered.definition(service) else {
                continue;
            };
            let Some(to) = def.fields.to.clone() else {
                return Err(ResolveError::IncompleteBranch {
                    service: service.clone(),
                    scope: def.last,
                    from: id.from.clone(),
                    label: id.label.clone(),
                });
            };
            let mut missing: Vec<&ProcedureKey> = Vec::new();
            for end in [&id.from, &to] {
                if !procedures.contains_key(end) && !missing.contains(&end) {
                    missing.push(end);
                }
            }
            if !missing.is_empty() {
                dangling.push((id.from.clone(), dangling_warning(id, def.last, &missing)));
                continue;
            }
            branches
                .entry(id.from.clone())
                .or_default()
                .push(EffectiveBranch {
                    from: id.from.clone(),
                    label: id.label.clone(),
                    to,
                    condition: def.fields.condition.clone(),
                    order: def.fields.order,
                    source: def.source,
                });
        }
        for group in branches.values_mut() {
            group.sort_by(branch_order);
        }
        Ok(Self {
            procedures,
            branches,
            dangling,
        })
    }

    /// The keys reachable from `entry`, breadth first, following branch order.
    /// Each procedure is visited once, so cycles (retry loops) terminate.
    pub fn reachable(&self, entry: &ProcedureKey) -> Vec<ProcedureKey> {
        let mut seen: HashSet<&ProcedureKey> = HashSet::from([entry]);
        let mut queue = VecDeque::from([entry]);
        let mut order = Vec::new();
        while let Some(key) = queue.pop_front() {
            order.push(key.clone());
            for branch in self.branches.get(key).into_iter().flatten() {
                if seen.insert(&branch.to) {
                    queue.push_back(&branch.to);
                }
            }
        }
        order
    }

    /// The procedures with the given keys in that order, and the branches
    /// leaving them grouped in the same order.
    pub fn select(&self, keys: &[ProcedureKey]) -> (Vec<EffectiveProcedure>, Vec<EffectiveBranch>) {
        let procedures = keys
            .iter()
            .filter_map(|k| self.procedures.get(k))
            .cloned()
            .collect();
        let branches = keys
            .iter()
            .filter_map(|k| self.branches.get(k))
            .flatten()
            .cloned()
            .collect();
        (procedures, branches)
    }
}

/// Ordered branches first, ascending (ties by label), then the others by label.
pub(crate) fn branch_order(a: &EffectiveBranch, b: &EffectiveBranch) -> Ordering {
    let key = |x: &EffectiveBranch| (x.order.is_none(), x.order, x.label.clone());
    key(a).cmp(&key(b))
}

/// The warning for a branch left out because `missing` ends are not effective.
fn dangling_warning(id: &BranchId, last: ScopeId, missing: &[&ProcedureKey]) -> Warning {
    let key = format!("{}/{}", id.from, id.label);
    Warning {
        code: WarningCode::DanglingBranch,
        message: format!(
            "branch {key} (last defined by {last}) is left out: {}",
            not_effective(missing)
        ),
        scope: Some(last),
        key: Some(key),
    }
}

/// "procedure x is not effective" / "procedures x and y are not effective".
pub(crate) fn not_effective(keys: &[&ProcedureKey]) -> String {
    let names: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
    let noun = if names.len() == 1 {
        "procedure"
    } else {
        "procedures"
    };
    let verb = if names.len() == 1 { "is" } else { "are" };
    format!("{noun} {} {verb} not effective", names.join(" and "))
}

/// Every effective procedure; one without `title` or `kind` is an error.
fn procedures(
    merged: &Merged,
    service: &ScopeId,
) -> Result<BTreeMap<ProcedureKey, EffectiveProcedure>, ResolveError> {
    let mut out = BTreeMap::new();
    for (key, layered) in &merged.procedures {
        let Some(def) = layered.definition(service) else {
            continue;
        };
        let f = def.fields;
        let (Some(title), Some(kind)) = (f.title.clone(), f.kind) else {
            let missing = [("title", f.title.is_none()), ("kind", f.kind.is_none())]
                .into_iter()
                .filter_map(|(name, absent)| absent.then_some(name))
                .collect();
            return Err(ResolveError::IncompleteProcedure {
                service: service.clone(),
                scope: def.last,
                key: key.clone(),
                missing,
            });
        };
        let procedure = EffectiveProcedure {
            key: key.clone(),
            title,
            kind,
            body: f.body.clone(),
            automation: f.automation.clone(),
            tags: f.tags.clone().unwrap_or_default(),
            source: def.source,
        };
        out.insert(key.clone(), procedure);
    }
    Ok(out)
}
