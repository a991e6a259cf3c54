//! Finding the token in a request: `Authorization: Bearer`, or the portal
//! SPA's `accessToken` cookie guarded by `X-CSRF-TOKEN`; and an axum extractor.

use std::sync::Arc;

use axum::{
    Json,
    extract::{FromRef, FromRequestParts},
    http::{
        HeaderMap, HeaderValue, StatusCode,
        header::{AUTHORIZATION, COOKIE, WWW_AUTHENTICATE},
        request::Parts,
    },
    response::{IntoResponse, Response},
};

use super::{AuthError, Authenticator, Caller};
use crate::error::ApiErrorCode;

/// The cookie the light-portal SPA keeps its access token in.
pub const ACCESS_TOKEN_COOKIE: &str = "accessToken";

/// The header the SPA echoes the token's `csrf` claim in.
pub const CSRF_HEADER: &str = "x-csrf-token";

impl Authenticator {
    /// The caller named by the request's credentials; `Ok(None)` when it presents none.
    ///
    /// An `Authorization` header wins over the cookie and must be
    /// `Bearer <token>`. A token from the `accessToken` cookie also needs a
    /// `csrf` claim equal to the `X-CSRF-TOKEN` header. An empty cookie counts
    /// as no credentials (the portal empties it on logout).
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<Option<Caller>, AuthError> {
        if let Some(value) = headers.get(AUTHORIZATION) {
            return self.verify(bearer_token(value)?).map(Some);
        }
        let Some(token) = cookie_token(headers) else {
            return Ok(None);
        };
        let claims = self.verify_claims(token)?;
        let expected = claims
            .csrf
            .as_deref()
            .filter(|csrf| !csrf.is_empty())
            .ok_or(AuthError::MissingClaim { claim: "csrf" })?;
        let presented = headers.get(CSRF_HEADER).ok_or(AuthError::CsrfMissing)?;
        if !same_bytes(presented.as_bytes(), expected.as_bytes()) {
            return Err(AuthError::CsrfMismatch);
        }
        Caller::from_claims(&claims).map(Some)
    }
}

fn bearer_token(value: &HeaderValue) -> Result<&str, AuthError> {
    let (scheme, token) = value
        .to_str()
        .ok()
        .and_then(|v| v.trim().split_once(' '))
        .ok_or(AuthError::BadAuthorizationHeader)?;
    let token = token.trim();
    if scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() {
        Ok(token)
    } else {
        Err(AuthError::BadAuthorizationHeader)
    }
}

/// The first non-empty `accessToken` cookie across all `Cookie` headers.
fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(name, _)| *name == ACCESS_TOKEN_COOKIE)
        .map(|(_, value)| value.trim().trim_matches('"'))
        .find(|value| !value.is_empty())
}

/// Compares without stopping at the first difference, so timing does not
/// reveal how much of the CSRF token was guessed.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The caller of a request, or `None` for an anonymous one: an axum extractor.
///
/// The state must yield `Option<Arc<Authenticator>>` (`None` when auth is
/// disabled; then every request is anonymous). Refused credentials reject the
/// request with [`AuthRejection`]: 401 and a GraphQL-shaped error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaybeCaller(pub Option<Caller>);

impl<S> FromRequestParts<S> for MaybeCaller
where
    Option<Arc<Authenticator>>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Option::<Arc<Authenticator>>::from_ref(state) {
            Some(auth) => auth
                .authenticate(&parts.headers)
                .map(MaybeCaller)
                .map_err(AuthRejection),
            None => Ok(MaybeCaller(None)),
        }
    }
}

/// Refused credentials as an HTTP response: 401 with
/// `{"errors":[{"message":…,"extensions":{"code":"UNAUTHENTICATED"}}]}`.
#[derive(Debug)]
pub struct AuthRejection(pub AuthError);

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "errors": [{
                "message": self.0.to_string(),
                "extensions": { "code": ApiErrorCode::Unauthenticated.as_str() },
            }]
        });
        let challenge = HeaderValue::from_static("Bearer error=\"invalid_token\"");
        (
            StatusCode::UNAUTHORIZED,
            [(WWW_AUTHENTICATE, challenge)],
            Json(body),
        )
            .into_response()
    }
}
