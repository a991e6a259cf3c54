//! Lineage: the C3 linearization of a scope's ordered parents (Python's method
//! resolution order), with unknown parents and cycles reported.

use std::{collections::HashMap, hash::BuildHasher};

use crate::domain::{
    Scope, ScopeDocument, ScopeId,
    limits::{MAX_LINEAGE_DEPTH, MAX_LINEAGE_SCOPES},
};

use super::model::ResolveError;

/// Where resolution finds a scope's document by id.
pub(crate) trait Lookup {
    /// The document of `id`, if that scope exists.
    fn doc(&self, id: &ScopeId) -> Option<&ScopeDocument>;
}

impl<S: BuildHasher> Lookup for HashMap<ScopeId, ScopeDocument, S> {
    fn doc(&self, id: &ScopeId) -> Option<&ScopeDocument> {
        self.get(id)
    }
}

impl<S: BuildHasher> Lookup for HashMap<&ScopeId, &ScopeDocument, S> {
    fn doc(&self, id: &ScopeId) -> Option<&ScopeDocument> {
        self.get(id).copied()
    }
}

/// C3 linearization (as Python's MRO) of `scope`'s ordered parents: the scope
/// first, then its ancestors.
///
/// Errors: [`ResolveError::UnknownScope`] when `scope` is not in `docs`,
/// [`ResolveError::UnknownParent`], [`ResolveError::InheritanceCycle`] (the
/// cycle's scopes in parent order, the first repeated at the end) and
/// [`ResolveError::Linearization`] (the scope whose parents' orders conflict
/// and the heads left when the merge got stuck); past the bounds,
/// [`ResolveError::LineageTooDeep`] and [`ResolveError::LineageTooLarge`], found
/// before the work grows with the lineage.
pub fn linearize(
    scope: &ScopeId,
    docs: &HashMap<ScopeId, ScopeDocument>,
) -> Result<Vec<ScopeId>, ResolveError> {
    linearize_in(docs, scope)
}

/// [`linearize`] over any [`Lookup`].
pub(crate) fn linearize_in(
    docs: &impl Lookup,
    scope: &ScopeId,
) -> Result<Vec<ScopeId>, ResolveError> {
    let root = docs.doc(scope).ok_or_else(|| ResolveError::UnknownScope {
        scope: scope.clone(),
    })?;
    let mut done: HashMap<&ScopeId, Vec<ScopeId>> = HashMap::new();
    // Depth-first, without recursion so that a long chain cannot overflow the
    // stack: the path from the root, each scope with the index of its next parent.
    let mut path: Vec<(&ScopeDocument, usize)> = vec![(root, 0)];
    while let Some(top) = path.last_mut() {
        let doc = top.0;
        let Some(parent) = doc.scope.parents.get(top.1) else {
            let order = c3(&doc.scope, &done)?;
            done.insert(&doc.scope.id, order);
            if done.len() > MAX_LINEAGE_SCOPES {
                return Err(ResolveError::LineageTooLarge {
                    scope: scope.clone(),
                    limit: MAX_LINEAGE_SCOPES,
                });
            }
            path.pop();
            continue;
        };
        top.1 += 1;
        if done.contains_key(parent) {
            continue;
        }
        if let Some(at) = path.iter().position(|(d, _)| &d.scope.id == parent) {
            let mut scopes: Vec<ScopeId> =
                path[at..].iter().map(|(d, _)| d.scope.id.clone()).collect();
            scopes.push(parent.clone());
            return Err(ResolveError::InheritanceCycle { scopes });
        }
        let next = docs
            .doc(parent)
            .ok_or_else(|| ResolveError::UnknownParent {
                scope: doc.scope.id.clone(),
                parent: parent.clone(),
            })?;
        // The path holds the scope and its ancestors down to `next`'s child.
        if path.len() > MAX_LINEAGE_DEPTH {
            return Err(ResolveError::LineageTooDeep {
                scope: scope.clone(),
                limit: MAX_LINEAGE_DEPTH,
                through: parent.clone(),
            });
        }
        path.push((next, 0));
    }
    done.remove(scope)
        .ok_or_else(|| ResolveError::UnknownScope {
            scope: scope.clone(),
        })
}

/// L[scope] = scope + merge(L[p1], …, L[pn], [p1, …, pn]), given the parents' lineages.
fn c3(scope: &Scope, done: &HashMap<&ScopeId, Vec<ScopeId>>) -> Result<Vec<ScopeId>, ResolveError> {
    let mut seqs: Vec<&[ScopeId]> = scope
        .parents
        .iter()
        .map(|p| done.get(p).map_or(&[][..], Vec::as_slice))
        .collect();
    seqs.push(&scope.parents);
    // How often each scope stands in a tail, so that choosing a head is not quadratic.
    let mut in_tails: HashMap<&ScopeId, usize> = HashMap::new();
    for x in seqs.iter().flat_map(|s| s.iter().skip(1)) {
        *in_tails.entry(x).or_default() += 1;
    }
    let mut order = vec![scope.id.clone()];
    loop {
        seqs.retain(|s| !s.is_empty());
        let heads: Vec<&ScopeId> = seqs.iter().filter_map(|s| s.first()).collect();
        if heads.is_empty() {
            return Ok(order);
        }
        let free = |h: &&&ScopeId| in_tails.get(**h).is_none_or(|n| *n == 0);
        let Some(head) = heads.iter().find(free).map(|h| (*h).clone()) else {
            let mut conflicting: Vec<ScopeId> = Vec::new();
            for h in heads {
                if !conflicting.contains(h) {
                    conflicting.push(h.clone());
                }
            }
            return Err(ResolveError::Linearization {
                scope: scope.id.clone(),
                conflicting,
            });
        };
        for s in &mut seqs {
            if s.first() == Some(&head) {
                *s = &s[1..];
                if let Some(n) = s.first().and_then(|next| in_tails.get_mut(next)) {
                    *n -= 1;
                }
            }
        }
        order.push(head);
    }
}
