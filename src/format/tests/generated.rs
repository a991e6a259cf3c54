//! A property-style test over generated documents: a tiny deterministic
//! generator (xorshift) makes a few hundred rich documents, with strings
//! chosen to trouble a YAML writer, and every set must survive
//! export → parse → export unchanged.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::host;
use crate::{
    domain::{
        BranchChange, BranchId, BranchLabel, BranchPatch, Contact, EntryCode, ErrorCode,
        ErrorCodePatch, Host, Patch, ProcedureChange, ProcedureKey, ProcedureKind, ProcedurePatch,
        Scope, ScopeContent, ScopeDocument, ScopeId, ScopeKind,
    },
    format::{export, parse_str},
};

/// Strings that YAML could misread, or that need escapes or block styles.
pub(super) const TRICKY: &[&str] = &[
    "",
    " ",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "true",
    "False",
    "null",
    "NULL",
    "~",
    "1.0",
    "1e3",
    "0x1F",
    "0o17",
    "0755",
    "1_000",
    "+1",
    "-",
    ".inf",
    "-.nan",
    "12:30",
    "2001-12-14",
    "#not a comment",
    "- item",
    "key: value",
    "a #b",
    "[x]",
    "{x}",
    "*alias",
    "&anchor",
    "!tag",
    "|",
    ">",
    "%",
    "@",
    "`",
    "'",
    "\"",
    "\\",
    "---",
    "...",
    "--- x",
    "<<",
    "?",
    ":",
    "line\n",
    "two\nlines",
    "trailing newlines\n\n\n",
    "\n",
    "\n\nleading newlines",
    "  leading spaces\nnext",
    "trailing spaces  \nnext",
    "tab\tinside",
    "\ttab first",
    "crlf\r\nline",
    "lone\rcr",
    "nel\u{85}x",
    "ls\u{2028}ps\u{2029}",
    "\u{feff}bom",
    "bell\u{7}",
    "nul\u{0}",
    "é unicode ✓ 😀",
    "\u{fffe}",
    "body:\n  ---\n  ...\n",
    "markdown:\n\n```sh\necho \"$X\"\n```\n\n- a\n- b\n",
    "a very long line that goes on and on well past eighty columns so that a writer might \
     want to fold it somewhere in the middle of all these words",
    "   spaces   everywhere   ",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn text(&mut self) -> String {
        if self.chance(60) {
            return (*self.pick(TRICKY)).to_owned();
        }
        let chars = [
            'a', 'Z', '0', ' ', ' ', '\n', '\t', ':', '#', '"', '\'', '\\', 'é', '*', '-', '{',
            '|', '\u{85}', '\r', '😀', '\u{7}',
        ];
        (0..self.below(12)).map(|_| *self.pick(&chars)).collect()
    }

    fn non_blank(&mut self) -> String {
        let t = self.text();
        if t.trim().is_empty() {
            format!("x{t}")
        } else {
            t
        }
    }

    fn key(&mut self) -> ProcedureKey {
        let keys = [
            "a",
            "b",
            "token-expired",
            "9lives",
            "x-1",
            "renew",
            "zz-top",
            "0",
        ];
        ProcedureKey::parse(*self.pick(&keys)).unwrap()
    }

    fn label(&mut self) -> BranchLabel {
        let label: String = self.non_blank().replace(['\n', '\r'], " ");
        BranchLabel::parse(label.clone())
            .or_else(|_| BranchLabel::parse(format!("x{}", label.trim())))
            .unwrap_or_else(|_| BranchLabel::parse("fallback").unwrap())
    }

    fn patch<T>(&mut self, value: impl FnOnce(&mut Self) -> T) -> Patch<T> {
        match self.below(3) {
            0 => Patch::Absent,
            1 => Patch::Clear,
            _ => Patch::Set(value(self)),
        }
    }

    fn json(&mut self, depth: usize) -> Value {
        match self.below(if depth > 2 { 6 } else { 8 }) {
            0 => Value::Null,
            1 => json!(self.chance(50)),
            2 => json!(*self.pick(&[0i64, -1, 42, i64::MIN, i64::MAX])),
            3 => json!(*self.pick(&[u64::MAX, 1 << 63])),
            4 => json!(*self.pick(&[0.5, -0.25, 1.0, 1e300, 2.5e-8, 5.0, -0.0])),
            5 => json!(self.text()),
            6 => Value::Array((0..self.below(4)).map(|_| self.json(depth + 1)).collect()),
            _ => Value::Object(self.object(depth + 1)),
        }
    }

    fn object(&mut self, depth: usize) -> Map<String, Value> {
        (0..self.below(4))
            .map(|_| (self.text(), self.json(depth)))
            .collect()
    }

    fn procedure(&mut self) -> ProcedureChange {
        if self.chance(20) {
            return ProcedureChange::Removed;
        }
        ProcedureChange::Patch(ProcedurePatch {
            title: self.patch(Self::text),
            kind: self.patch(|r| *r.pick(&ProcedureKind::ALL)),
            body: self.patch(Self::text),
            automation: self.patch(|r| r.object(0)),
            tags: self.patch(|r| (0..r.below(3)).map(|_| r.text()).collect()),
        })
    }

    fn branch(&mut self) -> BranchChange {
        if self.chance(20) {
            return BranchChange::Removed;
        }
        BranchChange::Patch(BranchPatch {
            to: self.patch(Self::key),
            condition: self.patch(Self::text),
            order: self.patch(|r| *r.pick(&[0, 1, -7, i64::MAX, i64::MIN])),
        })
    }

    fn content(&mut self) -> ScopeContent {
        let codes = ["ERR10001", "ERR10002", "ACM00001"];
        let entry = |r: &mut Self| {
            let code = if r.chance(30) { "*" } else { *r.pick(&codes) };
            (
                EntryCode::parse(code).unwrap(),
                r.chance(70).then(|| r.key()),
            )
        };
        let error_code = |r: &mut Self| {
            let patch = ErrorCodePatch {
                status_code: r.patch(|r| *r.pick(&[100u16, 401, 404, 599])),
                message: r.patch(Self::text),
                description: r.patch(Self::text),
                severity: r.patch(Self::text),
            };
            (ErrorCode::parse(*r.pick(&codes)).unwrap(), patch)
        };
        ScopeContent {
            procedures: (0..self.below(5))
                .map(|_| (self.key(), self.procedure()))
                .collect(),
            branches: (0..self.below(5))
                .map(|_| {
                    let id = BranchId {
                        from: self.key(),
                        label: self.label(),
                    };
                    (id, self.branch())
                })
                .collect(),
            entries: (0..self.below(4)).map(|_| entry(self)).collect(),
            error_codes: (0..self.below(3)).map(|_| error_code(self)).collect(),
        }
    }
}

/// `count` documents with distinct scopes, parents among them.
pub(super) fn generate(seed: u64, count: usize) -> Vec<ScopeDocument> {
    let mut r = Rng(seed.max(1));
    let ids: Vec<ScopeId> = (0..count)
        .map(|i| ScopeId::parse(format!("s{}-{i}", r.below(100))).unwrap())
        .collect();
    let other = Host::parse("acme.com").unwrap();
    let mut docs = Vec::new();
    for id in &ids {
        let host = if r.chance(20) { other.clone() } else { host() };
        let mut parents = Vec::new();
        for _ in 0..r.below(3) {
            let p = r.pick(&ids).clone();
            if &p != id && !parents.contains(&p) {
                parents.push(p);
            }
        }
        let contact = |r: &mut Rng| Contact {
            name: r.non_blank(),
            email: r.chance(50).then(|| r.text()),
            phone: r.chance(50).then(|| r.text()),
            chat: r.chance(50).then(|| r.text()),
        };
        let scope = Scope {
            host,
            id: id.clone(),
            name: r.non_blank(),
            kind: *r.pick(&ScopeKind::ALL),
            parents,
            owners: (0..r.below(3)).map(|_| r.non_blank()).collect(),
            contacts: (0..r.below(3)).map(|_| contact(&mut r)).collect(),
        };
        docs.push(ScopeDocument {
            scope,
            content: r.content(),
        });
    }
    docs
}

fn by_scope(docs: Vec<ScopeDocument>) -> BTreeMap<(Host, ScopeId), ScopeDocument> {
    docs.into_iter()
        .map(|d| ((d.scope.host.clone(), d.scope.id.clone()), d))
        .collect()
}

#[test]
fn generated_documents_survive_export_parse_export() {
    for seed in 1..=60u64 {
        let docs = generate(seed * 7919, 5);
        let yaml = export(&docs, &host());
        let parsed = match parse_str("gen.yml", &yaml, &host()) {
            Ok(parsed) => parsed,
            Err(errors) => panic!("seed {seed}: {}\n{yaml}", super::shown(&errors)),
        };
        let parsed: Vec<_> = parsed.into_iter().map(|d| d.doc).collect();
        assert_eq!(export(&parsed, &host()), yaml, "seed {seed}");
        let (before, after) = (by_scope(docs), by_scope(parsed));
        for (key, doc) in &before {
            assert_eq!(
                Some(doc),
                after.get(key),
                "seed {seed}, scope {key:?}\n{yaml}"
            );
        }
        assert_eq!(before.len(), after.len());
    }
}
