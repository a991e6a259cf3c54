//! The offline GraphiQL page in a real browser: Debian's headless Chromium
//! (`/usr/bin/chromium`, or `$CHROMIUM`) driven by playwright-core from the npm
//! project in `tests/federation/` (`graphiql.mjs`). It runs a query through the
//! page, reads the result, checks that no request left loopback, and takes a
//! screenshot into a temporary directory (or `$GRAPHIQL_SCREENSHOT_DIR`, to keep it).
//!
//! Needs Chromium (`apt-get install -y chromium`; `scripts/test.sh` installs it)
//! and Node.js 20+ with npm (`node_modules` is installed with `npm ci`).

mod common;
#[path = "federation/node.rs"]
mod node;

use std::{path::PathBuf, time::Duration};

#[tokio::test]
async fn graphiql_runs_a_query_in_headless_chromium_without_leaving_loopback() {
    let chromium = std::env::var_os("CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    assert!(
        chromium.is_file(),
        "Chromium is not installed at {}: install Debian's package with \
         `apt-get install -y chromium` (scripts/test.sh does), or point $CHROMIUM at one",
        chromium.display()
    );

    let app = common::spawn_app(false, |_| {}).await;
    let docs = light_runbook::demo::documents(app.runbooks.default_host()).expect("demo parses");
    app.runbooks
        .store()
        .replace_documents(&docs)
        .await
        .expect("demo written");

    // The screenshot goes to a temporary directory, removed after the test,
    // unless $GRAPHIQL_SCREENSHOT_DIR names one to keep it in.
    let shots = tempfile::tempdir().expect("temp dir");
    let shot_dir = std::env::var_os("GRAPHIQL_SCREENSHOT_DIR")
        .map_or_else(|| shots.path().to_path_buf(), PathBuf::from);
    let base = app.url("");
    let dir = shot_dir.to_string_lossy().into_owned();
    let chromium = chromium.to_string_lossy().into_owned();
    let outcome = tokio::task::spawn_blocking(move || {
        node::run(
            "graphiql.mjs",
            &[&base, &dir, &chromium],
            &[],
            Duration::from_secs(180),
        )
    })
    .await
    .expect("node ran");
    outcome.assert_success("tests/federation/graphiql.mjs");
    eprintln!("{}", outcome.stdout);

    let png = std::fs::read(shot_dir.join("graphiql.png")).expect("screenshot taken");
    assert!(
        png.len() > 10_000 && png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "the screenshot is not a PNG of a page ({} bytes)",
        png.len()
    );
}
