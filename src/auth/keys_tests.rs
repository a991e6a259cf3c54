//! Loading keys: every unusable key source is an error naming the file and the problem.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{
    AuthConfig, AuthConfigError, Authenticator, SystemClock,
    test_support::{HS_SECRET, fixture, read_fixture, temp_file},
};

fn load(config: &AuthConfig) -> Result<Authenticator, AuthConfigError> {
    Authenticator::from_config(config, Arc::new(SystemClock))
}

/// The load error's message, asserting it is about a key file and names it.
fn key_file_error(config: &AuthConfig, path: &std::path::Path) -> String {
    let err = load(config).unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(
            err,
            AuthConfigError::InvalidKey { .. } | AuthConfigError::Read { .. }
        ),
        "{message}"
    );
    assert!(message.contains(&path.display().to_string()), "{message}");
    message
}

fn jwks_with(keys: Vec<Value>) -> tempfile::NamedTempFile {
    temp_file(&json!({ "keys": keys }).to_string())
}

fn fixture_jwk(index: usize) -> Value {
    let set: Value = serde_json::from_slice(&read_fixture("jwks.json")).unwrap();
    set["keys"][index].clone()
}

#[test]
fn a_config_without_any_key_source_is_refused() {
    let err = load(&AuthConfig::new().with_issuer("x")).unwrap_err();
    assert!(matches!(err, AuthConfigError::NoKeySource), "{err}");
}

#[test]
fn an_hs256_secret_shorter_than_32_bytes_is_refused() {
    for (secret, bytes) in [("", 0), ("s", 1), ("0123456789abcdef0123456789abcde", 31)] {
        let err = load(&AuthConfig::new().with_hs256_secret(secret)).unwrap_err();
        assert!(
            matches!(err, AuthConfigError::ShortSecret(b) if b == bytes),
            "{err}"
        );
        assert!(err.to_string().contains("at least 32"), "{err}");
    }
    // Bytes, not characters: 11 three-byte characters are 33 bytes.
    load(&AuthConfig::new().with_hs256_secret("€".repeat(11))).expect("33 bytes");
    load(&AuthConfig::new().with_hs256_secret("0123456789abcdef0123456789abcdef")).expect("32");
}

#[test]
fn a_leeway_above_five_minutes_is_refused() {
    let config = AuthConfig::new()
        .with_hs256_secret(HS_SECRET)
        .with_leeway_seconds(301);
    let err = load(&config).unwrap_err();
    assert!(matches!(err, AuthConfigError::LeewayTooLarge(301)), "{err}");
    assert!(load(&config.with_leeway_seconds(300)).is_ok());
}

#[test]
fn every_fixture_key_source_loads() {
    let config = AuthConfig::new()
        .with_hs256_secret(HS_SECRET)
        .with_rsa_pem_file(fixture("rsa-public.pem"))
        .with_ec_pem_file(fixture("ec-public.pem"))
        .with_jwks_file(fixture("jwks.json"));
    load(&config).unwrap();
}

#[test]
fn a_missing_key_file_is_a_read_error_naming_it() {
    let path = fixture("no-such-key.pem");
    let message = key_file_error(&AuthConfig::new().with_rsa_pem_file(&path), &path);
    assert!(message.starts_with("cannot read key file"), "{message}");
}

#[test]
fn a_private_key_in_place_of_the_public_key_is_refused_with_advice() {
    for (config, path) in [
        (
            AuthConfig::new().with_rsa_pem_file(fixture("rsa-private.pem")),
            fixture("rsa-private.pem"),
        ),
        (
            AuthConfig::new().with_ec_pem_file(fixture("ec-private.pem")),
            fixture("ec-private.pem"),
        ),
    ] {
        let message = key_file_error(&config, &path);
        assert!(
            message.contains("private key") && message.contains("-pubout"),
            "{message}"
        );
    }
}

#[test]
fn a_key_of_the_wrong_type_is_refused() {
    let ec_as_rsa = AuthConfig::new().with_rsa_pem_file(fixture("ec-public.pem"));
    let message = key_file_error(&ec_as_rsa, &fixture("ec-public.pem"));
    assert!(
        message.contains("does not hold an RSA public key"),
        "{message}"
    );
    let rsa_as_ec = AuthConfig::new().with_ec_pem_file(fixture("rsa-public.pem"));
    let message = key_file_error(&rsa_as_ec, &fixture("rsa-public.pem"));
    assert!(
        message.contains("does not hold an EC public key"),
        "{message}"
    );
}

#[test]
fn an_ec_key_on_a_curve_other_than_p256_is_refused() {
    let path = fixture("ec384-public.pem");
    let message = key_file_error(&AuthConfig::new().with_ec_pem_file(&path), &path);
    assert!(message.contains("P-256"), "{message}");
}

#[test]
fn an_rsa_key_under_2048_bits_is_refused() {
    let path = fixture("rsa1024-public.pem");
    let message = key_file_error(&AuthConfig::new().with_rsa_pem_file(&path), &path);
    assert!(message.contains("1024 bits"), "{message}");
}

#[test]
fn a_file_that_is_not_pem_is_refused() {
    let file = temp_file("just some text\n");
    let message = key_file_error(
        &AuthConfig::new().with_rsa_pem_file(file.path()),
        file.path(),
    );
    assert!(message.contains("is not PEM"), "{message}");
    let cert = temp_file("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    let message = key_file_error(
        &AuthConfig::new().with_rsa_pem_file(cert.path()),
        cert.path(),
    );
    assert!(message.contains("holds a CERTIFICATE"), "{message}");
}

#[test]
fn a_jwks_file_that_is_not_a_key_set_is_refused() {
    let file = temp_file("{\"kids\": []}");
    let message = key_file_error(&AuthConfig::new().with_jwks_file(file.path()), file.path());
    assert!(message.contains("is not a JSON Web Key Set"), "{message}");
}

#[test]
fn unusable_jwks_keys_are_refused_naming_the_key() {
    let mut ec_with_rsa_alg = fixture_jwk(1);
    ec_with_rsa_alg["alg"] = json!("RS256");
    let mut rs512 = fixture_jwk(0);
    rs512["alg"] = json!("RS512");
    let mut p384 = fixture_jwk(1);
    p384["crv"] = json!("P-384");
    let mut off_curve = fixture_jwk(1);
    off_curve["y"] = off_curve["x"].clone();
    let hmac = json!({"kty": "oct", "kid": "shared", "k": "c2VjcmV0"});
    let cases = [
        (
            vec![ec_with_rsa_alg],
            "\"ec-test-1\": alg RS256 does not fit",
        ),
        (vec![rs512], "\"rsa-test-1\": alg RS512"),
        (vec![p384], "curve P384 is not supported"),
        (vec![off_curve], "not a valid P-256"),
        (vec![hmac], "\"shared\": only RSA and EC"),
        (
            vec![fixture_jwk(0), fixture_jwk(0)],
            "the kid appears twice",
        ),
        (
            vec![json!({"kty": "RSA", "use": "enc", "n": "AQAB", "e": "AQAB"})],
            "no signature keys",
        ),
    ];
    for (keys, expected) in cases {
        let file = jwks_with(keys);
        let message = key_file_error(&AuthConfig::new().with_jwks_file(file.path()), file.path());
        assert!(
            message.contains(expected),
            "expected {expected:?} in {message}"
        );
    }
}

#[test]
fn a_jwks_with_several_keys_needs_a_kid_on_each() {
    let mut anonymous = fixture_jwk(0);
    anonymous.as_object_mut().unwrap().remove("kid");
    let file = jwks_with(vec![anonymous.clone(), fixture_jwk(1)]);
    let message = key_file_error(&AuthConfig::new().with_jwks_file(file.path()), file.path());
    assert!(message.contains("every key needs a kid"), "{message}");
    let single = jwks_with(vec![anonymous]);
    load(&AuthConfig::new().with_jwks_file(single.path())).unwrap();
}

#[test]
fn encryption_keys_in_a_jwks_are_skipped() {
    let enc = json!({"kty": "RSA", "use": "enc", "kid": "enc-1", "n": "AQAB", "e": "AQAB"});
    let file = jwks_with(vec![enc, fixture_jwk(0)]);
    load(&AuthConfig::new().with_jwks_file(file.path())).unwrap();
}
