//! Importing files and directories: recursion and order, unreadable files,
//! and one scope defined in two files.

use std::{fs, path::Path};

use super::{MINIMAL, host, shown};
use crate::format::{check_unique_scopes, parse_files, parse_str};

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, text).unwrap();
}

fn scope(id: &str) -> String {
    MINIMAL.replace("ledger", id)
}

#[test]
fn a_directory_is_read_recursively_in_path_order_and_only_yaml_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b.yaml", &scope("b"));
    write(
        dir.path(),
        "a/z.yml",
        &format!("{}---\n{}", scope("az1"), scope("az2")),
    );
    write(dir.path(), "a/y.YML", &scope("ay"));
    write(dir.path(), "notes.md", "not: yaml: at all: [");
    write(dir.path(), "c.yml.bak", "broken: [");
    let docs = parse_files(&[dir.path().to_path_buf()], &host()).unwrap();
    let ids: Vec<_> = docs.iter().map(|d| d.doc.scope.id.as_str()).collect();
    assert_eq!(ids, ["ay", "az1", "az2", "b"]);
    let second = &docs[2];
    assert!(second.file.ends_with("z.yml"), "{}", second.file);
    assert_eq!((second.index, second.line), (2, 5));
}

#[test]
fn the_same_scope_in_two_files_is_an_error_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "one.yml", &scope("x"));
    write(
        dir.path(),
        "two.yml",
        &format!("{}---\n{}", scope("y"), scope("x")),
    );
    let errors = parse_files(&[dir.path().to_path_buf()], &host()).unwrap_err();
    assert_eq!(errors.len(), 1, "{}", shown(&errors));
    let e = &errors[0];
    assert!(e.file.ends_with("two.yml"));
    assert_eq!(
        (e.document, e.line, e.field.as_deref()),
        (Some(2), Some(5), Some("scope"))
    );
    let one = dir.path().join("one.yml").display().to_string();
    assert_eq!(
        e.message,
        format!(
            "scope x of host lightapi.net is defined twice in this import; first in {one}, document 1, line 1"
        )
    );
}

#[test]
fn check_unique_scopes_reports_every_later_copy() {
    let a = parse_str("a.yml", &scope("x"), &host()).unwrap();
    let b = parse_str(
        "b.yml",
        &format!("{}---\n{}", scope("x"), scope("y")),
        &host(),
    )
    .unwrap();
    let c = parse_str("c.yml", &scope("x"), &host()).unwrap();
    let all: Vec<_> = [a, b, c].into_iter().flatten().collect();
    let errors = check_unique_scopes(&all);
    let files: Vec<_> = errors.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(files, ["b.yml", "c.yml"]);
    assert!(
        errors
            .iter()
            .all(|e| e.message.contains("first in a.yml, document 1, line 1"))
    );
}

#[test]
fn a_missing_file_is_an_error_naming_it_and_the_others_are_still_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.yml", "scope: a\nname: A\nkind: nope\n");
    let missing = dir.path().join("missing.yml");
    let errors = parse_files(&[missing.clone(), dir.path().join("bad.yml")], &host()).unwrap_err();
    assert_eq!(errors.len(), 2, "{}", shown(&errors));
    assert_eq!(errors[0].file, missing.display().to_string());
    assert!(
        errors[0].message.starts_with("cannot read: "),
        "{}",
        errors[0]
    );
    assert_eq!(errors[0].document, None);
    assert!(errors[1].file.ends_with("bad.yml"));
    assert_eq!(errors[1].field.as_deref(), Some("kind"));
}

#[test]
fn a_file_that_is_not_utf8_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.yml");
    fs::write(&path, b"scope: caf\xe9\n").unwrap();
    let errors = parse_files(&[path], &host()).unwrap_err();
    assert_eq!(errors[0].message, "the file is not UTF-8 text");
}

#[test]
fn a_file_named_twice_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yml", &scope("a"));
    let file = dir.path().join("a.yml");
    let docs = parse_files(&[file, dir.path().to_path_buf()], &host()).unwrap();
    assert_eq!(docs.len(), 1);
}

#[test]
fn errors_of_every_file_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yml", "scope: a\n");
    write(dir.path(), "b.yml", "scope: [\n");
    let errors = parse_files(&[dir.path().to_path_buf()], &host()).unwrap_err();
    let files: Vec<_> = errors
        .iter()
        .map(|e| {
            Path::new(&e.file)
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(files, ["a.yml", "a.yml", "b.yml"]);
}
