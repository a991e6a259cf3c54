//! Who may make a write: checked before the write reads or compares anything
//! it could answer differently for, so a refused caller learns nothing.
//!
//! First the hosts (a token of each, with the write scope), before any
//! snapshot is read. Then every target the edits name, against the owners
//! stored before the write, before any edit is applied: a write that would
//! change nothing is authorized all the same, and a scope that does not exist
//! is refused to a non-admin exactly as one they do not own. Last, the
//! documents that change, which is where creations are checked (against the
//! owners of the new scope's parents).

use crate::{
    auth::{self, Caller},
    domain::{Host, ObjectRef, ScopeDocument, ScopeId},
    error::ApiError,
    resolve::Catalog,
};

use super::{Edit, Mode, WritePolicy};

/// Refuses a caller who may not write `hosts` at all.
pub(super) fn hosts<'h>(
    policy: &WritePolicy,
    caller: Option<&Caller>,
    hosts: impl IntoIterator<Item = &'h Host>,
) -> Result<(), ApiError> {
    if !policy.auth_enabled {
        return Ok(());
    }
    hosts
        .into_iter()
        .try_for_each(|host| auth::can_write_host(caller, host, &policy.write_scope))
}

/// Refuses a caller who does not own every existing target of `edits`, or a
/// non-admin naming a scope that does not exist (other than to create it).
pub(super) fn targets(
    policy: &WritePolicy,
    caller: Option<&Caller>,
    host: &Host,
    before: &Catalog,
    edits: &[Edit],
) -> Result<(), ApiError> {
    if !policy.auth_enabled {
        return Ok(());
    }
    for edit in edits {
        let (id, creates) = match edit {
            Edit::Put(doc) => (&doc.scope.id, before.get(&doc.scope.id).is_none()),
            Edit::Object(e) => (
                &e.scope,
                e.object == ObjectRef::Scope
                    && e.mode == Mode::Create
                    && before.get(&e.scope).is_none(),
            ),
        };
        if !creates {
            existing(policy, caller, host, before, id)?;
        }
    }
    Ok(())
}

/// Whether `caller` may write scope `id` as `before` holds it (absent: no owners).
pub(super) fn existing(
    policy: &WritePolicy,
    caller: Option<&Caller>,
    host: &Host,
    before: &Catalog,
    id: &ScopeId,
) -> Result<(), ApiError> {
    let owners = before
        .get(id)
        .map(|d| d.scope.owners.clone())
        .unwrap_or_default();
    auth::can_write(caller, host, &policy.write_scope, &[(id.clone(), owners)])
}

/// Refuses a caller who may not make the changes: every changed or deleted
/// scope by its stored owners, every new one by its parents' owners.
pub(super) fn changes(
    policy: &WritePolicy,
    caller: Option<&Caller>,
    host: &Host,
    before: &Catalog,
    put: &[ScopeDocument],
    delete: &[ScopeId],
) -> Result<(), ApiError> {
    if !policy.auth_enabled {
        return Ok(());
    }
    for doc in put {
        let id = &doc.scope.id;
        if before.get(id).is_some() {
            existing(policy, caller, host, before, id)?;
        } else {
            let parents: Vec<_> = doc
                .scope
                .parents
                .iter()
                .map(|p| {
                    let parent = before
                        .get(p)
                        .or_else(|| put.iter().find(|d| &d.scope.id == p));
                    let owners = parent.map(|d| d.scope.owners.clone());
                    (p.clone(), owners.unwrap_or_default())
                })
                .collect();
            auth::can_create(caller, host, &policy.write_scope, &parents)?;
        }
    }
    for id in delete {
        existing(policy, caller, host, before, id)?;
    }
    Ok(())
}
