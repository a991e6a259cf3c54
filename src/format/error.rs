//! `FormatError`: the one error type of the runbook format, naming the file,
//! the document, the position and the field a problem was found at.

use std::fmt;

/// A problem with a runbook file: where it is, and what is wrong.
///
/// Displayed as
/// `file.yml: document 2 (scope acme), line 14, column 5, at procedures.x.kind: message`;
/// the parts that are not known are left out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", Rendered(self))]
pub struct FormatError {
    /// The file as the caller named it.
    pub file: String,
    /// The document's 1-based position in the file, counting empty documents.
    pub document: Option<usize>,
    /// The document's scope id, when it could be read.
    pub scope: Option<String>,
    /// 1-based line in the file.
    pub line: Option<usize>,
    /// 1-based column (in characters).
    pub column: Option<usize>,
    /// The field path, e.g. `procedures.token-expired.kind` or `branches[2].label`.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl FormatError {
    /// An error about a whole file, e.g. one that cannot be read.
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            document: None,
            scope: None,
            line: None,
            column: None,
            field: None,
            message: message.into(),
        }
    }
}

struct Rendered<'a>(&'a FormatError);

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        let mut parts = Vec::new();
        if let Some(document) = e.document {
            parts.push(match &e.scope {
                Some(scope) => format!("document {document} (scope {scope})"),
                None => format!("document {document}"),
            });
        }
        if let Some(line) = e.line {
            parts.push(format!("line {line}"));
        }
        if let Some(column) = e.column {
            parts.push(format!("column {column}"));
        }
        if let Some(field) = &e.field {
            parts.push(format!("at {field}"));
        }
        write!(f, "{}: ", e.file)?;
        if !parts.is_empty() {
            write!(f, "{}: ", parts.join(", "))?;
        }
        f.write_str(&e.message)
    }
}

/// A problem found inside one document, before the file and document are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issue {
    /// Line and column within the document's text (1-based).
    pub at: Option<(usize, usize)>,
    /// The field path.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl Issue {
    /// An issue at a position and field.
    pub fn new(at: Option<(usize, usize)>, field: &str, message: impl Into<String>) -> Self {
        Self {
            at,
            field: (!field.is_empty()).then(|| field.to_owned()),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_error_names_every_part_in_order() {
        let e = FormatError {
            file: "file.yml".into(),
            document: Some(2),
            scope: Some("acme".into()),
            line: Some(14),
            column: Some(5),
            field: Some("procedures.x.kind".into()),
            message: "unknown procedure kind `foo`".into(),
        };
        assert_eq!(
            e.to_string(),
            "file.yml: document 2 (scope acme), line 14, column 5, at procedures.x.kind: \
             unknown procedure kind `foo`"
        );
    }

    #[test]
    fn a_file_error_has_only_the_file_and_the_message() {
        let e = FormatError::file("dir/x.yml", "cannot read the file: denied");
        assert_eq!(e.to_string(), "dir/x.yml: cannot read the file: denied");
    }

    #[test]
    fn a_document_without_a_known_scope_says_only_its_number() {
        let e = FormatError {
            document: Some(3),
            line: Some(7),
            ..FormatError::file("a.yaml", "bad")
        };
        assert_eq!(e.to_string(), "a.yaml: document 3, line 7: bad");
    }
}
