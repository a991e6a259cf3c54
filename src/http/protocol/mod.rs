//! GraphQL over HTTP, as the specification has it
//! (<https://graphql.github.io/graphql-over-http/draft/>): which answer type a
//! client accepts ([`media`]), what a request's parameters may be
//! ([`params`]), and how an answer is sent ([`answer`]).
//!
//! - POST bodies are `application/json` only (any other type, or none, is
//!   refused 415): a page on another origin cannot send one without a CORS
//!   preflight, which only the configured origins pass.
//! - `Accept: application/graphql-response+json` gets that type, with 400 for
//!   a request that fails before execution (parse, validation, variables) and
//!   no `data` entry; `application/json` (or `*/*`, or no `Accept`) gets
//!   `application/json` and 200 whenever a GraphQL answer was made. An
//!   `Accept` naming neither is refused 406.
//! - Malformed requests (a body that is not JSON, a missing `query`,
//!   parameters of the wrong type) are answered 400 in the GraphQL error shape,
//!   with `extensions.code` `BAD_USER_INPUT` and `extensions.field`.

pub mod answer;
pub mod media;
pub mod params;

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::json;

pub use self::{
    answer::render,
    media::{Answer, answer_type, require_json},
    params::{from_body, from_query_string},
};
use crate::error::ApiErrorCode;

/// A refused request, sent in the GraphQL error shape:
/// `{"errors":[{"message", "extensions":{"code", "field"?}}]}`.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: ApiErrorCode,
    pub message: String,
    /// The parameter or header it concerns.
    pub field: Option<String>,
}

impl Refusal {
    /// A refusal with a status, a code and a message.
    pub fn new(status: StatusCode, code: ApiErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// Names the parameter or header it concerns.
    pub fn on(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut extensions = json!({ "code": self.code.as_str() });
        if let Some(field) = self.field {
            extensions["field"] = json!(field);
        }
        let body = json!({ "errors": [{ "message": self.message, "extensions": extensions }] });
        (self.status, Json(body)).into_response()
    }
}

/// A malformed request: 400 `BAD_USER_INPUT` about `field`.
pub fn bad_request(field: &str, message: &str) -> Refusal {
    Refusal::new(StatusCode::BAD_REQUEST, ApiErrorCode::BadUserInput, message).on(field)
}
