//! What the service exposes besides the API, over HTTP: GraphiQL's security
//! headers and its switch, who may read `/metrics`, and the production
//! profile started from its flags (secrets read from files).

mod common;

use std::{
    path::{Path, PathBuf},
    time::{SystemTime, UNIX_EPOCH},
};

use clap::Parser;
use common::TestApp;
use light_runbook::{
    auth::Secret,
    config::{Cli, Command, ServeArgs},
    http::MetricsAccess,
    runbooks::Runbooks,
    startup::{Application, Services},
    store::{self, StoreOptions},
};
use serde_json::{Value, json};

const METRICS_TOKEN: &str = "a-scraper-secret-of-at-least-32-bytes";

/// A token of `host` valid now on the system clock (the profile's services
/// use it), signed with the tests' secret.
fn token(host: &str) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    common::signed(&json!({
        "uid": "ada", "host": host, "role": "user", "scp": "portal.r",
        "exp": now + 600, "nbf": now - 10,
    }))
}

async fn get(app: &TestApp, path: &str, bearer: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(bearer) = bearer {
        request = request.bearer_auth(bearer);
    }
    request.send().await.expect("answered")
}

fn header(response: &reqwest::Response, name: &str) -> String {
    let value = response
        .headers()
        .get(name)
        .map(|v| v.to_str().expect("ASCII"));
    value.unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_graphiql_page_is_served_with_a_strict_policy_and_may_not_be_framed() {
    let app = common::spawn_app(false, |_| {}).await;
    let page = get(&app, "/graphiql", None).await;
    assert_eq!(page.status(), 200);
    let policy = header(&page, "content-security-policy");
    for directive in [
        "default-src 'none'",
        "script-src 'self';",
        "connect-src 'self';",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(policy.contains(directive), "{directive} missing: {policy}");
    }
    assert!(!policy.contains("unsafe"), "{policy}");
    assert_eq!(header(&page, "x-frame-options"), "DENY");
    assert_eq!(header(&page, "x-content-type-options"), "nosniff");
    assert_eq!(header(&page, "referrer-policy"), "same-origin");
    assert_eq!(header(&page, "cache-control"), "no-store");
    let script = get(&app, "/graphiql/assets/start.js", None).await;
    assert_eq!(script.status(), 200);
    assert_eq!(header(&script, "x-content-type-options"), "nosniff");
}

#[tokio::test]
async fn with_graphiql_off_the_page_and_its_assets_are_404_and_the_rest_is_served() {
    let app = common::spawn_app(true, |s| s.graphiql = false).await;
    for path in [
        "/graphiql",
        "/graphiql/assets/start.js",
        "/graphiql/assets/graphiql.min.js",
    ] {
        assert_eq!(get(&app, path, None).await.status(), 404, "{path}");
    }
    assert_eq!(get(&app, "/", None).await.status(), 200);
    let data = app.data("{ __typename }", json!({})).await;
    assert_eq!(data["__typename"], "Query");
}

#[tokio::test]
async fn token_metrics_are_refused_without_a_valid_token_and_served_with_one() {
    let app = common::spawn_app(false, |s| {
        common::verify_tokens(s);
        s.metrics_access = MetricsAccess::Token {
            bearer: Some(Secret::new(METRICS_TOKEN)),
        };
    })
    .await;
    let forged = format!("{}x", common::signed(&json!({"host": "lightapi.net"})));
    for bearer in [None, Some("wrong"), Some(forged.as_str()), Some("")] {
        let refused = get(&app, "/metrics", bearer).await;
        assert_eq!(refused.status(), 401, "{bearer:?}");
        assert_eq!(header(&refused, "www-authenticate"), "Bearer");
        assert!(
            !refused
                .text()
                .await
                .expect("body")
                .contains("http_requests_total")
        );
    }
    let token = common::signed(&json!({
        "uid": "ada", "host": "other.host", "exp": common::NOW + 600,
    }));
    for bearer in [METRICS_TOKEN, token.as_str()] {
        let served = get(&app, "/metrics", Some(bearer)).await;
        assert_eq!(served.status(), 200, "{bearer}");
        assert!(
            served
                .text()
                .await
                .expect("body")
                .contains("http_requests_total")
        );
    }
}

#[tokio::test]
async fn metrics_off_are_404_and_public_metrics_need_nothing() {
    let off = common::spawn_app(false, |s| s.metrics_access = MetricsAccess::Off).await;
    assert_eq!(get(&off, "/metrics", None).await.status(), 404);
    assert_eq!(get(&off, "/health", None).await.status(), 200);
    let public = common::spawn_app(false, |_| {}).await;
    assert_eq!(get(&public, "/metrics", None).await.status(), 200);
}

/// `serve`'s arguments as parsed from `args` (after `serve`).
fn serve_args(args: &[&str]) -> ServeArgs {
    let argv = ["light-runbook", "serve"].iter().chain(args);
    match Cli::try_parse_from(argv).expect("flags parse").command {
        Command::Serve(args) => *args,
        other => panic!("not serve: {other:?}"),
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path
}

/// The services those flags describe, over a fresh SQLite store with the demo.
async fn services(args: &ServeArgs, dir: &Path) -> anyhow::Result<Services> {
    let url = format!("sqlite://{}", dir.join("runbooks.db").display());
    let store = store::open(&url, &StoreOptions::default()).await?;
    let runbooks = Runbooks::new(store, common::host());
    light_runbook::demo::seed_if_empty(
        runbooks.store().as_ref(),
        &common::host(),
        &light_runbook::auth::SystemClock,
    )
    .await?;
    Services::from_args(args, runbooks)
}

async fn start(services: Services, dir: tempfile::TempDir) -> TestApp {
    let runbooks = services.runbooks.clone();
    let app = Application::bind("127.0.0.1:0".parse().expect("addr"), services)
        .await
        .expect("binds");
    let address = app.address();
    tokio::spawn(app.run_until_stopped());
    TestApp::started(address, runbooks, dir)
}

fn first_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn the_production_profile_locks_down_graphiql_introspection_reads_and_metrics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let secret = write(dir.path(), "hs256", &format!("{}\n", common::TOKEN_SECRET));
    let secret = secret.to_str().expect("UTF-8 path");
    let args = serve_args(&["--profile", "production", "--jwt-hs256-secret-file", secret]);
    let app = start(services(&args, dir.path()).await.expect("starts"), dir).await;
    assert_eq!(get(&app, "/graphiql", None).await.status(), 404);
    assert_eq!(get(&app, "/metrics", None).await.status(), 401);
    let query = r#"{ runbook(serviceId: "com.acme.payments.ledger-1.0.0", errorCode: "ERR10001") { entry } }"#;
    assert_eq!(
        first_code(&app.graphql(query, json!({})).await),
        "UNAUTHENTICATED"
    );
    // The secret file's trailing newline is not part of the secret: its tokens verify.
    let token = token("lightapi.net");
    let post = |query: &'static str| {
        let request = app.client.post(app.url("/graphql")).bearer_auth(&token);
        request.json(&json!({ "query": query })).send()
    };
    let read: Value = post(query).await.expect("sent").json().await.expect("JSON");
    assert_eq!(
        read["data"]["runbook"]["entry"], "token-expired",
        "{read:#}"
    );
    let schema: Value = post("{ __schema { queryType { name } } }")
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    assert_eq!(first_code(&schema), "FORBIDDEN", "{schema:#}");
    assert_eq!(get(&app, "/metrics", Some(&token)).await.status(), 200);
}

#[tokio::test]
async fn the_production_profile_takes_metrics_off_and_refuses_public_metrics_or_no_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = [
        "--profile",
        "production",
        "--jwt-hs256-secret",
        common::TOKEN_SECRET,
    ];
    let off = serve_args(&[&key[..], &["--metrics", "off"]].concat());
    let app = start(services(&off, dir.path()).await.expect("starts"), dir).await;
    assert_eq!(get(&app, "/metrics", None).await.status(), 404);
    let dir = tempfile::tempdir().expect("temp dir");
    for (args, problem) in [
        (
            &[&key[..], &["--metrics", "public"]].concat(),
            "--metrics token or --metrics off",
        ),
        (
            &vec!["--profile", "production"],
            "--profile production needs a token key",
        ),
        (
            &vec!["--profile", "production", "--jwt-hs256-secret", "too-short"],
            "at least 32",
        ),
    ] {
        let Err(err) = services(&serve_args(args), dir.path()).await else {
            panic!("{args:?} started");
        };
        assert!(format!("{err:#}").contains(problem), "{args:?}: {err:#}");
    }
}

#[tokio::test]
async fn secret_files_that_are_empty_unreadable_or_too_short_stop_the_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = write(dir.path(), "empty", "\n");
    let short = write(dir.path(), "short", "0123456789abcdef0123456789abcde\n");
    let missing = dir.path().join("missing");
    let path = |p: &Path| p.to_str().expect("UTF-8").to_owned();
    for (flag, file, problem) in [
        ("--jwt-hs256-secret-file", path(&empty), "is empty"),
        (
            "--jwt-hs256-secret-file",
            path(&missing),
            "cannot read the secret file",
        ),
        (
            "--jwt-hs256-secret-file",
            path(&short),
            "has 31 bytes; at least 32",
        ),
        ("--alert-secret-file", path(&empty), "is empty"),
        (
            "--metrics-token-file",
            path(&short),
            "has 31 bytes; at least 32",
        ),
        (
            "--metrics-token-file",
            path(&missing),
            "cannot read the secret file",
        ),
    ] {
        let Err(err) = services(&serve_args(&[flag, &file]), dir.path()).await else {
            panic!("{flag} {file} started");
        };
        assert!(
            format!("{err:#}").contains(problem),
            "{flag} {file}: {err:#}"
        );
    }
    let both = [
        "--jwt-hs256-secret",
        common::TOKEN_SECRET,
        "--jwt-hs256-secret-file",
        "f",
    ];
    let argv = ["light-runbook", "serve"].iter().chain(&both);
    assert!(
        Cli::try_parse_from(argv).is_err(),
        "a secret and its file conflict"
    );
}

#[test]
fn the_binary_refuses_the_production_profile_without_a_key_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = format!("sqlite://{}", dir.path().join("runbooks.db").display());
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_light-runbook"))
        .args([
            "serve",
            "--no-demo",
            "--listen",
            "127.0.0.1:0",
            "--store",
            &store,
        ])
        .env("RUNBOOK_PROFILE", "production")
        .env_remove("RUNBOOK_JWT_HS256_SECRET")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    let pid = child.id();
    let (sender, outcome) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    // A binary that wrongly starts serving would never exit: stop it.
    let Ok(output) = outcome.recv_timeout(std::time::Duration::from_secs(60)) else {
        let _ = std::process::Command::new("kill")
            .arg(pid.to_string())
            .status();
        panic!("serve --profile production started without a key");
    };
    let output = output.expect("waited");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: --profile production needs a token key: --jwt-hs256-secret"),
        "{stderr}"
    );
}
