//! Splitting a condition into tokens.

use super::{CmpOp, ParseError};

/// A token of the expression language.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Ident(String),
    Number(f64),
    Str(String),
    /// `==`, `!=`, `<`, `<=`, `>`, `>=`.
    Cmp(CmpOp),
    AndAnd,
    OrOr,
    Bang,
    Minus,
    Dot,
    Comma,
    LParen,
    RParen,
    LBracket,
    RBracket,
}

/// The tokens of `text`, each with its byte offset.
pub(super) fn tokens(text: &str) -> Result<Vec<(usize, Token)>, ParseError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let two = bytes.get(i..i + 2).unwrap_or_default();
        let token = match (c, two) {
            (b' ' | b'\t' | b'\n' | b'\r', _) => {
                i += 1;
                continue;
            }
            (_, b"==") => Token::Cmp(CmpOp::Eq),
            (_, b"!=") => Token::Cmp(CmpOp::Ne),
            (_, b"<=") => Token::Cmp(CmpOp::Le),
            (_, b">=") => Token::Cmp(CmpOp::Ge),
            (_, b"&&") => Token::AndAnd,
            (_, b"||") => Token::OrOr,
            (b'<', _) => Token::Cmp(CmpOp::Lt),
            (b'>', _) => Token::Cmp(CmpOp::Gt),
            (b'!', _) => Token::Bang,
            (b'-', _) => Token::Minus,
            (b'.', _) => Token::Dot,
            (b',', _) => Token::Comma,
            (b'(', _) => Token::LParen,
            (b')', _) => Token::RParen,
            (b'[', _) => Token::LBracket,
            (b']', _) => Token::RBracket,
            (b'"' | b'\'', _) => {
                let (s, end) = string(text, i)?;
                out.push((start, Token::Str(s)));
                i = end;
                continue;
            }
            (b'0'..=b'9', _) => {
                let end = number_end(bytes, i);
                let n = text[i..end].parse::<f64>().map_err(|_| {
                    ParseError::syntax(i, format!("bad number {:?}", &text[i..end]))
                })?;
                out.push((start, Token::Number(n)));
                i = end;
                continue;
            }
            (c, _) if c.is_ascii_alphabetic() || c == b'_' => {
                let end = bytes[i..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                    .map_or(bytes.len(), |n| i + n);
                out.push((start, Token::Ident(text[i..end].to_owned())));
                i = end;
                continue;
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('?');
                return Err(ParseError::syntax(
                    i,
                    format!("unexpected character {ch:?}"),
                ));
            }
        };
        i += match token {
            Token::Cmp(CmpOp::Eq | CmpOp::Ne | CmpOp::Le | CmpOp::Ge)
            | Token::AndAnd
            | Token::OrOr => 2,
            _ => 1,
        };
        out.push((start, token));
    }
    Ok(out)
}

/// The end of a number: digits, then optionally `.` and digits.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .map_or(bytes.len(), |n| from + n)
    };
    let end = digits(start);
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        digits(end + 1)
    } else {
        end
    }
}

/// A quoted string starting at `start`, and the offset after its closing quote.
fn string(text: &str, start: usize) -> Result<(String, usize), ParseError> {
    let mut chars = text[start..].char_indices();
    let quote = chars.next().map(|(_, c)| c).unwrap_or('"');
    let mut out = String::new();
    while let Some((offset, c)) = chars.next() {
        match c {
            c if c == quote => return Ok((out, start + offset + 1)),
            '\\' => match chars.next().map(|(_, e)| e) {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(e @ ('\\' | '"' | '\'')) => out.push(e),
                other => {
                    return Err(ParseError::syntax(
                        start + offset,
                        format!("unknown escape \\{}", other.unwrap_or(' ')),
                    ));
                }
            },
            c => out.push(c),
        }
    }
    Err(ParseError::syntax(start, "string not closed"))
}
