//! A request's parameters (`query`, `operationName`, `variables`,
//! `extensions`) from a POST body or a GET query string, each checked for its
//! type before anything runs: `query` a string, `operationName` a string or
//! null, `variables` and `extensions` maps or null. Batches are not accepted.

use serde_json::{Map, Value};

use super::{Refusal, bad_request};

/// The request in a POST body (JSON, as [`super::require_json`] checked).
pub fn from_body(body: &[u8]) -> Result<async_graphql::Request, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(bad_request(
            "body",
            "the request has no body; send {\"query\": \"...\"}",
        ));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| bad_request("body", &format!("the body is not JSON: {e}")))?;
    match value {
        Value::Object(params) => build(params),
        Value::Array(_) => Err(bad_request(
            "body",
            "batched requests are not accepted; send one {\"query\": \"...\"} per request",
        )),
        _ => Err(bad_request(
            "body",
            "the body must be a JSON object with a `query`",
        )),
    }
}

/// The request in a GET query string: `variables` and `extensions` are JSON
/// text there.
pub fn from_query_string(query: Option<&str>) -> Result<async_graphql::Request, Refusal> {
    let mut params = Map::new();
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let value = match name.as_ref() {
            "query" | "operationName" => Value::String(value.into_owned()),
            "variables" | "extensions" => serde_json::from_str(&value)
                .map_err(|e| bad_request(&name, &format!("`{name}` is not JSON: {e}")))?,
            _ => continue,
        };
        if params.insert(name.clone().into_owned(), value).is_some() {
            return Err(bad_request(&name, &format!("`{name}` is given twice")));
        }
    }
    build(params)
}

/// Checks each parameter's type and builds the request.
fn build(mut params: Map<String, Value>) -> Result<async_graphql::Request, Refusal> {
    match params.get("query") {
        Some(Value::String(_)) => {}
        None | Some(Value::Null) => {
            return Err(bad_request("query", "the request has no `query`"));
        }
        Some(other) => return Err(wrong_type("query", "a string", other)),
    }
    match params.get("operationName") {
        None | Some(Value::Null | Value::String(_)) => {}
        Some(other) => return Err(wrong_type("operationName", "a string or null", other)),
    }
    for name in ["variables", "extensions"] {
        match params.get(name) {
            None | Some(Value::Object(_)) => {}
            Some(Value::Null) => {
                params.remove(name);
            }
            Some(other) => return Err(wrong_type(name, "a map or null", other)),
        }
    }
    // Every parameter now has the type async-graphql reads it as.
    serde_json::from_value(Value::Object(params))
        .map_err(|e| bad_request("body", &format!("the request cannot be read: {e}")))
}

fn wrong_type(name: &str, expected: &str, given: &Value) -> Refusal {
    let given = match given {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "a map",
    };
    bad_request(name, &format!("`{name}` must be {expected}, not {given}"))
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;

    fn field_of(refused: Result<async_graphql::Request, Refusal>) -> (StatusCode, Option<String>) {
        match refused {
            Ok(_) => panic!("accepted"),
            Err(refusal) => (refusal.status, refusal.field),
        }
    }

    #[test]
    fn parameters_of_the_wrong_type_are_refused_naming_the_parameter() {
        for (body, field) in [
            ("", "body"),
            ("{ \"not a JSON", "body"),
            ("[{\"query\": \"{ __typename }\"}]", "body"),
            ("\"{ __typename }\"", "body"),
            ("{}", "query"),
            ("{\"qeury\": \"{ __typename }\"}", "query"),
            ("{\"query\": 0}", "query"),
            ("{\"query\": [\"{ __typename }\"]}", "query"),
            (
                "{\"query\": \"{ a }\", \"operationName\": false}",
                "operationName",
            ),
            ("{\"query\": \"{ a }\", \"variables\": \"{}\"}", "variables"),
            ("{\"query\": \"{ a }\", \"variables\": [1]}", "variables"),
            ("{\"query\": \"{ a }\", \"extensions\": 0}", "extensions"),
        ] {
            let (status, named) = field_of(from_body(body.as_bytes()));
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(named.as_deref(), Some(field), "{body}");
        }
    }

    #[test]
    fn well_typed_parameters_make_the_request() {
        let body = r#"{"query": "query Q($n: String) { a }", "operationName": "Q",
            "variables": {"n": "x"}, "extensions": {"some": "value"}}"#;
        let Ok(request) = from_body(body.as_bytes()) else {
            panic!("refused")
        };
        assert_eq!(request.operation_name.as_deref(), Some("Q"));
        let variables = async_graphql::Value::from_json(serde_json::json!({ "n": "x" }));
        assert_eq!(
            Ok(request.variables.into_value()),
            variables.map_err(|e| e.to_string())
        );
        let nulls =
            r#"{"query": "{ a }", "operationName": null, "variables": null, "extensions": null}"#;
        assert!(from_body(nulls.as_bytes()).is_ok());

        let Ok(get) = from_query_string(Some(
            "query=query%20Q(%24n%3A%20String)%20%7B%20a%20%7D&operationName=Q&variables=%7B%22n%22%3A%22x%22%7D",
        )) else {
            panic!("refused")
        };
        assert_eq!(get.operation_name.as_deref(), Some("Q"));
        assert_eq!(get.query, "query Q($n: String) { a }");
    }

    #[test]
    fn a_get_without_a_query_or_with_bad_variables_is_refused() {
        for (query, field) in [
            (None, "query"),
            (Some("variables=%7B%7D"), "query"),
            (Some("query=%7Ba%7D&variables=not-json"), "variables"),
            (Some("query=%7Ba%7D&variables=%5B%5D"), "variables"),
            (Some("query=%7Ba%7D&query=%7Bb%7D"), "query"),
        ] {
            let (status, named) = field_of(from_query_string(query));
            assert_eq!(status, StatusCode::BAD_REQUEST, "{query:?}");
            assert_eq!(named.as_deref(), Some(field), "{query:?}");
        }
    }
}
