//! Prometheus metrics: one process-wide recorder, rendered at `/metrics` to
//! anyone, to bearers of a token, or not at all ([`MetricsAccess`]).

use std::{sync::OnceLock, time::Instant};

use axum::{
    extract::{MatchedPath, Request, State},
    http::{HeaderMap, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};

use crate::auth::Secret;

/// Who may read `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricsAccess {
    /// Anyone who can reach the service.
    Public,
    /// Callers presenting a valid access token of any host, or `bearer`, a
    /// static secret for scrapers (Prometheus' `authorization.credentials_file`).
    Token {
        /// The scrapers' secret, when one is configured.
        bearer: Option<Secret>,
    },
    /// Nobody: the route is not served.
    Off,
}

/// A handle to the process's metrics recorder.
#[derive(Clone)]
pub struct Metrics(PrometheusHandle);

static HANDLE: OnceLock<Result<PrometheusHandle, String>> = OnceLock::new();

impl Metrics {
    /// Installs the process-wide recorder on first use; later calls share it.
    pub fn install() -> Result<Self, String> {
        HANDLE
            .get_or_init(|| {
                PrometheusBuilder::new()
                    .install_recorder()
                    .map_err(|e| format!("cannot install the metrics recorder: {e}"))
            })
            .clone()
            .map(Self)
    }
}

/// Counts requests and their duration by route and status.
pub async fn track(State(_metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("path", path), ("method", method), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

/// Renders every metric in Prometheus' text format, to those allowed.
pub async fn render(State(state): State<super::AppState>, headers: HeaderMap) -> Response {
    if let MetricsAccess::Token { bearer } = &state.metrics_access
        && !may_read(&state, bearer.as_ref(), &headers)
    {
        return (
            StatusCode::UNAUTHORIZED,
            [
                (header::WWW_AUTHENTICATE, "Bearer"),
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            ],
            "/metrics needs `Authorization: Bearer` with an access token or the metrics token\n",
        )
            .into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.0.render(),
    )
        .into_response()
}

/// Whether the request carries the scrapers' secret or a valid access token.
fn may_read(state: &super::AppState, bearer: Option<&Secret>, headers: &HeaderMap) -> bool {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    // Digests are compared, not the secrets: how long the comparison takes
    // tells nothing about the secret.
    if let (Some(secret), Some(presented)) = (bearer, presented)
        && Sha256::digest(secret.expose()) == Sha256::digest(presented)
    {
        return true;
    }
    let auth = state.auth.as_deref();
    auth.is_some_and(|auth| matches!(auth.authenticate(headers), Ok(Some(_))))
}
