//! Key choice and header parsing.

use jsonwebtoken::Algorithm;

use super::{
    AuthConfig, AuthError, Authenticator,
    test_support::{HS_SECRET, authenticator, claims, fixture, hs_signer, mint, rsa_signer},
};

fn pem_and_jwks() -> Authenticator {
    authenticator(
        &AuthConfig::new()
            .with_rsa_pem_file(fixture("rsa-public.pem"))
            .with_jwks_file(fixture("jwks.json")),
    )
}

fn hs() -> Authenticator {
    authenticator(&AuthConfig::new().with_hs256_secret(HS_SECRET))
}

#[test]
fn a_pem_key_verifies_tokens_whatever_their_kid() {
    let auth = pem_and_jwks();
    for kid in [None, Some("100"), Some("not-in-the-jwks")] {
        let token = mint(Algorithm::RS256, kid, &claims(), &rsa_signer());
        assert_eq!(auth.verify(&token).unwrap().uid, "steve", "{kid:?}");
    }
}

#[test]
fn a_kid_naming_a_jwks_key_of_another_algorithm_is_refused() {
    let token = mint(
        Algorithm::RS256,
        Some("ec-test-1"),
        &claims(),
        &rsa_signer(),
    );
    assert_eq!(
        pem_and_jwks().verify(&token),
        Err(AuthError::AlgorithmNotAllowed {
            alg: "RS256".into()
        })
    );
}

#[test]
fn a_token_without_kid_is_refused_when_the_jwks_has_several_keys() {
    let auth = authenticator(&AuthConfig::new().with_jwks_file(fixture("jwks.json")));
    let token = mint(Algorithm::RS256, None, &claims(), &rsa_signer());
    assert_eq!(auth.verify(&token), Err(AuthError::MissingKid));
}

#[test]
fn a_header_that_cannot_be_read_makes_the_token_malformed() {
    let payload = "eyJ1aWQiOiJzdGV2ZSJ9";
    let no_alg = "eyJ0eXAiOiJKV1QifQ"; // {"typ":"JWT"}
    let cases = [
        String::new(),
        "a.b".to_owned(),
        "a.b.c.d".to_owned(),
        format!("%%%.{payload}.sig"),
        format!("{no_alg}.{payload}.sig"),
        format!("{}.{payload}.sig", "eyJhbGciOiJIUzI1NiJ9".repeat(1000)),
    ];
    for token in cases {
        let err = hs().verify(&token).unwrap_err();
        assert!(matches!(err, AuthError::Malformed { .. }), "{err}");
    }
}

#[test]
fn a_signed_payload_that_is_not_json_makes_the_token_malformed() {
    let good = mint(Algorithm::HS256, None, &claims(), &hs_signer());
    let header = good.split('.').next().unwrap();
    let message = format!("{header}.bm90IGpzb24"); // "not json"
    let sig =
        jsonwebtoken::crypto::sign(message.as_bytes(), &hs_signer(), Algorithm::HS256).unwrap();
    let err = hs().verify(&format!("{message}.{sig}")).unwrap_err();
    assert!(matches!(err, AuthError::Malformed { .. }), "{err}");
}
