//! The verification keys: loaded and checked once at start, then chosen per
//! token by its `alg` and `kid`.
//!
//! Each key is bound to exactly one algorithm (HS256, RS256 or ES256), so a
//! token can never pick how its key is interpreted (no HS/RS confusion).

use std::path::{Path, PathBuf};

use jsonwebtoken::{
    Algorithm, DecodingKey, DecodingKeyKind,
    jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm, PublicKeyUse},
};
use rsa::{BigUint, RsaPublicKey, pkcs1::DecodeRsaPublicKey, traits::PublicKeyParts};

use super::{AuthConfig, AuthConfigError, AuthError, MIN_HS256_SECRET_BYTES};

/// The smallest RSA modulus accepted, in bits.
const MIN_RSA_BITS: usize = 2048;

/// A key and the one algorithm it verifies.
#[derive(Debug)]
pub(crate) struct BoundKey {
    pub(crate) alg: Algorithm,
    pub(crate) key: DecodingKey,
}

/// A key from the JWKS file, with its id.
#[derive(Debug)]
struct JwksKey {
    kid: Option<String>,
    bound: BoundKey,
}

/// Every configured key.
#[derive(Debug)]
pub(crate) struct KeySet {
    /// The secret and PEM keys: at most one per algorithm, usable whatever the `kid`.
    fixed: Vec<BoundKey>,
    /// The JWKS keys, chosen by `kid`; `None` when no JWKS file is configured.
    jwks: Option<Vec<JwksKey>>,
}

impl KeySet {
    /// Loads every key source of `config`, refusing any that is unusable.
    pub(crate) fn load(config: &AuthConfig) -> Result<Self, AuthConfigError> {
        if !config.has_key_source() {
            return Err(AuthConfigError::NoKeySource);
        }
        let mut fixed = Vec::new();
        if let Some(secret) = &config.hs256_secret {
            let bytes = secret.expose().len();
            if bytes < MIN_HS256_SECRET_BYTES {
                return Err(AuthConfigError::ShortSecret(bytes));
            }
            let key = DecodingKey::from_secret(secret.expose().as_bytes());
            fixed.push(BoundKey {
                alg: Algorithm::HS256,
                key,
            });
        }
        if let Some(path) = &config.rsa_pem_file {
            fixed.push(load_rsa_pem(path)?);
        }
        if let Some(path) = &config.ec_pem_file {
            fixed.push(load_ec_pem(path)?);
        }
        let jwks = config.jwks_file.as_deref().map(load_jwks).transpose()?;
        Ok(Self { fixed, jwks })
    }

    /// Whether any configured key verifies `alg`.
    pub(crate) fn allows(&self, alg: Algorithm) -> bool {
        let jwks = self.jwks.iter().flatten().map(|k| &k.bound);
        self.fixed.iter().chain(jwks).any(|k| k.alg == alg)
    }

    /// The key for a token whose header names `alg` and maybe `kid`.
    ///
    /// A JWKS key with the token's `kid` comes first; then a secret or PEM key
    /// for `alg`; then, for a token without `kid`, the JWKS's only key.
    pub(crate) fn select(&self, alg: Algorithm, kid: Option<&str>) -> Result<&BoundKey, AuthError> {
        let jwks = self.jwks.as_deref().unwrap_or_default();
        let by_kid = kid.and_then(|kid| jwks.iter().find(|k| k.kid.as_deref() == Some(kid)));
        let chosen = match by_kid {
            Some(found) => &found.bound,
            None => match self.fixed.iter().find(|k| k.alg == alg) {
                Some(fixed) => fixed,
                None if self.jwks.is_none() => return Err(not_allowed(alg)),
                None if kid.is_some() => return Err(AuthError::UnknownKid),
                None => match jwks {
                    [only] => &only.bound,
                    _ => return Err(AuthError::MissingKid),
                },
            },
        };
        if chosen.alg == alg {
            Ok(chosen)
        } else {
            Err(not_allowed(alg))
        }
    }
}

fn not_allowed(alg: Algorithm) -> AuthError {
    AuthError::AlgorithmNotAllowed {
        alg: format!("{alg:?}"),
    }
}

fn invalid(path: &Path, problem: impl Into<String>) -> AuthConfigError {
    AuthConfigError::InvalidKey {
        path: path.to_path_buf(),
        problem: problem.into(),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, AuthConfigError> {
    std::fs::read(path).map_err(|source| AuthConfigError::Read {
        path: PathBuf::from(path),
        source,
    })
}

/// Reads a PEM file and checks that its first block is one of `labels`.
fn read_public_pem(path: &Path, labels: &[&str]) -> Result<Vec<u8>, AuthConfigError> {
    let bytes = read(path)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| invalid(path, "is not PEM text"))?;
    let label = text
        .split_once("-----BEGIN ")
        .and_then(|(_, rest)| rest.split_once("-----"))
        .map(|(label, _)| label.trim())
        .ok_or_else(|| invalid(path, "is not PEM (no -----BEGIN line)"))?;
    if labels.contains(&label) {
        return Ok(bytes);
    }
    Err(invalid(
        path,
        if label.contains("PRIVATE") {
            format!(
                "holds a private key ({label}); configure the public key \
                 (openssl pkey -in KEY -pubout)"
            )
        } else {
            format!("holds a {label}; expected {}", labels.join(" or "))
        },
    ))
}

fn load_rsa_pem(path: &Path) -> Result<BoundKey, AuthConfigError> {
    let pem = read_public_pem(path, &["PUBLIC KEY", "RSA PUBLIC KEY"])?;
    let key = DecodingKey::from_rsa_pem(&pem)
        .map_err(|_| invalid(path, "does not hold an RSA public key"))?;
    let der = key
        .try_get_as_bytes()
        .map_err(|_| invalid(path, "does not hold an RSA public key"))?;
    let public = RsaPublicKey::from_pkcs1_der(der)
        .map_err(|e| invalid(path, format!("holds an unusable RSA public key: {e}")))?;
    check_rsa_size(&public).map_err(|problem| invalid(path, problem))?;
    Ok(BoundKey {
        alg: Algorithm::RS256,
        key,
    })
}

fn load_ec_pem(path: &Path) -> Result<BoundKey, AuthConfigError> {
    let pem = read_public_pem(path, &["PUBLIC KEY"])?;
    let key = DecodingKey::from_ec_pem(&pem)
        .map_err(|_| invalid(path, "does not hold an EC public key"))?;
    check_p256(&key).map_err(|problem| invalid(path, problem))?;
    Ok(BoundKey {
        alg: Algorithm::ES256,
        key,
    })
}

fn check_rsa_size(key: &RsaPublicKey) -> Result<(), String> {
    let bits = key.size() * 8;
    if bits < MIN_RSA_BITS {
        return Err(format!(
            "RSA key has {bits} bits; at least {MIN_RSA_BITS} are required"
        ));
    }
    Ok(())
}

fn check_p256(key: &DecodingKey) -> Result<(), String> {
    let point = key.try_get_as_bytes().map_err(|e| e.to_string())?;
    p256::PublicKey::from_sec1_bytes(point)
        .map(|_| ())
        .map_err(|_| "EC key is not a valid P-256 (prime256v1) public key".to_owned())
}

fn load_jwks(path: &Path) -> Result<Vec<JwksKey>, AuthConfigError> {
    let set: JwkSet = serde_json::from_slice(&read(path)?)
        .map_err(|e| invalid(path, format!("is not a JSON Web Key Set: {e}")))?;
    let mut keys: Vec<JwksKey> = Vec::new();
    for (index, jwk) in set.keys.iter().enumerate() {
        // Encryption keys may share a published set; they never verify tokens.
        if jwk.common.public_key_use == Some(PublicKeyUse::Encryption) {
            continue;
        }
        let kid = jwk.common.key_id.clone();
        let name = kid
            .as_deref()
            .map_or_else(|| format!("#{index}"), |k| format!("{k:?}"));
        let bound = jwk_key(jwk).map_err(|p| invalid(path, format!("key {name}: {p}")))?;
        if kid.is_some() && keys.iter().any(|k| k.kid == kid) {
            return Err(invalid(path, format!("key {name}: the kid appears twice")));
        }
        keys.push(JwksKey { kid, bound });
    }
    if keys.is_empty() {
        return Err(invalid(path, "has no signature keys"));
    }
    if keys.len() > 1 && keys.iter().any(|k| k.kid.is_none()) {
        return Err(invalid(
            path,
            "every key needs a kid when the set has several",
        ));
    }
    Ok(keys)
}

/// The key of one JWK with the algorithm it declares or, without `alg`, its key type implies.
fn jwk_key(jwk: &Jwk) -> Result<BoundKey, String> {
    let alg = match (&jwk.algorithm, jwk.common.key_algorithm) {
        (AlgorithmParameters::RSA(_), None | Some(KeyAlgorithm::RS256)) => Algorithm::RS256,
        (AlgorithmParameters::EllipticCurve(_), None | Some(KeyAlgorithm::ES256)) => {
            Algorithm::ES256
        }
        (AlgorithmParameters::RSA(_) | AlgorithmParameters::EllipticCurve(_), Some(other)) => {
            return Err(format!(
                "alg {other:?} does not fit the key or is not supported (RS256, ES256)"
            ));
        }
        _ => return Err("only RSA and EC (P-256) public keys are supported".to_owned()),
    };
    if let AlgorithmParameters::EllipticCurve(params) = &jwk.algorithm
        && params.curve != EllipticCurve::P256
    {
        return Err(format!(
            "curve {:?} is not supported; use P-256",
            params.curve
        ));
    }
    let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("unusable key: {e}"))?;
    match key.kind() {
        DecodingKeyKind::RsaModulusExponent { n, e } => {
            let public = RsaPublicKey::new(BigUint::from_bytes_be(n), BigUint::from_bytes_be(e))
                .map_err(|e| format!("unusable RSA key: {e}"))?;
            check_rsa_size(&public)?;
        }
        DecodingKeyKind::SecretOrDer(_) => check_p256(&key)?,
    }
    Ok(BoundKey { alg, key })
}
