//! Tests of the runbook format: parsing rules, export, the round trip and the
//! JSON Schema. Shared helpers live here.

mod check;
mod errors;
mod export;
mod files;
mod generated;
mod limits;
mod reference;
mod schema;
mod schema_cases;
mod schema_limits;
mod values;

use crate::domain::{Host, ScopeDocument};

use super::{FormatError, SourceDocument, parse_str};

/// The default host of every test import.
pub(super) fn host() -> Host {
    Host::parse("lightapi.net").unwrap()
}

/// Parses `text` as the file `t.yml`.
pub(super) fn parse(text: &str) -> Result<Vec<SourceDocument>, Vec<FormatError>> {
    parse_str("t.yml", text, &host())
}

/// The errors of a text that must fail.
pub(super) fn errors(text: &str) -> Vec<FormatError> {
    match parse(text) {
        Ok(docs) => panic!("expected errors, parsed {docs:#?}"),
        Err(errors) => errors,
    }
}

/// The one error of a text that must fail with exactly one.
pub(super) fn only_error(text: &str) -> FormatError {
    let errors = errors(text);
    assert_eq!(errors.len(), 1, "{}", shown(&errors));
    errors.into_iter().next().unwrap()
}

/// The documents of a text that must parse.
pub(super) fn docs(text: &str) -> Vec<ScopeDocument> {
    match parse(text) {
        Ok(docs) => docs.into_iter().map(|d| d.doc).collect(),
        Err(errors) => panic!("expected success:\n{}", shown(&errors)),
    }
}

/// The one document of a text that must parse.
pub(super) fn doc(text: &str) -> ScopeDocument {
    let mut docs = docs(text);
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

/// Errors one per line, for assertion messages.
pub(super) fn shown(errors: &[FormatError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A valid document's required fields, for snippets to extend.
pub(super) const MINIMAL: &str = "scope: ledger\nname: Ledger\nkind: SERVICE\n";

/// `MINIMAL` followed by `rest`.
pub(super) fn with(rest: &str) -> String {
    format!("{MINIMAL}{rest}")
}

/// The full example of `docs/format.md` (the YAML block after `<!-- example: full -->`).
pub(super) fn full_example() -> &'static str {
    let reference = include_str!("../../../docs/format.md");
    let after = reference
        .split("<!-- example: full -->")
        .nth(1)
        .expect("docs/format.md has a full example");
    let start = after.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
    let len = after[start..].find("```").expect("the block ends");
    &after[start..start + len]
}
