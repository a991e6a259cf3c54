//! The shared store contract suite against a live ArangoDB, and live checks
//! of what is particular to this backend's commits (change ids, revisions,
//! generations, history).
//!
//! Set `ARANGO_URL` to a server and a user that may create databases, e.g.
//! `ARANGO_URL=arangodb://root:pw@127.0.0.1:8529/_system cargo test --test store_arango`.
//! Each test runs on a fresh database (`lr_test_…`) that it creates and drops.
//!
//! Without `ARANGO_URL` the suite still compiles, but every test returns at
//! once without checking anything, and the binary says so on stderr:
//! "ARANGO_URL not set: ArangoDB variants of the tests not run". Those tests count
//! as passed in the runner's summary; they prove nothing about ArangoDB.

#[allow(dead_code)]
#[path = "common/arango.rs"]
mod arango_db;
mod contract;

use std::sync::Arc;

use async_trait::async_trait;
use contract::{Backdoor, TestStore};
use light_runbook::{
    domain::{
        Host, ObjectRef, Patch, ProcedureChange, ProcedureKey, ProcedurePatch, Scope, ScopeContent,
        ScopeDocument, ScopeId, ScopeKind,
    },
    store::{
        Actor, ChangeSet, CommitError, Expectation, HistoryFilter, Store,
        arango::{self, ArangoTarget},
    },
};
use reqwest::Method;
use serde_json::{Value, json};

/// A fresh store: `arango_test_store!().await` gives a `TestStore`. When
/// `ARANGO_URL` is unset it says so (once) and makes the calling test return:
/// `contract_suite!` awaits its factory inside each test, and this macro
/// expands there, so its `return` leaves the test.
macro_rules! arango_test_store {
    () => {
        match crate::fresh_arango().await {
            Some(fixture) => std::future::ready(fixture),
            None => return,
        }
    };
}

contract_suite!(arangodb, arango_test_store!());

/// A store on a new database with its backdoor, or `None` when `ARANGO_URL` is unset.
async fn fresh_arango() -> Option<TestStore> {
    let server = arango_db::server()?;
    let database = arango_db::Database::create(&server).await;
    let store = arango::open(&database.url, &arango_db::options())
        .await
        .unwrap_or_else(|e| panic!("ArangoDB at ARANGO_URL: {e}"));
    let backdoor = HttpBackdoor::new(&database.url);
    Some(TestStore::new(Arc::new(store), backdoor, database))
}

/// ArangoDB's HTTP API on the test's database, around the store.
struct HttpBackdoor {
    http: reqwest::Client,
    /// `http(s)://host:port/_db/<database>/`.
    base: String,
    user: String,
    password: String,
}

impl HttpBackdoor {
    fn new(url: &str) -> Self {
        let target = ArangoTarget::parse(url).expect("a test database URL");
        Self {
            http: reqwest::Client::new(),
            base: format!("{}/_db/{}/", target.base_url(), target.database),
            user: target.user.clone(),
            password: target.password.clone(),
        }
    }

    async fn call(&self, method: Method, path: &str, body: Value) -> Value {
        let response = (self.http.request(method, format!("{}{path}", self.base)))
            .basic_auth(&self.user, Some(&self.password))
            .json(&body)
            .send()
            .await
            .expect("reach ArangoDB");
        let status = response.status();
        let answer: Value = response.json().await.expect("an ArangoDB answer");
        assert!(status.is_success(), "{path}: {answer}");
        answer
    }

    async fn aql(&self, query: &str, bind_vars: Value) -> Vec<Value> {
        let body = json!({ "query": query, "bindVars": bind_vars });
        let answer = self.call(Method::POST, "_api/cursor", body).await;
        answer["result"].as_array().cloned().unwrap_or_default()
    }
}

#[async_trait]
impl Backdoor for HttpBackdoor {
    /// A JSON schema rule on `error_codes` that no stored error code
    /// satisfies (`code` is always a string), checked on every new document.
    async fn refuse_error_code_rows(&self) {
        let schema = json!({
            "rule": { "properties": { "code": { "type": "null" } }, "required": ["code"] },
            "level": "new",
            "message": "error code documents are refused by the test",
        });
        let path = "_api/collection/error_codes/properties";
        self.call(Method::PUT, path, json!({ "schema": schema }))
            .await;
    }

    async fn revision(&self, host: &Host, scope: &ScopeId) -> Option<i64> {
        const REVISION: &str =
            "FOR s IN scopes FILTER s.host == @host AND s.id == @id RETURN s.revision";
        let found = self
            .aql(REVISION, json!({ "host": host, "id": scope }))
            .await;
        found
            .first()
            .map(|r| r.as_i64().expect("a numeric revision"))
    }

    async fn corrupt_procedure_key(
        &self,
        host: &Host,
        scope: &ScopeId,
        key: &ProcedureKey,
        bad: &str,
    ) {
        const CORRUPT: &str = "FOR p IN procedures
            FILTER p.host == @host AND p.scope == @scope AND p.key == @key
            UPDATE p WITH { key: @bad } IN procedures RETURN 1";
        let vars = json!({ "host": host, "scope": scope, "key": key, "bad": bad });
        assert_eq!(self.aql(CORRUPT, vars).await.len(), 1);
    }
}

/// A scope of `h.example` with one procedure `p` titled `title`.
fn doc(scope: &str, title: &str) -> ScopeDocument {
    let patch = ProcedurePatch {
        title: Patch::Set(title.to_owned()),
        ..ProcedurePatch::default()
    };
    let mut content = ScopeContent::default();
    content.procedures.insert(
        ProcedureKey::parse("p").unwrap(),
        ProcedureChange::Patch(patch),
    );
    let scope = Scope {
        host: Host::parse("h.example").unwrap(),
        id: ScopeId::parse(scope).unwrap(),
        name: scope.to_owned(),
        kind: ScopeKind::Service,
        parents: vec![],
        owners: vec![],
        contacts: vec![],
    };
    ScopeDocument { scope, content }
}

fn change(put: Vec<ScopeDocument>, uid: &str) -> ChangeSet {
    let actor = Actor {
        uid: uid.to_owned(),
        at_ms: 1_000,
        operation: "test".to_owned(),
    };
    let (delete, expect, base) = (vec![], vec![], vec![]);
    ChangeSet {
        put,
        delete,
        expect,
        base,
        actor,
    }
}

/// Commits `docs` as `uid`; returns the change id (0: nothing changed).
async fn put(store: &dyn Store, docs: Vec<ScopeDocument>, uid: &str) -> u64 {
    store.commit(&change(docs, uid)).await.unwrap().change_id
}

fn names() -> (Host, ScopeId, ObjectRef) {
    let p = ObjectRef::Procedure(ProcedureKey::parse("p").unwrap());
    (
        Host::parse("h.example").unwrap(),
        ScopeId::parse("a").unwrap(),
        p,
    )
}

#[tokio::test]
async fn commits_hand_out_change_ids_revisions_and_generations() {
    let fixture: TestStore = arango_test_store!().await;
    let (store, (h, a, p)) = (fixture.store.as_ref(), names());
    assert_eq!(store.generation(&h).await.unwrap(), 0);
    assert_eq!(put(store, vec![doc("a", "A")], "alice").await, 1);
    assert_eq!(
        put(store, vec![doc("a", "A2"), doc("b", "B")], "bob").await,
        2
    );
    assert_eq!(
        put(store, vec![doc("a", "A2")], "bob").await,
        0,
        "no change, no id"
    );
    let revisions = store.revisions(&h, &a).await.unwrap();
    assert_eq!(
        revisions,
        [(ObjectRef::Scope, 1), (p, 2)],
        "an unchanged object keeps its revision"
    );
    let snapshot = store.snapshot(&h).await.unwrap();
    assert_eq!((snapshot.generation, snapshot.docs.len()), (2, 2));
    assert_eq!(store.generation(&h).await.unwrap(), 2);
}

#[tokio::test]
async fn stale_and_conflicting_commits_write_nothing() {
    let fixture: TestStore = arango_test_store!().await;
    let (store, (h, a, p)) = (fixture.store.as_ref(), names());
    put(store, vec![doc("a", "A")], "alice").await;
    put(store, vec![doc("a", "A2")], "alice").await;
    let mut stale = change(vec![doc("a", "A3")], "carol");
    stale.base = vec![(h.clone(), 1)];
    assert!(matches!(
        store.commit(&stale).await,
        Err(CommitError::Stale { .. })
    ));
    let mut conflict = change(vec![doc("a", "A3")], "carol");
    let (scope, object, revision) = (a, p, Some(1));
    conflict.expect = vec![Expectation {
        host: h.clone(),
        scope,
        object,
        revision,
    }];
    let refused = store.commit(&conflict).await;
    assert!(
        matches!(
            refused,
            Err(CommitError::Conflict {
                actual: Some(2),
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(
        store.generation(&h).await.unwrap(),
        2,
        "a refused commit writes nothing"
    );
}

#[tokio::test]
async fn history_is_newest_first_and_every_filter_applies() {
    let fixture: TestStore = arango_test_store!().await;
    let (store, (h, a, p)) = (fixture.store.as_ref(), names());
    put(store, vec![doc("a", "A")], "alice").await;
    put(store, vec![doc("a", "A2"), doc("b", "B")], "bob").await;
    let all = HistoryFilter {
        limit: 10,
        ..HistoryFilter::default()
    };
    let listed = store.history(&h, &all).await.unwrap();
    let ids: Vec<u64> = listed.iter().map(|r| r.change_id).collect();
    assert_eq!(
        ids,
        [2, 2, 2, 1, 1],
        "a's procedure, b's scope and procedure, then a"
    );
    let uid = Some("bob".to_owned());
    let of_p = HistoryFilter {
        scope: Some(a),
        object: Some(p),
        uid,
        ..all.clone()
    };
    let records = store.history(&h, &of_p).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].before, Some(json!({ "title": "A" })));
    let (from_ms, to_ms) = (Some(1_000), Some(1_001));
    let older = HistoryFilter {
        before_change: Some(2),
        from_ms,
        to_ms,
        ..all
    };
    assert_eq!(store.history(&h, &older).await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_commits_get_distinct_increasing_ids() {
    let fixture: TestStore = arango_test_store!().await;
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..8 {
        let store = fixture.store.clone();
        let docs = vec![doc(&format!("s{w}"), "x")];
        tasks.spawn(async move { put(store.as_ref(), docs, "w").await });
    }
    let mut ids = tasks.join_all().await;
    ids.sort_unstable();
    assert_eq!(ids, (1..=8).collect::<Vec<u64>>());
    let generation = fixture.store.generation(&names().0).await.unwrap();
    assert_eq!(generation, 8);
}
