//! The `light-runbook` binary: import, export, check and their error paths,
//! run as a user would, on temporary SQLite files.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Output},
};

const BIN: &str = env!("CARGO_BIN_EXE_light-runbook");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(BIN)
        .args(args)
        .env_remove("RUNBOOK_STORE")
        .env_remove("RUNBOOK_CHECK_STORE")
        .output()
        .expect("binary runs");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }
    fn store(&self, name: &str) -> String {
        format!("sqlite://{}", self.dir.path().join(name).display())
    }
    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::write(&path, text).expect("write");
        path
    }
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo");

const BASE: &str = r#"
scope: base
name: Base
kind: framework
procedures:
  start: {title: Start, kind: decision}
  fix: {title: Fix it, kind: step}
  done: {title: Done, kind: resolution}
branches:
  - {from: start, label: "broken", to: fix, order: 1}
  - {from: fix, label: "fixed", to: done}
entries:
  "*": start
---
scope: svc
name: Service
kind: SERVICE
parents: [base]
procedures:
  fix: {body: "restart it"}
"#;

#[test]
fn the_demo_imports_then_exports_the_same_bytes_after_a_round_trip() {
    let ws = Workspace::new();
    let (a, b) = (ws.store("a.db"), ws.store("b.db"));
    let import = run(&["import", "--store", &a, DEMO]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    let first = run(&["export", "--store", &a]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stdout.contains("scope: light-4j"));
    let exported = ws.file("exported.yml", &first.stdout);
    let again = run(&["import", "--store", &b, s(&exported)]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let second = run(&["export", "--store", &b]);
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn an_import_that_changes_nothing_writes_nothing() {
    let ws = Workspace::new();
    let store = ws.store("s.db");
    let file = ws.file("base.yml", BASE);
    assert_eq!(run(&["import", "--store", &store, s(&file)]).code, 0);
    let again = run(&["import", "--store", &store, s(&file)]);
    assert_eq!(again.code, 0);
    assert!(
        again.stderr.contains("0 scope(s) written"),
        "{}",
        again.stderr
    );
}

#[test]
fn an_import_replaces_the_whole_content_of_the_scopes_it_names_only() {
    let ws = Workspace::new();
    let store = ws.store("s.db");
    assert_eq!(
        run(&["import", "--store", &store, s(&ws.file("base.yml", BASE))]).code,
        0
    );
    // The service document no longer patches `fix`; `base` is not named and stays.
    let svc = ws.file(
        "svc.yml",
        "scope: svc\nname: Service\nkind: SERVICE\nparents: [base]\n",
    );
    let import = run(&["import", "--store", &store, s(&svc)]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    assert!(
        import.stderr.contains("1 scope(s) written (svc)"),
        "{}",
        import.stderr
    );
    let export = run(&["export", "--store", &store]);
    assert!(!export.stdout.contains("restart it"), "{}", export.stdout);
    assert!(export.stdout.contains("scope: base"));
}

#[test]
fn a_bad_file_is_reported_with_file_document_and_field_and_nothing_is_written() {
    let ws = Workspace::new();
    let store = ws.store("s.db");
    let good = ws.file("good.yml", BASE);
    let bad = ws.file(
        "bad.yml",
        "scope: other\nname: Other\nkind: SERVICE\nparents: [base]\nprocedures:\n  x: {title: X, kind: STPE}\n",
    );
    let import = run(&["import", "--store", &store, s(&good), s(&bad)]);
    assert_eq!(import.code, 1);
    assert!(import.stderr.contains("bad.yml"), "{}", import.stderr);
    assert!(
        import.stderr.contains("procedures.x.kind"),
        "{}",
        import.stderr
    );
    let export = run(&["export", "--store", &store]);
    assert_eq!(
        export.stdout, "",
        "nothing may be written: {}",
        export.stdout
    );
}

#[test]
fn an_import_whose_services_do_not_resolve_is_refused_whole() {
    let ws = Workspace::new();
    let store = ws.store("s.db");
    let good = ws.file("good.yml", BASE);
    // `half` only patches a key nobody defines: its service cannot resolve.
    let broken = ws.file(
        "broken.yml",
        "scope: half\nname: Half\nkind: SERVICE\nparents: [base]\nprocedures:\n  ghost: {body: boo}\n",
    );
    let import = run(&["import", "--store", &store, s(&good), s(&broken)]);
    assert_eq!(import.code, 1, "{}", import.stderr);
    assert!(import.stderr.contains("ghost"), "{}", import.stderr);
    assert!(import.stderr.contains("broken.yml"), "{}", import.stderr);
    assert_eq!(run(&["export", "--store", &store]).stdout, "");
}

#[test]
fn check_reports_warnings_without_failing_and_errors_with_exit_one() {
    let ws = Workspace::new();
    let ok = run(&["check", DEMO]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(
        ok.stderr.contains("warning[DANGLING_BRANCH]"),
        "{}",
        ok.stderr
    );
    let inheritance_cycle = ws.file(
        "cycle.yml",
        "scope: a\nname: A\nkind: TEMPLATE\nparents: [b]\n---\nscope: b\nname: B\nkind: TEMPLATE\nparents: [a]\n",
    );
    let failed = run(&["check", s(&inheritance_cycle)]);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert!(failed.stderr.contains("cycle"), "{}", failed.stderr);
}

#[test]
fn check_against_a_store_applies_the_files_over_its_content() {
    let ws = Workspace::new();
    let store = ws.store("s.db");
    assert_eq!(
        run(&["import", "--store", &store, s(&ws.file("base.yml", BASE))]).code,
        0
    );
    // Alone this service names an unknown parent; over the store it resolves.
    let svc = ws.file(
        "svc2.yml",
        "scope: svc2\nname: S2\nkind: SERVICE\nparents: [base]\nentries:\n  ERR10001: fix\n",
    );
    assert_eq!(run(&["check", s(&svc)]).code, 1);
    let over = run(&["check", "--store", &store, s(&svc)]);
    assert_eq!(over.code, 0, "{}", over.stderr);
    // Checking writes nothing.
    assert!(!run(&["export", "--store", &store]).stdout.contains("svc2"));
}

#[test]
fn a_branch_that_does_not_resolve_in_its_own_lineage_is_an_error() {
    let ws = Workspace::new();
    let file = ws.file(
        "x.yml",
        &format!("{BASE}branches:\n  - {{from: fix, label: loop, to: nowhere}}\n"),
    );
    let check = run(&["check", s(&file)]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.contains("fix/loop"), "{}", check.stderr);
}

#[test]
fn unreadable_paths_and_bad_store_urls_are_clear_errors() {
    let ws = Workspace::new();
    let missing = run(&["check", "/nonexistent/runbooks.yml"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("/nonexistent/runbooks.yml"),
        "{}",
        missing.stderr
    );
    let bad_url = run(&["export", "--store", "mysql://x"]);
    assert_eq!(bad_url.code, 1);
    assert!(bad_url.stderr.contains("mysql://x"), "{}", bad_url.stderr);
    let unknown = run(&[
        "export",
        "--store",
        &ws.store("empty.db"),
        "--scope",
        "nope",
    ]);
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("nope"), "{}", unknown.stderr);
}

/// The revision `export --scope` prints for `scope`.
fn exported_revision(store: &str, scope: &str) -> String {
    let export = run(&["export", "--store", store, "--scope", scope]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let marker = format!("--base-revision {scope}=");
    let at = export.stderr.find(&marker).expect("a revision") + marker.len();
    export.stderr[at..].trim().to_owned()
}

#[test]
fn an_import_based_on_a_stale_revision_exits_three_naming_the_change_and_writes_nothing() {
    let ws = Workspace::new();
    let store = ws.store("s.db");
    assert_eq!(
        run(&["import", "--store", &store, s(&ws.file("base.yml", BASE))]).code,
        0
    );
    let read_at = exported_revision(&store, "svc");
    let theirs = ws.file(
        "theirs.yml",
        &BASE.replace("restart it", "restart it twice"),
    );
    assert_eq!(run(&["import", "--store", &store, s(&theirs)]).code, 0);
    let before = run(&["export", "--store", &store]).stdout;
    let mine = ws.file("mine.yml", &BASE.replace("restart it", "page someone"));
    for dry in [true, false] {
        let based = format!("svc={read_at}");
        let mut args = vec!["import", "--store", &store, "--base-revision", &based];
        if dry {
            args.push("--dry-run");
        }
        args.push(s(&mine));
        let refused = run(&args);
        assert_eq!(refused.code, 3, "{}", refused.stderr);
        assert!(
            refused.stderr.contains("scope svc is at revision")
                && refused.stderr.contains("procedure fix updated (body)")
                && refused.stderr.contains("nothing was written"),
            "{}",
            refused.stderr
        );
    }
    assert_eq!(run(&["export", "--store", &store]).stdout, before);
    // A typo'd scope or revision is refused too; the current revision is accepted.
    for bad in ["nope=1", "svc=x", "svc"] {
        let r = run(&[
            "import",
            "--store",
            &store,
            "--base-revision",
            bad,
            s(&mine),
        ]);
        assert_ne!(r.code, 0, "{bad}: {}", r.stderr);
    }
    let current = format!("svc={}", exported_revision(&store, "svc"));
    let accepted = run(&[
        "import",
        "--store",
        &store,
        "--base-revision",
        &current,
        s(&mine),
    ]);
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    assert!(
        run(&["export", "--store", &store])
            .stdout
            .contains("page someone")
    );
}

#[test]
fn import_help_says_where_base_revisions_come_from() {
    let help = run(&["import", "--help"]);
    assert!(
        help.stdout.contains("--base-revision <SCOPE=REV>")
            && help.stdout.contains("not read from the YAML"),
        "{}",
        help.stdout
    );
}

#[test]
fn lint_lists_each_services_findings_and_fails_at_the_severity_asked() {
    let ws = Workspace::new();
    let store = ws.store("lint.db");
    let file = ws.file("base.yml", BASE);
    assert_eq!(run(&["import", "--store", &store, s(&file)]).code, 0);
    // A one-answer decision is a warning: not an error, so the default passes.
    let lint = run(&["lint", "--store", &store]);
    assert_eq!(lint.code, 0, "{}{}", lint.stdout, lint.stderr);
    assert!(
        lint.stdout.contains(
            "WARNING DECISION_WITHOUT_CHOICE svc base start: decision `start` has 1 answer"
        ),
        "{}",
        lint.stdout
    );
    assert!(
        lint.stdout.contains("INFO NO_OWNER svc svc:"),
        "{}",
        lint.stdout
    );
    assert!(
        lint.stderr.contains("in 1 services of host"),
        "{}",
        lint.stderr
    );
    let strict = run(&["lint", "--store", &store, "--fail-on", "warning"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    // A service whose fix loops back with no way out is an error, for the
    // service to fix (the nearest scope that writes the step).
    let looping = ws.file(
        "loop.yml",
        "scope: svc\nname: Service\nkind: SERVICE\nparents: [base]\nowners: [role:svc]\n\
         procedures:\n  fix: {body: restart it}\n\
         branches:\n  - {from: fix, label: fixed, removed: true}\n  - {from: fix, label: again, to: start}\n",
    );
    assert_eq!(run(&["import", "--store", &store, s(&looping)]).code, 0);
    let broken = run(&["lint", "--store", &store, "--service", "svc"]);
    assert_eq!(broken.code, 1, "{}", broken.stdout);
    assert!(
        broken.stdout.contains("ERROR NO_WAY_OUT svc svc fix:"),
        "{}",
        broken.stdout
    );
    let unknown = run(&["lint", "--store", &store, "--service", "nope"]);
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("nope"), "{}", unknown.stderr);
}
