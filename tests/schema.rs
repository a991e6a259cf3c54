//! `schema.graphql` is the exported SDL: this test fails when it drifts.

#[test]
fn the_checked_in_schema_matches_the_code() {
    let expected = light_runbook::graphql::sdl();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        checked_in == expected,
        "schema.graphql is out of date; regenerate it with:\n    cargo run -- schema > schema.graphql"
    );
}
