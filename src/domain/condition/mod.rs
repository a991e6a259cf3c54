//! Branch conditions as expressions: the language's tokens, grammar and
//! syntax tree, and the bounds every condition is held to. Pure: evaluation
//! lives with the executions, which decide branches.
//!
//! A condition is machine-checkable when it parses in this small language;
//! anything else (prose such as "clock skew under 5 seconds") is left to a
//! person. The form:
//!
//! ```text
//! expr     := or
//! or       := and (("or" | "||") and)*
//! and      := not (("and" | "&&") not)*
//! not      := ("not" | "!") not | compare
//! compare  := value (("==" | "!=" | "<" | "<=" | ">" | ">=") value
//!                    | "in" value | "not" "in" value | "matches" STRING)?
//! value    := STRING | NUMBER | "-" NUMBER | "true" | "false" | "null"
//!           | "[" (value ("," value)*)? "]" | "(" expr ")" | path
//! path     := NAME ("." NAME | "[" INDEX "]" | "[" STRING "]")*
//! ```
//!
//! Strings take single or double quotes (`\"`, `\'`, `\\`, `\n`, `\t`).
//!
//! Bounds: a condition has at most [`MAX_BYTES`] bytes, an expression at
//! most [`MAX_TOKENS`] tokens and [`MAX_DEPTH`] levels of nesting (`not`,
//! parentheses, lists). Past a bound parsing stops with a
//! [`ParseErrorKind::Limit`] error; writes refuse such conditions
//! ([`bound_violation`]), while prose (a syntax error) stays valid.

mod lexer;
mod parser;

#[cfg(test)]
mod tests;

use regex::Regex;
use serde_json::Value;

/// Most bytes a condition (expression or prose) may have.
pub const MAX_BYTES: usize = 4096;
/// Most tokens an expression may have.
pub const MAX_TOKENS: usize = 256;
/// Deepest nesting of `not`, parentheses and lists in an expression.
pub const MAX_DEPTH: usize = 32;

/// What kind of problem stopped parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// The text is not in the expression form (prose, or a mistake).
    Syntax,
    /// The text passes one of the bounds: it is refused, not prose.
    Limit,
}

/// Why a condition does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at offset {at}: {message}")]
pub struct ParseError {
    /// Byte offset in the condition.
    pub at: usize,
    /// What is wrong there.
    pub message: String,
    /// Whether the text is not an expression, or passes a bound.
    pub kind: ParseErrorKind,
}

impl ParseError {
    /// The text is not in the expression form at `at`.
    pub fn syntax(at: usize, message: impl Into<String>) -> Self {
        Self {
            at,
            message: message.into(),
            kind: ParseErrorKind::Syntax,
        }
    }

    /// The text passes a bound at `at`.
    pub fn limit(at: usize, message: impl Into<String>) -> Self {
        Self {
            at,
            message: message.into(),
            kind: ParseErrorKind::Limit,
        }
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One step of a path: a key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A parsed condition. Its depth is bounded by [`MAX_DEPTH`] (chains of
/// `and`/`or` are flat lists, not nested pairs), so walking it recursively
/// is bounded too.
#[derive(Debug, Clone)]
pub enum Expr {
    Literal(Value),
    Path(Vec<Segment>),
    List(Vec<Expr>),
    Not(Box<Expr>),
    /// Two or more terms, all of which must hold.
    And(Vec<Expr>),
    /// Two or more terms, one of which must hold.
    Or(Vec<Expr>),
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Box<Expr>),
    Matches(Box<Expr>, Regex),
}

impl Expr {
    /// Parses a condition, within the bounds.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        parser::parse(text)
    }
}

/// The bound a condition passes, if any: what a write refuses. A condition
/// that is not an expression (prose) passes none unless it is too long.
pub fn bound_violation(text: &str) -> Option<ParseError> {
    Expr::parse(text)
        .err()
        .filter(|e| e.kind == ParseErrorKind::Limit)
}
