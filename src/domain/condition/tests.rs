//! The parser's bounds: size, tokens and nesting are refused as limits,
//! before any deep recursion; prose stays a syntax error.

use super::*;

fn kind(text: &str) -> Option<ParseErrorKind> {
    Expr::parse(text).err().map(|e| e.kind)
}

fn repeat(unit: &str, n: usize) -> String {
    unit.repeat(n)
}

#[test]
fn nesting_past_the_depth_bound_is_a_limit_and_at_the_bound_parses() {
    let at_bound = format!("{}true", repeat("not ", MAX_DEPTH));
    assert_eq!(kind(&at_bound), None, "{at_bound}");
    for text in [
        format!("{}true", repeat("not ", MAX_DEPTH + 1)),
        format!("{}true", repeat("!", MAX_DEPTH + 1)),
        format!(
            "{}x{}",
            repeat("(", MAX_DEPTH + 1),
            repeat(")", MAX_DEPTH + 1)
        ),
        format!(
            "x in {}1{}",
            repeat("[", MAX_DEPTH + 1),
            repeat("]", MAX_DEPTH + 1)
        ),
        format!("{}x == 1", repeat("(not ", MAX_DEPTH)),
    ] {
        let e = Expr::parse(&text).expect_err("refused");
        assert_eq!(e.kind, ParseErrorKind::Limit, "{text}: {e}");
        assert!(e.message.contains("nests deeper"), "{e}");
    }
}

#[test]
fn thousands_of_nesting_tokens_are_refused_without_overflowing_the_stack() {
    // Within the byte bound: refused by depth, unclosed or not.
    for text in [repeat("(", 4000), repeat("!", 4000), repeat("[", 4000)] {
        assert_eq!(kind(&text), Some(ParseErrorKind::Limit));
    }
    // Past it: refused by size before lexing.
    for text in [
        repeat("not ", 10_000),
        repeat("(", 10_000),
        repeat("x", 1 << 20),
    ] {
        let e = Expr::parse(&text).expect_err("refused");
        assert_eq!(e.kind, ParseErrorKind::Limit);
        assert!(e.message.contains("bytes long"), "{e}");
    }
}

#[test]
fn a_long_chain_is_flat_and_too_many_tokens_is_a_limit() {
    let chain = |n: usize| {
        (0..n)
            .map(|i| format!("x == {i}"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    // 60 terms of 3 tokens and 59 `or`s: 239 tokens.
    let Ok(Expr::Or(terms)) = Expr::parse(&chain(60)) else {
        panic!("a flat `or`");
    };
    assert_eq!(terms.len(), 60);
    let e = Expr::parse(&chain(100)).expect_err("refused");
    assert_eq!(e.kind, ParseErrorKind::Limit);
    assert!(e.message.contains("tokens"), "{e}");
    let mixed = (0..100)
        .map(|i| format!("a{i} and b{i}"))
        .collect::<Vec<_>>()
        .join(" || ");
    assert_eq!(kind(&mixed), Some(ParseErrorKind::Limit));
}

#[test]
fn prose_of_any_length_within_the_byte_bound_is_not_a_limit() {
    let long_prose = repeat("the clock skew is under five seconds ", 100);
    assert!(long_prose.len() < MAX_BYTES);
    for text in [
        "clock skew under 5 seconds",
        long_prose.as_str(),
        "((( unbalanced",
        "retry if needed",
    ] {
        assert_eq!(bound_violation(text), None, "{text}");
        assert_eq!(kind(text), Some(ParseErrorKind::Syntax), "{text}");
    }
    let too_long = repeat("words ", 1000);
    assert!(bound_violation(&too_long).is_some());
}
