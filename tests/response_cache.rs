//! The response cache over HTTP: a kept answer is the same bytes, costs one
//! generation check, is never served after a write to its host or to a
//! caller who may not read that host, and only runbook answers are kept.
//!
//! The tests read the process-wide `/metrics`, so they take turns.

mod common;

use std::collections::BTreeMap;

use common::TestApp;
use serde_json::{Value, json};
use tokio::sync::Mutex;

static TURNS: Mutex<()> = Mutex::const_new(());

const RUNBOOK: &str = "query($s: String!, $c: String) { runbook(serviceId: $s, errorCode: $c) { entry procedures { key body } lineage { id name } } }";

/// A service `s5` under five ancestors `s0`..`s4`, each setting `p-0`'s body.
async fn chained(configure: impl FnOnce(&mut light_runbook::startup::Services)) -> TestApp {
    let app = common::spawn_app(false, configure).await;
    common::seed_chain(&app, 6, 10).await;
    app
}

/// A POST of `body` as sent (the cache keys on the bytes), optionally with a token.
async fn post(app: &TestApp, body: &str, token: Option<&str>) -> (String, Option<String>) {
    let mut request = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("sent");
    assert_eq!(response.status(), 200);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (response.text().await.expect("text"), content_type)
}

fn body(service: &str, code: Option<&str>) -> String {
    json!({ "query": RUNBOOK, "variables": { "s": service, "c": code } }).to_string()
}

/// The service's `/metrics` text.
async fn metrics(app: &TestApp) -> String {
    let response = app.client.get(app.url("/metrics")).send().await;
    response.expect("sent").text().await.expect("text")
}

/// `response_cache_lookups_total` by result, as `/metrics` reports it.
async fn lookups(app: &TestApp) -> BTreeMap<String, u64> {
    metrics(app)
        .await
        .lines()
        .filter_map(|l| l.strip_prefix("response_cache_lookups_total{result=\""))
        .filter_map(|l| {
            let (result, rest) = l.split_once('"')?;
            Some((
                result.to_owned(),
                rest.rsplit(' ').next()?.parse::<f64>().ok()? as u64,
            ))
        })
        .collect()
}

/// What changed in the lookups between two readings.
fn delta(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    after
        .iter()
        .map(|(k, n)| (k.clone(), n - before.get(k).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
}

fn p0_body(answer: &str) -> String {
    let answer: Value = serde_json::from_str(answer).expect("JSON");
    assert!(answer.get("errors").is_none(), "{answer:#}");
    answer["data"]["runbook"]["procedures"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["key"] == "p-0"))
        .map(|p| p["body"].as_str().unwrap_or_default().to_owned())
        .expect("p-0")
}

#[tokio::test]
async fn a_kept_answer_is_the_same_bytes_for_one_check_until_its_host_changes() {
    let _turn = TURNS.lock().await;
    let app = chained(|_| {}).await;
    let request = body("s5", None);
    let before = lookups(&app).await;
    let first = post(&app, &request, None).await;
    let trips_before = app.runbooks.round_trips().by_method();
    let second = post(&app, &request, None).await;
    let trips_after = app.runbooks.round_trips().by_method();
    assert_eq!(second, first, "the kept answer, bytes and content type");
    assert_eq!(
        delta(&before, &lookups(&app).await),
        counts(&[("miss", 1), ("hit", 1)])
    );
    let spent: BTreeMap<_, _> = trips_after
        .iter()
        .map(|(m, n)| (*m, n - trips_before.get(m).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(
        spent,
        BTreeMap::from([("generation", 1)]),
        "a hit costs one check"
    );
    assert_eq!(p0_body(&first.0), "s5");

    // A procedure added to the most general scope through the API: the next
    // request executes again and shows it; the one after is kept again.
    let add = json!({
        "query": "mutation { createProcedure(scopeId: \"s0\", key: \"added\", input: { title: \"Added\", kind: STEP }) { changeId } }",
    });
    let written: Value =
        serde_json::from_str(&post(&app, &add.to_string(), None).await.0).expect("JSON");
    assert!(written.get("errors").is_none(), "{written:#}");
    let before = lookups(&app).await;
    for _ in 0..2 {
        let (answer, _) = post(&app, &request, None).await;
        assert!(answer.contains("\"added\""), "{answer}");
    }
    assert_eq!(
        delta(&before, &lookups(&app).await),
        counts(&[("stale", 1), ("hit", 1)])
    );

    // A write straight to the store (another replica, an import) counts too.
    let host = common::host();
    let s3 = light_runbook::domain::ScopeId::parse("s3").expect("id");
    let mut doc = app
        .runbooks
        .store()
        .documents(&host, std::slice::from_ref(&s3))
        .await
        .expect("read")
        .remove(0);
    doc.scope.name = "renamed in the store".to_owned();
    app.runbooks
        .store()
        .replace_documents(&[doc])
        .await
        .expect("written");
    let (answer, _) = post(&app, &request, None).await;
    assert!(answer.contains("renamed in the store"), "{answer}");
}

#[tokio::test]
async fn only_error_free_runbook_answers_are_kept() {
    let _turn = TURNS.lock().await;
    let app = chained(|_| {}).await;
    let other_roots = json!({
        "query": "query($s: String!) { runbook(serviceId: $s) { entry } scope(id: $s) { name } }",
        "variables": { "s": "s5" },
    })
    .to_string();
    let unknown = body("no-such-service", None);
    let partial = json!({
        "query": "{ a: runbook(serviceId: \"s5\") { entry } b: runbook(serviceId: \"missing\") { entry } }",
    })
    .to_string();
    for request in [&other_roots, &unknown, &partial] {
        let before = lookups(&app).await;
        let first = post(&app, request, None).await;
        let second = post(&app, request, None).await;
        // Root fields resolve concurrently and are written in the order they
        // finish, so two fresh answers are compared as JSON, not as bytes.
        assert_eq!(first.1, second.1);
        assert_eq!(as_json(&first.0), as_json(&second.0), "{request}");
        assert_eq!(
            delta(&before, &lookups(&app).await),
            counts(&[("miss", 2)]),
            "{request}"
        );
    }
}

fn as_json(answer: &str) -> serde_json::Value {
    serde_json::from_str(answer).expect("a JSON answer")
}

#[tokio::test]
async fn a_kept_answer_goes_only_to_callers_who_may_read_its_host() {
    let _turn = TURNS.lock().await;
    let app = chained(|s| {
        common::verify_tokens(s);
        s.read_policy.need_token = true;
    })
    .await;
    let request = body("s5", None);
    let reader = common::read_token(common::host().as_str());
    let kept = post(&app, &request, Some(&reader)).await;
    assert_eq!(p0_body(&kept.0), "s5");
    let before = lookups(&app).await;
    for (caller, code) in [
        (None, "UNAUTHENTICATED"),
        (Some(common::read_token("other.example")), "FORBIDDEN"),
    ] {
        let (answer, _) = post(&app, &request, caller.as_deref()).await;
        let answer: Value = serde_json::from_str(&answer).expect("JSON");
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], code,
            "{answer:#}"
        );
        assert!(answer["data"].is_null(), "{answer:#}");
    }
    assert_eq!(post(&app, &request, Some(&reader)).await, kept);
    assert_eq!(
        delta(&before, &lookups(&app).await),
        counts(&[("refused", 2), ("hit", 1)])
    );
}

#[tokio::test]
async fn the_cache_holds_no_more_than_its_bound() {
    let _turn = TURNS.lock().await;
    let bound = 16 * 1024;
    let app = chained(|s| s.response_cache_max_bytes = bound).await;
    for service in ["s1", "s2", "s3", "s4", "s5"] {
        for code in ["ERR10001", "ERR10002", "ERR10003", "ERR10004", "ERR10005"] {
            post(&app, &body(service, Some(code)), None).await;
        }
    }
    let held: f64 = metrics(&app)
        .await
        .lines()
        .find_map(|l| l.strip_prefix("response_cache_bytes "))
        .and_then(|v| v.parse().ok())
        .expect("response_cache_bytes");
    assert!(held > 0.0 && held <= bound as f64, "{held} of {bound}");
}
