//! A checker for the store's AQL files, written from ArangoDB's AQL grammar
//! (the lexer and parser rules of `arangod/Aql/tokens.ll` and `grammar.y`,
//! as documented for 3.11 to 4.x), for the constructs the files use: `WITH`,
//! `FOR` over collections, arrays and traversals (`OUTBOUND`/`INBOUND`/`ANY`
//! with depth and `OPTIONS`), `FILTER`, `LET`, `SORT`, `LIMIT`, `COLLECT`
//! (`INTO`), `RETURN [DISTINCT]`, the data modifications `INSERT`, `UPDATE`,
//! `REPLACE`, `REMOVE`, `UPSERT` (with `OLD` and `NEW`), subqueries, and the
//! expression operators.
//!
//! Beyond syntax it checks what the grammar's actions check: a variable is
//! declared before it is used (and `COLLECT` ends the variables of its
//! level), a name that is no variable is one of the store's collections, a
//! query and every subquery ends in `RETURN` or a data modification, `WITH`
//! comes first. It cannot catch what only the server knows: semantic
//! errors (types, an index hint, a modification the optimizer refuses),
//! functions beyond the list in [`FUNCTIONS`], or options the server does
//! not accept. Test-only.

mod expr;
mod lex;

use std::collections::HashSet;

use self::lex::{Tok, lex};

/// The AQL functions the files may call.
pub const FUNCTIONS: [&str; 11] = [
    "KEEP", "UNSET", "LENGTH", "FIRST", "DOCUMENT", "TO_HEX", "LOWER", "CONCAT", "COUNT", "LAST",
    "MAX",
];

/// Parses `text` as one AQL query over `collections`; says what is wrong.
pub fn check(text: &str, collections: &[&str]) -> Result<(), String> {
    let toks = lex(text)?;
    let mut p = Parser {
        toks,
        at: 0,
        scopes: vec![Vec::new()],
        collections: collections.iter().map(|c| (*c).to_owned()).collect(),
        no_in: false,
    };
    if p.eat_kw("WITH") {
        loop {
            p.collection()?;
            if !p.eat(",") {
                break;
            }
        }
    }
    p.body()?;
    match p.toks.get(p.at) {
        None => Ok(()),
        Some(t) => Err(format!("unexpected {t:?} after the end of the query")),
    }
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    /// Variables by query level (the query, then each enclosing subquery).
    scopes: Vec<Vec<String>>,
    collections: HashSet<String>,
    /// `IN` is not an operator here: the expression of a data modification
    /// runs up to its `IN collection` (outside brackets only).
    no_in: bool,
}

type R = Result<(), String>;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }
    fn is_kw(&self, k: &str) -> bool {
        matches!(self.peek(), Some(Tok::Kw(w)) if w == k)
    }
    fn eat_kw(&mut self, k: &str) -> bool {
        let hit = self.is_kw(k);
        self.at += usize::from(hit);
        hit
    }
    fn eat(&mut self, p: &str) -> bool {
        let hit = matches!(self.peek(), Some(Tok::P(q)) if *q == p);
        self.at += usize::from(hit);
        hit
    }
    fn expect(&mut self, p: &str) -> R {
        if self.eat(p) {
            Ok(())
        } else {
            Err(format!("expected {p:?}, found {:?}", self.peek()))
        }
    }
    fn expect_kw(&mut self, k: &str) -> R {
        if self.eat_kw(k) {
            Ok(())
        } else {
            Err(format!("expected {k}, found {:?}", self.peek()))
        }
    }
    fn declare(&mut self) -> R {
        match self.peek().cloned() {
            Some(Tok::Ident(name)) => {
                self.at += 1;
                self.scopes.last_mut().ok_or("no scope")?.push(name);
                Ok(())
            }
            other => Err(format!("expected a variable name, found {other:?}")),
        }
    }
    fn known(&self, name: &str) -> bool {
        self.scopes.iter().flatten().any(|v| v == name)
    }
    fn collection(&mut self) -> R {
        match self.peek().cloned() {
            Some(Tok::CollBind(_)) => {
                self.at += 1;
                Ok(())
            }
            Some(Tok::Ident(name)) if self.collections.contains(&name) => {
                self.at += 1;
                Ok(())
            }
            other => Err(format!("expected a collection, found {other:?}")),
        }
    }

    /// Operations up to `RETURN` or a last data modification.
    fn body(&mut self) -> R {
        let mut ends = false;
        while let Some(Tok::Kw(k)) = self.peek().cloned() {
            self.at += 1;
            ends = false;
            match k.as_str() {
                "FOR" => self.for_op()?,
                "LET" => {
                    self.declare()?;
                    self.expect("=")?;
                    self.expr()?;
                }
                "FILTER" => self.expr()?,
                "SORT" => loop {
                    self.expr()?;
                    let _ = self.eat_kw("ASC") || self.eat_kw("DESC");
                    if !self.eat(",") {
                        break;
                    }
                },
                "LIMIT" => {
                    self.expr()?;
                    if self.eat(",") {
                        self.expr()?;
                    }
                }
                "COLLECT" => self.collect()?,
                "RETURN" => {
                    self.eat_kw("DISTINCT");
                    return self.expr();
                }
                "INSERT" | "UPDATE" | "REPLACE" | "REMOVE" | "UPSERT" => {
                    self.modify(&k)?;
                    ends = true;
                }
                other => return Err(format!("{other} cannot start an operation")),
            }
        }
        if ends {
            Ok(())
        } else {
            Err(format!(
                "the query does not end in RETURN or a modification, at {:?}",
                self.peek()
            ))
        }
    }

    fn for_op(&mut self) -> R {
        self.declare()?;
        let mut vars = 1;
        while self.eat(",") {
            self.declare()?;
            vars += 1;
        }
        self.expect_kw("IN")?;
        let direction = |p: &Self| ["OUTBOUND", "INBOUND", "ANY"].iter().any(|d| p.is_kw(d));
        if !direction(self) {
            self.expr()?;
        }
        if direction(self) {
            self.at += 1;
            self.expr()?;
            if self.eat_kw("GRAPH") {
                self.expr()?;
            } else {
                self.collection()?;
                while self.eat(",") {
                    self.collection()?;
                }
            }
        } else if vars > 1 {
            return Err("only a traversal binds more than one variable".into());
        }
        if self.eat_kw("OPTIONS") {
            self.expr()?;
        }
        Ok(())
    }

    fn collect(&mut self) -> R {
        let mut groups = Vec::new();
        while let Some(Tok::Ident(name)) = self.peek().cloned() {
            self.at += 1;
            self.expect("=")?;
            self.expr()?;
            groups.push(name);
            if !self.eat(",") {
                break;
            }
        }
        let mut into = None;
        if self.eat_kw("INTO") {
            let Some(Tok::Ident(name)) = self.peek().cloned() else {
                return Err("INTO needs a variable".into());
            };
            self.at += 1;
            if self.eat("=") {
                self.expr()?;
            }
            into = Some(name);
        }
        // COLLECT ends the variables of its level.
        let level = self.scopes.last_mut().ok_or("no scope")?;
        level.clear();
        level.extend(groups.into_iter().chain(into));
        Ok(())
    }

    /// An expression that ends before a top-level `IN`.
    fn expr_before_in(&mut self) -> R {
        self.no_in = true;
        let e = self.expr();
        self.no_in = false;
        e
    }

    /// Parses inside brackets, where `IN` is an operator again.
    fn nested(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let saved = std::mem::replace(&mut self.no_in, false);
        let r = f(self);
        self.no_in = saved;
        r
    }

    fn modify(&mut self, kind: &str) -> R {
        self.expr_before_in()?;
        match kind {
            "UPDATE" | "REPLACE" if self.eat_kw("WITH") => self.expr_before_in()?,
            "UPSERT" => {
                self.expect_kw("INSERT")?;
                self.expr()?;
                if !(self.eat_kw("UPDATE") || self.eat_kw("REPLACE")) {
                    return Err("UPSERT needs UPDATE or REPLACE".into());
                }
                self.scopes.push(vec!["OLD".to_owned()]);
                let update = self.expr_before_in();
                self.scopes.pop();
                update?;
            }
            _ => {}
        }
        if !(self.eat_kw("IN") || self.eat_kw("INTO")) {
            return Err(format!("{kind} needs IN or INTO, found {:?}", self.peek()));
        }
        self.collection()?;
        if self.eat_kw("OPTIONS") {
            self.expr()?;
        }
        let level = self.scopes.last_mut().ok_or("no scope")?;
        level.extend(["OLD".to_owned(), "NEW".to_owned()]);
        Ok(())
    }
}

#[cfg(test)]
#[path = "../aql_check_tests.rs"]
mod tests;
