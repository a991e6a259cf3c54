//! Test helpers: fixture keys, token minting and a fixed clock.

use std::{path::PathBuf, sync::Arc};

use axum::http::{HeaderMap, HeaderName};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use super::{AuthConfig, Authenticator, FixedClock};

/// The instant the fixed clock stands at: 2026-01-01T00:00:00Z.
pub const NOW: u64 = 1_767_225_600;

pub const HS_SECRET: &str = "light-runbook-test-only-hs256-secret-0123456789";
pub const ISS: &str = "urn:com:networknt:oauth2:v1";
pub const AUD: &str = "urn:com.networknt";

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/auth")
        .join(name)
}

pub fn read_fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

/// Valid light platform claims for the fixed clock.
pub fn claims() -> Value {
    json!({
        "iss": ISS,
        "aud": AUD,
        "uid": "steve",
        "host": "lightapi.net",
        "role": "user",
        "scp": ["portal.r", "portal.w"],
        "eml": "steve@lightapi.net",
        "csrf": "csrf-123",
        "iat": NOW - 10,
        "nbf": NOW - 10,
        "exp": NOW + 3600,
    })
}

/// `claims` with `changes` applied; a `null` change removes the claim.
pub fn with(mut claims: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            claims.as_object_mut().unwrap().remove(k);
        } else {
            claims[k] = v.clone();
        }
    }
    claims
}

pub fn rsa_signer() -> EncodingKey {
    EncodingKey::from_rsa_pem(&read_fixture("rsa-private.pem")).unwrap()
}

pub fn hs_signer() -> EncodingKey {
    EncodingKey::from_secret(HS_SECRET.as_bytes())
}

pub fn mint(alg: Algorithm, kid: Option<&str>, claims: &Value, key: &EncodingKey) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, key).unwrap()
}

pub fn rs_only() -> AuthConfig {
    AuthConfig::new().with_rsa_pem_file(fixture("rsa-public.pem"))
}

/// An authenticator whose clock stands at `now`.
pub fn at(config: &AuthConfig, now: u64) -> Authenticator {
    Authenticator::from_config(config, Arc::new(FixedClock::at(now))).unwrap()
}

pub fn authenticator(config: &AuthConfig) -> Authenticator {
    at(config, NOW)
}

pub fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
        map.append(name, value.parse().unwrap());
    }
    map
}

/// Writes `contents` to a temporary file that lives as long as the handle.
pub fn temp_file(contents: &str) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), contents).unwrap();
    file
}
