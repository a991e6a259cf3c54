//! The write API end to end over HTTP: tokens, authorization, mutations with
//! revisions, dry runs with their blast radius, history, audit and restore.

mod common;

use common::{Backend, TestApp, spawn_app_on};
use serde_json::{Value, json};

const LEDGER: &str = "com.acme.payments.ledger-1.0.0";
const GATEWAY: &str = "com.acme.payments.gateway-2.1.0";

fn token(uid: &str, roles: &str, scopes: &str, host: &str) -> String {
    common::signed(&json!({
        "uid": uid, "host": host, "role": roles, "scp": scopes,
        "exp": common::NOW + 600, "nbf": common::NOW - 10, "csrf": "csrf-value",
    }))
}

fn admin() -> String {
    token("ada", "admin", "portal.r portal.w", "lightapi.net")
}

async fn secured_app(backend: Backend) -> TestApp {
    spawn_app_on(backend, true, common::verify_tokens).await
}

impl TestApp {
    async fn as_user(&self, token: &str, query: &str, variables: Value) -> Value {
        self.client
            .post(self.url("/graphql"))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("json")
    }

    /// A query by `token` that must succeed: its `data` (history and audit need a token).
    async fn data_as(&self, token: &str, query: &str, variables: Value) -> Value {
        let response = self.as_user(token, query, variables).await;
        assert!(response["errors"].is_null(), "{response:#}");
        response["data"].clone()
    }
}

fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

const UPDATE_BODY: &str = r#"mutation ($scope: String!, $key: String!, $body: String, $rev: Int, $dry: Boolean) {
  updateProcedure(scopeId: $scope, key: $key, input: { body: $body }, expectedRevision: $rev, dryRun: $dry) {
    dryRun changeId scopes changes { scopeId kind key }
    impact { serviceId added { kind key } removed { kind key } changed { kind key } }
  }
}"#;

const CREATE_PROC: &str = r#"mutation ($scope: String!, $key: String!, $title: String, $kind: ProcedureKind, $dry: Boolean) {
  createProcedure(scopeId: $scope, key: $key, input: { title: $title, kind: $kind }, dryRun: $dry) {
    dryRun changeId impact { serviceId added { kind key } }
  }
}"#;

async fn body_of(app: &TestApp, service: &str, key: &str) -> Value {
    let rb = app
        .data(
            "query ($s: String!) { runbook(serviceId: $s) { procedures { key body } } }",
            json!({ "s": service }),
        )
        .await;
    rb["runbook"]["procedures"]
        .as_array()
        .and_then(|list| list.iter().find(|p| p["key"] == key))
        .map(|p| p["body"].clone())
        .unwrap_or(Value::Null)
}

async fn revision(app: &TestApp, scope: &str, key: &str) -> i64 {
    let data = app
        .data(
            "query ($s: String!, $k: String!) { procedure(scopeId: $s, key: $k) { revision } }",
            json!({ "s": scope, "k": key }),
        )
        .await;
    data["procedure"]["revision"].as_i64().expect("a revision")
}

async fn requests_without_valid_tokens_cannot_write_and_bad_tokens_are_refused(backend: Backend) {
    let app = secured_app(backend).await;
    let anonymous = app
        .graphql(
            UPDATE_BODY,
            json!({ "scope": GATEWAY, "key": "check-downstream-health", "body": "x" }),
        )
        .await;
    assert_eq!(code(&anonymous), "UNAUTHENTICATED", "{anonymous:#}");
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth("not.a.token")
        .json(&json!({ "query": "{ scope(id: \"acme\") { id } }" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.expect("json");
    assert_eq!(code(&body), "UNAUTHENTICATED");
    // Reads stay public within the host.
    assert!(app.data("{ scope(id: \"acme\") { id } }", json!({})).await["scope"].is_object());
}

async fn the_portal_cookie_form_needs_the_matching_csrf_header(backend: Backend) {
    let app = secured_app(backend).await;
    let query = json!({ "query": UPDATE_BODY, "variables": { "scope": GATEWAY, "key": "check-downstream-health", "body": "from the portal" } });
    let send = |csrf: &'static str| {
        app.client
            .post(app.url("/graphql"))
            .header("cookie", format!("accessToken={}", admin()))
            .header("x-csrf-token", csrf)
            .json(&query)
            .send()
    };
    assert_eq!(send("wrong").await.expect("sent").status(), 401);
    let ok: Value = send("csrf-value")
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert!(ok["errors"].is_null(), "{ok:#}");
    assert_eq!(
        body_of(&app, GATEWAY, "check-downstream-health").await,
        "from the portal"
    );
}

async fn writes_need_the_write_scope_the_host_and_ownership(backend: Backend) {
    let app = secured_app(backend).await;
    let vars = json!({ "scope": GATEWAY, "key": "check-downstream-health", "body": "owned" });
    let cases = [
        (
            token("ada", "admin", "portal.r", "lightapi.net"),
            "FORBIDDEN",
        ),
        (token("ada", "admin", "portal.w", "other.host"), "FORBIDDEN"),
        (
            token("bob", "user", "portal.w", "lightapi.net"),
            "FORBIDDEN",
        ),
        // The gateway's owners are [role:payments-gateway-team]: the role owns
        // it, a user id of the same name does not.
        (
            token("payments-gateway-team", "user", "portal.w", "lightapi.net"),
            "FORBIDDEN",
        ),
        (
            token("cy", "payments-gateway-team", "portal.w", "lightapi.net"),
            "",
        ),
        (admin(), ""),
    ];
    for (t, expected) in cases {
        let response = app.as_user(&t, UPDATE_BODY, vars.clone()).await;
        assert_eq!(code(&response), expected, "{response:#}");
    }
    // An owner of a parent may create a scope below it.
    let create = r#"mutation { createScope(input: { id: "com.acme.payments.new-1.0.0", name: "New", kind: SERVICE, parents: ["acme-payments"] }) { changeId } }"#;
    let bob = app
        .as_user(
            &token("bob", "user", "portal.w", "lightapi.net"),
            create,
            json!({}),
        )
        .await;
    assert_eq!(code(&bob), "FORBIDDEN");
    let payments = app
        .as_user(
            &token("pam", "payments-sre", "portal.w", "lightapi.net"),
            create,
            json!({}),
        )
        .await;
    let owners_of_payments = app
        .data("{ scope(id: \"acme-payments\") { owners } }", json!({}))
        .await;
    let owns = owners_of_payments["scope"]["owners"]
        .as_array()
        .is_some_and(|o| o.contains(&json!("role:payments-sre")));
    assert!(owns, "{owners_of_payments:#}");
    assert_eq!(code(&payments), "", "{payments:#}");
}

async fn an_update_changes_the_runbook_and_a_stale_revision_is_a_conflict(backend: Backend) {
    let app = secured_app(backend).await;
    let rev = revision(&app, GATEWAY, "check-downstream-health").await;
    let vars = json!({ "scope": GATEWAY, "key": "check-downstream-health", "body": "new body", "rev": rev });
    let first = app.as_user(&admin(), UPDATE_BODY, vars.clone()).await;
    assert!(first["errors"].is_null(), "{first:#}");
    let change = first["data"]["updateProcedure"]["changeId"]
        .as_i64()
        .expect("change id");
    assert!(change > rev);
    assert_eq!(
        revision(&app, GATEWAY, "check-downstream-health").await,
        change
    );
    assert_eq!(
        body_of(&app, GATEWAY, "check-downstream-health").await,
        "new body"
    );
    let mut again = vars_map(&vars);
    again.insert("body".into(), json!("lost"));
    let stale = app
        .as_user(&admin(), UPDATE_BODY, Value::Object(again))
        .await;
    assert_eq!(code(&stale), "CONFLICT", "{stale:#}");
    assert_eq!(
        body_of(&app, GATEWAY, "check-downstream-health").await,
        "new body"
    );
}

fn vars_map(v: &Value) -> serde_json::Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

async fn a_dry_run_shows_the_blast_radius_and_writes_nothing(backend: Backend) {
    let app = secured_app(backend).await;
    let vars = json!({ "scope": "light-4j", "key": "token-expired", "body": "platform-wide change", "dry": true });
    let preview = app.as_user(&admin(), UPDATE_BODY, vars).await;
    let result = &preview["data"]["updateProcedure"];
    assert_eq!(result["dryRun"], true, "{preview:#}");
    assert_eq!(result["changeId"], 0);
    let services: Vec<&str> = result["impact"]
        .as_array()
        .expect("impact")
        .iter()
        .filter_map(|i| i["serviceId"].as_str())
        .collect();
    assert_eq!(
        services.len(),
        5,
        "every demo service inherits token-expired: {services:?}"
    );
    for impact in result["impact"].as_array().expect("impact") {
        assert_eq!(
            impact["changed"],
            json!([{ "kind": "PROCEDURE", "key": "token-expired" }])
        );
    }
    assert_ne!(
        body_of(&app, LEDGER, "token-expired").await,
        "platform-wide change"
    );
}

async fn history_count(app: &TestApp) -> usize {
    let history = app
        .data_as(&admin(), r#"{ history(scopeId: "com.acme.payments.ledger-1.0.0", first: 500) { edges { node { changeId } } } }"#, json!({}))
        .await;
    history["history"]["edges"].as_array().map_or(0, Vec::len)
}

async fn an_invalid_write_is_refused_with_its_problems_and_changes_nothing(backend: Backend) {
    let app = secured_app(backend).await;
    let recorded = history_count(&app).await;
    let add_dangling = r#"mutation { createBranch(scopeId: "com.acme.payments.ledger-1.0.0", from: "triage", label: "nowhere", input: { to: "no-such-step" }) { changeId } }"#;
    let refused = app.as_user(&admin(), add_dangling, json!({})).await;
    assert_eq!(code(&refused), "INVALID_RUNBOOK", "{refused:#}");
    let problems = &refused["errors"][0]["extensions"]["problems"];
    assert!(
        problems
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["code"] == "BRANCH_NOT_RESOLVED")),
        "{problems:#}"
    );
    let incomplete = app
        .as_user(
            &admin(),
            CREATE_PROC,
            json!({ "scope": LEDGER, "key": "half", "title": "Half" }),
        )
        .await;
    assert_eq!(code(&incomplete), "INVALID_RUNBOOK", "{incomplete:#}");
    let bad_key = app
        .as_user(
            &admin(),
            CREATE_PROC,
            json!({ "scope": LEDGER, "key": "Bad Key", "title": "x", "kind": "STEP" }),
        )
        .await;
    assert_eq!(code(&bad_key), "BAD_USER_INPUT");
    assert_eq!(bad_key["errors"][0]["extensions"]["field"], "key");
    assert_eq!(history_count(&app).await, recorded, "nothing was written");
}

async fn mutations_over_get_are_refused(backend: Backend) {
    let app = secured_app(backend).await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[(
            "query",
            "mutation { deleteScope(id: \"acme\") { changeId } }",
        )])
        .bearer_auth(admin())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 405);
}

async fn history_and_audit_record_who_changed_what_and_restore_brings_a_version_back(
    backend: Backend,
) {
    let app = secured_app(backend).await;
    let original = body_of(&app, GATEWAY, "check-downstream-health").await;
    for (user, body) in [("ada", "first"), ("ben", "second")] {
        let t = token(user, "admin", "portal.w", "lightapi.net");
        let r = app
            .as_user(
                &t,
                UPDATE_BODY,
                json!({ "scope": GATEWAY, "key": "check-downstream-health", "body": body }),
            )
            .await;
        assert!(r["errors"].is_null(), "{r:#}");
    }
    let history = app
        .data_as(
            &admin(),
            r#"{ history(scopeId: "com.acme.payments.gateway-2.1.0", kind: PROCEDURE, key: "check-downstream-health") {
                 edges { node { changeId action uid at operation before after } } } }"#,
            json!({}),
        )
        .await;
    let versions = history["history"]["edges"].as_array().expect("edges");
    // The demo import created it; two updates followed.
    assert_eq!(versions.len(), 3, "{history:#}");
    assert_eq!(versions[2]["node"]["action"], "CREATED");
    assert_eq!(versions[2]["node"]["uid"], "demo");
    let newest = &versions[0]["node"];
    assert_eq!(newest["uid"], "ben");
    assert_eq!(newest["action"], "UPDATED");
    assert_eq!(newest["operation"], "updateProcedure");
    assert_eq!(newest["at"], "2026-11-26T08:00:00Z");
    assert_eq!(newest["before"]["body"], "first");
    assert_eq!(newest["after"]["body"], "second");
    let first_change = versions[1]["node"]["changeId"].as_i64().expect("id");
    assert_eq!(versions[1]["node"]["before"]["body"], original);

    let audit = app
        .data_as(&admin(), r#"{ audit(uid: "ada", from: "2026-11-26T00:00:00Z", to: "2026-11-27T00:00:00Z") { edges { node { uid scopeId } } } }"#, json!({}))
        .await;
    let rows = audit["audit"]["edges"].as_array().expect("edges");
    assert_eq!(rows.len(), 1);
    let outside = app
        .data_as(
            &admin(),
            // Before the tests' fixed now (and the demo's import, on the real clock).
            r#"{ audit(to: "2026-11-25T00:00:00Z") { edges { node { uid } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(outside["audit"]["edges"].as_array().map(Vec::len), Some(0));

    let restore = format!(
        r#"mutation {{ restore(scopeId: "{GATEWAY}", kind: PROCEDURE, key: "check-downstream-health", changeId: {first_change}) {{ changeId }} }}"#
    );
    let restored = app.as_user(&admin(), &restore, json!({})).await;
    assert!(restored["errors"].is_null(), "{restored:#}");
    assert_eq!(
        body_of(&app, GATEWAY, "check-downstream-health").await,
        "first"
    );
}

async fn many_concurrent_writers_lose_no_update(backend: Backend) {
    let app = secured_app(backend).await;
    let keys: Vec<String> = (0..12).map(|i| format!("concurrent-{i}")).collect();
    let writes = keys.iter().map(|key| {
        let app = &app;
        async move {
            let vars = json!({ "scope": LEDGER, "key": key, "title": key, "kind": "STEP" });
            app.as_user(&admin(), CREATE_PROC, vars).await
        }
    });
    for response in futures::future::join_all(writes).await {
        assert!(response["errors"].is_null(), "{response:#}");
    }
    for key in &keys {
        assert!(revision(&app, LEDGER, key).await > 0, "{key} was lost");
    }
    // The same revision given by many writers: exactly one wins.
    let rev = revision(&app, LEDGER, "concurrent-0").await;
    let racing = (0..8).map(|i| {
        let app = &app;
        async move {
            let vars = json!({ "scope": LEDGER, "key": "concurrent-0", "body": format!("writer {i}"), "rev": rev });
            app.as_user(&admin(), UPDATE_BODY, vars).await
        }
    });
    let results = futures::future::join_all(racing).await;
    let winners = results.iter().filter(|r| r["errors"].is_null()).count();
    let conflicts = results.iter().filter(|r| code(r) == "CONFLICT").count();
    assert_eq!((winners, conflicts), (1, 7), "{results:#?}");
}

async fn import_runbook_applies_whole_documents_and_reports_yaml_errors_with_positions(
    backend: Backend,
) {
    let app = secured_app(backend).await;
    let import = r#"mutation ($yaml: String!, $dry: Boolean) { importRunbook(yaml: $yaml, dryRun: $dry) { dryRun changeId scopes } }"#;
    let yaml =
        "scope: com.acme.payments.new-1.0.0\nname: New\nkind: SERVICE\nparents: [acme-payments]\n";
    let preview = app
        .as_user(&admin(), import, json!({ "yaml": yaml, "dry": true }))
        .await;
    assert_eq!(
        preview["data"]["importRunbook"]["scopes"],
        json!(["com.acme.payments.new-1.0.0"]),
        "{preview:#}"
    );
    assert!(
        app.data(
            "{ scope(id: \"com.acme.payments.new-1.0.0\") { id } }",
            json!({})
        )
        .await["scope"]
            .is_null()
    );
    let done = app.as_user(&admin(), import, json!({ "yaml": yaml })).await;
    assert!(
        done["data"]["importRunbook"]["changeId"]
            .as_i64()
            .unwrap_or(0)
            > 0,
        "{done:#}"
    );
    let bad = app
        .as_user(
            &admin(),
            import,
            json!({ "yaml": "scope: x\nname: X\nkind: SERVCE\n" }),
        )
        .await;
    assert_eq!(code(&bad), "BAD_USER_INPUT");
    let message = bad["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("line 3") && message.contains("kind"),
        "{message}"
    );
    // The same positions as data, for an editor to mark the line.
    let at = &bad["errors"][0]["extensions"]["yamlErrors"][0];
    assert_eq!(at["line"], 3, "{bad:#}");
    assert_eq!(at["field"], "kind", "{bad:#}");
    assert!(at["column"].as_u64().is_some_and(|c| c >= 1), "{bad:#}");
    assert!(at["message"].as_str().is_some_and(|m| !m.is_empty()));
}

const DELETE_PROC: &str = r#"mutation ($scope: String!, $key: String!, $dry: Boolean) {
  deleteProcedure(scopeId: $scope, key: $key, dryRun: $dry) { dryRun changeId }
}"#;

/// A platform team's delete of a procedure that a service overrides in part
/// would leave the service's layer incomplete (a body with no title or kind):
/// it is refused, naming the service, and nothing changes. The same delete
/// is accepted (as a dry run) before the service overrides it.
async fn a_platform_delete_under_a_partial_override_is_refused_naming_the_service(
    backend: Backend,
) {
    let app = secured_app(backend).await;
    let rb = app
        .data(
            "query ($s: String!) { runbook(serviceId: $s) { procedures { key provenance origin { id } } } }",
            json!({ "s": LEDGER }),
        )
        .await;
    let inherited: Vec<(String, String)> = rb["runbook"]["procedures"]
        .as_array()
        .expect("procedures")
        .iter()
        .filter(|p| p["provenance"] == "INHERITED")
        .map(|p| {
            (
                p["key"].as_str().expect("key").to_owned(),
                p["origin"]["id"].as_str().expect("origin").to_owned(),
            )
        })
        .collect();
    // A platform procedure no branch leads to: its delete alone is fine.
    let origin = inherited
        .first()
        .map(|(_, o)| o.clone())
        .expect("an inherited procedure");
    let key = "check-certificates".to_owned();
    let created = app
        .as_user(
            &admin(),
            CREATE_PROC,
            json!({ "scope": origin, "key": key, "title": "Check certificates", "kind": "STEP" }),
        )
        .await;
    assert!(created["errors"].is_null(), "{created:#}");
    let preview = app
        .as_user(
            &admin(),
            DELETE_PROC,
            json!({ "scope": origin, "key": key, "dry": true }),
        )
        .await;
    assert!(preview["errors"].is_null(), "{preview:#}");

    let overridden = app
        .as_user(
            &admin(),
            r#"mutation ($scope: String!, $key: String!) { createProcedure(scopeId: $scope, key: $key, input: { body: "Ours." }) { changeId } }"#,
            json!({ "scope": LEDGER, "key": key }),
        )
        .await;
    assert!(overridden["errors"].is_null(), "{overridden:#}");
    let before = (
        revision(&app, &origin, &key).await,
        history_count(&app).await,
    );

    for dry in [true, false] {
        let refused = app
            .as_user(
                &admin(),
                DELETE_PROC,
                json!({ "scope": origin, "key": key, "dry": dry }),
            )
            .await;
        assert_eq!(code(&refused), "INVALID_RUNBOOK", "{refused:#}");
        let problems = refused["errors"][0]["extensions"]["problems"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            problems.iter().any(|p| p["scope"] == LEDGER),
            "{problems:?}"
        );
    }
    assert_eq!(
        (
            revision(&app, &origin, &key).await,
            history_count(&app).await
        ),
        before
    );
    assert_eq!(body_of(&app, LEDGER, &key).await, "Ours.");
}

on_every_backend!(
    requests_without_valid_tokens_cannot_write_and_bad_tokens_are_refused,
    the_portal_cookie_form_needs_the_matching_csrf_header,
    writes_need_the_write_scope_the_host_and_ownership,
    an_update_changes_the_runbook_and_a_stale_revision_is_a_conflict,
    a_dry_run_shows_the_blast_radius_and_writes_nothing,
    an_invalid_write_is_refused_with_its_problems_and_changes_nothing,
    mutations_over_get_are_refused,
    history_and_audit_record_who_changed_what_and_restore_brings_a_version_back,
    many_concurrent_writers_lose_no_update,
    import_runbook_applies_whole_documents_and_reports_yaml_errors_with_positions,
    a_platform_delete_under_a_partial_override_is_refused_naming_the_service,
);
