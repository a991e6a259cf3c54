//! The operator web app (`web/`), tested from cargo:
//!
//! - its unit tests (Vitest: graph building, error mapping, diffs, YAML);
//! - the committed build (`web/dist/`, embedded into the binary) matches its
//!   sources: a fresh `npm run build` gives the same bytes;
//! - end to end: the real service on a loopback port with the demo runbooks
//!   and executions on (plus `tests/web/fixtures/e2e-service.yml`, whose
//!   automated step calls a loopback endpoint), driven by Debian's Chromium
//!   through playwright-core (`tests/web/e2e.mjs`), no request leaving loopback;
//! - the execution page across a restart of the real binary, killed and
//!   started again on the same port (`tests/web/restart.mjs`).
//!
//! They need Node.js 20.19 or later with npm, and (end to end) Chromium at
//! `/usr/bin/chromium` or `$CHROMIUM`; a missing tool fails the test with how
//! to install it. `npm ci` runs first where `node_modules` is missing.

mod common;
mod exec_support;

use std::{
    fs::{self, File},
    io::{BufRead, BufReader, Write},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use common::spawn_demo_app;
use exec_support::{Endpoint, Setup, spawn};

/// Holds a file lock on `name` (under cargo's test scratch directory) until
/// dropped: npm commands in one directory never run at once, even from test
/// processes running side by side (`npm ci`, and codegen writing `web/src/gql`).
fn lock(name: &str) -> File {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let file =
        File::create(&path).unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
    file.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", path.display()));
    file
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fails the test, loudly, when a tool is not installed.
fn require(tool: &str, how: &str) {
    let found = Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(found, "`{tool}` is needed for the web app's tests: {how}");
}

fn require_node() {
    require(
        "node",
        "install Node.js 20.19 or later (e.g. Debian's nodejs package, or nodesource)",
    );
    require("npm", "install npm (it comes with Node.js)");
}

fn chromium() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.exists(),
        "Chromium is needed for the web app's end-to-end test and is not at {}: \
         apt-get update && apt-get install -y chromium (or set CHROMIUM)",
        path.display()
    );
    path
}

/// Runs a command to completion within `limit`, its output kept in a file;
/// panics with that output when it fails or takes too long. Returns the output.
fn run(command: &mut Command, limit: Duration, what: &str) -> String {
    let log = tempfile::NamedTempFile::new().expect("log file");
    let out = log.reopen().expect("log for stdout");
    let err = log.reopen().expect("log for stderr");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = fs::read_to_string(log.path()).unwrap_or_default();
    match status {
        Some(s) if s.success() => output,
        Some(s) => panic!("{what} failed ({s}):\n{output}"),
        None => panic!("{what} took longer than {limit:?}:\n{output}"),
    }
}

/// `npm ci` in `dir` when its `node_modules` is missing or older than its lock file.
fn install(dir: &Path) {
    let modified = |p: PathBuf| fs::metadata(p).and_then(|m| m.modified()).ok();
    let installed = modified(dir.join("node_modules/.package-lock.json"));
    let wanted = modified(dir.join("package-lock.json"));
    if matches!((installed, wanted), (Some(i), Some(w)) if i >= w) {
        return;
    }
    run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
        Duration::from_secs(600),
        &format!("npm ci in {}", dir.display()),
    );
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    fn walk(base: &Path, dir: &Path, into: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, into);
            } else {
                into.push(path.strip_prefix(base).expect("under base").to_owned());
            }
        }
    }
    let mut all = Vec::new();
    walk(dir, dir, &mut all);
    all.sort();
    all
}

#[test]
fn web_unit_tests_pass() {
    require_node();
    let _lock = lock("web-npm.lock");
    let web = root().join("web");
    install(&web);
    let output = run(
        Command::new("npm").args(["test"]).current_dir(&web),
        Duration::from_secs(300),
        "the web app's unit tests (npm test in web/)",
    );
    println!("{output}");
}

#[test]
fn committed_web_build_matches_its_sources() {
    require_node();
    let _lock = lock("web-npm.lock");
    let web = root().join("web");
    install(&web);
    let fresh = tempfile::tempdir().expect("temp dir");
    run(
        Command::new("npm")
            .args(["run", "build", "--", "--outDir"])
            .arg(fresh.path())
            .arg("--emptyOutDir")
            .current_dir(&web),
        Duration::from_secs(300),
        "building the web app (npm run build in web/)",
    );
    let committed = web.join("dist");
    let (want, have) = (files(fresh.path()), files(&committed));
    let stale = "web/dist is stale: run `npm run build` in web/ and commit web/dist";
    assert_eq!(
        have, want,
        "{stale} (the files differ: committed left, fresh right)"
    );
    for file in &want {
        let same = fs::read(fresh.path().join(file)).expect("fresh file")
            == fs::read(committed.join(file)).expect("committed file");
        assert!(same, "{stale} ({} differs)", file.display());
    }
    // And the binary serves exactly the committed build.
    let mut embedded: Vec<PathBuf> = light_runbook::http::web::files()
        .into_iter()
        .map(PathBuf::from)
        .collect();
    embedded.sort();
    assert_eq!(
        embedded, want,
        "the binary embeds another build than web/dist"
    );
}

/// The demo runbooks, the end-to-end test's service and a second host's
/// ledger, as one YAML stream.
fn runbooks() -> String {
    let mut docs: Vec<&str> = light_runbook::demo::FILES
        .iter()
        .map(|(_, text)| *text)
        .collect();
    let e2e = include_str!("web/fixtures/e2e-service.yml");
    docs.push(e2e);
    docs.push(include_str!("web/fixtures/host-b.yml"));
    docs.join("\n---\n")
}

/// The host of the search check: 2,000 generated services under one platform.
const BULK_HOST: &str = "bulk.example";

/// Stores the search check's 2,000 services, through a second handle on the
/// service's store (the service sees them as another replica's write).
async fn seed_bulk_host(store_url: &str) {
    let host = light_runbook::domain::Host::parse(BULK_HOST).expect("host");
    let params = light_runbook_bench::Params {
        services: 2_000,
        procedures: 6,
        branches: 10,
        error_codes: 5,
        organizations: 2,
        lines_per_organization: 2,
        templates: 2,
    };
    let docs = light_runbook_bench::documents(params, 7, &host).expect("dataset");
    let store = light_runbook::store::open(store_url, &Default::default())
        .await
        .expect("store opens");
    store.replace_documents(&docs).await.expect("seeded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_app_works_end_to_end_in_chromium() {
    require_node();
    let chromium = chromium();
    let e2e = root().join("tests").join("web");
    {
        let _lock = lock("web-e2e-npm.lock");
        install(&e2e);
    }
    // Automation calls only this loopback endpoint: the demo's own automations
    // (`executor: http` to outside hosts) are refused with `allowHttp: false`;
    // the `e2e` executor opts in to that one loopback address.
    let endpoint = Endpoint::start().await;
    let app = spawn(Setup {
        runbooks: runbooks(),
        executors: format!(
            "executors:\n  e2e:\n    baseUrl: {}/\n    allowNetworks: [127.0.0.1]\nallowHttp: false\n\
             notifiers:\n  e2e-chat: {{format: slack, executor: e2e, path: hooks/chat}}\n",
            endpoint.url()
        ),
        ..Setup::default()
    })
    .await;
    assert!(app.address.ip().is_loopback(), "the service is on loopback");
    seed_bulk_host(&app.store_url).await;
    let base = format!("http://{}", app.address);
    let automation = endpoint.url();
    let output = tokio::task::spawn_blocking(move || {
        run(
            Command::new("node")
                .arg("e2e.mjs")
                .arg(&base)
                .arg(&automation)
                .env("CHROMIUM", chromium)
                .current_dir(&e2e),
            Duration::from_secs(300),
            "the end-to-end test (node tests/web/e2e.mjs)",
        )
    })
    .await
    .expect("e2e runs");
    println!("{output}");
    assert!(
        output.contains("no request left loopback") && output.contains(" 0 failed"),
        "{output}"
    );
    // The mixed execution's automated step called the endpoint once; the
    // flaky one failed once, was mended, and its retry called it again; the
    // escalation went to the chat webhook.
    let paths: Vec<String> = endpoint.calls().into_iter().map(|c| c.path).collect();
    assert_eq!(
        paths,
        ["/ok", "/broken", "/mend", "/broken", "/hooks/chat"],
        "{paths:?}"
    );
    let chat = &endpoint.calls()[4].body;
    assert!(
        chat["text"]
            .as_str()
            .is_some_and(|t| t.contains("Need the DBA on the bridge")),
        "{chat:#}"
    );
    let calls = endpoint.calls();
    assert_eq!(calls[0].body["serviceId"], "com.acme.payments.e2e-1.0.0");
    assert_ne!(calls[1].idempotency_key, calls[3].idempotency_key);
}

#[tokio::test]
async fn the_app_is_served_beside_the_api_whose_routes_keep_their_handlers() {
    let app = spawn_demo_app().await;
    let get = |path: &str| app.client.get(app.url(path)).send();
    let page = get("/runbook/com.acme.payments.ledger-1.0.0/ERR10001")
        .await
        .expect("sent");
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("ASCII")
        .to_owned();
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert_eq!(page.headers()["cache-control"], "no-cache");
    assert!(
        page.text()
            .await
            .expect("body")
            .contains("<div id=\"root\">")
    );

    assert_eq!(
        get("/health")
            .await
            .expect("sent")
            .text()
            .await
            .expect("body"),
        "ok"
    );
    assert_eq!(get("/ready").await.expect("sent").status(), 200);
    let metrics = get("/metrics").await.expect("sent");
    assert!(
        metrics.headers()["content-type"]
            .to_str()
            .expect("ASCII")
            .starts_with("text/plain")
    );
    let graphiql = get("/graphiql")
        .await
        .expect("sent")
        .text()
        .await
        .expect("body");
    assert!(graphiql.contains("GraphiQL"), "{graphiql}");
    let data = app
        .data("{ scope(id: \"acme\") { id } }", serde_json::json!({}))
        .await;
    assert_eq!(data["scope"]["id"], "acme");
    // /alerts takes POSTs only: a GET is refused there, never the page.
    assert_eq!(get("/alerts").await.expect("sent").status(), 405);
    for path in ["/alerts/x", "/graphql/x", "/assets/nope.js"] {
        assert_eq!(get(path).await.expect("sent").status(), 404, "{path}");
    }
}

/// A service whose runbook waits for a person at its first step.
const RESTART_RUNBOOK: &str = r#"
scope: com.acme.restart-1.0.0
name: Restart
kind: SERVICE
procedures:
  look: {title: Look at the dashboard, kind: STEP, body: Open the dashboard.}
  done: {title: Resolved, kind: RESOLUTION}
branches:
  - {from: look, label: next, to: done}
entries: {ERR10001: look}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_execution_page_survives_a_server_restart_and_catches_up() {
    require_node();
    let chromium = chromium();
    let e2e = root().join("tests").join("web");
    {
        let _lock = lock("web-e2e-npm.lock");
        install(&e2e);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let store_url = format!("sqlite://{}", dir.path().join("runbooks.db").display());
    let host = light_runbook::domain::Host::parse("lightapi.net").expect("host");
    let docs: Vec<_> = light_runbook::format::parse_str("restart.yml", RESTART_RUNBOOK, &host)
        .expect("valid")
        .into_iter()
        .map(|d| d.doc)
        .collect();
    light_runbook::store::open(&store_url, &Default::default())
        .await
        .expect("store opens")
        .replace_documents(&docs)
        .await
        .expect("seeded");
    let server = common::binary::serve(&store_url, Vec::<&str>::new());
    let address = server
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("the server's address");
    let started = common::post_graphql(
        &reqwest::Client::new(),
        address,
        r#"mutation { startExecution(serviceId: "com.acme.restart-1.0.0", errorCode: "ERR10001") { id } }"#,
        serde_json::json!({}),
    )
    .await;
    let id = started["data"]["startExecution"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("started: {started:#}"))
        .to_owned();
    let output = tokio::task::spawn_blocking(move || {
        drive_restart(server, &store_url, &e2e, &chromium, &id)
    })
    .await
    .expect("the restart test runs");
    println!("{output}");
    assert!(
        output.contains("no request left loopback") && output.contains(" 0 failed"),
        "{output}"
    );
}

/// Runs `restart.mjs` against `server`, killing it and starting it again on
/// the same address when the script asks. Returns the script's output.
fn drive_restart(
    server: common::binary::Server,
    store_url: &str,
    dir: &Path,
    chromium: &Path,
    id: &str,
) -> String {
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut child = Command::new("node")
        .arg("restart.mjs")
        .arg(&server.base)
        .arg(id)
        .env("CHROMIUM", chromium)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    // The script ends in well under a minute; past two, it is stuck.
    let deadline = std::thread::spawn({
        let pid = child.id();
        move || {
            std::thread::sleep(Duration::from_secs(120));
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
    });
    let mut server = Some(server);
    let mut output = String::new();
    for line in stdout.lines() {
        let line = line.expect("a line of output");
        let reply = match line.trim() {
            "KILL" => {
                drop(server.take());
                "DOWN"
            }
            "START" => {
                server = Some(common::binary::serve_on(
                    &address,
                    store_url,
                    Vec::<&str>::new(),
                ));
                "UP"
            }
            _ => {
                output.push_str(&line);
                output.push('\n');
                continue;
            }
        };
        writeln!(stdin, "{reply}").expect("reply sent");
    }
    let status = child.wait().expect("node ends");
    drop(deadline);
    assert!(status.success(), "restart.mjs failed ({status}):\n{output}");
    output
}
