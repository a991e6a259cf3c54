//! Search over a host's runbooks: the terms a query may carry, what a hit
//! is and how its matches are marked, and the reference matcher a store
//! without a text index uses.
//!
//! A query is cut into terms the way the SQL text indexes cut text: runs of
//! letters and digits, lower-cased; everything else separates. Each term
//! matches as a prefix of a word (`ledg` finds `svc-ledger-0042`) and a hit
//! must match every term. Terms never reach a database as syntax: a store
//! builds its own match expression from these letters and digits alone.

use std::fmt;

use super::{ScopeDocument, ScopeId, ScopeKind};
use crate::domain::ProcedureChange;

/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most terms one query may carry.
pub const MAX_TERMS: usize = 8;
/// The furthest a client may page into the hits of one query.
pub const MAX_OFFSET: u32 = 1_000;

/// Why a query cannot be searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// Longer than [`MAX_QUERY_CHARS`].
    TooLong(usize),
    /// More than [`MAX_TERMS`] terms.
    TooManyTerms(usize),
    /// No letter or digit at all.
    Empty,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong(n) => write!(
                f,
                "the query is {n} characters long; at most {MAX_QUERY_CHARS} are searched"
            ),
            Self::TooManyTerms(n) => {
                write!(
                    f,
                    "the query has {n} terms; at most {MAX_TERMS} are searched"
                )
            }
            Self::Empty => f.write_str("the query has no letter or digit to search for"),
        }
    }
}

/// The terms of a query: at least one, at most [`MAX_TERMS`], each a
/// lower-case run of letters and digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms(Vec<String>);

impl SearchTerms {
    /// Cuts a query into terms; a repeated term counts once.
    pub fn parse(query: &str) -> Result<Self, QueryError> {
        let chars = query.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong(chars));
        }
        let mut terms: Vec<String> = Vec::new();
        for word in words(query) {
            if !terms.contains(&word) {
                terms.push(word);
            }
        }
        match terms.len() {
            0 => Err(QueryError::Empty),
            n if n > MAX_TERMS => Err(QueryError::TooManyTerms(n)),
            _ => Ok(Self(terms)),
        }
    }

    /// The terms, in the order the query gave them.
    pub fn terms(&self) -> &[String] {
        &self.0
    }

    /// True when some term is a prefix of `word` (already lower case).
    fn matches_word(&self, word: &str) -> bool {
        self.0.iter().any(|t| word.starts_with(t.as_str()))
    }
}

/// The lower-cased runs of letters and digits of `text`.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HitKind {
    /// A scope, by its id and name.
    Scope,
    /// A procedure as one scope writes it, by key, title, body and tags.
    Procedure,
    /// An error code as one scope registers it, by code, message and description.
    ErrorCode,
}

impl HitKind {
    /// The name stores keep and sort by.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scope => "scope",
            Self::Procedure => "procedure",
            Self::ErrorCode => "errorCode",
        }
    }

    /// The kind a store's name stands for.
    pub fn parse(value: &str) -> Option<Self> {
        [Self::Scope, Self::Procedure, Self::ErrorCode]
            .into_iter()
            .find(|k| k.as_str() == value)
    }
}

/// A run of a hit's text, matched or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextPart {
    pub text: String,
    pub matched: bool,
}

/// One hit: where it is, and its title and snippet with the matches marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub kind: HitKind,
    pub scope: ScopeId,
    pub scope_kind: ScopeKind,
    /// The procedure key or error code; empty for a scope.
    pub key: String,
    /// `id · name`, `key · title` or `code · message`.
    pub title: Vec<TextPart>,
    /// Some words of the body or description around a match; may be empty.
    pub snippet: Vec<TextPart>,
}

impl SearchHit {
    /// A hit as a store found it, from its title and body as stored: the
    /// matches are marked here, by one rule for every backend.
    pub fn found(
        kind: HitKind,
        (scope, scope_kind): (ScopeId, ScopeKind),
        key: String,
        (title, body): (&str, &str),
        terms: &SearchTerms,
    ) -> Self {
        Self {
            kind,
            scope,
            scope_kind,
            key,
            title: mark(title, terms),
            snippet: snippet(body, terms),
        }
    }
}

/// The words of a snippet around a body's first match.
const SNIPPET_WORDS: usize = 16;

/// One candidate of the reference matcher: its fields, heaviest first.
struct Candidate<'a> {
    kind: HitKind,
    doc: &'a ScopeDocument,
    key: String,
    title: String,
    tags: String,
    body: String,
}

/// The reference search over documents in memory: every hit that matches
/// every term, ranked by where the terms matched (title over tags over
/// body), then by kind, scope and key; `limit` hits from `offset`.
pub fn scan(
    docs: &[ScopeDocument],
    terms: &SearchTerms,
    offset: u32,
    limit: u32,
) -> Vec<SearchHit> {
    let mut ranked: Vec<(u32, SearchHit)> = candidates(docs)
        .filter_map(|c| rank(&c, terms).map(|r| (r, hit(&c, terms))))
        .collect();
    ranked.sort_by(|(ra, a), (rb, b)| {
        rb.cmp(ra)
            .then(a.kind.cmp(&b.kind))
            .then(a.scope.cmp(&b.scope))
            .then(a.key.cmp(&b.key))
    });
    ranked
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|(_, h)| h)
        .collect()
}

fn candidates(docs: &[ScopeDocument]) -> impl Iterator<Item = Candidate<'_>> {
    docs.iter().flat_map(|doc| {
        let scope = Candidate {
            kind: HitKind::Scope,
            doc,
            key: String::new(),
            title: format!("{} · {}", doc.scope.id, doc.scope.name),
            tags: String::new(),
            body: String::new(),
        };
        let procedures = doc.content.procedures.iter().filter_map(move |(key, p)| {
            let ProcedureChange::Patch(patch) = p else {
                return None;
            };
            let title = patch.title.as_set().map(String::as_str).unwrap_or_default();
            Some(Candidate {
                kind: HitKind::Procedure,
                doc,
                key: key.to_string(),
                title: format!("{key} · {title}"),
                tags: patch.tags.as_set().map(|t| t.join(" ")).unwrap_or_default(),
                body: patch.body.as_set().cloned().unwrap_or_default(),
            })
        });
        let codes = doc.content.error_codes.iter().map(move |(code, patch)| {
            let message = patch
                .message
                .as_set()
                .map(String::as_str)
                .unwrap_or_default();
            Candidate {
                kind: HitKind::ErrorCode,
                doc,
                key: code.to_string(),
                title: format!("{code} · {message}"),
                tags: String::new(),
                body: patch.description.as_set().cloned().unwrap_or_default(),
            }
        });
        std::iter::once(scope).chain(procedures).chain(codes)
    })
}

/// The weight of a candidate when every term matches some word of it.
fn rank(c: &Candidate<'_>, terms: &SearchTerms) -> Option<u32> {
    let fields = [(&c.title, 10), (&c.tags, 4), (&c.body, 1)];
    let mut total = 0;
    for term in terms.terms() {
        let weight: u32 = fields
            .iter()
            .filter(|(text, _)| words(text).any(|w| w.starts_with(term.as_str())))
            .map(|(_, w)| w)
            .sum();
        if weight == 0 {
            return None;
        }
        total += weight;
    }
    Some(total)
}

fn hit(c: &Candidate<'_>, terms: &SearchTerms) -> SearchHit {
    let scope = (c.doc.scope.id.clone(), c.doc.scope.kind);
    SearchHit::found(c.kind, scope, c.key.clone(), (&c.title, &c.body), terms)
}

/// `text` cut into parts at word boundaries, the words a term starts marked.
fn mark(text: &str, terms: &SearchTerms) -> Vec<TextPart> {
    let mut parts: Vec<TextPart> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(char::is_alphanumeric) {
        let len = rest[start..]
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len() - start);
        let word = &rest[start..start + len];
        if terms.matches_word(&word.to_lowercase()) {
            push(&mut parts, &rest[..start], false);
            push(&mut parts, word, true);
        } else {
            push(&mut parts, &rest[..start + len], false);
        }
        rest = &rest[start + len..];
    }
    push(&mut parts, rest, false);
    parts
}

fn push(parts: &mut Vec<TextPart>, text: &str, matched: bool) {
    if text.is_empty() {
        return;
    }
    match parts.last_mut() {
        Some(last) if last.matched == matched => last.text.push_str(text),
        _ => parts.push(TextPart {
            text: text.to_owned(),
            matched,
        }),
    }
}

/// Some words of `body` from a little before its first matching word.
fn snippet(body: &str, terms: &SearchTerms) -> Vec<TextPart> {
    let words: Vec<&str> = body.split_whitespace().collect();
    let Some(first) = words
        .iter()
        .position(|w| self::words(w).any(|w| terms.matches_word(&w)))
    else {
        return Vec::new();
    };
    let start = first.saturating_sub(SNIPPET_WORDS / 4);
    let end = (start + SNIPPET_WORDS).min(words.len());
    let mut text = words[start..end].join(" ");
    if start > 0 {
        text.insert_str(0, "… ");
    }
    if end < words.len() {
        text.push_str(" …");
    }
    mark(&text, terms)
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
