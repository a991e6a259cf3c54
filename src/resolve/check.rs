//! Validating a change to a host before it is stored: each changed scope
//! against its own lineage, then every service below the changed scopes.

use crate::domain::{BranchChange, ScopeDocument, ScopeId, ScopeKind};

use super::{
    catalog::Catalog,
    merge::Merged,
    model::{ResolveError, Warning},
    runbook::lineage_documents,
};

/// One thing wrong with a change (an error) or worth a look (a warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// A stable code: a [`ResolveError::code`], a [`super::WarningCode`], or
    /// `BRANCH_NOT_RESOLVED` / `ENTRY_NOT_RESOLVED`.
    pub code: &'static str,
    /// The scope to look at: the changed scope for its own checks, the affected
    /// service for its resolution (or the scope a lineage error names).
    pub scope: ScopeId,
    /// The procedure key, `from/label` of a branch, or entry code, where applicable.
    pub key: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

/// The verdict on a change: errors refuse it, warnings do not.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangeReport {
    /// Problems that refuse the change, sorted by scope, key and code.
    pub errors: Vec<Problem>,
    /// New warnings the change causes in affected services, sorted likewise.
    pub warnings: Vec<Problem>,
    /// Every service at or below a changed scope, sorted.
    pub affected_services: Vec<ScopeId>,
}

impl ChangeReport {
    /// True when the change has no error.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Validates a change: `after` is `before` with the `changed` scopes replaced or added.
///
/// Each changed scope must linearize, and the branches and entries it writes
/// must resolve in its own lineage. Each affected service must resolve
/// without error in `after`; its warnings that `before` did not have are
/// reported.
pub fn check_change(before: &Catalog, after: &Catalog, changed: &[ScopeId]) -> ChangeReport {
    let unbounded = CheckBounds {
        max_services: usize::MAX,
        stop: &|| false,
    };
    // Without a bound or a stop, nothing cuts the check short.
    check_change_within(before, after, changed, &unbounded).unwrap_or_default()
}

/// What may cut a change's check short.
pub struct CheckBounds<'a> {
    /// Most services the change may reach; past it the check refuses before
    /// resolving any of them.
    pub max_services: usize,
    /// Asked between scopes and services: true when nobody waits for the
    /// verdict any more.
    pub stop: &'a (dyn Fn() -> bool + Sync),
}

/// Why a check ended before its verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckCut {
    /// The change reaches `reached` services, past the bound.
    TooManyServices { reached: usize },
    /// The stop was asked for.
    Stopped,
}

/// [`check_change`] within `bounds`: refuses a change reaching too many
/// services before resolving them, and ends when `bounds.stop` says so.
pub fn check_change_within(
    before: &Catalog,
    after: &Catalog,
    changed: &[ScopeId],
    bounds: &CheckBounds<'_>,
) -> Result<ChangeReport, CheckCut> {
    let mut errors = Vec::new();
    for id in changed {
        if (bounds.stop)() {
            return Err(CheckCut::Stopped);
        }
        errors.extend(check_scope(after, id));
    }
    let affected_services: Vec<ScopeId> = after
        .descendants(changed)
        .into_iter()
        .filter(|id| {
            after
                .get(id)
                .is_some_and(|d| d.scope.kind == ScopeKind::Service)
        })
        .collect();
    if affected_services.len() > bounds.max_services {
        return Err(CheckCut::TooManyServices {
            reached: affected_services.len(),
        });
    }
    let mut warnings = Vec::new();
    for service in &affected_services {
        if (bounds.stop)() {
            return Err(CheckCut::Stopped);
        }
        match after.resolve(service, None) {
            Err(e) => errors.push(Problem::from_error(&e, service)),
            Ok(runbook) => {
                let old: Vec<Warning> = before
                    .resolve(service, None)
                    .map(|r| r.warnings)
                    .unwrap_or_default();
                let new = runbook.warnings.into_iter().filter(|w| !old.contains(w));
                warnings.extend(new.map(|w| Problem::from_warning(w, service)));
            }
        }
    }
    sort_and_dedup(&mut errors);
    sort_and_dedup(&mut warnings);
    Ok(ChangeReport {
        errors,
        warnings,
        affected_services,
    })
}

impl Problem {
    /// The problem a resolution error makes, found while checking `checked`.
    pub fn from_error(e: &ResolveError, checked: &ScopeId) -> Self {
        let (scope, key) = match e {
            ResolveError::UnknownScope { scope }
            | ResolveError::UnknownParent { scope, .. }
            | ResolveError::Linearization { scope, .. } => (scope, None),
            ResolveError::InheritanceCycle { .. }
            | ResolveError::LineageTooDeep { .. }
            | ResolveError::LineageTooLarge { .. } => (checked, None),
            ResolveError::IncompleteProcedure { key, .. } => (checked, Some(key.to_string())),
            ResolveError::IncompleteBranch { from, label, .. } => {
                (checked, Some(format!("{from}/{label}")))
            }
            ResolveError::NoEntry { code, .. } => (checked, Some(code.to_string())),
        };
        Self {
            code: e.code(),
            scope: scope.clone(),
            key,
            message: e.to_string(),
        }
    }

    /// The problem a resolution warning makes for `service`'s tree.
    pub fn from_warning(w: Warning, service: &ScopeId) -> Self {
        Self {
            code: w.code.as_str(),
            scope: service.clone(),
            key: w.key,
            message: w.message,
        }
    }
}

/// A changed scope against its own lineage: it must linearize, and what it
/// writes must name procedures defined (not necessarily complete) there.
fn check_scope(after: &Catalog, id: &ScopeId) -> Vec<Problem> {
    let lineage = match lineage_documents(after, id) {
        Ok(lineage) => lineage,
        Err(e) => return vec![Problem::from_error(&e, id)],
    };
    let merged = Merged::new(&lineage);
    let Some(doc) = lineage.first() else {
        return Vec::new();
    };
    let mut problems = unresolved_branches(doc, &merged);
    problems.extend(unresolved_entries(doc, &merged));
    problems
}

fn unresolved_branches(doc: &ScopeDocument, merged: &Merged) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (id, change) in &doc.content.branches {
        if let BranchChange::Removed = change {
            continue;
        }
        let to = merged
            .branches
            .get(id)
            .and_then(|l| l.fields())
            .and_then(|f| f.to.as_ref());
        let mut reasons = Vec::new();
        if !merged.is_defined(&id.from) {
            reasons.push(format!("procedure {} is not defined there", id.from));
        }
        match to {
            None => reasons.push("it has no `to`".to_owned()),
            Some(to) if !merged.is_defined(to) && to != &id.from => {
                reasons.push(format!("procedure {to} is not defined there"));
            }
            Some(_) => {}
        }
        if !reasons.is_empty() {
            let key = format!("{}/{}", id.from, id.label);
            problems.push(Problem {
                code: "BRANCH_NOT_RESOLVED",
                scope: doc.scope.id.clone(),
                message: format!(
                    "branch {key} of {} does not resolve in its own lineage: {}",
                    doc.scope.id,
                    reasons.join("; ")
                ),
                key: Some(key),
            });
        }
    }
    problems
}

fn unresolved_entries(doc: &ScopeDocument, merged: &Merged) -> Vec<Problem> {
    let written = doc.content.entries.iter();
    written
        .filter_map(|(code, key)| Some((code, key.as_ref()?)))
        .filter(|(_, key)| !merged.is_defined(key))
        .map(|(code, key)| Problem {
            code: "ENTRY_NOT_RESOLVED",
            scope: doc.scope.id.clone(),
            key: Some(code.to_string()),
            message: format!(
                "entry {code} of {} does not resolve in its own lineage: procedure {key} is not defined there",
                doc.scope.id
            ),
        })
        .collect()
}

fn sort_and_dedup(problems: &mut Vec<Problem>) {
    problems.sort_by(|a, b| {
        (&a.scope, &a.key, a.code, &a.message).cmp(&(&b.scope, &b.key, b.code, &b.message))
    });
    problems.dedup();
}
