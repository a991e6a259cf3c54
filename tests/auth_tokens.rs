//! Verifying light platform tokens end to end through the public API, with the
//! test-only keys in tests/fixtures/auth and tokens minted both by
//! jsonwebtoken and by PyJWT.

use std::{path::PathBuf, sync::Arc};

use axum::http::{HeaderMap, HeaderName};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use light_runbook::{
    auth::{AuthConfig, AuthError, Authenticator, Caller, FixedClock},
    error::{ApiError, ApiErrorCode},
};
use serde_json::{Value, json};

/// 2026-01-01T00:00:00Z.
const NOW: u64 = 1_767_225_600;
const HS_SECRET: &str = "light-runbook-test-only-hs256-secret-0123456789";
const ISS: &str = "urn:com:networknt:oauth2:v1";
const AUD: &str = "urn:com.networknt";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/auth")
        .join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

fn claims() -> Value {
    json!({
        "iss": ISS, "aud": AUD, "uid": "steve", "host": "lightapi.net",
        "role": "user admin", "scp": ["portal.r", "portal.w"], "eml": "steve@lightapi.net",
        "csrf": "csrf-123", "iat": NOW - 10, "nbf": NOW - 10, "exp": NOW + 3600,
    })
}

fn with(mut claims: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            claims.as_object_mut().unwrap().remove(k);
        } else {
            claims[k] = v.clone();
        }
    }
    claims
}

fn rsa() -> EncodingKey {
    EncodingKey::from_rsa_pem(&read("rsa-private.pem")).unwrap()
}
fn rsa2() -> EncodingKey {
    EncodingKey::from_rsa_pem(&read("rsa2-private.pem")).unwrap()
}
fn ec() -> EncodingKey {
    EncodingKey::from_ec_pem(&read("ec-private.pem")).unwrap()
}
fn hs() -> EncodingKey {
    EncodingKey::from_secret(HS_SECRET.as_bytes())
}

fn mint(alg: Algorithm, kid: Option<&str>, claims: &Value, key: &EncodingKey) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, key).unwrap()
}

/// Every key source, with issuer and audience checked, at `NOW`.
fn full_config() -> AuthConfig {
    AuthConfig::new()
        .with_hs256_secret(HS_SECRET)
        .with_rsa_pem_file(fixture("rsa-public.pem"))
        .with_ec_pem_file(fixture("ec-public.pem"))
        .with_jwks_file(fixture("jwks.json"))
        .with_issuer(ISS)
        .with_audience(AUD)
}

fn rs_only() -> AuthConfig {
    AuthConfig::new().with_rsa_pem_file(fixture("rsa-public.pem"))
}

fn at(config: &AuthConfig, now: u64) -> Authenticator {
    Authenticator::from_config(config, Arc::new(FixedClock::at(now))).unwrap()
}

fn auth(config: &AuthConfig) -> Authenticator {
    at(config, NOW)
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    map
}

fn assert_caller(caller: &Caller, uid: &str, scopes: &[&str]) {
    assert_eq!(caller.uid, uid);
    assert_eq!(caller.host.as_str(), "lightapi.net");
    assert_eq!(caller.scopes, scopes);
}

#[test]
fn each_algorithm_and_key_source_accepts_a_valid_token() {
    let c = claims();
    let cases = [
        (
            "HS256 secret",
            rs_only().with_hs256_secret(HS_SECRET),
            mint(Algorithm::HS256, None, &c, &hs()),
        ),
        (
            "RS256 PEM",
            rs_only(),
            mint(Algorithm::RS256, None, &c, &rsa()),
        ),
        (
            "ES256 PEM",
            AuthConfig::new().with_ec_pem_file(fixture("ec-public.pem")),
            mint(Algorithm::ES256, None, &c, &ec()),
        ),
        (
            "RS256 JWKS",
            AuthConfig::new().with_jwks_file(fixture("jwks.json")),
            mint(Algorithm::RS256, Some("rsa-test-1"), &c, &rsa()),
        ),
        (
            "ES256 JWKS",
            AuthConfig::new().with_jwks_file(fixture("jwks.json")),
            mint(Algorithm::ES256, Some("ec-test-1"), &c, &ec()),
        ),
        (
            "JWKS key without alg",
            AuthConfig::new().with_jwks_file(fixture("jwks.json")),
            mint(Algorithm::RS256, Some("rsa-test-2"), &c, &rsa2()),
        ),
        (
            "single-key JWKS, no kid",
            AuthConfig::new().with_jwks_file(fixture("jwks-single.json")),
            mint(Algorithm::RS256, None, &c, &rsa()),
        ),
        (
            "everything configured",
            full_config(),
            mint(Algorithm::ES256, Some("ec-test-1"), &c, &ec()),
        ),
    ];
    for (name, config, token) in cases {
        let caller = auth(&config)
            .verify(&token)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_caller(&caller, "steve", &["portal.r", "portal.w"]);
        assert_eq!(caller.roles, ["user", "admin"], "{name}");
        assert_eq!(
            caller.email.as_deref(),
            Some("steve@lightapi.net"),
            "{name}"
        );
    }
}

#[test]
fn the_jwks_key_is_chosen_by_kid_and_an_unknown_kid_is_refused() {
    let jwks = auth(&AuthConfig::new().with_jwks_file(fixture("jwks.json")));
    let signed_by_rsa2 = |kid| mint(Algorithm::RS256, Some(kid), &claims(), &rsa2());
    assert!(jwks.verify(&signed_by_rsa2("rsa-test-2")).is_ok());
    assert_eq!(
        jwks.verify(&signed_by_rsa2("rsa-test-1")),
        Err(AuthError::BadSignature)
    );
    assert_eq!(
        jwks.verify(&signed_by_rsa2("rsa-test-9")),
        Err(AuthError::UnknownKid)
    );
}

fn alg_none_token() -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims().to_string());
    format!("{header}.{payload}.")
}

#[test]
fn an_unsigned_alg_none_token_is_refused_by_every_config() {
    for config in [
        full_config(),
        rs_only(),
        AuthConfig::new().with_hs256_secret(HS_SECRET),
    ] {
        assert_eq!(
            auth(&config).verify(&alg_none_token()),
            Err(AuthError::AlgorithmNotAllowed { alg: "none".into() })
        );
    }
}

#[test]
fn an_hs256_token_signed_with_the_rsa_public_key_is_refused() {
    let forged = mint(
        Algorithm::HS256,
        None,
        &claims(),
        &EncodingKey::from_secret(&read("rsa-public.pem")),
    );
    let not_allowed = Err(AuthError::AlgorithmNotAllowed {
        alg: "HS256".into(),
    });
    assert_eq!(auth(&rs_only()).verify(&forged), not_allowed);
    let jwks = AuthConfig::new().with_jwks_file(fixture("jwks.json"));
    let forged_kid = mint(
        Algorithm::HS256,
        Some("rsa-test-1"),
        &claims(),
        &EncodingKey::from_secret(&read("rsa-public.pem")),
    );
    assert_eq!(auth(&jwks).verify(&forged_kid), not_allowed);
    // With a shared secret configured too, HS256 is allowed but only with that secret.
    assert_eq!(
        auth(&full_config()).verify(&forged),
        Err(AuthError::BadSignature)
    );
}

#[test]
fn algorithms_no_configured_key_was_configured_for_are_refused() {
    let c = claims();
    let cases = [
        (rs_only(), mint(Algorithm::RS384, None, &c, &rsa()), "RS384"),
        (rs_only(), mint(Algorithm::PS256, None, &c, &rsa()), "PS256"),
        (rs_only(), mint(Algorithm::ES256, None, &c, &ec()), "ES256"),
        (
            AuthConfig::new().with_hs256_secret(HS_SECRET),
            mint(Algorithm::RS256, None, &c, &rsa()),
            "RS256",
        ),
        (
            AuthConfig::new().with_hs256_secret(HS_SECRET),
            mint(Algorithm::HS512, None, &c, &hs()),
            "HS512",
        ),
    ];
    for (config, token, alg) in cases {
        assert_eq!(
            auth(&config).verify(&token),
            Err(AuthError::AlgorithmNotAllowed { alg: alg.into() })
        );
    }
}

#[test]
fn bad_signatures_and_malformed_tokens_are_refused() {
    let rs = auth(&rs_only());
    let other_key = mint(Algorithm::RS256, None, &claims(), &rsa2());
    assert_eq!(rs.verify(&other_key), Err(AuthError::BadSignature));
    let good = mint(Algorithm::RS256, None, &claims(), &rsa());
    let parts: Vec<&str> = good.split('.').collect();
    let raised = URL_SAFE_NO_PAD.encode(with(claims(), json!({"role": "admin"})).to_string());
    let tampered = format!("{}.{raised}.{}", parts[0], parts[2]);
    assert_eq!(rs.verify(&tampered), Err(AuthError::BadSignature));
    for malformed in [
        "",
        "not-a-jwt",
        "a.b",
        &format!("{}.{}", parts[0], parts[1]),
        "!!.??.**",
    ] {
        let err = rs.verify(malformed).unwrap_err();
        assert!(
            matches!(err, AuthError::Malformed { .. }),
            "{malformed:?}: {err}"
        );
    }
}

#[test]
fn tokens_minted_by_pyjwt_are_accepted() {
    let token = |name| String::from_utf8(read(name)).unwrap().trim().to_owned();
    let pyjwt = auth(&full_config());
    let steve = pyjwt.verify(&token("pyjwt-hs256.jwt")).unwrap();
    assert_caller(&steve, "steve", &["portal.r", "portal.w"]);
    assert!(steve.has_role("admin"));
    let alice = pyjwt.verify(&token("pyjwt-rs256.jwt")).unwrap();
    assert_caller(&alice, "alice", &["portal.r", "portal.w"]);
    assert!(!alice.has_role("admin"));
    let bob = pyjwt.verify(&token("pyjwt-es256.jwt")).unwrap();
    assert_caller(&bob, "bob", &["portal.r"]);
    // The RS256 one through the cookie, with its csrf claim.
    let cookie = format!("accessToken={}", token("pyjwt-rs256.jwt"));
    let via_cookie = pyjwt.authenticate(&headers(&[
        ("cookie", &cookie),
        ("x-csrf-token", "pyjwt-csrf-1"),
    ]));
    assert_eq!(via_cookie.unwrap().unwrap().uid, "alice");
}

#[test]
fn tokens_minted_by_pyjwt_are_refused_when_their_claims_do_not_fit() {
    let token = |name| String::from_utf8(read(name)).unwrap().trim().to_owned();
    let other_aud = auth(&full_config().with_audience("urn:com.other"));
    assert_eq!(
        other_aud.verify(&token("pyjwt-rs256.jwt")),
        Err(AuthError::WrongAudience)
    );
    let other_iss = auth(&full_config().with_issuer("urn:other"));
    assert_eq!(
        other_iss.verify(&token("pyjwt-es256.jwt")),
        Err(AuthError::WrongIssuer)
    );
    let other_secret =
        auth(&rs_only().with_hs256_secret("another-secret-just-as-long-as-the-first-one"));
    assert_eq!(
        other_secret.verify(&token("pyjwt-hs256.jwt")),
        Err(AuthError::BadSignature)
    );
    // exp is 2100-01-01T00:00:00Z; with the 60 s leeway it lapses a minute later.
    let in_2100 = at(&full_config(), 4_102_444_800 + 60);
    assert_eq!(
        in_2100.verify(&token("pyjwt-es256.jwt")),
        Err(AuthError::Expired)
    );
}

#[test]
fn refusals_map_to_unauthenticated_and_never_echo_the_token_or_secret() {
    let config = full_config();
    let expired = mint(
        Algorithm::HS256,
        None,
        &with(claims(), json!({"exp": NOW - 3600})),
        &hs(),
    );
    let forged = mint(
        Algorithm::HS256,
        None,
        &claims(),
        &EncodingKey::from_secret(b"guess"),
    );
    for token in [
        expired,
        forged,
        alg_none_token(),
        "garbage.garbage.garbage".to_owned(),
    ] {
        let err = auth(&config).verify(&token).unwrap_err();
        let api: ApiError = err.into();
        assert_eq!(api.code, ApiErrorCode::Unauthenticated);
        for part in token.split('.').filter(|p| p.len() > 3) {
            assert!(!api.message.contains(part), "{}", api.message);
        }
        assert!(!api.message.contains(HS_SECRET), "{}", api.message);
    }
}
