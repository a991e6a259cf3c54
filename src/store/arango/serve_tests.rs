//! `serve` on an `arangodb://` store runs with alerts and executions: the
//! application built on the stand-in (`stand_in.rs`) resumes executions from
//! the ArangoDB execution store at start, and its GraphQL API lists them
//! from it, over HTTP.

use clap::Parser;
use serde_json::{Value, json};

use super::{
    executions_docs::execution_doc,
    queries::{EXECUTION_LIST, EXECUTION_RUNNING},
    replay_executions_tests::{ID, started},
    replay_tests::prepared,
    stand_in::{Seen, VERSIONS},
};
use crate::{
    config::{Cli, Command, ServeArgs},
    startup::Application,
};

fn serve_args(url: &str) -> ServeArgs {
    let argv = [
        "light-runbook",
        "serve",
        "--store",
        url,
        "--listen",
        "127.0.0.1:0",
        "--no-demo",
    ];
    match Cli::try_parse_from(argv).unwrap().command {
        Command::Serve(args) => *args,
        other => panic!("not serve: {other:?}"),
    }
}

/// The cursor requests that ran `text`.
fn ran<'a>(seen: &'a [Seen], text: &str) -> Vec<&'a Seen> {
    (seen.iter())
        .filter(|s| s.path.ends_with("/_api/cursor") && s.body["query"] == text)
        .collect()
}

async fn graphql(address: std::net::SocketAddr, query: &str) -> Value {
    let answer = reqwest::Client::new()
        .post(format!("http://{address}/graphql"))
        .header("content-type", "application/json")
        .body(json!({ "query": query }).to_string())
        .send()
        .await
        .unwrap();
    serde_json::from_str(&answer.text().await.unwrap()).unwrap()
}

#[tokio::test]
async fn serve_on_arangodb_resumes_and_lists_executions_from_its_execution_store() {
    for version in VERSIONS {
        let (stand_in, url, _) = prepared(version).await;
        let doc = execution_doc(&started().execution, 2).unwrap();
        stand_in
            .world
            .lock()
            .unwrap()
            .rows
            .insert(EXECUTION_LIST.name, vec![doc]);

        let app = Application::build(&serve_args(&url)).await.unwrap();
        let address = app.address();
        assert_eq!(
            ran(&stand_in.seen(), EXECUTION_RUNNING.text).len(),
            1,
            "{version}: the running executions are read at start"
        );
        let server = tokio::spawn(app.run_until_stopped());

        let query = r#"{ executions(host: "h", first: 5) { edges { node { id status } } } }"#;
        let answer = graphql(address, query).await;
        assert_eq!(answer["errors"], Value::Null, "{version}: {answer}");
        let edges = &answer["data"]["executions"]["edges"];
        assert_eq!(
            edges,
            &json!([{ "node": { "id": ID, "status": "RUNNING" } }]),
            "{version}"
        );
        let seen = stand_in.seen();
        let listed = ran(&seen, EXECUTION_LIST.text);
        assert_eq!(listed.len(), 1, "{version}");
        assert_eq!(listed[0].body["bindVars"]["host"], "h", "{version}");
        server.abort();
    }
}
