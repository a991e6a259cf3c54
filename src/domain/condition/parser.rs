//! A recursive-descent parser from tokens to an [`Expr`].
//!
//! The recursion is bounded: every level that nests (`not`, a parenthesis, a
//! list) goes through [`Parser::nested`], which refuses past [`MAX_DEPTH`]
//! before recursing; `and`/`or` chains are loops that build flat lists.

use regex::RegexBuilder;
use serde_json::Value;

use super::{
    Expr, MAX_BYTES, MAX_DEPTH, MAX_TOKENS, ParseError, Segment,
    lexer::{Token, tokens},
};

/// Largest compiled size of a `matches` pattern, in bytes.
const REGEX_SIZE_LIMIT: usize = 1 << 16;

pub(super) fn parse(text: &str) -> Result<Expr, ParseError> {
    if text.len() > MAX_BYTES {
        return Err(ParseError::limit(
            MAX_BYTES,
            format!(
                "the condition is {} bytes long; at most {MAX_BYTES} are allowed",
                text.len()
            ),
        ));
    }
    let mut p = Parser {
        tokens: tokens(text)?,
        pos: 0,
        len: text.len(),
        depth: 0,
    };
    let expr = p.or()?;
    if let Some((at, t)) = p.tokens.get(p.pos) {
        return Err(ParseError::syntax(
            *at,
            format!("unexpected {t:?} after a complete expression"),
        ));
    }
    // Checked after the grammar so that long prose stays prose (a syntax
    // error), while an expression that long is refused.
    if p.tokens.len() > MAX_TOKENS {
        let at = p.tokens.get(MAX_TOKENS).map_or(p.len, |(at, _)| *at);
        return Err(ParseError::limit(
            at,
            format!(
                "the condition has {} tokens; at most {MAX_TOKENS} are allowed",
                p.tokens.len()
            ),
        ));
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    pos: usize,
    len: usize,
    /// How many nesting levels enclose the current position.
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn at(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.len, |(at, _)| *at)
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError::syntax(self.at(), message)
    }

    /// Parses one nested level with `inner`, refusing before it recurses
    /// when the nesting would pass [`MAX_DEPTH`].
    fn nested<T>(
        &mut self,
        inner: impl FnOnce(&mut Self) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(ParseError::limit(
                self.at(),
                format!("the condition nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.depth += 1;
        let result = inner(self);
        self.depth -= 1;
        result
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Ident(w)) if w == word)
    }

    fn eat(&mut self, token: &Token) -> bool {
        let found = self.peek() == Some(token);
        if found {
            self.pos += 1;
        }
        found
    }

    fn eat_keyword(&mut self, word: &str) -> bool {
        let found = self.keyword(word);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, token: &Token) -> Result<(), ParseError> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(self.error(format!("expected {token:?}")))
        }
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut terms = vec![self.and()?];
        while self.eat_keyword("or") || self.eat(&Token::OrOr) {
            terms.push(self.and()?);
        }
        Ok(flat(terms, Expr::Or))
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut terms = vec![self.not()?];
        while self.eat_keyword("and") || self.eat(&Token::AndAnd) {
            terms.push(self.not()?);
        }
        Ok(flat(terms, Expr::And))
    }

    fn not(&mut self) -> Result<Expr, ParseError> {
        if self.eat_keyword("not") || self.eat(&Token::Bang) {
            return self.nested(|p| Ok(Expr::Not(Box::new(p.not()?))));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, ParseError> {
        let left = self.value()?;
        let Some(Token::Cmp(op)) = self.peek() else {
            return self.membership(left);
        };
        let op = *op;
        self.pos += 1;
        Ok(Expr::Compare(op, Box::new(left), Box::new(self.value()?)))
    }

    fn membership(&mut self, left: Expr) -> Result<Expr, ParseError> {
        let negated = self.keyword("not")
            && matches!(self.tokens.get(self.pos + 1), Some((_, Token::Ident(w))) if w == "in");
        if negated {
            self.pos += 1;
        }
        if self.eat_keyword("in") {
            let list = self.value()?;
            let test = Expr::In(Box::new(left), Box::new(list));
            return Ok(if negated {
                Expr::Not(Box::new(test))
            } else {
                test
            });
        }
        if self.eat_keyword("matches") {
            let Some(Token::Str(pattern)) = self.peek().cloned() else {
                return Err(self.error("`matches` needs a quoted pattern"));
            };
            let regex = RegexBuilder::new(&pattern)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| self.error(format!("bad pattern: {e}")))?;
            self.pos += 1;
            return Ok(Expr::Matches(Box::new(left), regex));
        }
        Ok(left)
    }

    fn value(&mut self) -> Result<Expr, ParseError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.error("expected a value, found the end"));
        };
        self.pos += 1;
        match token {
            Token::Number(n) => Ok(Expr::Literal(number(n))),
            Token::Minus => match self.peek().cloned() {
                Some(Token::Number(n)) => {
                    self.pos += 1;
                    Ok(Expr::Literal(number(-n)))
                }
                _ => Err(self.error("`-` must come before a number")),
            },
            Token::Str(s) => Ok(Expr::Literal(Value::String(s))),
            Token::LParen => self.nested(|p| {
                let inner = p.or()?;
                p.expect(&Token::RParen)?;
                Ok(inner)
            }),
            Token::LBracket => self.nested(Self::list),
            Token::Ident(word) => self.word(word),
            other => {
                self.pos -= 1;
                Err(self.error(format!("expected a value, found {other:?}")))
            }
        }
    }

    fn list(&mut self) -> Result<Expr, ParseError> {
        let mut items = Vec::new();
        if self.eat(&Token::RBracket) {
            return Ok(Expr::List(items));
        }
        loop {
            items.push(self.value()?);
            if self.eat(&Token::RBracket) {
                return Ok(Expr::List(items));
            }
            self.expect(&Token::Comma)?;
        }
    }

    fn word(&mut self, word: String) -> Result<Expr, ParseError> {
        match word.as_str() {
            "true" => return Ok(Expr::Literal(Value::Bool(true))),
            "false" => return Ok(Expr::Literal(Value::Bool(false))),
            "null" => return Ok(Expr::Literal(Value::Null)),
            "and" | "or" | "not" | "in" | "matches" => {
                self.pos -= 1;
                return Err(self.error(format!("expected a value, found `{word}`")));
            }
            _ => {}
        }
        let mut path = vec![Segment::Key(word)];
        loop {
            if self.eat(&Token::Dot) {
                match self.peek().cloned() {
                    Some(Token::Ident(key)) => path.push(Segment::Key(key)),
                    _ => return Err(self.error("expected a name after `.`")),
                }
                self.pos += 1;
            } else if self.eat(&Token::LBracket) {
                match self.peek().cloned() {
                    Some(Token::Number(n)) if n >= 0.0 && n.fract() == 0.0 => {
                        // Whole and non-negative: the cast is exact below 2^53.
                        path.push(Segment::Index(n as usize));
                    }
                    Some(Token::Str(key)) => path.push(Segment::Key(key)),
                    _ => return Err(self.error("expected an index or a quoted key")),
                }
                self.pos += 1;
                self.expect(&Token::RBracket)?;
            } else {
                return Ok(Expr::Path(path));
            }
        }
    }
}

/// One term as itself, several as the operator over all of them.
fn flat(mut terms: Vec<Expr>, op: fn(Vec<Expr>) -> Expr) -> Expr {
    if terms.len() == 1
        && let Some(only) = terms.pop()
    {
        return only;
    }
    op(terms)
}

fn number(n: f64) -> Value {
    serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
}
