//! Concurrent writers and readers: whole replaces, and commits against a base.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use light_runbook::{
    domain::{Patch, ProcedureChange, ProcedureKey, ProcedurePatch, ScopeDocument, ScopeKind},
    store::{CommitError, Store},
};
use tokio::task::JoinSet;

use super::fixtures::{change, doc, host, id, ids, sorted};

const HOST: &str = "acme.example";
const WRITERS: usize = 8;
const ROUNDS: usize = 3;
/// Bounds the reader, whatever the speed of the writers.
const MAX_READS: usize = 500;

/// Writer `w`'s version of three scopes `a` <- `b` <- `c`: every part says `w`,
/// and the number of procedures and the order of parents vary with `w`, so that
/// any mix of two versions (across scopes, or across the tables of one scope)
/// differs from every version.
fn version(w: usize) -> Vec<ScopeDocument> {
    let procedures = |mut d: super::fixtures::Doc, scope: &str| {
        for i in 0..=(w % 3) {
            d = d.procedure(&format!("p-{w}-{i}"), &format!("{scope} by {w}"));
        }
        d
    };
    let c_parents: &[&str] = if w.is_multiple_of(2) {
        &["b", "a"]
    } else {
        &["a", "b"]
    };
    let code = format!("ERR{:05}", 10_000 + w);
    let key = format!("p-{w}-0");
    vec![
        procedures(
            doc(HOST, "a")
                .name(&format!("a v{w}"))
                .kind(ScopeKind::Organization),
            "a",
        )
        .build(),
        procedures(doc(HOST, "b").name(&format!("b v{w}")).parents(&["a"]), "b")
            .entry("*", Some(&key))
            .build(),
        procedures(
            doc(HOST, "c").name(&format!("c v{w}")).parents(c_parents),
            "c",
        )
        .error_code(&code, &format!("v{w}"))
        .branch(&key, &format!("to {w}"), &key)
        .build(),
    ]
}

pub async fn concurrent_replaces_end_in_one_written_state_never_a_mix(store: Arc<dyn Store>) {
    let versions: Arc<Vec<Vec<ScopeDocument>>> = Arc::new((0..WRITERS).map(version).collect());
    store
        .replace_documents(&versions[0])
        .await
        .expect("initial version");
    let h = host(HOST);

    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (store, versions, done, h) = (store.clone(), versions.clone(), done.clone(), h.clone());
        tokio::spawn(async move {
            let mut reads = 0;
            loop {
                let seen = sorted(
                    store
                        .lineage_documents(&h, &id("c"))
                        .await
                        .expect("read while writing"),
                );
                assert!(
                    versions.contains(&seen),
                    "a reader saw a mix of versions: {seen:#?}"
                );
                reads += 1;
                if done.load(Ordering::Acquire) || reads >= MAX_READS {
                    break reads;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        })
    };

    let mut writers = JoinSet::new();
    for w in 0..WRITERS {
        let (store, versions) = (store.clone(), versions.clone());
        writers.spawn(async move {
            // Half the writers give the scopes in the opposite order: row locks
            // alone would then deadlock; the store must serialize writers.
            let mut docs = versions[w].clone();
            if !w.is_multiple_of(2) {
                docs.reverse();
            }
            for _ in 0..ROUNDS {
                store.replace_documents(&docs).await?;
            }
            Ok::<_, light_runbook::store::StoreError>(())
        });
    }
    while let Some(joined) = writers.join_next().await {
        joined
            .expect("writer task")
            .expect("every concurrent replace succeeds");
    }
    done.store(true, Ordering::Release);
    let reads = reader.await.expect("reader task");
    assert!(reads > 0, "the reader ran");

    let end = store
        .documents(&h, &ids(&["a", "b", "c"]))
        .await
        .expect("final read");
    assert!(
        versions.contains(&end),
        "the final state is a mix of versions: {end:#?}"
    );
    let lineage = sorted(
        store
            .lineage_documents(&h, &id("c"))
            .await
            .expect("final lineage"),
    );
    assert_eq!(lineage, end);
}

const COMMITTERS: usize = 16;
/// Bounds the retries of one committer, whatever the others do.
const MAX_ATTEMPTS: usize = 1_000;

/// Committer `c`: reads a snapshot, adds procedure `p-c` to the scope, and
/// commits against the snapshot's generation, again until it is not stale.
/// Returns the generation its change was based on and the change's id.
async fn add_own_procedure(store: Arc<dyn Store>, c: usize) -> (u64, u64) {
    let h = host(HOST);
    for _ in 0..MAX_ATTEMPTS {
        let snapshot = store.snapshot(&h).await.expect("snapshot");
        let mut svc = snapshot.docs.into_iter().next().expect("the scope");
        let patch = ProcedurePatch {
            title: Patch::Set(format!("By {c}")),
            ..ProcedurePatch::default()
        };
        let key = ProcedureKey::parse(format!("p-{c}")).expect("key");
        svc.content
            .procedures
            .insert(key, ProcedureChange::Patch(patch));
        let attempt = change().put(&svc).base(HOST, snapshot.generation).build();
        match store.commit(&attempt).await {
            Ok(done) => return (snapshot.generation, done.change_id),
            Err(CommitError::Stale { .. }) => continue,
            Err(other) => panic!("committer {c}: {other}"),
        }
    }
    panic!("committer {c} never got through");
}

/// Each committer reads a snapshot, adds its own procedure to the scope, and
/// commits against the snapshot's generation, retrying when it is stale. No
/// update may be lost, and the change ids must follow the commit order: sorted
/// by id, each change was based on the one before it.
pub async fn concurrent_commits_on_one_host_lose_no_update_and_take_increasing_ids(
    store: Arc<dyn Store>,
) {
    let h = host(HOST);
    let initial = change()
        .put(&doc(HOST, "svc").build())
        .commit(store.as_ref())
        .await;
    let mut committers = JoinSet::new();
    for c in 0..COMMITTERS {
        committers.spawn(add_own_procedure(store.clone(), c));
    }
    let mut commits = Vec::new();
    while let Some(joined) = committers.join_next().await {
        commits.push(joined.expect("committer task"));
    }
    commits.sort_by_key(|&(_, change_id)| change_id);
    let mut previous = initial.change_id;
    for &(base, change_id) in &commits {
        assert!(change_id > previous, "ids increase: {commits:?}");
        assert_eq!(
            base, previous,
            "each change saw the one before: {commits:?}"
        );
        previous = change_id;
    }

    let end = store.snapshot(&h).await.expect("final snapshot");
    assert_eq!(end.generation, previous);
    let keys: Vec<String> = end.docs[0]
        .content
        .procedures
        .keys()
        .map(|k| k.to_string())
        .collect();
    let mut expected: Vec<String> = (0..COMMITTERS).map(|c| format!("p-{c}")).collect();
    expected.sort();
    assert_eq!(keys, expected, "no update lost");
    let history = super::fixtures::all_history(store.as_ref(), HOST).await;
    assert_eq!(
        history.len(),
        1 + COMMITTERS,
        "one record per committed procedure"
    );
}
