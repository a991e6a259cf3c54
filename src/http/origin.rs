//! Writes from other origins: a browser page on another site can send a
//! request with the user's cookies, and with authentication off anyone's
//! browser is a way in. So a mutation, an alert (`POST /alerts`) or a
//! WebSocket upgrade (whose subscriptions and mutations no CORS rule covers)
//! is refused 403 `FORBIDDEN` when its `Origin` is neither one of the
//! configured origins (`--cors-origin`) nor the service's own, or, without
//! `Origin`, when `Sec-Fetch-Site` says `cross-site`. Requests without either
//! header (curl, automation, gateways) pass.
//!
//! The service's own origin is the `Host` (or `X-Forwarded-Host`) the request
//! was sent to, in either scheme: a page of another site cannot set those
//! headers without a CORS preflight, and the scheme is lost behind a proxy
//! that ends TLS.

use axum::{
    http::{HeaderMap, StatusCode, header, uri::Authority},
    response::{IntoResponse, Response},
};

use super::cors::Cors;
use crate::error::ApiErrorCode;

const X_FORWARDED_HOST: &str = "x-forwarded-host";

/// Whether the request comes from a page of an origin that may not write.
pub fn is_foreign(cors: &Cors, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return headers
            .get("sec-fetch-site")
            .is_some_and(|site| site.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    };
    if cors.origins().contains(origin) {
        return false;
    }
    // `null` (sandboxed pages, redirects) or malformed: no origin of ours.
    let Some(origin) = origin.to_str().ok().and_then(|o| url::Url::parse(o).ok()) else {
        return true;
    };
    let default_port = match origin.scheme() {
        "http" => 80,
        "https" => 443,
        _ => return true,
    };
    let (Some(host), Some(port)) = (origin.host_str(), origin.port_or_known_default()) else {
        return true;
    };
    let own = [header::HOST.as_str(), X_FORWARDED_HOST]
        .into_iter()
        .filter_map(|name| headers.get(name)?.to_str().ok())
        .filter_map(|value| value.split(',').next()?.trim().parse::<Authority>().ok());
    // A `Host` without a port means the default of the origin's scheme.
    !own.into_iter().any(|authority| {
        authority.host().eq_ignore_ascii_case(host)
            && authority.port_u16().unwrap_or(default_port) == port
    })
}

/// The refusal of a write from a foreign origin.
pub fn forbidden(what: &str) -> Response {
    super::protocol::Refusal::new(
        StatusCode::FORBIDDEN,
        ApiErrorCode::Forbidden,
        format!(
            "{what} from a page of another origin are refused; \
             list the page's origin with --cors-origin to allow them"
        ),
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_str(value).expect("header"));
        }
        headers
    }

    #[test]
    fn the_services_own_origin_and_listed_ones_may_write() {
        let cors = Cors::new(&["https://portal.example.com"]).expect("valid");
        for pairs in [
            vec![],
            vec![("host", "127.0.0.1:8080")],
            vec![("sec-fetch-site", "same-origin")],
            vec![
                ("origin", "http://127.0.0.1:8080"),
                ("host", "127.0.0.1:8080"),
            ],
            vec![
                ("origin", "https://Runbooks.example.com"),
                ("host", "runbooks.example.com"),
            ],
            vec![
                ("origin", "https://runbooks.example.com"),
                ("host", "runbooks.example.com:443"),
            ],
            vec![
                ("origin", "https://runbooks.example.com"),
                ("host", "127.0.0.1:8080"),
                ("x-forwarded-host", "runbooks.example.com"),
            ],
            vec![("origin", "http://[::1]:8080"), ("host", "[::1]:8080")],
            vec![
                ("origin", "https://portal.example.com"),
                ("host", "127.0.0.1:8080"),
            ],
            vec![
                ("origin", "https://portal.example.com"),
                ("sec-fetch-site", "cross-site"),
            ],
        ] {
            assert!(!is_foreign(&cors, &headers(&pairs)), "{pairs:?}");
        }
    }

    #[test]
    fn other_origins_are_foreign() {
        let cors = Cors::new(&["https://portal.example.com"]).expect("valid");
        for pairs in [
            vec![
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:8080"),
            ],
            vec![("origin", "null"), ("host", "127.0.0.1:8080")],
            vec![
                ("origin", "http://127.0.0.1:8081"),
                ("host", "127.0.0.1:8080"),
            ],
            vec![
                ("origin", "https://runbooks.example.com:8443"),
                ("host", "runbooks.example.com"),
            ],
            vec![
                ("origin", "http://127.0.0.1.evil.example"),
                ("host", "127.0.0.1"),
            ],
            vec![
                ("origin", "https://portal.example.com.evil"),
                ("host", "127.0.0.1"),
            ],
            vec![("origin", "file://"), ("host", "127.0.0.1")],
            vec![("origin", "https://evil.example")],
            vec![("sec-fetch-site", "cross-site")],
            vec![("sec-fetch-site", "Cross-Site"), ("host", "127.0.0.1")],
        ] {
            assert!(is_foreign(&cors, &headers(&pairs)), "{pairs:?}");
            assert!(is_foreign(&Cors::default(), &headers(&pairs)), "{pairs:?}");
        }
    }
}
