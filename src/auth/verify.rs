//! Token verification: header, key choice, signature, then claims and time.

use std::{fmt, str::FromStr, sync::Arc};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, Validation};
use serde::Deserialize;

use super::{
    AuthConfig, AuthConfigError, AuthError, Caller, Claims, Clock, MAX_LEEWAY_SECONDS,
    error::from_jwt, keys::KeySet,
};

/// Tokens longer than this are refused before any parsing.
const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// Verifies light platform tokens against the configured keys and claims.
///
/// Built once at start with [`Authenticator::from_config`]; cheap to share in an `Arc`.
pub struct Authenticator {
    keys: KeySet,
    issuer: Option<String>,
    audience: Option<String>,
    leeway_seconds: u64,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("leeway_seconds", &self.leeway_seconds)
            .finish_non_exhaustive()
    }
}

/// The only header fields read before the signature is checked.
#[derive(Deserialize)]
struct RawHeader {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

impl Authenticator {
    /// Loads every configured key (reading the files now) and keeps `clock`
    /// for the `exp`/`nbf` checks.
    pub fn from_config(
        config: &AuthConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, AuthConfigError> {
        if config.leeway_seconds > MAX_LEEWAY_SECONDS {
            return Err(AuthConfigError::LeewayTooLarge(config.leeway_seconds));
        }
        Ok(Self {
            keys: KeySet::load(config)?,
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            leeway_seconds: config.leeway_seconds,
            clock,
        })
    }

    /// Verifies `token` and returns the caller it names.
    pub fn verify(&self, token: &str) -> Result<Caller, AuthError> {
        Caller::from_claims(&self.verify_claims(token)?)
    }

    /// Verifies `token` and returns its claims, without requiring `uid`/`host`.
    pub fn verify_claims(&self, token: &str) -> Result<Claims, AuthError> {
        let header = read_header(token)?;
        let alg = Algorithm::from_str(&header.alg)
            .ok()
            .filter(|alg| self.keys.allows(*alg))
            .ok_or_else(|| AuthError::algorithm_not_allowed(&header.alg))?;
        let bound = self.keys.select(alg, header.kid.as_deref())?;
        let data = jsonwebtoken::decode::<Claims>(token, &bound.key, &self.validation(alg))
            .map_err(|e| from_jwt(&e))?;
        self.check_time(&data.claims)?;
        Ok(data.claims)
    }

    /// The library's checks: algorithm, signature, required claims, iss, aud.
    /// Its own time checks are off, since they read the system clock.
    fn validation(&self, alg: Algorithm) -> Validation {
        let mut v = Validation::new(alg);
        v.validate_exp = false;
        v.validate_nbf = false;
        let mut required = vec!["exp"];
        if let Some(issuer) = &self.issuer {
            v.set_issuer(&[issuer]);
            required.push("iss");
        }
        v.validate_aud = self.audience.is_some();
        if let Some(audience) = &self.audience {
            v.set_audience(&[audience]);
            required.push("aud");
        }
        v.set_required_spec_claims(&required);
        v
    }

    /// Valid while `now < exp + leeway` and `now + leeway >= nbf`.
    fn check_time(&self, claims: &Claims) -> Result<(), AuthError> {
        let now = self.clock.unix_seconds();
        let exp = claims.exp.ok_or(AuthError::MissingClaim { claim: "exp" })?;
        if now >= exp.saturating_add(self.leeway_seconds) {
            return Err(AuthError::Expired);
        }
        if let Some(nbf) = claims.nbf
            && now.saturating_add(self.leeway_seconds) < nbf
        {
            return Err(AuthError::NotYetValid);
        }
        Ok(())
    }
}

/// Reads `alg` and `kid` from the (not yet trusted) header.
fn read_header(token: &str) -> Result<RawHeader, AuthError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(AuthError::Malformed {
            reason: "longer than 16 KiB",
        });
    }
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(AuthError::Malformed {
            reason: "not three dot-separated parts",
        });
    };
    let json = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| AuthError::Malformed {
            reason: "the header is not base64url",
        })?;
    serde_json::from_slice(&json).map_err(|_| AuthError::Malformed {
        reason: "the header is not a JSON object with a string alg",
    })
}
