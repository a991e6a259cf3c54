//! `schema.graphql` is the exported SDL of the plain schema and
//! `schema.subgraph.graphql` that of the Apollo Federation v2 subgraph: these
//! tests fail when either drifts from the code.

fn checked_in(file: &str) -> String {
    let path = format!("{}/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn the_checked_in_schema_matches_the_code() {
    let expected = light_runbook::graphql::sdl();
    assert!(
        checked_in("schema.graphql") == expected,
        "schema.graphql is out of date; regenerate it with:\n    cargo run -- schema > schema.graphql"
    );
}

#[test]
fn the_checked_in_subgraph_schema_matches_the_code() {
    let expected = light_runbook::graphql::subgraph_sdl();
    assert!(
        checked_in("schema.subgraph.graphql") == expected,
        "schema.subgraph.graphql is out of date; regenerate it with:\n    cargo run -- schema --federation > schema.subgraph.graphql"
    );
}

#[test]
fn the_subgraph_schema_is_federation_v2_with_the_portal_entities() {
    let sdl = light_runbook::graphql::subgraph_sdl();
    for expected in [
        "extend schema @link(",
        "url: \"https://specs.apollo.dev/federation/v2.5\"",
        "type Service @key(fields: \"host serviceId\") {",
        "type ErrorCode @key(fields: \"host code\") {",
        "type Query {",
        "type Mutation {",
    ] {
        assert!(
            sdl.contains(expected),
            "the subgraph SDL lacks {expected:?}"
        );
    }
    let plain = light_runbook::graphql::sdl();
    for absent in ["@key", "type Service ", "_entities", "_service"] {
        assert!(!plain.contains(absent), "the plain SDL has {absent:?}");
    }
}

#[test]
fn the_schema_subcommand_prints_both() {
    for (args, file) in [
        (&["schema"][..], "schema.graphql"),
        (&["schema", "--federation"][..], "schema.subgraph.graphql"),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_light-runbook"))
            .args(args)
            .output()
            .expect("the binary runs");
        assert!(output.status.success(), "{args:?}: {}", output.status);
        assert!(
            String::from_utf8_lossy(&output.stdout) == checked_in(file),
            "`light-runbook {}` does not print {file}",
            args.join(" ")
        );
    }
}
