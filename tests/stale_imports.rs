//! `importRunbook` with the revisions its documents were based on, over
//! HTTP on every backend: a document read before someone else's change is
//! refused as `CONFLICT` naming that change (also in a dry run) and nothing
//! is written; a current one is accepted; without revisions the import
//! replaces the scope as it always did.

mod common;

use common::{Backend, TestApp, spawn_app_on};
use serde_json::{Value, json};

const SCOPE: &str = "com.acme.payments.stale-1.0.0";
const IMPORT: &str = r#"mutation ($yaml: String!, $dry: Boolean, $base: [BaseRevisionInput!]) {
  importRunbook(yaml: $yaml, dryRun: $dry, baseRevisions: $base) { dryRun changeId scopes }
}"#;
const UPDATE: &str = r#"mutation ($body: String) {
  updateProcedure(scopeId: "com.acme.payments.stale-1.0.0", key: "look", input: { body: $body }) { changeId }
}"#;

fn token(uid: &str) -> String {
    common::signed(&json!({
        "uid": uid, "host": "lightapi.net", "role": "admin", "scp": "portal.r portal.w",
        "exp": common::NOW + 600, "nbf": common::NOW - 10, "csrf": "csrf-value",
    }))
}

fn doc(body: &str) -> String {
    format!(
        "scope: {SCOPE}\nname: Stale\nkind: SERVICE\nparents: [acme-payments]\n\
         procedures:\n  look: {{title: Look, kind: STEP, body: \"{body}\"}}\n"
    )
}

async fn post(app: &TestApp, uid: &str, query: &str, variables: Value) -> Value {
    app.client
        .post(app.url("/graphql"))
        .bearer_auth(token(uid))
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json")
}

/// The scope's revision as the web app reads it: its newest change's id.
async fn scope_revision(app: &TestApp, scope: &str) -> i64 {
    let q =
        r#"query ($s: String!) { history(scopeId: $s, first: 1) { edges { node { changeId } } } }"#;
    let data = post(app, "ada", q, json!({ "s": scope })).await;
    data["data"]["history"]["edges"][0]["node"]["changeId"]
        .as_i64()
        .unwrap_or(0)
}

/// What the store holds of the scope: the body and the whole history.
async fn state(app: &TestApp) -> Value {
    let q = r#"query ($s: String!) {
      procedure(scopeId: $s, key: "look") { body revision }
      history(scopeId: $s, first: 100) { edges { node { changeId } } } }"#;
    post(app, "ada", q, json!({ "s": SCOPE })).await["data"].clone()
}

fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

fn base(revision: i64) -> Value {
    json!([{ "scopeId": SCOPE, "revision": revision }])
}

async fn a_stale_import_is_refused_naming_what_changed_and_a_current_one_is_accepted(
    backend: Backend,
) {
    let app = spawn_app_on(backend, true, common::verify_tokens).await;
    let created = post(&app, "ada", IMPORT, json!({ "yaml": doc("v1") })).await;
    assert!(created["errors"].is_null(), "{created:#}");
    let read_at = scope_revision(&app, SCOPE).await;
    assert!(read_at > 0);
    // Someone else saves a form edit after the document was read.
    let theirs = post(&app, "grace", UPDATE, json!({ "body": "theirs" })).await;
    assert!(theirs["errors"].is_null(), "{theirs:#}");
    let before = state(&app).await;
    for dry in [true, false] {
        let vars = json!({ "yaml": doc("mine"), "dry": dry, "base": base(read_at) });
        let refused = post(&app, "ada", IMPORT, vars).await;
        assert_eq!(code(&refused), "CONFLICT", "{refused:#}");
        let message = refused["errors"][0]["message"].as_str().unwrap_or("");
        assert!(
            message.contains(&format!("scope {SCOPE}"))
                && message.contains("procedure look updated (body) by grace"),
            "{message}"
        );
        let details = &refused["errors"][0]["extensions"]["revision"];
        assert_eq!(details["expected"], read_at);
        let change = &details["changes"][0];
        assert_eq!(
            (&change["kind"], &change["key"], &change["uid"]),
            (&json!("PROCEDURE"), &json!("look"), &json!("grace")),
            "{details:#}"
        );
        assert_eq!(change["fields"], json!(["body"]));
        assert_eq!(change["operation"], "updateProcedure");
        assert!(change["at"].as_str().is_some_and(|t| t.ends_with('Z')));
        assert_eq!(state(&app).await, before, "nothing was written");
    }
    // Another caller is still answered; the current revision is accepted.
    assert_eq!(
        app.data("{ scope(id: \"acme\") { id } }", json!({})).await["scope"]["id"],
        "acme"
    );
    let current = scope_revision(&app, SCOPE).await;
    let vars = json!({ "yaml": doc("mine"), "base": base(current) });
    let accepted = post(&app, "ada", IMPORT, vars).await;
    assert!(accepted["errors"].is_null(), "{accepted:#}");
    assert_eq!(state(&app).await["procedure"]["body"], "mine");
}

async fn other_stale_bases_are_refused_and_an_import_without_them_replaces_as_before(
    backend: Backend,
) {
    let app = spawn_app_on(backend, true, common::verify_tokens).await;
    // A new scope based on "no history" (0) that someone created meanwhile.
    let created = post(&app, "grace", IMPORT, json!({ "yaml": doc("theirs") })).await;
    assert!(created["errors"].is_null(), "{created:#}");
    let current = scope_revision(&app, SCOPE).await;
    let before = state(&app).await;
    for stale in [0, current - 1, current + 1] {
        let vars = json!({ "yaml": doc("mine"), "base": base(stale) });
        let refused = post(&app, "ada", IMPORT, vars).await;
        assert_eq!(code(&refused), "CONFLICT", "{stale}: {refused:#}");
        assert_eq!(state(&app).await, before, "nothing was written");
    }
    // Base revisions that make no sense are bad input, naming the argument.
    let other = json!([{ "scopeId": "acme", "revision": 1 }]);
    let twice = json!([{ "scopeId": SCOPE, "revision": current }, { "scopeId": SCOPE, "revision": current }]);
    for bad in [other, twice, base(-1)] {
        let vars = json!({ "yaml": doc("mine"), "base": bad });
        let refused = post(&app, "ada", IMPORT, vars).await;
        assert_eq!(code(&refused), "BAD_USER_INPUT", "{refused:#}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "baseRevisions");
        assert_eq!(state(&app).await, before);
    }
    // Without base revisions nothing is checked: the document replaces the scope.
    let plain = post(&app, "ada", IMPORT, json!({ "yaml": doc("mine") })).await;
    assert!(plain["errors"].is_null(), "{plain:#}");
    assert_eq!(state(&app).await["procedure"]["body"], "mine");
}

on_every_backend!(
    a_stale_import_is_refused_naming_what_changed_and_a_current_one_is_accepted,
    other_stale_bases_are_refused_and_an_import_without_them_replaces_as_before,
);
