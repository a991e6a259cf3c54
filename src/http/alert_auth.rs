//! Who may post alerts: a token with the alert scope (verified by the
//! service's [`Authenticator`]), or the configured shared secret in
//! `X-Alert-Secret`, compared in constant time. With neither configured,
//! intake is open (like the rest of the service without a token key).
//! What is configured and who was let in are `alerts`' own types.

use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use sha2::{Digest, Sha256};

use crate::{
    alerts::{AlertAuth, Sender},
    auth::Authenticator,
    error::{ApiError, ApiErrorCode},
};

/// The header that carries the shared secret.
pub const SECRET_HEADER: &str = "x-alert-secret";

/// Checks a request's credentials. The error carries the HTTP status to answer.
pub fn authenticate(
    headers: &HeaderMap,
    auth: &AlertAuth,
    tokens: Option<&Authenticator>,
) -> Result<Sender, (StatusCode, ApiError)> {
    let unauthenticated = |message: &str| {
        (
            StatusCode::UNAUTHORIZED,
            ApiError::new(ApiErrorCode::Unauthenticated, message),
        )
    };
    if let Some(presented) = headers.get(SECRET_HEADER) {
        return match &auth.secret {
            Some(secret) if same_secret(presented.as_bytes(), secret.as_bytes()) => {
                Ok(Sender::Secret)
            }
            _ => Err(unauthenticated("the alert secret does not match")),
        };
    }
    if headers.contains_key(AUTHORIZATION) {
        let Some(tokens) = tokens else {
            return match auth.secret {
                Some(_) => Err(unauthenticated(
                    "tokens are not accepted here: send the alert secret in X-Alert-Secret",
                )),
                None => Ok(Sender::Open),
            };
        };
        let caller = tokens
            .authenticate(headers)
            .map_err(|e| unauthenticated(&e.to_string()))?
            .ok_or_else(|| unauthenticated("no token"))?;
        if !caller.has_scope(&auth.scope) {
            return Err((
                StatusCode::FORBIDDEN,
                ApiError::new(
                    ApiErrorCode::Forbidden,
                    format!(
                        "the token lacks the scope {} needed to post alerts",
                        auth.scope
                    ),
                ),
            ));
        }
        return Ok(Sender::Token(caller));
    }
    if auth.secret.is_none() && tokens.is_none() {
        return Ok(Sender::Open);
    }
    Err(unauthenticated(
        "posting alerts needs a bearer token or the alert secret (X-Alert-Secret)",
    ))
}

/// Compares digests, so neither the secret's content nor its length shows in the timing.
fn same_secret(presented: &[u8], secret: &[u8]) -> bool {
    let a = Sha256::digest(presented);
    let b = Sha256::digest(secret);
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_must_match_and_is_needed_once_configured() {
        let auth = AlertAuth {
            secret: Some("s3cret".into()),
            scope: "portal.w".into(),
        };
        let mut headers = HeaderMap::new();
        assert_eq!(
            authenticate(&headers, &auth, None).unwrap_err().0,
            StatusCode::UNAUTHORIZED
        );
        headers.insert(SECRET_HEADER, "s3cret".parse().unwrap());
        assert_eq!(authenticate(&headers, &auth, None).unwrap(), Sender::Secret);
        headers.insert(SECRET_HEADER, "s3cre".parse().unwrap());
        assert!(authenticate(&headers, &auth, None).is_err());
        let open = AlertAuth::default();
        assert_eq!(
            authenticate(&HeaderMap::new(), &open, None).unwrap(),
            Sender::Open
        );
    }
}
