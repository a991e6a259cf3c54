//! Runbooks as code: the `light-runbook/v1` YAML format.
//!
//! One YAML document states one scope and its whole content (a
//! [`ScopeDocument`]); a file may hold several documents separated by `---`.
//! [`parse_str`] and [`parse_files`] read them with errors that name the file,
//! the document, the line, the column and the field; [`export`] writes them
//! back in a canonical form that reads back to the same bytes. The reference
//! is `docs/format.md`, and `schema/light-runbook-v1.schema.json` is the JSON
//! Schema of one document.

mod check;
mod content;
mod document;
mod error;
mod export;
mod files;
mod path;
mod read;
mod split;
mod tree;

#[cfg(test)]
mod tests;

pub use check::{Violation, check};
pub use error::FormatError;
pub use export::{export, to_document_yaml};
pub use files::{check_unique_scopes, parse_files};

use crate::domain::{Host, ScopeDocument};

/// The value of the optional `format` field.
pub const FORMAT: &str = "light-runbook/v1";

/// A parsed document and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDocument {
    /// The file as the caller named it.
    pub file: String,
    /// 1-based position of the document in the file, counting empty documents.
    pub index: usize,
    /// Line of the `scope:` field in the file.
    pub line: usize,
    /// What the document states.
    pub doc: ScopeDocument,
}

/// Parses every document of one file's text; `default_host` is the host of
/// documents without a `host` field.
///
/// Every failing document is reported (and every problem found in it), and
/// a scope defined twice in the text is an error.
pub fn parse_str(
    file: &str,
    text: &str,
    default_host: &Host,
) -> Result<Vec<SourceDocument>, Vec<FormatError>> {
    let (docs, mut errors) = parse_text(file, text, default_host);
    errors.extend(check_unique_scopes(&docs));
    if errors.is_empty() {
        Ok(docs)
    } else {
        Err(errors)
    }
}

/// Stack for the parsing thread: deserialization recurses once per nesting
/// level (at most [`tree::MAX_DEPTH`]), and a level takes tens of KiB in
/// unoptimized builds, more than a caller's thread may have to spare.
const PARSE_STACK: usize = 16 << 20;

/// Parses one file's text into its good documents and the errors of the others.
///
/// The work runs on a thread of its own with a known stack, so deep input
/// cannot overflow the caller's stack, and a panic in the YAML parser becomes
/// an error.
pub(crate) fn parse_text(
    file: &str,
    text: &str,
    default_host: &Host,
) -> (Vec<SourceDocument>, Vec<FormatError>) {
    let failed = |message: String| (Vec::new(), vec![FormatError::file(file, message)]);
    std::thread::scope(|s| {
        let worker = std::thread::Builder::new()
            .name("runbook-parse".into())
            .stack_size(PARSE_STACK)
            .spawn_scoped(s, || parse_documents(file, text, default_host));
        match worker.map(|w| w.join()) {
            Ok(Ok(parsed)) => parsed,
            Ok(Err(_)) => failed("internal error: the YAML parser failed on this file".into()),
            Err(e) => failed(format!("cannot start parsing: {e}")),
        }
    })
}

fn parse_documents(
    file: &str,
    text: &str,
    default_host: &Host,
) -> (Vec<SourceDocument>, Vec<FormatError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for chunk in split::split_documents(text) {
        let offset = chunk.first_line - 1;
        let at_document = |scope: Option<String>, issue: error::Issue| FormatError {
            file: file.to_owned(),
            document: Some(chunk.index),
            scope,
            line: issue.at.map(|(line, _)| line + offset),
            column: issue.at.map(|(_, column)| column),
            field: issue.field,
            message: issue.message,
        };
        let root = match tree::parse(chunk.text) {
            Ok(Some(root)) => root,
            Ok(None) => continue,
            Err(issue) => {
                errors.push(at_document(None, issue));
                continue;
            }
        };
        let mut issues = Vec::new();
        path::duplicate_keys(&root, &mut issues);
        let read = document::read(&root, default_host);
        issues.extend(read.issues);
        issues.sort_by_key(|i| i.at.unwrap_or((usize::MAX, usize::MAX)));
        let scope = read.scope.map(|id| id.to_string());
        match read.doc {
            Some(doc) if issues.is_empty() => docs.push(SourceDocument {
                file: file.to_owned(),
                index: chunk.index,
                line: read.scope_line.unwrap_or(1) + offset,
                doc,
            }),
            _ if issues.is_empty() => {
                let issue = error::Issue::new(None, "", "the document could not be read");
                errors.push(at_document(scope, issue));
            }
            _ => errors.extend(issues.into_iter().map(|i| at_document(scope.clone(), i))),
        }
    }
    (docs, errors)
}
