//! Every error rule, each asserting where (file, document, line, column, field)
//! and what (the message).

use super::{MINIMAL, errors, only_error, shown, with};
use crate::format::FormatError;

/// (document, line, column, field) of an error.
fn place(e: &FormatError) -> (Option<usize>, Option<usize>, Option<usize>, Option<&str>) {
    (e.document, e.line, e.column, e.field.as_deref())
}

#[test]
fn a_yaml_syntax_error_names_the_file_the_document_and_the_position() {
    let e = only_error("scope: a\nname: [x,\n");
    assert_eq!(e.file, "t.yml");
    assert_eq!((e.document, e.field.as_deref()), (Some(1), None));
    assert_eq!(e.line, Some(2), "{e}");
    assert!(e.message.starts_with("invalid YAML: "), "{e}");
}

#[test]
fn a_syntax_error_ends_only_its_own_document() {
    let text = format!("scope: [\n---\n{MINIMAL}extra: 1\n---\n{MINIMAL}");
    let errors = errors(&text);
    let places: Vec<_> = errors.iter().map(place).collect();
    assert_eq!(
        places,
        [
            (Some(1), Some(1), Some(8), None),
            (Some(2), Some(6), Some(1), Some("extra")),
        ],
        "{}",
        shown(&errors)
    );
}

#[test]
fn an_unknown_field_lists_the_valid_ones() {
    let e = only_error(&with("owner: [me]\n"));
    assert_eq!(place(&e), (Some(1), Some(4), Some(1), Some("owner")));
    assert_eq!(
        e.message,
        "unknown field `owner`; expected one of: format, host, scope, name, kind, parents, \
         owners, contacts, errorCodes, procedures, branches, entries"
    );
}

#[test]
fn unknown_fields_are_found_at_every_level() {
    let text = with(
        "contacts: [{name: ops, mail: x}]\n\
         errorCodes: {ERR10001: {status: 1}}\n\
         procedures: {a: {titel: x}}\n\
         branches: [{from: a, label: x, too: b}]\n",
    );
    let fields: Vec<_> = errors(&text).iter().map(|e| e.field.clone()).collect();
    let expected = [
        "contacts[0].mail",
        "errorCodes.ERR10001.status",
        "procedures.a.titel",
        "branches[0].too",
    ];
    assert_eq!(fields, expected.map(|f| Some(f.to_owned())));
}

#[test]
fn a_duplicate_top_level_key_is_reported_at_the_second_one() {
    let e = only_error(&with("name: Again\n"));
    assert_eq!(place(&e), (Some(1), Some(4), Some(1), Some("name")));
    assert_eq!(e.message, "duplicate key `name` (first at line 2)");
}

#[test]
fn a_duplicate_procedure_key_is_reported_with_both_lines() {
    let e = only_error(&with("procedures:\n  a: {}\n  b: {}\n  a: {title: x}\n"));
    assert_eq!(place(&e), (Some(1), Some(7), Some(3), Some("procedures.a")));
    assert_eq!(e.message, "duplicate key `a` (first at line 5)");
}

#[test]
fn a_duplicate_entry_code_is_reported() {
    let e = only_error(&with("entries:\n  \"*\": a\n  ERR10001: b\n  '*': c\n"));
    assert_eq!(place(&e), (Some(1), Some(7), Some(3), Some("entries.*")));
    assert_eq!(e.message, "duplicate key `*` (first at line 5)");
}

#[test]
fn a_duplicate_error_code_is_reported() {
    let e = only_error(&with(
        "errorCodes:\n  ERR10001: {}\n  ERR10001: {statusCode: 401}\n",
    ));
    assert_eq!(
        place(&e),
        (Some(1), Some(6), Some(3), Some("errorCodes.ERR10001"))
    );
    assert_eq!(e.message, "duplicate key `ERR10001` (first at line 5)");
}

#[test]
fn a_duplicate_key_inside_automation_is_reported() {
    let e = only_error(&with("procedures:\n  a:\n    automation: {x: 1, x: 2}\n"));
    assert_eq!(e.field.as_deref(), Some("procedures.a.automation.x"));
    assert_eq!(e.message, "duplicate key `x` (first at line 6)");
}

#[test]
fn the_same_branch_twice_in_one_document_is_an_error() {
    let text = with(
        "branches:\n  - {from: a, label: \"yes\", to: b}\n  - {from: c, label: \"yes\"}\n  \
         - from: a\n    label: yes\n    removed: true\n",
    );
    let e = only_error(&text);
    assert_eq!(place(&e), (Some(1), Some(7), Some(5), Some("branches[2]")));
    assert_eq!(
        e.message,
        "branch from `a` labelled `yes` is given twice in this document (first at line 5)"
    );
}

#[test]
fn removed_beside_other_fields_is_an_error() {
    let e = only_error(&with(
        "procedures:\n  a:\n    title: A\n    removed: true\n",
    ));
    assert_eq!(
        place(&e),
        (Some(1), Some(7), Some(5), Some("procedures.a.removed"))
    );
    assert_eq!(
        e.message,
        "`removed: true` must stand alone, but `title` is also given"
    );
    let e = only_error(&with(
        "branches: [{from: a, label: x, to: b, order: 1, removed: true}]\n",
    ));
    assert_eq!(e.field.as_deref(), Some("branches[0].removed"));
    assert_eq!(
        e.message,
        "`removed: true` must stand alone, but `to`, `order` are also given"
    );
}

#[test]
fn removed_false_is_an_error_and_removed_must_be_a_boolean() {
    let e = only_error(&with("procedures: {a: {removed: false}}\n"));
    assert_eq!(
        place(&e),
        (Some(1), Some(4), Some(27), Some("procedures.a.removed"))
    );
    assert_eq!(
        e.message,
        "`removed: false` is not allowed; leave `removed` out instead"
    );
    let e = only_error(&with("procedures: {a: {removed: yes}}\n"));
    assert_eq!(e.message, "expected true or false, found text");
}

#[test]
fn wrong_types_say_what_was_expected_and_found() {
    let text = "scope: ledger\nname: 2024\nkind: SERVICE\nparents: {a: b}\nowners: [true]\n\
                procedures:\n  a:\n    tags: x\n    automation: [1]\n    title: 1.5\n\
                branches: [{from: a, label: b, order: first}]\n\
                errorCodes: {ERR10001: {statusCode: '401'}}\n";
    let found: Vec<_> = errors(text)
        .iter()
        .map(|e| format!("{} {}", e.field.as_deref().unwrap_or(""), e.message))
        .collect();
    assert_eq!(
        found,
        [
            "name expected text, found number 2024 (quote it to make it text)",
            "parents expected a list, found a mapping",
            "owners[0] expected text, found true (quote it to make it text)",
            "procedures.a.tags expected a list, found text",
            "procedures.a.automation expected a mapping, found a list",
            "procedures.a.title expected text, found number 1.5 (quote it to make it text)",
            "branches[0].order expected a whole number, found text",
            "errorCodes.ERR10001.statusCode expected a whole number, found text",
        ]
    );
}

#[test]
fn invalid_ids_keys_and_codes_give_the_newtypes_messages() {
    let text = "host: -bad\nscope: Bad Id\nname: x\nkind: SERVICE\n\
                procedures: {Token: {}}\nerrorCodes: {err1: {}}\nentries: {ERR1: a, \"*\": No}\n\
                branches: [{from: a, label: \" \", to: B}]\n";
    let found: Vec<_> = errors(text)
        .iter()
        .map(|e| {
            (
                e.line,
                e.field.clone().unwrap_or_default(),
                e.message.clone(),
            )
        })
        .collect();
    let key = "must match ^[a-z0-9][a-z0-9-]*$ (at most 100 characters)";
    let id = "must match ^[A-Za-z0-9][A-Za-z0-9._-]*$";
    let expected = [
        (1, "host", format!("invalid host \"-bad\": {id} (at most 253 characters)")),
        (2, "scope", format!("invalid scope id \"Bad Id\": {id} (at most 200 characters)")),
        (5, "procedures.Token", format!("invalid procedure key \"Token\": {key}")),
        (6, "errorCodes.err1", "invalid error code \"err1\": must match ^[A-Z]{3}[0-9]{5}$".into()),
        (7, "entries.ERR1", "invalid entry code \"ERR1\": must be \"*\" or match ^[A-Z]{3}[0-9]{5}$".into()),
        (7, "entries.*", format!("invalid procedure key \"No\": {key}")),
        (8, "branches[0].label", "invalid branch label \" \": must be 1 to 200 characters, not blank, without line breaks".into()),
        (8, "branches[0].to", format!("invalid procedure key \"B\": {key}")),
    ];
    let expected: Vec<_> = expected
        .into_iter()
        .map(|(l, f, m)| (Some(l), f.to_owned(), m))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn an_unknown_kind_lists_the_api_names() {
    let e = only_error("scope: a\nname: A\nkind: frame_work\n");
    assert_eq!(place(&e), (Some(1), Some(3), Some(7), Some("kind")));
    assert_eq!(
        e.message,
        "unknown scope kind `frame_work`; expected one of FRAMEWORK, ORGANIZATION, \
         LINE_OF_BUSINESS, TEMPLATE, SERVICE (any letter case)"
    );
    let e = only_error(&with("procedures: {a: {kind: STPE}}\n"));
    assert_eq!(e.field.as_deref(), Some("procedures.a.kind"));
    assert_eq!(
        e.message,
        "unknown procedure kind `STPE`; expected one of STEP, DECISION, AUTOMATED, \
         RESOLUTION, ESCALATION (any letter case)"
    );
}

#[test]
fn missing_required_fields_are_each_reported() {
    let found: Vec<_> = errors("owners: [me]\nbranches: [{to: a}]\ncontacts: [{email: x}]\n")
        .iter()
        .map(|e| format!("{} {}", e.field.as_deref().unwrap_or(""), e.message))
        .collect();
    assert_eq!(
        found,
        [
            "scope missing required field `scope`",
            "name missing required field `name`",
            "kind missing required field `kind`",
            "branches[0].from missing required field `from`",
            "branches[0].label missing required field `label`",
            "contacts[0].name missing required field `name`",
        ]
    );
}

#[test]
fn another_format_is_refused() {
    let e = only_error(&format!("format: light-runbook/v2\n{MINIMAL}"));
    assert_eq!(place(&e), (Some(1), Some(1), Some(9), Some("format")));
    assert_eq!(
        e.message,
        "unsupported format `light-runbook/v2`; expected light-runbook/v1"
    );
}

#[test]
fn a_document_that_is_not_a_mapping_is_refused() {
    let e = only_error("---\n- scope: a\n");
    assert_eq!(place(&e), (Some(1), Some(2), Some(1), None));
    assert_eq!(e.message, "expected a mapping, found a list");
}

#[test]
fn parents_must_be_distinct_and_not_the_scope_itself() {
    let found: Vec<_> = errors(&with("parents: [a, ledger, a]\n"))
        .iter()
        .map(|e| format!("{} {}", e.field.as_deref().unwrap_or(""), e.message))
        .collect();
    assert_eq!(
        found,
        [
            "parents[1] scope ledger cannot be its own parent",
            "parents[2] parent a is listed twice (first at line 4)",
        ]
    );
}

#[test]
fn a_status_code_outside_http_range_is_refused() {
    let e = only_error(&with("errorCodes: {ERR10001: {statusCode: 99}}\n"));
    assert_eq!(e.message, "99 is out of range: must be from 100 to 599");
}

#[test]
fn the_same_scope_twice_in_one_file_names_both_places() {
    let e = only_error(&format!("{MINIMAL}---\n# again\n{MINIMAL}"));
    assert_eq!(place(&e), (Some(2), Some(6), None, Some("scope")));
    assert_eq!(e.scope.as_deref(), Some("ledger"));
    assert_eq!(
        e.message,
        "scope ledger of host lightapi.net is defined twice in this import; \
         first in t.yml, document 1, line 1"
    );
}

#[test]
fn an_error_names_the_scope_when_it_could_be_read() {
    let e = only_error(&format!(
        "---\n---\n{MINIMAL}procedures: {{a: {{kind: x}}}}\n"
    ));
    assert_eq!(
        e.to_string(),
        "t.yml: document 2 (scope ledger), line 6, column 24, at procedures.a.kind: \
         unknown procedure kind `x`; expected one of STEP, DECISION, AUTOMATED, RESOLUTION, \
         ESCALATION (any letter case)"
    );
}

#[test]
fn every_failing_document_is_reported_not_just_the_first() {
    let text = format!(
        "{MINIMAL}kind: X\n---\nscope: b\n---\n{}",
        MINIMAL.replace("ledger", "c")
    );
    let docs: Vec<_> = errors(&text).iter().map(|e| e.document).collect();
    assert_eq!(docs, [Some(1), Some(2), Some(2)]);
}

#[test]
fn strange_input_never_panics() {
    let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
    let nested = (0..200).fold(String::from("x"), |acc, i| format!("k{i}: {{{acc}}}"));
    let inputs = [
        "\u{0}\u{1}\u{feff}",
        "*",
        "&a [*a]",
        "a: &a\n  b: *a\n",
        "? [a, b]\n: c\n",
        "~: x\n",
        "scope: 99999999999999999999999999\n",
        "procedures: {a: {automation: {x: .nan}}}\n",
        "\t\t---\n...\n...\n---",
        "%YAML 1.2\n%YAML 1.2\n---\na: 1\n",
        "a: !!binary aGVsbG8=\n",
        "'unterminated",
        "- - - - -",
        &deep,
        &nested,
        "order: -9223372036854775809\n",
    ];
    for input in inputs {
        let _ = super::parse(input);
        let _ = super::parse(&with(input));
    }
}
