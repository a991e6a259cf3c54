//! The HTTP surface: `/graphql` (GET and POST), `/graphiql`, `/health`,
//! `/ready` and `/metrics`. Thin: every answer comes from the GraphQL schema
//! or the store's health.

pub mod graphiql;
mod metrics;

use std::time::Duration;

use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::{Router, extract::State, http::StatusCode, response::IntoResponse, routing::get};
use tower_http::{limit::RequestBodyLimitLayer, timeout::TimeoutLayer, trace::TraceLayer};

pub use self::metrics::Metrics;
use crate::{
    graphql::{self, RunbookSchema},
    runbooks::Runbooks,
};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub schema: RunbookSchema,
    pub runbooks: Runbooks,
    pub metrics: Metrics,
}

/// HTTP limits.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// Largest request body accepted, in bytes.
    pub body_bytes: usize,
    /// Longest time a request may take.
    pub timeout: Duration,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            body_bytes: 1024 * 1024,
            timeout: Duration::from_secs(30),
        }
    }
}

/// The whole service as a router, callable from tests without a socket.
pub fn router(state: AppState, limits: HttpLimits) -> Router {
    Router::new()
        .route("/graphql", get(graphql_handler).post(graphql_handler))
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics::render))
        .merge(graphiql::router())
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::track,
        ))
        .layer(RequestBodyLimitLayer::new(limits.body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.timeout,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn graphql_handler(
    State(state): State<AppState>,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let request = graphql::with_loaders(request.into_inner(), &state.runbooks);
    state.schema.execute(request).await.into()
}

async fn health() -> &'static str {
    "ok"
}

async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    match state.runbooks.store().ping().await {
        Ok(()) => (StatusCode::OK, "ready".to_owned()),
        Err(e) => {
            tracing::warn!(error = %e, "store not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("store {} unavailable", state.runbooks.store().backend()),
            )
        }
    }
}
