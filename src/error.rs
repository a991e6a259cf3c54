//! The crate's one error type for the API, with stable codes.

use crate::{domain::InvalidId, resolve::ResolveError};

/// A stable code that clients match on (`extensions.code` in GraphQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiErrorCode {
    NotFound,
    BadUserInput,
    InvalidRunbook,
    /// No valid credentials: missing, malformed, expired or unverifiable token.
    Unauthenticated,
    /// Valid credentials that do not permit the operation.
    Forbidden,
    Internal,
    LimitExceeded,
    /// A write based on a stale revision.
    Conflict,
    /// The store is busy or cannot be reached; nothing was done, and the same
    /// request may succeed when retried.
    Unavailable,
}

impl ApiErrorCode {
    /// The code as clients see it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotFound => "NOT_FOUND",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::InvalidRunbook => "INVALID_RUNBOOK",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::Internal => "INTERNAL",
            Self::LimitExceeded => "LIMIT_EXCEEDED",
            Self::Conflict => "CONFLICT",
            Self::Unavailable => "UNAVAILABLE",
        }
    }
}

/// An error as the API reports it: a code, a message safe to show, and the
/// field it concerns when there is one.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: ApiErrorCode,
    pub message: String,
    /// The input field or path it concerns, e.g. `serviceId`.
    pub field: Option<String>,
    /// Structured details for clients (e.g. the problems of a refused write).
    pub details: Option<Box<(&'static str, serde_json::Value)>>,
}

impl ApiError {
    /// An error with a code and message.
    pub fn new(code: ApiErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            details: None,
        }
    }

    /// Adds structured details under an extension name.
    pub fn with_details(mut self, name: &'static str, value: serde_json::Value) -> Self {
        self.details = Some(Box::new((name, value)));
        self
    }

    /// Names the input field the error concerns.
    pub fn on_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// A `NOT_FOUND` error.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ApiErrorCode::NotFound, message)
    }

    /// A `BAD_USER_INPUT` error about a field.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ApiErrorCode::BadUserInput, message).on_field(field)
    }
}

impl From<InvalidId> for ApiError {
    fn from(e: InvalidId) -> Self {
        Self::new(ApiErrorCode::BadUserInput, e.to_string())
    }
}

impl From<ResolveError> for ApiError {
    fn from(e: ResolveError) -> Self {
        let code = match e {
            ResolveError::UnknownScope { .. } | ResolveError::NoEntry { .. } => {
                ApiErrorCode::NotFound
            }
            _ => ApiErrorCode::InvalidRunbook,
        };
        Self::new(code, e.to_string())
    }
}
