//! Reading runbook files and directories, and the rule that one import
//! defines each scope once.

use std::{
    collections::{HashMap, HashSet},
    fs,
    path::{Path, PathBuf},
};

use crate::domain::{Host, ScopeId};

use super::{FormatError, SourceDocument, parse_text};

/// Parses files and directories; a directory stands for every `*.yml` and
/// `*.yaml` file inside it, recursively, in path order.
///
/// Every file is read and every failing document reported; a file that
/// cannot be read is an error naming it, and so is a scope (host and id)
/// defined twice across all the files.
pub fn parse_files(
    paths: &[PathBuf],
    default_host: &Host,
) -> Result<Vec<SourceDocument>, Vec<FormatError>> {
    let mut errors = Vec::new();
    let mut files = Vec::new();
    let mut visited = HashSet::new();
    for path in paths {
        collect(path, true, &mut files, &mut visited, &mut errors);
    }
    let mut docs = Vec::new();
    for file in files {
        let name = file.display().to_string();
        let text = match fs::read(&file) {
            Ok(bytes) => String::from_utf8(bytes),
            Err(e) => {
                errors.push(FormatError::file(
                    name,
                    format!("cannot read the file: {e}"),
                ));
                continue;
            }
        };
        match text {
            Ok(text) => {
                let (good, bad) = parse_text(&name, &text, default_host);
                docs.extend(good);
                errors.extend(bad);
            }
            Err(_) => errors.push(FormatError::file(name, "the file is not UTF-8 text")),
        }
    }
    errors.extend(check_unique_scopes(&docs));
    if errors.is_empty() {
        Ok(docs)
    } else {
        Err(errors)
    }
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
}

/// Adds `path` (a file given by name, or the YAML files under a directory) to
/// `files`, once each.
fn collect(
    path: &Path,
    given: bool,
    files: &mut Vec<PathBuf>,
    visited: &mut HashSet<PathBuf>,
    errors: &mut Vec<FormatError>,
) {
    let name = path.display().to_string();
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => {
            errors.push(FormatError::file(name, format!("cannot read: {e}")));
            return;
        }
    };
    // Canonical paths make a file named twice, or a symlink loop, count once.
    let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if !meta.is_dir() {
        if (given || is_yaml(path)) && visited.insert(canonical) {
            files.push(path.to_path_buf());
        }
        return;
    }
    if !visited.insert(canonical) {
        return;
    }
    let listing = fs::read_dir(path).and_then(|dir| {
        dir.map(|entry| entry.map(|e| e.path()))
            .collect::<Result<Vec<_>, _>>()
    });
    match listing {
        Ok(mut children) => {
            children.sort();
            for child in children {
                collect(&child, false, files, visited, errors);
            }
        }
        Err(e) => errors.push(FormatError::file(
            name,
            format!("cannot read the directory: {e}"),
        )),
    }
}

/// Reports every scope (host and id) that appears more than once, at each
/// later place, naming the first.
pub fn check_unique_scopes(docs: &[SourceDocument]) -> Vec<FormatError> {
    let mut first: HashMap<(&Host, &ScopeId), &SourceDocument> = HashMap::new();
    let mut errors = Vec::new();
    for doc in docs {
        let scope = &doc.doc.scope;
        let Some(earlier) = first.get(&(&scope.host, &scope.id)) else {
            first.insert((&scope.host, &scope.id), doc);
            continue;
        };
        errors.push(FormatError {
            file: doc.file.clone(),
            document: Some(doc.index),
            scope: Some(scope.id.to_string()),
            line: Some(doc.line),
            column: None,
            field: Some("scope".to_owned()),
            message: format!(
                "scope {} of host {} is defined twice in this import; first in {}, document {}, line {}",
                scope.id, scope.host, earlier.file, earlier.index, earlier.line
            ),
        });
    }
    errors
}
