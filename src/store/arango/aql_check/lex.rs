//! The AQL lexer: tokens as `arangod/Aql/tokens.ll` defines them, for the
//! checker in `mod.rs`. Test-only.

/// AQL's reserved keywords (tokens.ll), matched without regard to case.
const KEYWORDS: [&str; 38] = [
    "FOR",
    "RETURN",
    "FILTER",
    "SORT",
    "LIMIT",
    "LET",
    "COLLECT",
    "WITH",
    "INTO",
    "KEEP",
    "OPTIONS",
    "PRUNE",
    "SEARCH",
    "TO",
    "DISTINCT",
    "ASC",
    "DESC",
    "NOT",
    "AND",
    "OR",
    "IN",
    "LIKE",
    "INSERT",
    "UPDATE",
    "REPLACE",
    "REMOVE",
    "UPSERT",
    "WINDOW",
    "AGGREGATE",
    "GRAPH",
    "OUTBOUND",
    "INBOUND",
    "ANY",
    "ALL",
    "NONE",
    "NULL",
    "TRUE",
    "FALSE",
];

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Kw(String),
    Ident(String),
    Num,
    Str,
    Bind(String),
    CollBind(String),
    P(&'static str),
}

const PUNCT: [&str; 25] = [
    "..", "==", "!=", "<=", ">=", "&&", "||", "=~", "!~", "::", "(", ")", "[", "]", "{", "}", ",",
    ":", ".", "=", "<", ">", "+", "-", "*",
];

pub fn lex(text: &str) -> Result<Vec<Tok>, String> {
    let b = text.as_bytes();
    let (mut i, mut out) = (0, Vec::new());
    while i < b.len() {
        let c = b[i];
        let rest = &text[i..];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").ok_or("unterminated comment")? + 2;
        } else if c == b'"' || c == b'\'' {
            let mut j = i + 1;
            while j < b.len() && b[j] != c {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            if j >= b.len() {
                return Err("unterminated string".into());
            }
            out.push(Tok::Str);
            i = j + 1;
        } else if c.is_ascii_digit() {
            let n = rest
                .find(|ch: char| !ch.is_ascii_digit())
                .unwrap_or(rest.len());
            // A fraction, but not the range operator `..`.
            let frac = rest[n..].starts_with('.') && !rest[n..].starts_with("..");
            let m = if frac {
                n + 1
                    + rest[n + 1..]
                        .find(|ch: char| !ch.is_ascii_digit())
                        .unwrap_or(rest.len() - n - 1)
            } else {
                n
            };
            out.push(Tok::Num);
            i += m;
        } else if c == b'@' {
            let coll = rest.starts_with("@@");
            let start = if coll { 2 } else { 1 };
            let n = rest[start..]
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len() - start);
            if n == 0 {
                return Err(format!("a bind parameter without a name at {i}"));
            }
            let name = rest[start..start + n].to_owned();
            out.push(if coll {
                Tok::CollBind(name)
            } else {
                Tok::Bind(name)
            });
            i += start + n;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let n = rest
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len());
            let word = &rest[..n];
            let upper = word.to_ascii_uppercase();
            out.push(if KEYWORDS.contains(&upper.as_str()) {
                Tok::Kw(upper)
            } else {
                Tok::Ident(word.to_owned())
            });
            i += n;
        } else if let Some(p) = PUNCT.iter().find(|p| rest.starts_with(**p)) {
            out.push(Tok::P(p));
            i += p.len();
        } else if let Some(p) = ["/", "%", "?", "!"].iter().find(|p| rest.starts_with(**p)) {
            out.push(Tok::P(p));
            i += 1;
        } else {
            return Err(format!("unexpected character {:?} at {i}", char::from(c)));
        }
    }
    Ok(out)
}
