//! Deciding branch conditions: evaluating a parsed
//! [`Expr`](crate::domain::condition::Expr) over an execution's variables.
//! The language and its bounds are in [`crate::domain::condition`].
//!
//! Names read the execution's variables: the alert's `serviceId`,
//! `errorCode`, `host`, `environment`, `instance`, `statusCode`, `message`,
//! `description`, `severity`, `labels.NAME`; and the previous step's
//! `output` (an automation's response body, or what a person entered),
//! `outcome` (`success`, `failure`, `timeout`) and `httpStatus`.
//!
//! Evaluation: a missing name or key is `null`. `==`/`!=` compare any
//! values (numbers by value). `<`, `<=`, `>`, `>=` compare two numbers or two
//! strings; with `null` on either side they are false; other mixes are an
//! error. `x in [..]` is true when an element equals `x`; `x in "text"` tests
//! for a substring. `x matches "re"` searches `x` (a string; `null` is false)
//! for the regular expression (Rust `regex` syntax, unanchored). `and`, `or`
//! and `not` take booleans, left to right with short-circuit. The result
//! must be a boolean. Any error means the condition cannot decide.

mod eval;

use serde_json::Value;

pub use crate::domain::condition::{CmpOp, Expr, ParseError, Segment};

/// Why a parsed condition cannot be decided for these variables.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EvalError(pub String);

impl Expr {
    /// Decides the condition for the variables (a JSON object).
    pub fn check(&self, vars: &Value) -> Result<bool, EvalError> {
        match eval::eval(self, vars)? {
            Value::Bool(b) => Ok(b),
            other => Err(EvalError(format!(
                "the condition gives {other}, not true or false"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(text: &str, vars: &Value) -> Result<bool, String> {
        Expr::parse(text)
            .map_err(|e| format!("parse: {e}"))?
            .check(vars)
            .map_err(|e| format!("eval: {e}"))
    }

    #[test]
    fn the_documented_forms_decide() {
        let vars = json!({
            "statusCode": 503, "errorCode": "ERR10088", "message": "DATASOURCE down",
            "labels": {"team": "pay"},
            "output": {"status": "ok", "count": 4, "items": [{"id": "a"}], "flag": true},
        });
        for (text, expected) in [
            (r#"output.status == "ok""#, true),
            ("output.count > 3", true),
            ("output.count <= 3", false),
            ("statusCode >= 500 and not (statusCode == 501)", true),
            ("statusCode in [401, 403] || errorCode == 'ERR10088'", true),
            (r#"errorCode not in ["ERR10088"]"#, false),
            (r#"message matches "SQL|DATASOURCE""#, true),
            (r#"labels.team == "pay" && output.flag"#, true),
            (
                r#"output.items[0].id == "a" and output["count"] == 4.0"#,
                true,
            ),
            (
                "output.missing == null and (output.missing > 3) == false",
                true,
            ),
            ("!(-1 < 0)", false),
            (r#""ok" in "looks ok""#, true),
        ] {
            assert_eq!(check(text, &vars), Ok(expected), "{text}");
        }
    }

    #[test]
    fn prose_and_type_errors_cannot_decide() {
        let vars = json!({"output": {"count": "many"}, "statusCode": 500});
        for text in [
            "clock skew under 5 seconds",
            "statusCode >=",
            "output.count > 3 or",
            "'unclosed",
            r#"x matches "(""#,
            "statusCode == 1 2",
        ] {
            assert!(
                check(text, &vars).unwrap_err().starts_with("parse"),
                "{text}"
            );
        }
        for text in ["output.count > 3", "statusCode and true", "statusCode"] {
            assert!(
                check(text, &vars).unwrap_err().starts_with("eval"),
                "{text}"
            );
        }
    }
}
