//! Finding the token: bearer header, cookie with CSRF, precedence, and the extractor.

use std::sync::Arc;

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, Request, StatusCode, header},
    response::IntoResponse,
};
use jsonwebtoken::Algorithm;
use serde_json::json;

use super::{
    AuthConfig, AuthError, AuthRejection, Authenticator, MaybeCaller,
    test_support::{
        HS_SECRET, authenticator as auth, claims, headers, hs_signer, mint, rs_only,
        rsa_signer as rsa, with,
    },
};

fn hs() -> Authenticator {
    auth(&AuthConfig::new().with_hs256_secret(HS_SECRET))
}

#[test]
fn a_cookie_token_is_accepted_with_the_matching_csrf_header() {
    let token = mint(Algorithm::RS256, None, &claims(), &rsa());
    let cookie = format!("accessToken={token}");
    let rs = auth(&rs_only());
    let caller = rs.authenticate(&headers(&[
        ("cookie", &cookie),
        ("x-csrf-token", "csrf-123"),
    ]));
    assert_eq!(caller.unwrap().unwrap().uid, "steve");
    let mismatch = headers(&[("cookie", &cookie), ("x-csrf-token", "csrf-124")]);
    assert_eq!(rs.authenticate(&mismatch), Err(AuthError::CsrfMismatch));
    assert_eq!(
        rs.authenticate(&headers(&[("cookie", &cookie)])),
        Err(AuthError::CsrfMissing)
    );
}

#[test]
fn a_cookie_token_without_a_csrf_claim_is_refused() {
    let token = mint(
        Algorithm::RS256,
        None,
        &with(claims(), json!({"csrf": null})),
        &rsa(),
    );
    let cookie = format!("accessToken={token}");
    let request = headers(&[("cookie", &cookie), ("x-csrf-token", "anything")]);
    assert_eq!(
        auth(&rs_only()).authenticate(&request),
        Err(AuthError::MissingClaim { claim: "csrf" })
    );
    // The same token is fine as a bearer token, where CSRF does not apply.
    let bearer = format!("Bearer {token}");
    assert!(
        auth(&rs_only())
            .authenticate(&headers(&[("authorization", &bearer)]))
            .is_ok()
    );
}

#[test]
fn the_bearer_header_wins_over_the_cookie() {
    let alice = mint(
        Algorithm::RS256,
        None,
        &with(claims(), json!({"uid": "alice"})),
        &rsa(),
    );
    let steve = format!(
        "accessToken={}",
        mint(Algorithm::RS256, None, &claims(), &rsa())
    );
    let rs = auth(&rs_only());
    let bearer = format!("Bearer {alice}");
    let both = headers(&[
        ("authorization", &bearer),
        ("cookie", &steve),
        ("x-csrf-token", "csrf-123"),
    ]);
    assert_eq!(rs.authenticate(&both).unwrap().unwrap().uid, "alice");
    let bad_bearer = headers(&[
        ("authorization", "Bearer x.y.z"),
        ("cookie", &steve),
        ("x-csrf-token", "csrf-123"),
    ]);
    assert!(matches!(
        rs.authenticate(&bad_bearer),
        Err(AuthError::Malformed { .. })
    ));
    let good_bearer_bad_cookie =
        headers(&[("authorization", &bearer), ("cookie", "accessToken=x.y.z")]);
    assert_eq!(
        rs.authenticate(&good_bearer_bad_cookie)
            .unwrap()
            .unwrap()
            .uid,
        "alice"
    );
}

#[test]
fn a_request_without_credentials_is_anonymous() {
    assert_eq!(auth(&rs_only()).authenticate(&HeaderMap::new()), Ok(None));
    assert_eq!(
        auth(&rs_only()).authenticate(&headers(&[("x-csrf-token", "csrf-123")])),
        Ok(None)
    );
}

#[test]
fn the_bearer_scheme_is_case_insensitive_and_other_schemes_are_refused() {
    let token = mint(Algorithm::HS256, None, &claims(), &hs_signer());
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let value = format!("{scheme} {token}");
        let caller = hs()
            .authenticate(&headers(&[("authorization", &value)]))
            .unwrap();
        assert_eq!(caller.unwrap().uid, "steve");
    }
    for value in ["Basic c3RldmU6cHc=", "Bearer", "Bearer  ", &token, ""] {
        assert_eq!(
            hs().authenticate(&headers(&[("authorization", value)])),
            Err(AuthError::BadAuthorizationHeader),
            "{value:?}"
        );
    }
}

#[test]
fn the_access_token_cookie_is_found_among_other_cookies() {
    let token = mint(Algorithm::HS256, None, &claims(), &hs_signer());
    let cookie = format!("theme=dark; accessToken=\"{token}\"; lang=en");
    let found = hs().authenticate(&headers(&[
        ("cookie", "session=1"),
        ("cookie", &cookie),
        ("x-csrf-token", "csrf-123"),
    ]));
    assert_eq!(found.unwrap().unwrap().uid, "steve");
}

#[test]
fn an_empty_access_token_cookie_counts_as_no_credentials() {
    let empty = headers(&[
        ("cookie", "accessToken=; theme=dark"),
        ("x-csrf-token", "x"),
    ]);
    assert_eq!(hs().authenticate(&empty), Ok(None));
    assert_eq!(
        hs().authenticate(&headers(&[("cookie", "theme=dark")])),
        Ok(None)
    );
}

async fn extract(
    state: Option<Arc<Authenticator>>,
    value: Option<&str>,
) -> Result<MaybeCaller, StatusCode> {
    let mut request = Request::builder();
    if let Some(value) = value {
        request = request.header(header::AUTHORIZATION, value);
    }
    let (mut parts, ()) = request.body(()).unwrap().into_parts();
    MaybeCaller::from_request_parts(&mut parts, &state)
        .await
        .map_err(|rejection| rejection.into_response().status())
}

#[tokio::test]
async fn the_extractor_yields_the_caller_none_or_a_401() {
    let state = Some(Arc::new(hs()));
    let bearer = format!(
        "Bearer {}",
        mint(Algorithm::HS256, None, &claims(), &hs_signer())
    );
    let caller = extract(state.clone(), Some(&bearer)).await.unwrap();
    assert_eq!(caller.0.unwrap().uid, "steve");
    assert_eq!(extract(state.clone(), None).await, Ok(MaybeCaller(None)));
    assert_eq!(
        extract(state, Some("Bearer not.a.token")).await,
        Err(StatusCode::UNAUTHORIZED)
    );
}

#[tokio::test]
async fn with_auth_disabled_the_extractor_treats_every_request_as_anonymous() {
    assert_eq!(
        extract(None, Some("Bearer not.a.token")).await,
        Ok(MaybeCaller(None))
    );
}

#[tokio::test]
async fn a_rejection_is_a_graphql_shaped_unauthenticated_error() {
    let response = AuthRejection(AuthError::Expired).into_response();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        response.headers()[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    let body = axum::body::to_bytes(response.into_body(), 4096)
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(body["errors"][0]["message"], "the token has expired");
}
