//! Offline GraphiQL: the in-browser GraphQL IDE at `GET /graphiql`, for people to
//! explore and query the API served at `/graphql`.
//!
//! async-graphql's built-in GraphiQL page loads its scripts from a public CDN and so
//! shows nothing on a machine without internet access. This page loads nothing but
//! files that the service serves itself: the browser builds of graphiql, react and
//! react-dom vendored in `assets/graphiql/` (pinned by its `package-lock.json`,
//! re-created by its `update.sh`, licenses in its `LICENSES.md`), embedded into the
//! binary at compile time.
//!
//! The page runs no inline script or style (its own are `start.js` and
//! `page.css`) under a Content-Security-Policy that lets it load and connect
//! to this origin only and be framed by no one. GraphiQL adds `<style>`
//! elements when a dialog opens: those carry a nonce drawn for each answer.
//! `--no-graphiql` (and the production profile) removes the routes.
//!
//! Routes:
//! - `GET /graphiql`: the page (`assets/graphiql/index.html`);
//! - `GET /graphiql/assets/{file}`: one vendored file, cacheable for a day; any other
//!   name is 404.

use axum::{
    Router,
    extract::Path,
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use base64::Engine;
use rand::{TryRngCore, rngs::OsRng};

/// The page. It references each of [`ASSETS`] as `/graphiql/assets/<name>`.
const INDEX_HTML: &str = include_str!("../../assets/graphiql/index.html");

const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Where in [`INDEX_HTML`] the answer's style nonce goes.
const NONCE_SLOT: &str = "{{STYLE_NONCE}}";

/// The page's Content-Security-Policy, with `{nonce}` for the style nonce.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; font-src 'self' data:; \
connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// `Cache-Control` of the vendored files: they change only with a new build of the service.
const ASSET_CACHE_CONTROL: &str = "public, max-age=86400, immutable";

/// One vendored file, served at `/graphiql/assets/<name>`.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

/// One of [`ASSETS`]: a file of `assets/graphiql/` and its content type.
macro_rules! asset {
    ($name:literal, $content_type:expr) => {
        Asset {
            name: $name,
            content_type: $content_type,
            body: include_bytes!(concat!("../../assets/graphiql/", $name)),
        }
    };
}

/// Every file the page loads, and nothing else.
const ASSETS: &[Asset] = &[
    asset!("graphiql.min.css", CSS),
    asset!("react.production.min.js", JAVASCRIPT),
    asset!("react-dom.production.min.js", JAVASCRIPT),
    asset!("graphiql.min.js", JAVASCRIPT),
    asset!("page.css", CSS),
    asset!("start.js", JAVASCRIPT),
];

/// Routes `GET /graphiql` and `GET /graphiql/assets/{file}`; merge it into the app's router.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/graphiql", get(page))
        .route("/graphiql/assets/{file}", get(asset))
}

async fn page() -> Response {
    let mut bytes = [0u8; 16];
    if OsRng.try_fill_bytes(&mut bytes).is_err() {
        tracing::error!("no randomness for the GraphiQL page's nonce");
        return (StatusCode::INTERNAL_SERVER_ERROR, "no nonce available\n").into_response();
    }
    let nonce = base64::engine::general_purpose::STANDARD.encode(bytes);
    let policy = CONTENT_SECURITY_POLICY.replace("{nonce}", &nonce);
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // Each answer has its own nonce: never reuse one.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        super::web::security_headers(&mut headers, policy);
    }
    (headers, INDEX_HTML.replace(NONCE_SLOT, &nonce)).into_response()
}

async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|asset| asset.name == file) {
        Some(asset) => {
            let headers: [(HeaderName, &'static str); 3] = [
                (header::CONTENT_TYPE, asset.content_type),
                (header::CACHE_CONTROL, ASSET_CACHE_CONTROL),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ];
            (headers, asset.body).into_response()
        }
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "no such GraphiQL asset\n",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Method, Request};
    use tower::ServiceExt;

    const ASSET_PREFIX: &str = "/graphiql/assets/";

    /// Status, a header's value and the body of `GET uri`.
    async fn get_uri(uri: &str, header_name: HeaderName) -> (StatusCode, String, Vec<u8>) {
        let request = Request::builder()
            .method(Method::GET)
            .uri(uri)
            .body(Body::empty())
            .expect("request");
        let response = router::<()>().oneshot(request).await.expect("infallible");
        let status = response.status();
        let value = response
            .headers()
            .get(&header_name)
            .map(|v| v.to_str().expect("ASCII header").to_owned())
            .unwrap_or_default();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        (status, value, body.to_vec())
    }

    /// The opening tags of `html` (`<name ...>`), skipping the contents of `<script>`s.
    fn tags(html: &str) -> Vec<&str> {
        let mut tags = Vec::new();
        let mut rest = html;
        while let Some(start) = rest.find('<') {
            let Some(len) = rest[start..].find('>') else {
                break;
            };
            let tag = &rest[start..=start + len];
            rest = &rest[start + len + 1..];
            if tag.starts_with("<!--") {
                if !tag.ends_with("-->") {
                    let end = rest.find("-->").expect("unclosed comment");
                    rest = &rest[end + 3..];
                }
                continue;
            }
            tags.push(tag);
            if tag.starts_with("<script") {
                let end = rest.find("</script>").expect("unclosed <script>");
                rest = &rest[end..];
            }
        }
        tags
    }

    /// The values of every `src` and `href` attribute in `html`'s tags.
    fn sources(html: &str) -> Vec<String> {
        let mut sources = Vec::new();
        for tag in tags(html) {
            for attr in [" src=", " href="] {
                let mut rest = tag;
                while let Some(at) = rest.find(attr) {
                    rest = &rest[at + attr.len()..];
                    let value = rest
                        .strip_prefix('"')
                        .and_then(|quoted| quoted.split('"').next())
                        .unwrap_or_else(|| panic!("unquoted {attr} in {tag}"));
                    sources.push(value.to_owned());
                }
            }
        }
        sources
    }

    async fn page_html() -> String {
        let (status, content_type, body) = get_uri("/graphiql", header::CONTENT_TYPE).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type, "text/html; charset=utf-8");
        String::from_utf8(body).expect("UTF-8 page")
    }

    #[tokio::test]
    async fn page_is_html_and_references_every_asset() {
        let html = page_html().await;
        assert!(html.trim_start().starts_with("<!doctype html>"));
        let sources = sources(&html);
        for asset in ASSETS {
            let path = format!("{ASSET_PREFIX}{}", asset.name);
            assert!(sources.contains(&path), "the page does not load {path}");
        }
        let (_, _, start) = get_uri("/graphiql/assets/start.js", header::CONTENT_TYPE).await;
        let start = String::from_utf8(start).expect("UTF-8 script");
        assert!(start.contains("GraphiQL.createFetcher({ url: '/graphql' })"));
        assert!(start.contains("runbook(serviceId:"));
    }

    #[tokio::test]
    async fn the_page_runs_nothing_inline_and_each_answer_has_its_own_style_nonce() {
        let mut nonces = Vec::new();
        for _ in 0..2 {
            let (_, policy, body) = get_uri("/graphiql", header::CONTENT_SECURITY_POLICY).await;
            let html = String::from_utf8(body).expect("UTF-8 page");
            assert!(!policy.contains("unsafe"), "{policy}");
            assert!(policy.contains("script-src 'self';"), "{policy}");
            assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
            let nonce = policy
                .split("'nonce-")
                .nth(1)
                .and_then(|rest| rest.split('\'').next())
                .expect("a style nonce");
            assert!(nonce.len() >= 22, "{nonce}");
            assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{html}");
            assert!(!html.contains(NONCE_SLOT));
            assert!(!html.contains("<style"), "inline style");
            for script in html.split("<script").skip(1) {
                let inline = script.split_once("</script>").map(|(s, _)| s);
                assert!(
                    inline.is_some_and(|s| s.ends_with("\">")),
                    "inline script: {script}"
                );
            }
            nonces.push(nonce.to_owned());
        }
        assert_ne!(nonces[0], nonces[1]);
    }

    #[tokio::test]
    async fn every_asset_the_page_references_is_served() {
        let html = page_html().await;
        let referenced: Vec<String> = sources(&html)
            .into_iter()
            .filter(|source| source.starts_with(ASSET_PREFIX))
            .collect();
        assert_eq!(referenced.len(), ASSETS.len(), "{referenced:?}");
        for path in referenced {
            let (status, content_type, body) = get_uri(&path, header::CONTENT_TYPE).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(!body.is_empty(), "{path} is empty");
            let is_js = path.ends_with(".js") && content_type == JAVASCRIPT;
            let is_css = path.ends_with(".css") && content_type == CSS;
            assert!(is_js || is_css, "{path} served as {content_type:?}");
            let (_, cache_control, _) = get_uri(&path, header::CACHE_CONTROL).await;
            assert_eq!(cache_control, ASSET_CACHE_CONTROL, "{path}");
        }
    }

    #[tokio::test]
    async fn unknown_assets_are_404() {
        for path in [
            "/graphiql/assets/nope.js",
            "/graphiql/assets/index.html",
            "/graphiql/assets/package.json",
            "/graphiql/assets/..%2Fpackage.json",
            "/graphiql/assets/graphiql.min.js/extra",
            "/graphiql/assets/",
        ] {
            let (status, _, _) = get_uri(path, header::CONTENT_TYPE).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
    }

    #[tokio::test]
    async fn page_loads_nothing_from_elsewhere() {
        let html = page_html().await;
        let sources = sources(&html);
        assert!(!sources.is_empty());
        for source in &sources {
            let local = source.starts_with(ASSET_PREFIX) || source.starts_with("data:");
            assert!(local, "the page loads {source:?}, not from this service");
        }
        for scheme in ["http://", "https://"] {
            assert!(!html.contains(scheme), "the page mentions {scheme}");
        }
        for tag in tags(&html) {
            let inline_handler = tag
                .split_whitespace()
                .any(|attr| attr.starts_with("on") && attr.contains('='));
            assert!(!inline_handler, "inline event handler in {tag}");
        }
    }
}
