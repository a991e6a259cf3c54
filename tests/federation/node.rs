//! Runs the Node.js side of the federation and GraphiQL browser tests: the small
//! npm project in this folder (`package.json`, pinned by `package-lock.json`).
//! Included by `tests/federation.rs` and `tests/graphiql_browser.rs` with `#[path]`;
//! `tests/graphql_http.rs` runs its own project (`tests/protocol`) with [`run_in`].
//!
//! `node_modules` is installed with `npm ci` when it is missing or older than the
//! lock file, under a file lock so that test processes running at once do not
//! install over each other. Without Node.js 20+ and npm the tests fail, saying so.

#![allow(dead_code)]

use std::{
    fs::File,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

/// The npm project: `tests/federation`.
pub fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/federation")
}

/// The version of `program --version`, or why it cannot be run.
fn version_of(program: &str) -> Result<String, String> {
    let output = Command::new(program)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run `{program} --version`: {e}"))?;
    if !output.status.success() {
        return Err(format!("`{program} --version` failed: {}", output.status));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Checks Node.js (20 or later) and npm, then installs `node_modules` if needed.
pub fn ensure_installed() {
    ensure_installed_in(&project());
}

/// [`ensure_installed`] for the npm project in `dir`.
pub fn ensure_installed_in(dir: &Path) {
    let need = "these tests need Node.js 20 or later with npm on the PATH";
    let node = version_of("node").unwrap_or_else(|e| panic!("{e}: {need}"));
    let major: u32 = node
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    assert!(major >= 20, "found Node.js {node}: {need}");
    let npm = version_of("npm").unwrap_or_else(|e| panic!("{e}: {need}"));

    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("node");
    let lock_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-npm-ci.lock"));
    let lock = File::create(&lock_path)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));

    if is_current(dir) {
        return;
    }
    eprintln!(
        "installing {} with npm ci (node {node}, npm {npm})",
        dir.display()
    );
    let status = Command::new("npm")
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .current_dir(dir)
        .stdin(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run npm ci: {e}: {need}"));
    assert!(
        status.success(),
        "`npm ci` in {} failed ({status}); see its output above",
        dir.display()
    );
}

/// Whether `node_modules` was installed from the current lock file.
fn is_current(dir: &Path) -> bool {
    let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (
        modified(dir.join("node_modules/.package-lock.json")),
        modified(dir.join("package-lock.json")),
    ) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    }
}

/// What a script printed, and whether it succeeded.
pub struct Outcome {
    pub success: bool,
    pub status: String,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Panics with everything the script printed unless it succeeded.
    pub fn assert_success(&self, script: &str) {
        assert!(
            self.success,
            "{script} failed ({}).\n--- stdout\n{}\n--- stderr\n{}",
            self.status, self.stdout, self.stderr
        );
    }
}

/// Runs `node <script> <args…>` in the npm project (installed first), with the
/// given environment variables, killing it after `timeout`. Blocks: call it
/// from `spawn_blocking` in async tests.
pub fn run(script: &str, args: &[&str], env: &[(&str, &str)], timeout: Duration) -> Outcome {
    run_in(&project(), script, args, env, timeout)
}

/// [`run`] for the npm project in `dir`.
pub fn run_in(
    dir: &Path,
    script: &str,
    args: &[&str],
    env: &[(&str, &str)],
    timeout: Duration,
) -> Outcome {
    ensure_installed_in(dir);
    let out = tempfile::tempdir().expect("temp dir");
    let stdout_path = out.path().join("stdout");
    let stderr_path = out.path().join("stderr");
    let stdout = File::create(&stdout_path).expect("stdout file");
    let stderr = File::create(&stderr_path).expect("stderr file");
    let mut child = Command::new("node")
        .arg(dir.join(script))
        .args(args)
        .current_dir(dir)
        // No usage reporting or schema fetching from anywhere but this machine.
        .env_remove("APOLLO_KEY")
        .env_remove("APOLLO_GRAPH_REF")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run node {script}: {e}"));
    let started = Instant::now();
    let (success, status) = loop {
        match child.try_wait().expect("waiting for node") {
            Some(status) => break (status.success(), status.to_string()),
            None if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break (false, format!("killed after {timeout:?}"));
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    Outcome {
        success,
        status,
        stdout: std::fs::read_to_string(&stdout_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(&stderr_path).unwrap_or_default(),
    }
}
