//! No oracles: a caller who may not write gets the same answer for a right
//! and a wrong guess of the content, and for a scope that exists and one that
//! does not; nothing is read or compared before the caller is authorized.

use serde_json::{Value, json};

use super::{OTHER, ask, code, stored, token, two_tenants};
use crate::common;

const GATEWAY: &str = "com.acme.payments.gateway-2.1.0";

const UPDATE_BODY: &str = r#"mutation ($s: String!, $k: String!, $body: String, $dry: Boolean) {
  updateProcedure(scopeId: $s, key: $k, input: { body: $body }, dryRun: $dry) { changeId scopes }
}"#;
const DELETE_PROC: &str =
    r#"mutation ($s: String!, $k: String!) { deleteProcedure(scopeId: $s, key: $k) { changeId } }"#;
const CREATE_BRANCH: &str = r#"mutation ($s: String!, $k: String!) {
  createBranch(scopeId: $s, from: $k, label: "guess", input: { to: $k }) { changeId }
}"#;
const RESTORE: &str = r#"mutation ($s: String!, $k: String!, $c: Int!) {
  restore(scopeId: $s, kind: PROCEDURE, key: $k, changeId: $c) { changeId }
}"#;
const IMPORT: &str = r#"mutation ($y: String!) { importRunbook(yaml: $y) { changeId } }"#;

/// The callers who may not write the gateway: a user of the host who does not
/// own it, one without the write scope, an admin of another host.
fn outsiders() -> [(&'static str, String); 3] {
    let host = common::host();
    [
        ("non-owner", token("bob", "user", "portal.w", host.as_str())),
        (
            "no write scope",
            token("ada", "admin", "portal.r", host.as_str()),
        ),
        (
            "admin of another host",
            token("bea", "admin", "portal.w", OTHER),
        ),
    ]
}

async fn gateway_body(app: &common::TestApp) -> Value {
    let docs = stored(app, common::host().as_str()).await.1;
    let doc = docs
        .iter()
        .find(|d| d.scope.id.as_str() == GATEWAY)
        .expect("gateway");
    let value = light_runbook::domain::object_json(
        doc,
        &light_runbook::domain::ObjectRef::parse("procedure", "check-downstream-health")
            .expect("ref"),
    );
    value
        .and_then(|v| v.get("body").cloned())
        .unwrap_or(Value::Null)
}

/// Asks each pair as each outsider; both answers must be refusals, and the
/// same once each pair's own differing text is written alike.
/// What is asked, the query, the right and the wrong guess's variables, and
/// the texts (right, wrong) the two answers may differ by (empty: none).
type Pair<'a> = (&'a str, &'a str, Value, Value, (&'a str, &'a str));

async fn same_answers(app: &common::TestApp, pairs: &[Pair<'_>]) {
    let before = stored(app, common::host().as_str()).await;
    for (who, t) in outsiders() {
        for (what, query, right, wrong, (a, b)) in pairs {
            let first = ask(app, Some(&t), query, right.clone()).await;
            let second = ask(app, Some(&t), query, wrong.clone()).await;
            assert_eq!(code(&first), "FORBIDDEN", "{who}, {what}: {first:#}");
            let (first, second) = (first.to_string(), second.to_string());
            let second = if a.is_empty() {
                second
            } else {
                second.replace(b, a)
            };
            assert_eq!(first, second, "{who}, {what}");
        }
    }
    assert_eq!(
        stored(app, common::host().as_str()).await,
        before,
        "nothing was written"
    );
}

#[tokio::test]
async fn a_right_and_a_wrong_guess_of_content_get_the_same_refusal() {
    let app = two_tenants(|_| {}).await;
    let body = gateway_body(&app).await;
    assert!(body.is_string(), "the demo's gateway has a body: {body}");
    let key = "check-downstream-health";
    let update =
        |body: Value, dry: bool| json!({ "s": GATEWAY, "k": key, "body": body, "dry": dry });
    same_answers(
        &app,
        &[
            (
                "a no-op update",
                UPDATE_BODY,
                update(body.clone(), false),
                update(json!("a guess"), false),
                ("", ""),
            ),
            (
                "a no-op dry run",
                UPDATE_BODY,
                update(body.clone(), true),
                update(json!("a guess"), true),
                ("", ""),
            ),
            (
                "a delete of a key that exists or not",
                DELETE_PROC,
                json!({ "s": GATEWAY, "k": key }),
                json!({ "s": GATEWAY, "k": "no-such-key" }),
                ("", ""),
            ),
            (
                "a branch to a key that exists or not",
                CREATE_BRANCH,
                json!({ "s": GATEWAY, "k": key }),
                json!({ "s": GATEWAY, "k": "no-such-key" }),
                ("", ""),
            ),
            (
                "a restore of a change that exists or not",
                RESTORE,
                json!({ "s": GATEWAY, "k": key, "c": 1 }),
                json!({ "s": GATEWAY, "k": key, "c": 999_999 }),
                ("", ""),
            ),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_scope_that_does_not_exist_is_refused_as_one_not_owned() {
    let app = two_tenants(|_| {}).await;
    let absent = "com.acme.no-such-service-1.0.0";
    let key = "check-downstream-health";
    let pair = |query: &'static str, extra: Value| {
        let mut right = json!({ "s": GATEWAY, "k": key });
        let mut wrong = json!({ "s": absent, "k": key });
        for (k, v) in extra.as_object().cloned().unwrap_or_default() {
            right[&k] = v.clone();
            wrong[&k] = v;
        }
        (query, right, wrong)
    };
    let cases = [
        ("update", pair(UPDATE_BODY, json!({ "body": "x" }))),
        ("delete", pair(DELETE_PROC, json!({}))),
        ("branch", pair(CREATE_BRANCH, json!({}))),
        ("restore", pair(RESTORE, json!({ "c": 1 }))),
    ];
    let pairs: Vec<_> = cases
        .iter()
        .map(|(what, (q, r, w))| (*what, *q, r.clone(), w.clone(), (GATEWAY, absent)))
        .collect();
    same_answers(&app, &pairs).await;
}

#[tokio::test]
async fn an_import_of_a_document_as_stored_is_refused_as_one_that_changes_it() {
    let app = two_tenants(|_| {}).await;
    let host = common::host();
    let docs = stored(&app, host.as_str()).await.1;
    let doc = docs
        .iter()
        .find(|d| d.scope.id.as_str() == GATEWAY)
        .expect("gateway");
    let same = light_runbook::format::to_document_yaml(doc, &host);
    let mut changed_doc = doc.clone();
    changed_doc.scope.name = "A guess".into();
    let changed = light_runbook::format::to_document_yaml(&changed_doc, &host);
    same_answers(
        &app,
        &[(
            "import",
            IMPORT,
            json!({ "y": same }),
            json!({ "y": changed }),
            ("", ""),
        )],
    )
    .await;
}

#[tokio::test]
async fn an_admin_of_the_host_still_gets_the_true_answers() {
    let app = two_tenants(|_| {}).await;
    let admin = token("ada", "admin", "portal.w", common::host().as_str());
    let absent = ask(
        &app,
        Some(&admin),
        DELETE_PROC,
        json!({ "s": GATEWAY, "k": "no-such-key" }),
    )
    .await;
    assert_eq!(code(&absent), "NOT_FOUND", "{absent:#}");
    let body = gateway_body(&app).await;
    let noop = ask(
        &app,
        Some(&admin),
        UPDATE_BODY,
        json!({ "s": GATEWAY, "k": "check-downstream-health", "body": body }),
    )
    .await;
    assert_eq!(noop["data"]["updateProcedure"]["changeId"], 0, "{noop:#}");
}
