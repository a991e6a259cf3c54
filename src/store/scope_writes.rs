//! The backend-neutral part of planning a commit: which hosts it locks and
//! what it changes per object (what it asks for per scope is in `rules`).

use super::change::{Action, ChangeSet};
use crate::domain::{Host, ObjectChange, ScopeDocument, ScopeId};

/// One scope that a change alters.
#[derive(Debug)]
pub(crate) struct ScopeWrite<'a> {
    /// The host of the scope.
    pub host: &'a Host,
    /// The scope's id.
    pub scope: &'a ScopeId,
    /// The document after the change; `None` when the scope is deleted.
    pub after: Option<&'a ScopeDocument>,
    /// The objects that differ from the stored document, as `domain::diff`
    /// gives them (never empty).
    pub changes: Vec<ObjectChange>,
}

/// Every host a change names (in `base`, `put`, `delete` or `expect`), sorted
/// and distinct: the order in which a backend takes per-host locks, so that
/// two writers cannot deadlock.
pub(crate) fn hosts_of(change: &ChangeSet) -> Vec<&Host> {
    let mut hosts: Vec<&Host> = change
        .base
        .iter()
        .map(|(host, _)| host)
        .chain(change.put.iter().map(|doc| &doc.scope.host))
        .chain(change.delete.iter().map(|(host, _)| host))
        .chain(change.expect.iter().map(|e| &e.host))
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

/// What happened to an object, from its versions before and after.
pub(crate) fn action(change: &ObjectChange) -> Action {
    match (&change.before, &change.after) {
        (None, _) => Action::Created,
        (_, None) => Action::Deleted,
        _ => Action::Updated,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::{
        domain::{ObjectRef, Scope, ScopeContent, ScopeKind},
        store::{Actor, Expectation},
    };

    fn host(h: &str) -> Host {
        Host::parse(h).unwrap()
    }

    fn id(s: &str) -> ScopeId {
        ScopeId::parse(s).unwrap()
    }

    fn doc(h: &str, s: &str, name: &str) -> ScopeDocument {
        ScopeDocument {
            scope: Scope {
                host: host(h),
                id: id(s),
                name: name.into(),
                kind: ScopeKind::Service,
                parents: vec![],
                owners: vec![],
                contacts: vec![],
            },
            content: ScopeContent::default(),
        }
    }

    fn change(put: Vec<ScopeDocument>, delete: Vec<(Host, ScopeId)>) -> ChangeSet {
        ChangeSet {
            put,
            delete,
            expect: vec![Expectation {
                host: host("e"),
                scope: id("s"),
                object: ObjectRef::Scope,
                revision: None,
            }],
            base: vec![(host("z"), 1), (host("b"), 2)],
            actor: Actor {
                uid: "u".into(),
                at_ms: 0,
                operation: "op".into(),
            },
        }
    }

    #[test]
    fn the_hosts_of_a_change_are_every_host_it_names_sorted_once_each() {
        let docs = vec![doc("h", "b", "1"), doc("h", "a", "2"), doc("h", "b", "3")];
        let deletes = vec![(host("h"), id("a")), (host("g"), id("x"))];
        let change = change(docs, deletes);
        let hosts: Vec<&str> = hosts_of(&change).into_iter().map(Host::as_str).collect();
        assert_eq!(hosts, ["b", "e", "g", "h", "z"]);
    }

    #[test]
    fn actions_follow_the_versions_before_and_after() {
        let change = |before: Option<i32>, after: Option<i32>| ObjectChange {
            object: ObjectRef::Scope,
            before: before.map(|v| json!(v)),
            after: after.map(|v| json!(v)),
        };
        assert_eq!(action(&change(None, Some(1))), Action::Created);
        assert_eq!(action(&change(Some(1), Some(2))), Action::Updated);
        assert_eq!(action(&change(Some(1), None)), Action::Deleted);
    }
}
