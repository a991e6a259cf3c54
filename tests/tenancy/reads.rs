//! Reads across hosts: a token reads its own host only; without one, only
//! the default host, never history or audit, with the same refusal whether
//! the named host exists or not.

use serde_json::{Value, json};

use super::{B_SERVICE, NOWHERE, OTHER, ask, code, token, two_tenants};
use crate::common::{self, TestApp};

/// Every read field that names a host, with the scope it asks about.
const READS: [(&str, &str); 9] = [
    (
        "runbook",
        "query ($h: String, $s: String!) { runbook(host: $h, serviceId: $s) { serviceId contacts { name } } }",
    ),
    (
        "scope",
        "query ($h: String, $s: String!) { scope(host: $h, id: $s) { id contacts { name email } } }",
    ),
    (
        "scopes",
        "query ($h: String, $s: String!) { scopes(host: $h, after: $s) { edges { node { id } } } }",
    ),
    (
        "errorCode",
        "query ($h: String, $s: String!) { errorCode(host: $h, code: \"ERR10001\", serviceId: $s) { code message } }",
    ),
    (
        "errorCodes",
        "query ($h: String, $s: String!) { errorCodes(host: $h) { edges { node { code } } } s: scope(host: $h, id: $s) { id } }",
    ),
    (
        "procedure",
        "query ($h: String, $s: String!) { procedure(host: $h, scopeId: $s, key: \"triage\") { key body } }",
    ),
    (
        "executions",
        "query ($h: String, $s: String!) { executions(host: $h, serviceId: $s) { edges { node { id } } } }",
    ),
    (
        "service entity",
        "query ($h: String!, $s: String!) { _entities(representations: [{__typename: \"Service\", host: $h, serviceId: $s}]) { ... on Service { serviceId scope { contacts { name } } } } }",
    ),
    (
        "error code entity",
        "query ($h: String!, $s: String!) { _entities(representations: [{__typename: \"ErrorCode\", host: $h, code: \"ERR10001\"}]) { ... on ErrorCode { code } } s: scope(host: $h, id: $s) { id } }",
    ),
];

/// History and audit: a token of the host, always.
const HISTORY: [(&str, &str); 2] = [
    (
        "history",
        "query ($h: String, $s: String!) { history(host: $h, scopeId: $s) { edges { node { changeId } } } }",
    ),
    (
        "audit",
        "query ($h: String, $s: String!) { audit(host: $h, scopeId: $s) { edges { node { changeId } } } }",
    ),
];

/// A read the caller may make: no refusal (executions, which this store
/// does not keep, answer BAD_USER_INPUT once the caller may read).
fn allowed(field: &str, answer: &Value) {
    let expected = if field == "executions" {
        "BAD_USER_INPUT"
    } else {
        ""
    };
    assert_eq!(code(answer), expected, "{field}: {answer:#}");
}

fn refused(field: &str, answer: &Value, expected: &str) {
    assert_eq!(code(answer), expected, "{field}: {answer:#}");
    assert!(
        answer["data"].is_null() || !answer["errors"].is_null(),
        "{field}: {answer:#}"
    );
}

/// The answer with `host` written as HOST: what it says beyond the name it was given.
fn shape(answer: &Value, host: &str) -> String {
    answer.to_string().replace(host, "HOST")
}

const LEDGER: &str = "com.acme.payments.ledger-1.0.0";

async fn federated() -> TestApp {
    two_tenants(|s| s.federation = true).await
}

#[tokio::test]
async fn an_anonymous_caller_reads_only_the_default_host_and_the_same_refusal_hides_which_hosts_exist()
 {
    let app = federated().await;
    let default = common::host();
    for (field, query) in READS {
        let mine = ask(
            &app,
            None,
            query,
            json!({ "h": default.as_str(), "s": LEDGER }),
        )
        .await;
        allowed(field, &mine);
        let other = ask(&app, None, query, json!({ "h": OTHER, "s": B_SERVICE })).await;
        refused(field, &other, "UNAUTHENTICATED");
        assert!(
            !other.to_string().contains("B on-call"),
            "{field}: {other:#}"
        );
        let nowhere = ask(&app, None, query, json!({ "h": NOWHERE, "s": B_SERVICE })).await;
        assert_eq!(shape(&other, OTHER), shape(&nowhere, NOWHERE), "{field}");
    }
    // The refusals left the other tenant readable by its own token.
    let b = token("bea", "user", "portal.r", OTHER);
    let (_, runbook) = READS[0];
    let answer = ask(
        &app,
        Some(&b),
        runbook,
        json!({ "h": OTHER, "s": B_SERVICE }),
    )
    .await;
    assert_eq!(
        answer["data"]["runbook"]["contacts"][0]["name"], "B on-call",
        "{answer:#}"
    );
}

#[tokio::test]
async fn a_token_reads_its_own_host_and_is_refused_on_any_other_including_the_default() {
    let app = federated().await;
    let b = token("bea", "user", "portal.r", OTHER);
    let default_reader = token("dan", "user", "portal.r", common::host().as_str());
    for (field, query) in READS.iter().chain(HISTORY.iter()) {
        let own = ask(&app, Some(&b), query, json!({ "h": OTHER, "s": B_SERVICE })).await;
        allowed(field, &own);
        let default = ask(
            &app,
            Some(&b),
            query,
            json!({ "h": common::host().as_str(), "s": LEDGER }),
        )
        .await;
        refused(field, &default, "FORBIDDEN");
        let across = ask(
            &app,
            Some(&default_reader),
            query,
            json!({ "h": OTHER, "s": B_SERVICE }),
        )
        .await;
        refused(field, &across, "FORBIDDEN");
        let nowhere = ask(
            &app,
            Some(&default_reader),
            query,
            json!({ "h": NOWHERE, "s": B_SERVICE }),
        )
        .await;
        assert_eq!(shape(&across, OTHER), shape(&nowhere, NOWHERE), "{field}");
    }
}

#[tokio::test]
async fn history_and_audit_need_a_token_of_the_host_even_for_the_default_host() {
    let app = federated().await;
    let default = common::host();
    for (field, query) in HISTORY {
        for (host, scope) in [
            (default.as_str(), LEDGER),
            (OTHER, B_SERVICE),
            (NOWHERE, B_SERVICE),
        ] {
            let anonymous = ask(&app, None, query, json!({ "h": host, "s": scope })).await;
            refused(field, &anonymous, "UNAUTHENTICATED");
        }
        let omitted = ask(&app, None, query, json!({ "s": LEDGER })).await;
        refused(field, &omitted, "UNAUTHENTICATED");
        let reader = token("dan", "user", "portal.r", default.as_str());
        let answer = ask(&app, Some(&reader), query, json!({ "s": LEDGER })).await;
        allowed(field, &answer);
        assert!(
            answer["data"][field]["edges"]
                .as_array()
                .is_some_and(|e| !e.is_empty()),
            "{answer:#}"
        );
    }
}

#[tokio::test]
async fn a_kept_answer_of_another_host_is_not_handed_to_an_anonymous_caller() {
    let app = two_tenants(|_| {}).await;
    let (_, runbook) = READS[0];
    let b = token("bea", "user", "portal.r", OTHER);
    let vars = json!({ "h": OTHER, "s": B_SERVICE });
    let kept = ask(&app, Some(&b), runbook, vars.clone()).await;
    assert_eq!(kept["data"]["runbook"]["serviceId"], B_SERVICE, "{kept:#}");
    for _ in 0..2 {
        let anonymous = ask(&app, None, runbook, vars.clone()).await;
        refused("cached runbook", &anonymous, "UNAUTHENTICATED");
        let default_reader = token("dan", "user", "portal.r", common::host().as_str());
        let across = ask(&app, Some(&default_reader), runbook, vars.clone()).await;
        refused("cached runbook", &across, "FORBIDDEN");
    }
    assert_eq!(ask(&app, Some(&b), runbook, vars).await, kept);
}

#[tokio::test]
async fn with_tokens_needed_an_anonymous_caller_reads_nothing() {
    let app = two_tenants(|s| s.read_policy.need_token = true).await;
    let (_, runbook) = READS[0];
    for host in [common::host().as_str(), OTHER, NOWHERE] {
        let answer = ask(&app, None, runbook, json!({ "h": host, "s": LEDGER })).await;
        refused(host, &answer, "UNAUTHENTICATED");
    }
}

#[tokio::test]
async fn with_no_token_key_every_host_is_open_as_writes_are() {
    let app = common::spawn_app(true, |_| {}).await;
    super::seed_other(&app).await;
    for (field, query) in READS.iter().take(7).chain(HISTORY.iter()) {
        let answer = ask(&app, None, query, json!({ "h": OTHER, "s": B_SERVICE })).await;
        allowed(field, &answer);
    }
}
