//! Claims and time: `exp`/`nbf` at the leeway boundaries against the injected
//! clock, `iss`/`aud`, and the claims a caller needs.

use jsonwebtoken::Algorithm;
use serde_json::json;

use super::{
    AuthError,
    test_support::{
        AUD, ISS, NOW, at, authenticator as auth, claims, mint, rs_only, rsa_signer as rsa, with,
    },
};

#[test]
fn scopes_are_accepted_as_an_array_or_a_space_separated_string() {
    let rs = auth(&rs_only());
    for scp in [json!(["portal.r", "portal.w"]), json!("portal.r portal.w")] {
        let token = mint(
            Algorithm::RS256,
            None,
            &with(claims(), json!({ "scp": scp })),
            &rsa(),
        );
        assert_eq!(rs.verify(&token).unwrap().scopes, ["portal.r", "portal.w"]);
    }
}

#[test]
fn expiry_is_checked_against_the_clock_with_the_leeway() {
    let exp = NOW + 3600;
    let token = mint(Algorithm::RS256, None, &claims(), &rsa());
    for (leeway, last_ok) in [(60, exp + 59), (0, exp - 1)] {
        let config = rs_only().with_leeway_seconds(leeway);
        assert!(
            at(&config, last_ok).verify(&token).is_ok(),
            "leeway {leeway}"
        );
        assert_eq!(
            at(&config, last_ok + 1).verify(&token),
            Err(AuthError::Expired),
            "leeway {leeway}"
        );
    }
}

#[test]
fn not_before_is_checked_against_the_clock_with_the_leeway() {
    let nbf = NOW + 1000;
    let token = mint(
        Algorithm::RS256,
        None,
        &with(claims(), json!({ "nbf": nbf })),
        &rsa(),
    );
    for (leeway, first_ok) in [(60, nbf - 60), (0, nbf)] {
        let config = rs_only().with_leeway_seconds(leeway);
        assert!(
            at(&config, first_ok).verify(&token).is_ok(),
            "leeway {leeway}"
        );
        assert_eq!(
            at(&config, first_ok - 1).verify(&token),
            Err(AuthError::NotYetValid),
            "leeway {leeway}"
        );
    }
}

#[test]
fn wrong_or_missing_claims_are_refused_with_the_claim_named() {
    let config = rs_only().with_issuer(ISS).with_audience(AUD);
    let cases = [
        (json!({"iss": "urn:evil"}), AuthError::WrongIssuer),
        (json!({"aud": "urn:other"}), AuthError::WrongAudience),
        (
            json!({"aud": ["urn:other", "urn:more"]}),
            AuthError::WrongAudience,
        ),
        (
            json!({"iss": null}),
            AuthError::MissingClaim { claim: "iss" },
        ),
        (
            json!({"aud": null}),
            AuthError::MissingClaim { claim: "aud" },
        ),
        (
            json!({"exp": null}),
            AuthError::MissingClaim { claim: "exp" },
        ),
        (
            json!({"uid": null}),
            AuthError::MissingClaim { claim: "uid" },
        ),
        (
            json!({"host": null}),
            AuthError::MissingClaim { claim: "host" },
        ),
    ];
    for (change, expected) in cases {
        let token = mint(
            Algorithm::RS256,
            None,
            &with(claims(), change.clone()),
            &rsa(),
        );
        assert_eq!(auth(&config).verify(&token), Err(expected), "{change}");
    }
    let bad_host = mint(
        Algorithm::RS256,
        None,
        &with(claims(), json!({"host": "a b"})),
        &rsa(),
    );
    let err = auth(&config).verify(&bad_host).unwrap_err();
    assert!(
        matches!(err, AuthError::InvalidClaim { claim: "host", .. }),
        "{err}"
    );
    let multi_aud = mint(
        Algorithm::RS256,
        None,
        &with(claims(), json!({"aud": ["x", AUD]})),
        &rsa(),
    );
    assert!(auth(&config).verify(&multi_aud).is_ok());
}

#[test]
fn iss_and_aud_are_unchecked_when_not_configured() {
    let token = mint(
        Algorithm::RS256,
        None,
        &with(claims(), json!({"iss": "x", "aud": "y"})),
        &rsa(),
    );
    assert!(auth(&rs_only()).verify(&token).is_ok());
}

#[test]
fn the_injected_clock_not_the_system_clock_decides_expiry() {
    // Expired by the wall clock (2001), valid at the fixed clock's 2000-01-01.
    let y2k = 946_684_800;
    let old = with(
        claims(),
        json!({"iat": y2k - 10, "nbf": y2k - 10, "exp": y2k + 3600}),
    );
    let token = mint(Algorithm::RS256, None, &old, &rsa());
    assert!(at(&rs_only(), y2k).verify(&token).is_ok());
    assert_eq!(auth(&rs_only()).verify(&token), Err(AuthError::Expired));
}
