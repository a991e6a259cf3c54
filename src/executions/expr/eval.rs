//! Evaluating a parsed condition over JSON variables. The recursion follows
//! the tree, whose depth the parser bounds.

use std::cmp::Ordering;

use serde_json::Value;

use super::{CmpOp, EvalError, Expr, Segment};

pub(super) fn eval(expr: &Expr, vars: &Value) -> Result<Value, EvalError> {
    Ok(match expr {
        Expr::Literal(v) => v.clone(),
        Expr::Path(path) => lookup(vars, path),
        Expr::List(items) => Value::Array(
            items
                .iter()
                .map(|e| eval(e, vars))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Not(inner) => Value::Bool(!boolean(&eval(inner, vars)?, "not")?),
        Expr::And(terms) => Value::Bool(all(terms, vars, "and", false)?),
        Expr::Or(terms) => Value::Bool(all(terms, vars, "or", true)?),
        Expr::Compare(op, a, b) => Value::Bool(compare(*op, &eval(a, vars)?, &eval(b, vars)?)?),
        Expr::In(needle, haystack) => {
            Value::Bool(contains(&eval(haystack, vars)?, &eval(needle, vars)?)?)
        }
        Expr::Matches(subject, regex) => match eval(subject, vars)? {
            Value::String(s) => Value::Bool(regex.is_match(&s)),
            Value::Null => Value::Bool(false),
            other => {
                return Err(EvalError(format!("`matches` needs a string, got {other}")));
            }
        },
    })
}

/// `and` (stopping at the first false) or `or` (stopping at the first true).
fn all(terms: &[Expr], vars: &Value, op: &str, stop_at: bool) -> Result<bool, EvalError> {
    for term in terms {
        if boolean(&eval(term, vars)?, op)? == stop_at {
            return Ok(stop_at);
        }
    }
    Ok(!stop_at)
}

fn lookup(vars: &Value, path: &[Segment]) -> Value {
    let mut current = vars;
    for segment in path {
        let next = match (segment, current) {
            (Segment::Key(k), Value::Object(map)) => map.get(k),
            (Segment::Index(i), Value::Array(items)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(v) => current = v,
            None => return Value::Null,
        }
    }
    current.clone()
}

fn boolean(value: &Value, op: &str) -> Result<bool, EvalError> {
    value
        .as_bool()
        .ok_or_else(|| EvalError(format!("`{op}` needs true or false, got {value}")))
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) if a.is_number() && b.is_number() => x == y,
        _ => a == b,
    }
}

fn compare(op: CmpOp, a: &Value, b: &Value) -> Result<bool, EvalError> {
    let ordering = match (a, b) {
        _ if matches!(op, CmpOp::Eq) => return Ok(equal(a, b)),
        _ if matches!(op, CmpOp::Ne) => return Ok(!equal(a, b)),
        (Value::Null, _) | (_, Value::Null) => return Ok(false),
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .zip(y.as_f64())
            .and_then(|(x, y)| x.partial_cmp(&y)),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    };
    let Some(ordering) = ordering else {
        return Err(EvalError(format!("cannot order {a} and {b}")));
    };
    Ok(match op {
        CmpOp::Lt => ordering == Ordering::Less,
        CmpOp::Le => ordering != Ordering::Greater,
        CmpOp::Gt => ordering == Ordering::Greater,
        CmpOp::Ge => ordering != Ordering::Less,
        CmpOp::Eq | CmpOp::Ne => false,
    })
}

fn contains(haystack: &Value, needle: &Value) -> Result<bool, EvalError> {
    match (haystack, needle) {
        (Value::Array(items), _) => Ok(items.iter().any(|item| equal(item, needle))),
        (Value::String(text), Value::String(part)) => Ok(text.contains(part.as_str())),
        (Value::Null, _) => Ok(false),
        _ => Err(EvalError(format!("cannot look for {needle} in {haystack}"))),
    }
}
