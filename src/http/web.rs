//! The operator web app: the React single-page app built from `web/` into
//! `web/dist/`, committed, and embedded into the binary at compile time, so
//! one process serves the API and the product with no Node.js at run time.
//!
//! Routes (the router's fallback, so every route the service defines first —
//! `/graphql`, `/graphiql`, `/health`, `/ready`, `/metrics` — keeps its
//! handler):
//! - `GET /assets/{file}`: a file of the build. Vite names them by content
//!   hash, so they are cached for a year as `immutable`; an unknown one is 404
//!   (never the page: a stale page asking for a removed chunk must fail plainly).
//! - `GET /{file}` for the other files of the build (`favicon.svg`):
//!   revalidated every time.
//! - `GET` of any other path (`/`, `/runbook/{serviceId}/{errorCode}`,
//!   `/scopes/{id}`, `/executions/{id}`, the same under `/h/{host}/`, ...):
//!   `index.html`, revalidated every
//!   time (`no-cache`, with an `ETag`), so a deep link opens the app and a new
//!   build is picked up at once. Paths under the API's own prefixes
//!   (`/graphql/...`, `/alerts`, ...) are 404 instead.
//!
//! Every answer carries a Content-Security-Policy that lets the page load and
//! connect to nothing but this origin (plus `ws:`/`wss:` for the GraphQL
//! subscription), with `nosniff` and a same-origin referrer policy.

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use rust_embed::RustEmbed;
use tower_http::compression::CompressionLayer;

/// The built app, `web/dist/` (rebuilt by `npm run build` in `web/`; the test
/// `tests/web_e2e.rs` checks that the committed build matches the sources).
#[derive(RustEmbed)]
#[folder = "web/dist/"]
struct Dist;

/// The page every app route answers with.
const INDEX: &str = "index.html";

/// What the app may load and connect to: this origin only.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws: wss:; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

/// Hashed build output: never changes under the same name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The page and unhashed files: revalidate every time.
pub const NO_CACHE: &str = "no-cache";

/// First path segments that belong to the API, never to the app: a path
/// under one of them that no route matched is 404, not the page.
const RESERVED: &[&str] = &[
    "graphql", "graphiql", "health", "ready", "metrics", "alerts", "assets",
];

/// The app's routes; merge into the service's router (it sets the fallback).
/// Answers are gzipped for clients that accept it (the scripts shrink to a third).
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().fallback(serve).layer(CompressionLayer::new())
}

async fn serve(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "the web app answers GET and HEAD only\n",
        )
            .into_response();
    }
    let path = uri.path().trim_start_matches('/');
    if !path.is_empty() && path != INDEX {
        if let Some(response) = file(path, &headers) {
            return response;
        }
        let first = path.split('/').next().unwrap_or_default();
        if RESERVED.contains(&first) {
            return not_found();
        }
    }
    file(INDEX, &headers).unwrap_or_else(|| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "the web app is not built into this binary (web/dist is empty)\n",
        )
            .into_response()
    })
}

/// One embedded file with its content type, caching headers and `ETag`, or
/// 304 when the browser's copy is current.
fn file(path: &str, request: &HeaderMap) -> Option<Response> {
    let embedded = Dist::get(path)?;
    let hash = embedded.metadata.sha256_hash();
    let etag = format!("\"{}\"", hex(&hash[..16]));
    let cache = if path.starts_with("assets/") {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    security_headers(
        &mut headers,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    let fresh = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if fresh {
        return Some((StatusCode::NOT_MODIFIED, headers).into_response());
    }
    Some((headers, Body::from(embedded.data.into_owned())).into_response())
}

/// The headers every page of the service carries: its Content-Security-Policy,
/// `nosniff` and a same-origin referrer policy.
pub(crate) fn security_headers(headers: &mut HeaderMap, policy: HeaderValue) {
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
}

fn not_found() -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    security_headers(
        &mut headers,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    (StatusCode::NOT_FOUND, headers, "not found\n").into_response()
}

/// The content type of a build file, by extension.
fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    match ext {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file of the build, for tests.
pub fn files() -> Vec<String> {
    Dist::iter().map(|f| f.into_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;
    use tower::ServiceExt;

    async fn get(uri: &str, if_none_match: Option<&str>) -> Response {
        let mut request = Request::builder().method(Method::GET).uri(uri);
        if let Some(tag) = if_none_match {
            request = request.header(header::IF_NONE_MATCH, tag);
        }
        router::<()>()
            .oneshot(request.body(Body::empty()).expect("request"))
            .await
            .expect("infallible")
    }

    fn header_of(response: &Response, name: header::HeaderName) -> String {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().expect("ASCII").to_owned())
            .unwrap_or_default()
    }

    async fn text(response: Response) -> String {
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        String::from_utf8(body.to_vec()).expect("UTF-8")
    }

    #[tokio::test]
    async fn deep_links_get_the_page_with_no_cache_and_the_policy() {
        for uri in [
            "/",
            "/index.html",
            "/runbook/com.acme.payments.ledger-1.0.0/ERR10001",
            "/scopes/light-4j",
            "/executions/42",
            "/h/b.example/runbook/com.acme.payments.ledger-1.0.0/ERR10001",
            "/h/b.example/executions/42",
        ] {
            let response = get(uri, None).await;
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            assert_eq!(
                header_of(&response, header::CONTENT_TYPE),
                "text/html; charset=utf-8"
            );
            assert_eq!(header_of(&response, header::CACHE_CONTROL), NO_CACHE);
            let csp = header_of(&response, header::CONTENT_SECURITY_POLICY);
            assert!(csp.starts_with("default-src 'self'"), "{csp}");
            assert!(csp.contains("connect-src 'self' ws: wss:"), "{csp}");
            let html = text(response).await;
            assert!(html.contains("<div id=\"root\">"), "{uri}: {html}");
        }
    }

    #[tokio::test]
    async fn hashed_assets_are_immutable_with_their_content_type() {
        let assets: Vec<String> = files()
            .into_iter()
            .filter(|f| f.starts_with("assets/"))
            .collect();
        assert!(assets.iter().any(|f| f.ends_with(".js")), "{assets:?}");
        assert!(assets.iter().any(|f| f.ends_with(".css")), "{assets:?}");
        let html = text(get("/", None).await).await;
        for asset in &assets {
            let response = get(&format!("/{asset}"), None).await;
            assert_eq!(response.status(), StatusCode::OK, "{asset}");
            assert_eq!(header_of(&response, header::CACHE_CONTROL), IMMUTABLE);
            let content_type = header_of(&response, header::CONTENT_TYPE);
            if asset.ends_with(".js") {
                assert_eq!(content_type, "text/javascript; charset=utf-8");
            } else if asset.ends_with(".css") {
                assert_eq!(content_type, "text/css; charset=utf-8");
            }
        }
        // The page loads its entry script and stylesheet from /assets/.
        assert!(html.contains("src=\"/assets/"), "{html}");
        assert!(html.contains("href=\"/assets/"), "{html}");
        assert!(!html.contains("http://") && !html.contains("https://"));
    }

    #[tokio::test]
    async fn an_unchanged_page_is_304_and_unknown_api_paths_and_assets_are_404() {
        let first = get("/", None).await;
        let etag = header_of(&first, header::ETAG);
        assert!(etag.starts_with('"'), "{etag}");
        let again = get("/scopes/acme", Some(&etag)).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        for uri in [
            "/assets/missing-0000.js",
            "/graphql/extra",
            "/alerts",
            "/alerts/1",
            "/metrics/x",
        ] {
            let response = get(uri, None).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{uri}");
        }
    }

    #[tokio::test]
    async fn answers_are_gzipped_when_accepted() {
        let script = files()
            .into_iter()
            .find(|f| f.starts_with("assets/") && f.ends_with(".js"))
            .expect("a script");
        let response = router::<()>()
            .oneshot(
                Request::builder()
                    .uri(format!("/{script}"))
                    .header(header::ACCEPT_ENCODING, "gzip")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header_of(&response, header::CONTENT_ENCODING), "gzip");
        assert_eq!(header_of(&response, header::CACHE_CONTROL), IMMUTABLE);
    }

    #[tokio::test]
    async fn other_methods_are_405() {
        let response = router::<()>()
            .oneshot(
                Request::builder()
                    .method(Method::POST)
                    .uri("/runbook/x")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    }
}
