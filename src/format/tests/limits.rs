//! The bounds of one document: each collection and text just at its limit
//! reads, one past it is an error at the field that names the limit.

use super::{errors, parse, shown, with};
use crate::domain::limits::*;

/// The one error of `text`, which must fail: (field, message).
fn refusal(text: &str) -> (String, String) {
    let errors = errors(text);
    assert_eq!(errors.len(), 1, "{}", shown(&errors));
    let e = &errors[0];
    (e.field.clone().unwrap_or_default(), e.message.clone())
}

fn assert_reads(text: &str) {
    if let Err(errors) = parse(text) {
        panic!("expected success:\n{}", shown(&errors));
    }
}

/// `n` items of a YAML flow list, each made by `item`.
fn flow(n: usize, item: impl Fn(usize) -> String) -> String {
    let items: Vec<String> = (0..n).map(item).collect();
    items.join(", ")
}

/// (field, limit, the field's value with that many items, what the items are called)
type Case<'a> = (&'a str, usize, &'a dyn Fn(usize) -> String, &'a str);

#[test]
fn each_collection_of_a_document_is_bounded_and_one_more_is_refused_at_its_field() {
    let procedure = |i: usize| format!("p{i}: {{title: T, kind: STEP}}");
    let branch = |i: usize| format!("{{from: p0, label: l{i}, to: p0}}");
    let cases: [Case; 7] = [
        (
            "parents",
            MAX_PARENTS,
            &|i| format!("[{}]", flow(i, |j| format!("a{j}"))),
            "parents",
        ),
        (
            "owners",
            MAX_OWNERS,
            &|i| format!("[{}]", flow(i, |j| format!("o{j}"))),
            "owners",
        ),
        (
            "contacts",
            MAX_CONTACTS,
            &|i| format!("[{}]", flow(i, |j| format!("{{name: c{j}}}"))),
            "contacts",
        ),
        (
            "procedures",
            MAX_PROCEDURES,
            &|i| format!("{{{}}}", flow(i, procedure)),
            "procedures",
        ),
        (
            "branches",
            MAX_BRANCHES,
            &|i| format!("[{}]", flow(i, branch)),
            "branches",
        ),
        (
            "entries",
            MAX_ENTRIES,
            &|i| format!("{{{}}}", flow(i, |j| format!("ERR{:05}: p0", 10000 + j))),
            "entries",
        ),
        (
            "errorCodes",
            MAX_ERROR_CODES,
            &|i| format!("{{{}}}", flow(i, |j| format!("ERR{:05}: {{}}", 10000 + j))),
            "errorCodes",
        ),
    ];
    for (field, max, value, what) in cases {
        // Branches and entries need their procedure; parents need not exist to be read.
        let base = "procedures: {p0: {title: T, kind: STEP}}\n";
        let base = if field == "procedures" { "" } else { base };
        assert_reads(&with(&format!("{base}{field}: {}\n", value(max))));
        let (at, message) = refusal(&with(&format!("{base}{field}: {}\n", value(max + 1))));
        assert_eq!(at, field);
        let expected = format!("{} {what}; at most {max} are allowed per", max + 1);
        assert!(message.starts_with(&expected), "{field}: {message}");
    }
}

#[test]
fn each_text_is_bounded_in_bytes_and_one_more_is_refused_at_its_field() {
    let cases = [
        ("name: {}\n", "name", MAX_TEXT_BYTES),
        ("owners: [{}]\n", "owners[0]", MAX_TEXT_BYTES),
        (
            "contacts: [{{name: c, email: {}}}]\n",
            "contacts[0].email",
            MAX_TEXT_BYTES,
        ),
        (
            "procedures: {{p: {{title: {}, kind: STEP}}}}\n",
            "procedures.p.title",
            MAX_TEXT_BYTES,
        ),
        (
            "procedures: {{p: {{body: {}}}}}\n",
            "procedures.p.body",
            MAX_LONG_TEXT_BYTES,
        ),
        (
            "procedures: {{p: {{tags: [{}]}}}}\n",
            "procedures.p.tags[0]",
            MAX_TAG_BYTES,
        ),
        (
            "errorCodes: {{ERR10001: {{message: {}}}}}\n",
            "errorCodes.ERR10001.message",
            MAX_TEXT_BYTES,
        ),
        (
            "errorCodes: {{ERR10001: {{description: {}}}}}\n",
            "errorCodes.ERR10001.description",
            MAX_LONG_TEXT_BYTES,
        ),
        (
            "errorCodes: {{ERR10001: {{severity: {}}}}}\n",
            "errorCodes.ERR10001.severity",
            MAX_TEXT_BYTES,
        ),
    ];
    for (template, field, max) in cases {
        // `é` is two bytes: the bound is on bytes, not characters.
        let long = format!("\"{}\"", "é".repeat(max / 2 + 1));
        let doc = |value: &str| {
            let text = template
                .replacen("{}", value, 1)
                .replace("{{", "{")
                .replace("}}", "}");
            // `name` is required: replace the minimal one rather than add a second.
            match field {
                "name" => format!("scope: ledger\nkind: SERVICE\n{text}"),
                _ => with(&text),
            }
        };
        let (at, message) = refusal(&doc(&long));
        assert_eq!(at, field);
        let expected = format!(
            "is {} bytes long; at most {max} are allowed",
            2 * (max / 2 + 1)
        );
        assert_eq!(message, expected, "{field}");
        let errors = parse(&doc(&format!("\"{}\"", "x".repeat(max))))
            .err()
            .unwrap_or_default();
        // At the limit only the lineage rules may complain (`p` is half-defined), never the size.
        assert!(
            errors.iter().all(|e| !e.message.contains("bytes long")),
            "{field}: {}",
            shown(&errors)
        );
    }
}

#[test]
fn tags_and_automation_are_bounded() {
    let tags = |n: usize| {
        with(&format!(
            "procedures: {{p: {{tags: [{}]}}}}\n",
            flow(n, |i| format!("t{i}"))
        ))
    };
    assert_reads(&tags(MAX_TAGS));
    let (at, message) = refusal(&tags(MAX_TAGS + 1));
    assert_eq!(
        (at.as_str(), message),
        (
            "procedures.p.tags",
            format!(
                "{} tags; at most {MAX_TAGS} are allowed per procedure",
                MAX_TAGS + 1
            )
        )
    );

    let nested = |depth: usize| {
        let value = format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth));
        with(&format!("procedures: {{p: {{automation: {value}}}}}\n"))
    };
    assert_reads(&nested(MAX_AUTOMATION_DEPTH));
    let (at, message) = refusal(&nested(MAX_AUTOMATION_DEPTH + 1));
    assert_eq!(at, "procedures.p.automation");
    assert!(
        message.starts_with(&format!("nests {} levels deep", MAX_AUTOMATION_DEPTH + 1)),
        "{message}"
    );

    let sized = |bytes: usize| {
        // `{"x":"…"}` is 8 bytes around the text.
        with(&format!(
            "procedures: {{p: {{automation: {{x: \"{}\"}}}}}}\n",
            "y".repeat(bytes - 8)
        ))
    };
    assert_reads(&sized(MAX_AUTOMATION_BYTES));
    let (at, message) = refusal(&sized(MAX_AUTOMATION_BYTES + 1));
    assert_eq!(at, "procedures.p.automation");
    assert_eq!(
        message,
        format!(
            "is {} bytes long as JSON; at most {MAX_AUTOMATION_BYTES} are allowed",
            MAX_AUTOMATION_BYTES + 1
        )
    );
}
