//! The good and bad snippets that the parser and the JSON Schema must judge
//! alike (see `schema.rs`).

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Expect {
    Valid,
    Invalid,
    /// Valid for the schema; the parser refuses it by a rule a schema cannot state.
    ParserOnly,
}

use Expect::{Invalid, ParserOnly, Valid};

const M: &str = "scope: s\nname: S\nkind: SERVICE\n";

/// (what, snippet (see [`document`]), verdict)
pub(super) const CASES: &[(&str, &str, Expect)] = &[
    ("minimal", "", Valid),
    ("format", "format: light-runbook/v1\n", Valid),
    ("explicit host", "host: acme.com\n", Valid),
    (
        "kind in lower case",
        "scope: s\nname: S\nkind: line_of_business\n",
        Valid,
    ),
    (
        "kind in mixed case",
        "scope: s\nname: S\nkind: Service\n",
        Valid,
    ),
    (
        "every list field",
        "parents: [a, b.c-1]\nowners: [me, role:sre]\ncontacts: [{name: Ops, email: e, phone: '1', chat: c}]\n",
        Valid,
    ),
    (
        "empty lists",
        "parents: []\nowners: []\ncontacts: []\nbranches: []\n",
        Valid,
    ),
    (
        "error codes",
        "errorCodes: {ERR10001: {statusCode: 401, message: m, description: d, severity: s}, ACM00001: {}}\n",
        Valid,
    ),
    (
        "error code clears",
        "errorCodes: {ERR10001: {statusCode: null, message: null, description: ~, severity:}}\n",
        Valid,
    ),
    (
        "status code bounds",
        "errorCodes: {ERR10001: {statusCode: 100}, ERR10002: {statusCode: 599.0}}\n",
        Valid,
    ),
    (
        "procedure fields",
        "procedures: {a: {title: t, kind: decision, body: \"x\\ny\", automation: {x: [1, {y: null}]}, tags: [t]}}\n",
        Valid,
    ),
    (
        "procedure clears",
        "procedures: {a: {title: null, kind: null, body: null, automation: null, tags: null}}\n",
        Valid,
    ),
    ("empty procedure", "procedures: {a: {}}\n", Valid),
    (
        "removed procedure",
        "procedures: {token-expired: {removed: true}}\n",
        Valid,
    ),
    (
        "branches",
        "branches: [{from: a, label: yes, to: b, condition: c, order: -3}, {from: a, label: \"no\", removed: true}]\n",
        Valid,
    ),
    (
        "branch clears",
        "branches: [{from: a, label: x, to: null, condition: null, order: null}]\n",
        Valid,
    ),
    ("entries", "entries: {\"*\": a, ERR10001: null}\n", Valid),
    (
        "quoted number as text",
        "owners: [\"2024\", 'true']\n",
        Valid,
    ),
    (
        "long scope id",
        "scope: s\nname: S\nkind: SERVICE\nparents: [<a*200>]\n",
        Valid,
    ),
    ("missing scope", "name: S\nkind: SERVICE\n", Invalid),
    ("missing name", "scope: s\nkind: SERVICE\n", Invalid),
    ("missing kind", "scope: s\nname: S\n", Invalid),
    ("not a mapping", "- scope: s\n", Invalid),
    ("unknown field", "extra: 1\n", Invalid),
    ("other format", "format: light-runbook/v2\n", Invalid),
    ("null format", "format: null\n", Invalid),
    ("bad host", "host: -acme\n", Invalid),
    (
        "bad scope id",
        "scope: a b\nname: S\nkind: SERVICE\n",
        Invalid,
    ),
    (
        "scope id too long",
        "scope: s\nname: S\nkind: SERVICE\nparents: [<a*200>b]\n",
        Invalid,
    ),
    (
        "blank name",
        "scope: s\nname: '  '\nkind: SERVICE\n",
        Invalid,
    ),
    (
        "number name",
        "scope: s\nname: 12\nkind: SERVICE\n",
        Invalid,
    ),
    ("unknown kind", "scope: s\nname: S\nkind: SERVIC\n", Invalid),
    ("null kind", "scope: s\nname: S\nkind: null\n", Invalid),
    ("parents not a list", "parents: a\n", Invalid),
    ("parent twice", "parents: [a, a]\n", Invalid),
    ("bad parent", "parents: [-a]\n", Invalid),
    ("number owner", "owners: [1]\n", Invalid),
    ("blank owner", "owners: ['']\n", Invalid),
    ("role owner without a name", "owners: ['role:']\n", Invalid),
    ("user owner without a name", "owners: ['user: ']\n", Invalid),
    (
        "role owner with a blank name",
        "owners: ['role:  ']\n",
        Invalid,
    ),
    (
        "user and role owners",
        "owners: [alice, 'user:bob', 'role:sre', 'role:a b']\n",
        Valid,
    ),
    ("contact without name", "contacts: [{email: e}]\n", Invalid),
    (
        "contact unknown field",
        "contacts: [{name: n, mail: e}]\n",
        Invalid,
    ),
    (
        "contact number phone",
        "contacts: [{name: n, phone: 5550100}]\n",
        Invalid,
    ),
    ("bad error code", "errorCodes: {ERR1: {}}\n", Invalid),
    ("null error code", "errorCodes: {ERR10001: null}\n", Invalid),
    (
        "error code unknown field",
        "errorCodes: {ERR10001: {status: 401}}\n",
        Invalid,
    ),
    (
        "status code too small",
        "errorCodes: {ERR10001: {statusCode: 99}}\n",
        Invalid,
    ),
    (
        "status code too big",
        "errorCodes: {ERR10001: {statusCode: 600}}\n",
        Invalid,
    ),
    (
        "status code as text",
        "errorCodes: {ERR10001: {statusCode: '401'}}\n",
        Invalid,
    ),
    (
        "status code fraction",
        "errorCodes: {ERR10001: {statusCode: 401.5}}\n",
        Invalid,
    ),
    ("bad procedure key", "procedures: {Token: {}}\n", Invalid),
    (
        "procedure key too long",
        "procedures: {<a*101>: {}}\n",
        Invalid,
    ),
    ("null procedure", "procedures: {a: null}\n", Invalid),
    (
        "removed false",
        "procedures: {a: {removed: false}}\n",
        Invalid,
    ),
    (
        "removed with a field",
        "procedures: {a: {removed: true, title: t}}\n",
        Invalid,
    ),
    (
        "removed as text",
        "procedures: {a: {removed: 'true'}}\n",
        Invalid,
    ),
    ("removed yes", "procedures: {a: {removed: yes}}\n", Invalid),
    (
        "unknown procedure kind",
        "procedures: {a: {kind: STPE}}\n",
        Invalid,
    ),
    (
        "automation a list",
        "procedures: {a: {automation: [1]}}\n",
        Invalid,
    ),
    ("tags as text", "procedures: {a: {tags: t}}\n", Invalid),
    ("number tag", "procedures: {a: {tags: [1]}}\n", Invalid),
    ("number title", "procedures: {a: {title: 1.5}}\n", Invalid),
    (
        "unknown procedure field",
        "procedures: {a: {titel: t}}\n",
        Invalid,
    ),
    ("branches a mapping", "branches: {from: a}\n", Invalid),
    ("branch without from", "branches: [{label: x}]\n", Invalid),
    ("branch without label", "branches: [{from: a}]\n", Invalid),
    (
        "bad branch from",
        "branches: [{from: A, label: x}]\n",
        Invalid,
    ),
    (
        "blank label",
        "branches: [{from: a, label: ' '}]\n",
        Invalid,
    ),
    ("empty label", "branches: [{from: a, label: ''}]\n", Invalid),
    (
        "label with a line break",
        "branches: [{from: a, label: \"x\\ny\"}]\n",
        Invalid,
    ),
    ("number label", "branches: [{from: a, label: 1}]\n", Invalid),
    (
        "boolean label",
        "branches: [{from: a, label: true}]\n",
        Invalid,
    ),
    (
        "label too long",
        "branches: [{from: a, label: <x*201>}]\n",
        Invalid,
    ),
    (
        "removed branch with to",
        "branches: [{from: a, label: x, to: b, removed: true}]\n",
        Invalid,
    ),
    (
        "branch order as text",
        "branches: [{from: a, label: x, order: first}]\n",
        Invalid,
    ),
    (
        "branch order fraction",
        "branches: [{from: a, label: x, order: 1.5}]\n",
        Invalid,
    ),
    (
        "bad branch target",
        "branches: [{from: a, label: x, to: B}]\n",
        Invalid,
    ),
    (
        "unknown branch field",
        "branches: [{from: a, label: x, too: b}]\n",
        Invalid,
    ),
    ("bad entry code", "entries: {ERR1: a}\n", Invalid),
    ("bad entry target", "entries: {\"*\": A}\n", Invalid),
    ("number entry target", "entries: {\"*\": 1}\n", Invalid),
    ("entries a list", "entries: [a]\n", Invalid),
    ("duplicate field", "name: T\n", Invalid),
    (
        "duplicate procedure",
        "procedures:\n  a: {}\n  a: {}\n",
        Invalid,
    ),
    (
        "same branch twice",
        "branches: [{from: a, label: x}, {from: a, label: x, to: b}]\n",
        ParserOnly,
    ),
    ("own parent", "parents: [s]\n", ParserOnly),
    (
        "label over 200 bytes",
        "branches: [{from: a, label: <é*101>}]\n",
        ParserOnly,
    ),
];

/// A whole document: the snippet itself when it states `scope` or `kind` (or
/// is not a mapping), else the minimal fields followed by the snippet.
/// `<c*N>` in a snippet stands for N times the character c.
pub(super) fn document(snippet: &str) -> String {
    let snippet = &expand(snippet);
    let whole = snippet.starts_with("- ")
        || snippet
            .lines()
            .any(|l| l.starts_with("scope:") || l.starts_with("kind:"));
    if whole {
        snippet.to_owned()
    } else {
        format!("{M}{snippet}")
    }
}

fn expand(snippet: &str) -> String {
    let mut out = String::new();
    let mut rest = snippet;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>').map(|e| start + e) else {
            break;
        };
        let token = &rest[start + 1..end];
        let (c, n) = token.split_once('*').expect("<c*N>");
        out.push_str(&rest[..start]);
        out.push_str(&c.repeat(n.parse().expect("a count")));
        rest = &rest[end + 1..];
    }
    out + rest
}
