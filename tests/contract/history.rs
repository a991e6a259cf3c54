//! The history of changes: what each record holds, its order, and its filters.

use std::sync::Arc;

use light_runbook::{
    domain::{ObjectRef, ScopeDocument, diff},
    store::{Action, Actor, Committed, HistoryFilter, HistoryRecord, Store},
};

use super::fixtures::{all_history, change, doc, host, id, procedure};

const HOST: &str = "acme.example";

/// The records a change of one scope from `before` to `after` must have left,
/// built from `domain::diff`, in object order.
pub fn records(
    committed: &Committed,
    uid: &str,
    at_ms: i64,
    operation: &str,
    before: Option<&ScopeDocument>,
    after: Option<&ScopeDocument>,
) -> Vec<HistoryRecord> {
    let scope = &before.or(after).expect("a version of the document").scope;
    diff(before, after)
        .into_iter()
        .map(|change| HistoryRecord {
            change_id: committed.change_id,
            host: scope.host.clone(),
            scope: scope.id.clone(),
            action: match (&change.before, &change.after) {
                (None, _) => Action::Created,
                (_, None) => Action::Deleted,
                _ => Action::Updated,
            },
            object: change.object,
            before: change.before,
            after: change.after,
            actor: Actor {
                uid: uid.to_owned(),
                at_ms,
                operation: operation.to_owned(),
            },
        })
        .collect()
}

pub async fn history_records_each_changed_object_as_diff_gives_it_newest_first(
    store: Arc<dyn Store>,
) {
    let v1 = doc(HOST, "svc")
        .parents(&["base"])
        .procedure("p", "P")
        .procedure("q", "Q")
        .entry("*", Some("p"))
        .error_code("ERR10001", "E")
        .build();
    let c1 = change()
        .put(&v1)
        .by("alice", 1_000, "import")
        .commit(store.as_ref())
        .await;
    let v2 = doc(HOST, "svc")
        .name("Renamed")
        .parents(&["base"])
        .procedure("p", "P2")
        .procedure("r", "R")
        .branch("p", "next", "r")
        .entry("*", Some("p"))
        .error_code("ERR10001", "E")
        .build();
    let c2 = change()
        .put(&v2)
        .by("bob", 2_000, "edit")
        .commit(store.as_ref())
        .await;
    let updated = records(&c2, "bob", 2_000, "edit", Some(&v1), Some(&v2));
    let actions: Vec<Action> = updated.iter().map(|r| r.action).collect();
    assert_eq!(
        actions,
        [
            Action::Updated,
            Action::Updated,
            Action::Deleted,
            Action::Created,
            Action::Created
        ],
        "scope, p, q, r, branch"
    );
    let mut expected = updated;
    expected.extend(records(&c1, "alice", 1_000, "import", None, Some(&v1)));
    assert_eq!(all_history(store.as_ref(), HOST).await, expected);

    // Within one change: by scope id, then in object order.
    let (a, b) = (doc(HOST, "a").build(), doc(HOST, "b").build());
    let c3 = change().put(&b).put(&a).commit(store.as_ref()).await;
    let mut both = records(&c3, "alice", 1_000, "test", None, Some(&a));
    both.extend(records(&c3, "alice", 1_000, "test", None, Some(&b)));
    assert_eq!(all_history(store.as_ref(), HOST).await[..2], both[..]);
}

/// The records of three changes, each group in object order: `a` and `b`
/// created by alice at 1 000 ms (c1), `a`'s procedure edited by bob at 2 000
/// ms (c2), `b` renamed by alice at 3 000 ms (c3).
struct ThreeChanges {
    ids: [u64; 3],
    a_created: Vec<HistoryRecord>,
    b_created: Vec<HistoryRecord>,
    a_edited: Vec<HistoryRecord>,
    b_edited: Vec<HistoryRecord>,
}

impl ThreeChanges {
    async fn commit(store: &dyn Store) -> Self {
        let (a1, b1) = (
            doc(HOST, "a").procedure("p", "P").build(),
            doc(HOST, "b").procedure("p", "P").build(),
        );
        let a2 = doc(HOST, "a").procedure("p", "P2").build();
        let b3 = doc(HOST, "b").name("B").procedure("p", "P").build();
        let c1 = change().put(&a1).put(&b1).by("alice", 1_000, "import");
        let c1 = c1.commit(store).await;
        let c2 = change()
            .put(&a2)
            .by("bob", 2_000, "edit")
            .commit(store)
            .await;
        let c3 = change()
            .put(&b3)
            .by("alice", 3_000, "edit")
            .commit(store)
            .await;
        Self {
            ids: [c1.change_id, c2.change_id, c3.change_id],
            a_created: records(&c1, "alice", 1_000, "import", None, Some(&a1)),
            b_created: records(&c1, "alice", 1_000, "import", None, Some(&b1)),
            a_edited: records(&c2, "bob", 2_000, "edit", Some(&a1), Some(&a2)),
            b_edited: records(&c3, "alice", 3_000, "edit", Some(&b1), Some(&b3)),
        }
    }

    /// Every record, newest first.
    fn all(&self) -> Vec<HistoryRecord> {
        let all: Vec<HistoryRecord> = [
            &self.b_edited,
            &self.a_edited,
            &self.a_created,
            &self.b_created,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        assert_eq!(
            all.len(),
            6,
            "scope and procedure of a and b, p of a, scope of b"
        );
        all
    }
}

/// Checks each filter (on top of a limit of 100) against its expected records.
async fn check(store: &dyn Store, cases: Vec<(HistoryFilter, Vec<HistoryRecord>)>) {
    let h = host(HOST);
    for (filter, expected) in cases {
        let filter = HistoryFilter {
            limit: if filter.limit == 0 { 100 } else { filter.limit },
            ..filter
        };
        let found = store.history(&h, &filter).await.expect("history");
        assert_eq!(found, expected, "{filter:?}");
    }
}

pub async fn history_filters_by_scope_object_and_uid(store: Arc<dyn Store>) {
    let t = ThreeChanges::commit(store.as_ref()).await;
    let a = Some(id("a"));
    let cases = vec![
        (
            HistoryFilter {
                scope: a.clone(),
                ..HistoryFilter::default()
            },
            [&t.a_edited[..], &t.a_created].concat(),
        ),
        (
            HistoryFilter {
                scope: a.clone(),
                object: Some(procedure("p")),
                ..HistoryFilter::default()
            },
            vec![t.a_edited[0].clone(), t.a_created[1].clone()],
        ),
        (
            HistoryFilter {
                object: Some(ObjectRef::Scope),
                ..HistoryFilter::default()
            },
            vec![
                t.b_edited[0].clone(),
                t.a_created[0].clone(),
                t.b_created[0].clone(),
            ],
        ),
        (
            HistoryFilter {
                uid: Some("bob".into()),
                ..HistoryFilter::default()
            },
            t.a_edited.clone(),
        ),
        (
            HistoryFilter {
                scope: a,
                uid: Some("alice".into()),
                ..HistoryFilter::default()
            },
            t.a_created.clone(),
        ),
    ];
    check(store.as_ref(), cases).await;
    let every = HistoryFilter {
        limit: 100,
        ..HistoryFilter::default()
    };
    let elsewhere = store.history(&host("other.example"), &every).await;
    assert!(elsewhere.expect("other host").is_empty());
}

pub async fn history_pages_by_time_range_change_cursor_and_limit(store: Arc<dyn Store>) {
    let t = ThreeChanges::commit(store.as_ref()).await;
    let all = t.all();
    let [_, c2, c3] = t.ids;
    let none = HistoryFilter::default;
    let cases = vec![
        (
            HistoryFilter {
                from_ms: Some(2_000),
                to_ms: Some(3_000),
                ..none()
            },
            t.a_edited.clone(),
        ),
        (
            HistoryFilter {
                from_ms: Some(2_001),
                ..none()
            },
            t.b_edited.clone(),
        ),
        (
            HistoryFilter {
                to_ms: Some(2_000),
                ..none()
            },
            all[2..].to_vec(),
        ),
        (
            HistoryFilter {
                before_change: Some(c3),
                ..none()
            },
            all[1..].to_vec(),
        ),
        (
            HistoryFilter {
                before_change: Some(c2),
                ..none()
            },
            all[2..].to_vec(),
        ),
        (HistoryFilter { limit: 3, ..none() }, all[..3].to_vec()),
        (
            HistoryFilter {
                before_change: Some(c3),
                limit: 2,
                ..none()
            },
            all[1..3].to_vec(),
        ),
    ];
    check(store.as_ref(), cases).await;
    let zero = HistoryFilter {
        limit: 0,
        ..HistoryFilter::default()
    };
    let found = store.history(&host(HOST), &zero).await.expect("history");
    assert!(found.is_empty(), "a limit of 0 lists nothing");
}
