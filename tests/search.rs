//! `search` over HTTP on every backend: a partial service name finds the
//! service among a thousand in one round trip, the index follows every
//! write, hosts stay apart, hostile queries are refused naming the bound,
//! and the text index finds what the reference matcher finds.

mod common;

use std::collections::BTreeSet;

use light_runbook::domain::{
    Host, ScopeDocument,
    search::{SearchTerms, scan},
};
use serde_json::{Value, json};

use common::{Backend, TestApp};

const SEARCH: &str = r#"query ($q: String!, $first: Int, $after: String, $host: String) {
  search(query: $q, first: $first, after: $after, host: $host) {
    edges { cursor node { kind scopeId scopeKind key
                          title { text matched } snippet { text matched } } }
    pageInfo { hasNextPage endCursor }
  }
}"#;

/// A platform with `services` services below it.
fn dataset(host: &Host, services: usize) -> Vec<ScopeDocument> {
    let params = light_runbook_bench::Params {
        services,
        procedures: 12,
        branches: 24,
        error_codes: 10,
        organizations: 2,
        lines_per_organization: 2,
        templates: 2,
    };
    light_runbook_bench::documents(params, 7, host).expect("dataset")
}

async fn seeded(backend: Backend, services: usize) -> TestApp {
    let app = common::spawn_app_on(backend, false, |_| {}).await;
    let docs = dataset(&common::host(), services);
    app.runbooks
        .store()
        .replace_documents(&docs)
        .await
        .expect("seeded");
    app
}

async fn search(app: &TestApp, variables: Value) -> Value {
    app.data(SEARCH, variables).await["search"].clone()
}

/// The (kind, scope, key) of each hit.
fn found(page: &Value) -> Vec<(String, String, String)> {
    let edges = page["edges"].as_array().cloned().unwrap_or_default();
    edges
        .iter()
        .map(|e| {
            let n = &e["node"];
            let key = n["key"].as_str().unwrap_or_default().to_owned();
            (
                n["kind"].as_str().unwrap_or_default().to_owned(),
                n["scopeId"].as_str().unwrap_or_default().to_owned(),
                key,
            )
        })
        .collect()
}

/// A title's parts with the matches in brackets.
fn marked(parts: &Value) -> String {
    let parts = parts.as_array().cloned().unwrap_or_default();
    parts
        .iter()
        .map(|p| match p["matched"].as_bool() {
            Some(true) => format!("[{}]", p["text"].as_str().unwrap_or_default()),
            _ => p["text"].as_str().unwrap_or_default().to_owned(),
        })
        .collect()
}

async fn a_partial_service_name_finds_the_service_among_a_thousand_in_one_round_trip(
    backend: Backend,
) {
    let app = seeded(backend, 1_000).await;
    let before = app.runbooks.round_trips().total();
    let page = search(&app, json!({ "q": "svc-00123" })).await;
    assert_eq!(app.runbooks.round_trips().total() - before, 1);
    let hits = found(&page);
    assert_eq!(hits.len(), 1, "{page:#}");
    assert_eq!(hits[0].0, "SCOPE");
    assert!(hits[0].1.ends_with(".svc-00123-1.0.0"), "{hits:?}");
    let node = &page["edges"][0]["node"];
    assert_eq!(node["scopeKind"], "SERVICE");
    assert!(node["key"].is_null());
    assert!(
        marked(&node["title"]).contains("[svc]-[00123]-1.0.0"),
        "{}",
        marked(&node["title"])
    );

    // Ten services start with 0012: a page of four, then the rest.
    let first = search(&app, json!({ "q": "SVC 0012", "first": 4 })).await;
    assert_eq!(found(&first).len(), 4);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let mut all = found(&first);
    let mut after = first["pageInfo"]["endCursor"].clone();
    loop {
        let page = search(&app, json!({ "q": "svc 0012", "first": 4, "after": after })).await;
        all.extend(found(&page));
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    let distinct: BTreeSet<_> = all.iter().collect();
    assert_eq!((all.len(), distinct.len()), (10, 10), "{all:?}");
}

async fn the_index_follows_every_write(backend: Backend) {
    let app = common::spawn_app_on(backend, true, |_| {}).await;
    let ledger = "com.acme.payments.ledger-1.0.0";
    let write = |query: &'static str| {
        let app = &app;
        async move { app.data(query, json!({})).await }
    };
    write(
        r#"mutation { createProcedure(scopeId: "com.acme.payments.ledger-1.0.0", key: "zebra-drill",
             input: { title: "Quokka drill", kind: STEP, body: "Wake the narwhal team.", tags: ["ocelot"] }) { changeId } }"#,
    )
    .await;
    for q in ["quokka", "narwh", "ocelot", "zebra"] {
        let hits = found(&search(&app, json!({ "q": q })).await);
        assert_eq!(
            hits,
            [("PROCEDURE".into(), ledger.into(), "zebra-drill".into())],
            "{q}"
        );
    }
    write(
        r#"mutation { updateProcedure(scopeId: "com.acme.payments.ledger-1.0.0", key: "zebra-drill",
             input: { title: "Wombat drill" }) { changeId } }"#,
    )
    .await;
    assert!(found(&search(&app, json!({ "q": "quokka" })).await).is_empty());
    assert_eq!(
        found(&search(&app, json!({ "q": "wombat" })).await).len(),
        1
    );
    write(
        r#"mutation { deleteProcedure(scopeId: "com.acme.payments.ledger-1.0.0", key: "zebra-drill") { changeId } }"#,
    )
    .await;
    assert!(found(&search(&app, json!({ "q": "wombat" })).await).is_empty());
    write(
        r#"mutation { createScope(input: { id: "com.acme.payments.yak-1.0.0", name: "Yak shaving", kind: SERVICE, parents: ["acme-payments"] }) { changeId } }"#,
    )
    .await;
    let hits = found(&search(&app, json!({ "q": "yak shav" })).await);
    assert_eq!(hits.len(), 1, "{hits:?}");
    write(r#"mutation { deleteScope(id: "com.acme.payments.yak-1.0.0") { changeId } }"#).await;
    assert!(found(&search(&app, json!({ "q": "yak" })).await).is_empty());
}

async fn hosts_stay_apart(backend: Backend) {
    let app = common::spawn_app_on(backend, true, common::verify_tokens).await;
    let other = Host::parse("b.example").expect("host");
    let yaml = "format: light-runbook/v1\nhost: b.example\nscope: okapi-svc\nname: Okapi ledger\nkind: SERVICE\n";
    let docs: Vec<ScopeDocument> = light_runbook::format::parse_str("b.yml", yaml, &other)
        .expect("valid")
        .into_iter()
        .map(|d| d.doc)
        .collect();
    app.runbooks
        .store()
        .replace_documents(&docs)
        .await
        .expect("seeded");
    let ask = |host: Option<&str>, token: Option<String>| {
        let app = &app;
        let host = host.map(str::to_owned);
        async move {
            let mut request = app.client.post(app.url("/graphql")).json(&json!({
                "query": SEARCH, "variables": { "q": "ledger", "host": host, "first": 50 },
            }));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let answer: Value = request
                .send()
                .await
                .expect("sent")
                .json()
                .await
                .expect("JSON");
            answer
        }
    };
    // The default host's ledger, never host B's okapi.
    let mine = ask(None, None).await;
    let scopes: BTreeSet<String> = found(&mine["data"]["search"])
        .into_iter()
        .map(|h| h.1)
        .collect();
    assert!(
        scopes.contains("com.acme.payments.ledger-1.0.0"),
        "{mine:#}"
    );
    assert!(!scopes.contains("okapi-svc"), "{mine:#}");
    // Host B with its own token: its okapi only.
    let theirs = ask(Some("b.example"), Some(common::read_token("b.example"))).await;
    let hits = found(&theirs["data"]["search"]);
    assert_eq!(
        hits,
        [("SCOPE".into(), "okapi-svc".into(), String::new())],
        "{theirs:#}"
    );
    // Host B anonymously, or with the default host's token: refused.
    for (answer, code) in [
        (ask(Some("b.example"), None).await, "UNAUTHENTICATED"),
        (
            ask(Some("b.example"), Some(common::read_token("lightapi.net"))).await,
            "FORBIDDEN",
        ),
    ] {
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], code,
            "{answer:#}"
        );
        assert!(answer["data"].is_null(), "{answer:#}");
    }
}

async fn hostile_queries_are_refused_naming_the_bound(backend: Backend) {
    let app = seeded(backend, 20).await;
    for (variables, field, says) in [
        (json!({ "q": "" }), "query", "no letter or digit"),
        (
            json!({ "q": "*** -- \"\" ()" }),
            "query",
            "no letter or digit",
        ),
        (json!({ "q": "a".repeat(201) }), "query", "at most 200"),
        (json!({ "q": "a b c d e f g h i" }), "query", "at most 8"),
        (
            json!({ "q": "svc", "first": 0 }),
            "first",
            "between 1 and 50",
        ),
        (
            json!({ "q": "svc", "first": 51 }),
            "first",
            "between 1 and 50",
        ),
        (json!({ "q": "svc", "after": "x" }), "after", "cursor"),
        (
            json!({ "q": "svc", "after": "1000" }),
            "after",
            "below 1000",
        ),
        (json!({ "q": "svc", "after": "-1" }), "after", "cursor"),
    ] {
        let (code, error) = app.error_code(SEARCH, variables.clone()).await;
        assert_eq!(code, "BAD_USER_INPUT", "{variables} {error:#}");
        assert_eq!(error["extensions"]["field"], field, "{error:#}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{variables}: {message}");
    }
    // Text-index syntax and SQL are words like any other: no error, no hit.
    for q in [
        "\"svc\" OR NEAR(svc lob0)",
        "svc'; DROP TABLE scopes; --",
        "svc:* & !lob0 | (x)",
        "title:svc",
    ] {
        let page = search(&app, json!({ "q": q })).await;
        assert!(page["edges"].is_array(), "{q}: {page:#}");
    }
    let page = search(&app, json!({ "q": "svc" })).await;
    assert_eq!(found(&page).len(), 10, "the store still answers");
    assert_eq!(
        app.runbooks
            .store()
            .host_documents(&common::host())
            .await
            .expect("read")
            .len(),
        dataset(&common::host(), 20).len()
    );
}

async fn the_text_index_finds_what_the_reference_matcher_finds(backend: Backend) {
    let app = common::spawn_app_on(backend, true, |_| {}).await;
    let host = common::host();
    let docs = app
        .runbooks
        .store()
        .host_documents(&host)
        .await
        .expect("documents");
    for q in [
        "ledger",
        "ERR1",
        "restart",
        "db",
        "check pool",
        "payments",
        "1",
        "the",
    ] {
        let terms = SearchTerms::parse(q).expect("terms");
        let reference: BTreeSet<_> = scan(&docs, &terms, 0, 1_000)
            .into_iter()
            .map(|h| (h.kind, h.scope, h.key))
            .collect();
        let store: Vec<_> = app
            .runbooks
            .store()
            .search(&host, &terms, 0, 1_000)
            .await
            .expect("searched")
            .into_iter()
            .map(|h| (h.kind, h.scope, h.key))
            .collect();
        let indexed: BTreeSet<_> = store.iter().cloned().collect();
        assert_eq!(store.len(), indexed.len(), "{q}: a hit twice");
        assert_eq!(indexed, reference, "{q}");
    }
}

on_every_backend!(
    a_partial_service_name_finds_the_service_among_a_thousand_in_one_round_trip,
    the_index_follows_every_write,
    hosts_stay_apart,
    hostile_queries_are_refused_naming_the_bound,
    the_text_index_finds_what_the_reference_matcher_finds,
);
