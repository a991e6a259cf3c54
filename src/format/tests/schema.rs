//! The JSON Schema must not drift from the parser: the same good and bad
//! snippets go through both and must get the same verdict, except the few
//! rules a schema cannot state, which are listed as such.

use serde_json::Value;

use super::{
    full_example,
    generated::generate,
    host,
    schema_cases::{CASES, Expect, document},
};
use crate::{
    domain::{ProcedureKind, ScopeKind},
    format::{parse_str, to_document_yaml},
};

const SCHEMA: &str = include_str!("../../../schema/light-runbook-v1.schema.json");

fn schema() -> Value {
    serde_json::from_str(SCHEMA).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).expect("the schema compiles")
}

/// The document as JSON, read the way the parser reads YAML (1.2 core
/// schema); `None` when it has no JSON form (e.g. a duplicate key).
fn as_json(yaml: &str) -> Option<Value> {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(yaml, options).ok()
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    jsonschema::meta::validate(&schema()).expect("meta-schema");
    validator();
}

#[test]
fn parser_and_schema_agree_on_good_and_bad_documents() {
    let validator = validator();
    let mut disagreements = Vec::new();
    for (what, snippet, expect) in CASES {
        let text = document(snippet);
        let parser = parse_str("case.yml", &text, &host()).is_ok();
        let schema = as_json(&text).is_some_and(|json| validator.is_valid(&json));
        let expected = match expect {
            Expect::Valid => (true, true),
            Expect::Invalid => (false, false),
            Expect::ParserOnly => (false, true),
        };
        if (parser, schema) != expected {
            disagreements.push(format!(
                "{what}: parser {parser}, schema {schema}, expected {expected:?}\n{text}"
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn the_schema_enum_patterns_list_exactly_the_kinds() {
    fn any_case(names: &[&str]) -> String {
        let words: Vec<String> = names
            .iter()
            .map(|n| {
                n.chars()
                    .map(|c| match c.is_ascii_alphabetic() {
                        true => format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase()),
                        false => c.to_string(),
                    })
                    .collect()
            })
            .collect();
        format!("^({})$", words.join("|"))
    }
    let schema = schema();
    let pattern = |def: &str| schema["$defs"][def]["pattern"].as_str().map(str::to_owned);
    assert_eq!(
        pattern("scopeKind"),
        Some(any_case(&ScopeKind::ALL.map(ScopeKind::as_str)))
    );
    assert_eq!(
        pattern("procedureKind"),
        Some(any_case(&ProcedureKind::ALL.map(ProcedureKind::as_str)))
    );
}

#[test]
fn the_reference_example_and_generated_exports_satisfy_the_schema() {
    let validator = validator();
    let mut texts: Vec<String> = full_example().split("---\n").map(str::to_owned).collect();
    for doc in generate(4242, 40) {
        texts.push(to_document_yaml(&doc, &host()));
    }
    for text in texts {
        let json = as_json(&text).expect("YAML with a JSON form");
        let errors: Vec<_> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}\n{text}");
    }
}
