//! A generated service: a layer of overrides, additions, leaf removals
//! (with the tree branch that led to them), branch redirects within a
//! subtree, entries (some removed) and error-code severities.

use rand::{Rng, seq::IndexedRandom};

use super::shape::{R, Shaper, code, key, pkey, tree_parent};
use light_runbook::domain::{
    BranchChange, BranchId, BranchLabel, BranchPatch, EntryCode, ErrorCodePatch, Patch,
    ProcedureChange, ScopeContent, ScopeDocument, ScopeKind,
};

impl Shaper {
    /// A service: overrides, additions, leaf removals, branch redirects,
    /// entries (some removed), error-code severities.
    pub fn service(&mut self, id: &str, parents: &[&str]) -> R<ScopeDocument> {
        let p = self.params;
        let internal = self.internal();
        let scope = self.scope(id, ScopeKind::Service, parents)?;
        let mut content = ScopeContent::default();
        let removable: Vec<usize> = (internal..p.procedures).collect();
        let removals = self.rng.random_range(0..=2).min(removable.len());
        let mut removed = Vec::new();
        for &leaf in removable.choose_multiple(&mut self.rng, removals) {
            content
                .procedures
                .insert(pkey(leaf)?, ProcedureChange::Removed);
            let tree = BranchId {
                from: pkey(tree_parent(leaf))?,
                label: BranchLabel::parse(format!("l-{leaf}"))?,
            };
            content.branches.insert(tree, BranchChange::Removed);
            removed.push(leaf);
        }
        for _ in 0..self.rng.random_range(2..=6) {
            let i = self.rng.random_range(0..p.procedures);
            if !removed.contains(&i) {
                let change = self.override_body();
                content.procedures.insert(pkey(i)?, change);
            }
        }
        let additions = self.rng.random_range(1..=4);
        self.additions(&mut content, "local", additions)?;
        for _ in 0..self.rng.random_range(1..=3) {
            // Redirect a tree branch between decisions to another decision.
            let child = self
                .rng
                .random_range(1..internal.max(2))
                .min(p.procedures - 1);
            let to = self.descendant(tree_parent(child));
            let id = BranchId {
                from: pkey(tree_parent(child))?,
                label: BranchLabel::parse(format!("l-{child}"))?,
            };
            let patch = BranchPatch {
                to: Patch::Set(pkey(to)?),
                ..BranchPatch::default()
            };
            content
                .branches
                .entry(id)
                .or_insert(BranchChange::Patch(patch));
        }
        for _ in 0..self.rng.random_range(1..=3) {
            let c = code(self.rng.random_range(0..p.error_codes.max(1)))?;
            let target = match self.rng.random_bool(0.2) {
                true => None,
                false => Some(key(format!(
                    "local-{}",
                    self.rng.random_range(0..additions)
                ))?),
            };
            content.entries.insert(EntryCode::Code(c.clone()), target);
            if self.rng.random_bool(0.5) {
                let patch = ErrorCodePatch {
                    severity: Patch::Set("CRITICAL".to_owned()),
                    ..ErrorCodePatch::default()
                };
                content.error_codes.insert(c, patch);
            }
        }
        Ok(ScopeDocument { scope, content })
    }
}
