//! Expressions for the AQL checker: operators by precedence as
//! `grammar.y` orders them, literals, calls, subqueries. Test-only.

use super::{FUNCTIONS, Parser, R, lex::Tok};

impl Parser {
    pub(super) fn expr(&mut self) -> R {
        self.binary(0)?;
        if self.eat("?") {
            self.expr()?;
            self.expect(":")?;
            self.expr()?;
        }
        Ok(())
    }

    /// Binary operators by precedence, lowest first (grammar.y's `%left`s).
    pub(super) fn binary(&mut self, level: usize) -> R {
        const LEVELS: [&[&str]; 7] = [
            &["||", "OR"],
            &["&&", "AND"],
            &["==", "!=", "=~", "!~", "LIKE"],
            &["IN", "NOT IN"],
            &["<", "<=", ">", ">=", ".."],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        if level == LEVELS.len() {
            return self.unary();
        }
        self.binary(level + 1)?;
        loop {
            let hit = LEVELS[level].iter().any(|op| match *op {
                "IN" | "NOT IN" if self.no_in => false,
                "NOT IN" => {
                    let two = self.is_kw("NOT")
                        && matches!(self.toks.get(self.at + 1), Some(Tok::Kw(k)) if k == "IN");
                    self.at += if two { 2 } else { 0 };
                    two
                }
                w if w.chars().all(|c| c.is_ascii_uppercase()) => self.eat_kw(w),
                p => self.eat(p),
            });
            if !hit {
                return Ok(());
            }
            self.binary(level + 1)?;
        }
    }

    pub(super) fn unary(&mut self) -> R {
        if self.eat("-") || self.eat("+") || self.eat("!") || self.eat_kw("NOT") {
            return self.unary();
        }
        self.primary()?;
        loop {
            if self.eat(".") {
                match self.peek() {
                    Some(Tok::Ident(_) | Tok::Kw(_) | Tok::Bind(_)) => self.at += 1,
                    other => return Err(format!("expected an attribute name, found {other:?}")),
                }
            } else if self.eat("[") {
                if !self.eat("*") {
                    self.expr()?;
                }
                self.expect("]")?;
            } else {
                return Ok(());
            }
        }
    }

    pub(super) fn primary(&mut self) -> R {
        let tok = self
            .peek()
            .cloned()
            .ok_or("the query ends inside an expression")?;
        self.at += 1;
        match tok {
            Tok::Num | Tok::Str | Tok::Bind(_) | Tok::CollBind(_) => Ok(()),
            // KEEP is a keyword, and a function.
            Tok::Kw(k) if FUNCTIONS.contains(&k.as_str()) && self.eat("(") => {
                self.nested(|p| p.list(")"))
            }
            Tok::Kw(k) if ["NULL", "TRUE", "FALSE"].contains(&k.as_str()) => Ok(()),
            Tok::Ident(name) if self.eat("(") => {
                if !FUNCTIONS.contains(&name.to_ascii_uppercase().as_str()) {
                    return Err(format!("unknown function {name}"));
                }
                self.nested(|p| p.list(")"))
            }
            Tok::Ident(name) if self.known(&name) || self.collections.contains(&name) => Ok(()),
            Tok::Ident(name) => Err(format!(
                "{name} is neither a variable in scope nor a collection"
            )),
            Tok::P("[") => self.nested(|p| p.list("]")),
            Tok::P("{") => self.nested(Self::object),
            Tok::P("(") => self.nested(|p| {
                p.expr_or_query()?;
                p.expect(")")
            }),
            other => Err(format!("unexpected {other:?} in an expression")),
        }
    }

    /// A subquery (its own level of variables) or an expression.
    pub(super) fn expr_or_query(&mut self) -> R {
        let query = matches!(self.peek(), Some(Tok::Kw(k)) if ["FOR", "LET", "RETURN"].contains(&k.as_str()));
        if !query {
            return self.expr();
        }
        self.scopes.push(Vec::new());
        let sub = self.body();
        self.scopes.pop();
        sub
    }

    pub(super) fn list(&mut self, close: &str) -> R {
        if self.eat(close) {
            return Ok(());
        }
        loop {
            self.expr_or_query()?;
            if self.eat(close) {
                return Ok(());
            }
            self.expect(",")?;
        }
    }

    pub(super) fn object(&mut self) -> R {
        if self.eat("}") {
            return Ok(());
        }
        loop {
            match self.peek().cloned() {
                Some(Tok::Ident(name))
                    if !matches!(self.toks.get(self.at + 1), Some(Tok::P(":"))) =>
                {
                    // Shorthand `{ name }`: the variable's value.
                    if !self.known(&name) {
                        return Err(format!("{name} is not a variable in scope"));
                    }
                    self.at += 1;
                }
                Some(Tok::Ident(_) | Tok::Str | Tok::Bind(_) | Tok::Kw(_)) => {
                    self.at += 1;
                    self.expect(":")?;
                    self.expr()?;
                }
                other => return Err(format!("expected an attribute name, found {other:?}")),
            }
            if self.eat("}") {
                return Ok(());
            }
            self.expect(",")?;
        }
    }
}
