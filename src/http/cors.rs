//! CORS for the configured browser origins (`--cors-origin`, `RUNBOOK_CORS_ORIGINS`),
//! so that pages served from another origin, such as the light-portal's, can call
//! `/graphql` with the user's credentials: an `Authorization` header, or the
//! `accessToken` cookie with its `X-CSRF-TOKEN` header.
//!
//! Only the configured origins get CORS headers: for a request whose `Origin` is
//! one of them, tower-http's `CorsLayer` answers preflights (`OPTIONS`, methods
//! `GET` and `POST`, the headers in [`ALLOWED_HEADERS`], cached for ten minutes)
//! and adds `Access-Control-Allow-Origin: <that origin>` and
//! `Access-Control-Allow-Credentials: true` to the response. Any other origin
//! gets no `Access-Control-*` header at all, so browsers keep its pages out; a
//! request without `Origin` (curl, a gateway, the service's own GraphiQL) is
//! served as before. With no origin configured the layer does nothing.
//!
//! Every response then carries `Vary: Origin` (and the preflight request
//! headers), so that caches keep the answers of different origins apart.

use std::{sync::Arc, time::Duration};

use axum::{
    extract::{Request, State},
    http::{HeaderName, HeaderValue, Method, header},
    middleware::Next,
    response::Response,
};
use tower::{Layer, ServiceExt};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Request headers that pages on an allowed origin may send: the bearer token,
/// or the `X-CSRF-TOKEN` that goes with the `accessToken` cookie, and what
/// GraphQL clients add.
pub const ALLOWED_HEADERS: [HeaderName; 6] = [
    header::ACCEPT,
    header::AUTHORIZATION,
    header::CONTENT_TYPE,
    HeaderName::from_static(crate::auth::CSRF_HEADER),
    HeaderName::from_static("apollographql-client-name"),
    HeaderName::from_static("apollographql-client-version"),
];

/// How long browsers may cache a preflight's answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// `Vary` on the answers to origins that are not allowed: the same as tower-http's.
const VARY: HeaderValue = HeaderValue::from_static(
    "origin, access-control-request-method, access-control-request-headers",
);

/// The origins allowed to call the service from a browser, and the layer that
/// answers them. Cheap to clone.
#[derive(Clone, Default)]
pub struct Cors(Option<Arc<Policy>>);

struct Policy {
    origins: Vec<HeaderValue>,
    layer: CorsLayer,
}

impl std::fmt::Debug for Cors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.origins().iter().map(|o| o.to_str().unwrap_or("?")))
            .finish()
    }
}

impl Cors {
    /// CORS for the given origins (each as [`parse_origin`] accepts it); none: no CORS.
    pub fn new<S: AsRef<str>>(origins: &[S]) -> Result<Self, String> {
        let mut parsed = Vec::new();
        for origin in origins {
            let origin = parse_origin(origin.as_ref())?;
            let value = HeaderValue::from_str(&origin)
                .map_err(|e| format!("invalid CORS origin {origin:?}: {e}"))?;
            if !parsed.contains(&value) {
                parsed.push(value);
            }
        }
        if parsed.is_empty() {
            return Ok(Self(None));
        }
        let layer = CorsLayer::new()
            .allow_origin(AllowOrigin::list(parsed.clone()))
            .allow_credentials(true)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers(ALLOWED_HEADERS)
            .max_age(PREFLIGHT_MAX_AGE);
        Ok(Self(Some(Arc::new(Policy {
            origins: parsed,
            layer,
        }))))
    }

    /// The allowed origins, as browsers send them in `Origin`.
    pub fn origins(&self) -> &[HeaderValue] {
        self.0.as_deref().map_or(&[], |p| p.origins.as_slice())
    }
}

/// Checks and normalizes an origin given in the configuration: `http` or
/// `https`, a host, an optional port, nothing else (a trailing `/` is allowed).
/// Returns it as browsers send it (`https://portal.example.com`: scheme and host
/// in lowercase, no default port). `*` and `null` are refused: credentials are
/// allowed only for named origins.
pub fn parse_origin(value: &str) -> Result<String, String> {
    let refuse = |why: &str| Err(format!("invalid CORS origin {value:?}: {why}"));
    let trimmed = value.trim();
    if trimmed == "*" || trimmed.eq_ignore_ascii_case("null") {
        return refuse("name each origin (credentials are allowed, so no wildcard)");
    }
    let url = match url::Url::parse(trimmed) {
        Ok(url) => url,
        Err(e) => return refuse(&format!("{e}; expected e.g. https://portal.example.com")),
    };
    if !matches!(url.scheme(), "http" | "https") {
        return refuse("the scheme must be http or https");
    }
    if url.host_str().is_none_or(str::is_empty) {
        return refuse("no host");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return refuse("an origin has no user or password");
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return refuse("an origin is scheme://host[:port], with no path, query or fragment");
    }
    Ok(url.origin().ascii_serialization())
}

/// The middleware: CORS headers for the allowed origins, none for the others.
pub async fn apply(State(cors): State<Cors>, request: Request, next: Next) -> Response {
    let Some(policy) = cors.0.as_deref() else {
        return next.run(request).await;
    };
    let allowed = request
        .headers()
        .get(header::ORIGIN)
        .is_some_and(|origin| policy.origins.contains(origin));
    if allowed {
        return match policy.layer.layer(next).oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
    }
    let mut response = next.run(request).await;
    response.headers_mut().append(header::VARY, VARY);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{Router, body::Body, routing::get};

    const PORTAL: &str = "https://portal.example.com";

    fn app(origins: &[&str]) -> Router {
        let cors = Cors::new(origins).expect("valid origins");
        Router::new()
            .route("/graphql", get(|| async { "ok" }).post(|| async { "ok" }))
            .layer(axum::middleware::from_fn_with_state(cors, apply))
    }

    async fn send(app: Router, method: Method, origin: Option<&str>) -> Response {
        let mut request = Request::builder().method(method.clone()).uri("/graphql");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        if method == Method::OPTIONS {
            request = request
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(
                    header::ACCESS_CONTROL_REQUEST_HEADERS,
                    "content-type,authorization,x-csrf-token",
                );
        }
        app.oneshot(request.body(Body::empty()).expect("request"))
            .await
            .expect("infallible")
    }

    fn cors_headers(response: &Response) -> Vec<String> {
        response
            .headers()
            .keys()
            .map(|k| k.as_str().to_owned())
            .filter(|k| k.starts_with("access-control-"))
            .collect()
    }

    fn header_of(response: &Response, name: HeaderName) -> &str {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    fn assert_allows_the_portal(response: &Response) {
        assert_eq!(
            header_of(response, header::ACCESS_CONTROL_ALLOW_ORIGIN),
            PORTAL
        );
        assert_eq!(
            header_of(response, header::ACCESS_CONTROL_ALLOW_CREDENTIALS),
            "true"
        );
    }

    #[tokio::test]
    async fn an_allowed_origin_gets_a_preflight_and_credentials() {
        let response = send(app(&[PORTAL]), Method::OPTIONS, Some(PORTAL)).await;
        assert!(response.status().is_success(), "{}", response.status());
        assert_allows_the_portal(&response);
        let methods = header_of(&response, header::ACCESS_CONTROL_ALLOW_METHODS);
        assert!(methods.contains("POST"), "{methods}");
        let headers = header_of(&response, header::ACCESS_CONTROL_ALLOW_HEADERS);
        assert!(headers.contains("authorization"), "{headers}");
        assert!(headers.contains("content-type"), "{headers}");
        assert!(headers.contains("x-csrf-token"), "{headers}");

        let response = send(app(&[PORTAL]), Method::POST, Some(PORTAL)).await;
        assert_allows_the_portal(&response);
        assert!(header_of(&response, header::VARY).contains("origin"));
    }

    #[tokio::test]
    async fn other_origins_and_unconfigured_services_get_no_cors_headers() {
        for method in [Method::OPTIONS, Method::POST, Method::GET] {
            let response = send(
                app(&[PORTAL]),
                method.clone(),
                Some("https://evil.example.com"),
            )
            .await;
            assert_eq!(cors_headers(&response), Vec::<String>::new(), "{method}");
            assert!(header_of(&response, header::VARY).contains("origin"));

            let response = send(app(&[]), method.clone(), Some(PORTAL)).await;
            assert_eq!(cors_headers(&response), Vec::<String>::new(), "{method}");
        }
        let response = send(app(&[PORTAL]), Method::POST, None).await;
        assert_eq!(cors_headers(&response), Vec::<String>::new());
        assert_eq!(response.status(), axum::http::StatusCode::OK);
    }

    #[test]
    fn origins_are_normalized_and_checked() {
        for (given, expected) in [
            ("https://portal.example.com", "https://portal.example.com"),
            ("https://Portal.Example.com/", "https://portal.example.com"),
            (
                "https://portal.example.com:443",
                "https://portal.example.com",
            ),
            ("http://127.0.0.1:3000", "http://127.0.0.1:3000"),
            (" http://localhost:8081 ", "http://localhost:8081"),
        ] {
            assert_eq!(parse_origin(given).as_deref(), Ok(expected), "{given}");
        }
        for bad in [
            "*",
            "null",
            "portal.example.com",
            "ftp://portal.example.com",
            "https://portal.example.com/app",
            "https://portal.example.com?x=1",
            "https://user@portal.example.com",
            "",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad:?} was accepted");
        }
        let cors = Cors::new(&[PORTAL, "https://PORTAL.example.com/"]).expect("valid");
        assert_eq!(cors.origins().len(), 1);
    }
}
