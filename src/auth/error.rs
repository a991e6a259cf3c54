//! Why a request's credentials were refused.
//!
//! Messages say what failed but never repeat the token, the secret or any
//! other attacker-chosen text beyond a short algorithm name.

use crate::error::{ApiError, ApiErrorCode};

/// Why a token or the credentials of a request were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// `exp` (plus leeway) has passed.
    #[error("the token has expired")]
    Expired,
    /// `nbf` (minus leeway) has not been reached.
    #[error("the token is not valid yet (nbf is in the future)")]
    NotYetValid,
    /// The signature does not verify with the selected key.
    #[error("the token's signature does not verify")]
    BadSignature,
    /// `iss` is not the configured issuer.
    #[error("the token's issuer (iss) is not the expected one")]
    WrongIssuer,
    /// `aud` does not contain the configured audience.
    #[error("the token's audience (aud) does not include this service")]
    WrongAudience,
    /// The header's `kid` names no configured key.
    #[error("the token's key id (kid) matches no configured key")]
    UnknownKid,
    /// The header has no `kid` and several JWKS keys could apply.
    #[error("the token has no key id (kid) and the key set has several keys")]
    MissingKid,
    /// The header's `alg` is `none`, unknown, or not one a configured key verifies.
    #[error("the token's algorithm {alg} is not allowed")]
    AlgorithmNotAllowed {
        /// The algorithm named by the token (sanitized).
        alg: String,
    },
    /// Not a well-formed JWT.
    #[error("the token is malformed: {reason}")]
    Malformed {
        /// What is wrong.
        reason: &'static str,
    },
    /// A claim the service needs is absent.
    #[error("the token lacks the required claim {claim}")]
    MissingClaim {
        /// The claim's name.
        claim: &'static str,
    },
    /// A claim is present but unusable.
    #[error("the token's claim {claim} is invalid: {reason}")]
    InvalidClaim {
        /// The claim's name.
        claim: &'static str,
        /// The rule it breaks.
        reason: String,
    },
    /// An `Authorization` header that is not `Bearer <token>`.
    #[error("the Authorization header is not of the form \"Bearer <token>\"")]
    BadAuthorizationHeader,
    /// A cookie token came without the `X-CSRF-TOKEN` header.
    #[error("a token in the accessToken cookie needs the X-CSRF-TOKEN header")]
    CsrfMissing,
    /// The `X-CSRF-TOKEN` header differs from the token's `csrf` claim.
    #[error("the X-CSRF-TOKEN header does not match the token")]
    CsrfMismatch,
}

impl AuthError {
    /// `AlgorithmNotAllowed` for the header's `alg`, echoing it only when it
    /// looks like an algorithm name.
    pub(crate) fn algorithm_not_allowed(alg: &str) -> Self {
        let looks_like_alg =
            !alg.is_empty() && alg.len() <= 16 && alg.chars().all(|c| c.is_ascii_alphanumeric());
        Self::AlgorithmNotAllowed {
            alg: if looks_like_alg {
                alg.to_owned()
            } else {
                "(unrecognized)".to_owned()
            },
        }
    }
}

/// A refused credential is always `UNAUTHENTICATED`.
impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        ApiError::new(ApiErrorCode::Unauthenticated, e.to_string())
    }
}

/// Maps the verifier library's failure onto what it means for the caller.
pub(crate) fn from_jwt(e: &jsonwebtoken::errors::Error) -> AuthError {
    use jsonwebtoken::errors::ErrorKind as K;
    match e.kind() {
        K::InvalidSignature => AuthError::BadSignature,
        K::InvalidIssuer => AuthError::WrongIssuer,
        K::InvalidAudience => AuthError::WrongAudience,
        K::ExpiredSignature => AuthError::Expired,
        K::ImmatureSignature => AuthError::NotYetValid,
        K::MissingRequiredClaim(claim) => AuthError::MissingClaim {
            claim: spec_claim(claim),
        },
        K::InvalidClaimFormat(claim) => AuthError::InvalidClaim {
            claim: spec_claim(claim),
            reason: "not of the type the JWT specification requires".to_owned(),
        },
        K::InvalidAlgorithm | K::MissingAlgorithm | K::InvalidAlgorithmName => {
            AuthError::algorithm_not_allowed("")
        }
        K::Base64(_) => AuthError::Malformed {
            reason: "a part is not base64url",
        },
        K::Json(_) | K::Utf8(_) => AuthError::Malformed {
            reason: "the claims are not a JSON object of the expected shape",
        },
        // Key problems are caught at load; anything left means "cannot verify".
        _ => AuthError::BadSignature,
    }
}

/// The registered claim names the library reports, as static text.
fn spec_claim(name: &str) -> &'static str {
    match name {
        "exp" => "exp",
        "nbf" => "nbf",
        "iss" => "iss",
        "aud" => "aud",
        "sub" => "sub",
        _ => "(registered claim)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_auth_error_maps_to_unauthenticated() {
        let api: ApiError = AuthError::Expired.into();
        assert_eq!(api.code, ApiErrorCode::Unauthenticated);
        assert_eq!(api.code.as_str(), "UNAUTHENTICATED");
        assert_eq!(api.message, "the token has expired");
    }

    #[test]
    fn an_odd_algorithm_name_is_not_echoed() {
        assert_eq!(
            AuthError::algorithm_not_allowed("none").to_string(),
            "the token's algorithm none is not allowed"
        );
        let injected = AuthError::algorithm_not_allowed("RS256\nadmin=true");
        assert!(!injected.to_string().contains("admin"), "{injected}");
    }
}
