//! Sending a GraphQL answer in the negotiated type, with the status the
//! specification gives it.

use async_graphql::ServerError;
use axum::{
    body::Body,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;

use super::Answer;

/// An answer to a request that was not executed: errors, no `data` entry.
#[derive(Serialize)]
struct NotExecuted<'a> {
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

/// Whether the request failed before execution (parse, validation, variable
/// coercion, a guardrail): no data, and errors that concern no field.
/// Field errors carry a `path`, even when they null the whole `data`.
pub fn not_executed(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

/// The HTTP answer: `application/json` with 200, or
/// `application/graphql-response+json` with 200, or 400 for a request that
/// was not executed. A request that was not executed has no `data` entry in
/// either type. Cache-Control and the response's own headers are kept.
pub fn render(answer: Answer, response: async_graphql::Response) -> Response {
    let not_executed = not_executed(&response);
    let body = if not_executed {
        serde_json::to_vec(&NotExecuted {
            errors: &response.errors,
            extensions: &response.extensions,
        })
    } else {
        serde_json::to_vec(&response)
    };
    let body = match body {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "an answer could not be serialized");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the answer could not be serialized",
            )
                .into_response();
        }
    };
    let mut sent = Response::new(Body::from(body));
    if not_executed && answer == Answer::GraphqlResponse {
        *sent.status_mut() = StatusCode::BAD_REQUEST;
    }
    let headers = sent.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(answer.content_type()),
    );
    if response.is_ok()
        && let Some(value) = response.cache_control.value()
        && let Ok(value) = HeaderValue::from_str(&value)
    {
        headers.insert(header::CACHE_CONTROL, value);
    }
    headers.extend(response.http_headers);
    sent
}
