//! The HTTP surface: `/graphql` (GET and POST), `/graphiql`, `/health`,
//! `/ready` and `/metrics`, with CORS for the configured portal origins. Thin:
//! every answer comes from the GraphQL schema or the store's health.

mod alert_auth;
pub mod alerts;
mod body_timeout;
pub mod cors;
pub mod graphiql;
mod metrics;
pub mod origin;
pub mod protocol;
pub mod responses;
pub mod serve;
mod subscriptions;
pub mod web;

use std::{sync::Arc, time::Duration};

use async_graphql::Executor;
use axum::body::Bytes;
use axum::{
    Router,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use tower_http::{limit::RequestBodyLimitLayer, timeout::TimeoutLayer, trace::TraceLayer};

pub use self::metrics::{Metrics, MetricsAccess};
use crate::{
    auth::{AuthRejection, Authenticator, Caller},
    graphql::{self, RunbookSchema},
    runbooks::Runbooks,
};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub schema: RunbookSchema,
    pub runbooks: Runbooks,
    /// Token verification; `None` when authentication is off.
    pub auth: Option<Arc<Authenticator>>,
    pub metrics: Metrics,
    /// Browser origins allowed to call with credentials (none by default).
    pub cors: cors::Cors,
    /// Alert intake and executions.
    pub alerts: alerts::AlertsState,
    /// Answers kept whole; `None` when off.
    pub responses: Option<Arc<responses::ResponseCache>>,
    /// Who may read `/metrics`.
    pub metrics_access: MetricsAccess,
    /// Whether `/graphiql` is served.
    pub graphiql: bool,
}

/// HTTP limits.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// Largest request body accepted, in bytes.
    pub body_bytes: usize,
    /// Longest time a request may take.
    pub timeout: Duration,
    /// Longest time a client may take to send a request's body.
    pub body_timeout: Duration,
}

/// The default body timeout, in seconds.
pub const DEFAULT_BODY_TIMEOUT_SECONDS: u64 = 10;

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            body_bytes: 1024 * 1024,
            timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(DEFAULT_BODY_TIMEOUT_SECONDS),
        }
    }
}

/// The whole service as a router, callable from tests without a socket.
pub fn router(state: AppState, limits: HttpLimits) -> Router {
    let mut routes = Router::new()
        .route(
            "/graphql",
            get(subscriptions::get_graphql).post(post_graphql),
        )
        .route("/alerts", post(alerts::post_alerts))
        .route("/health", get(health))
        .route("/ready", get(ready));
    if state.metrics_access != MetricsAccess::Off {
        routes = routes.route("/metrics", get(metrics::render));
    }
    if state.graphiql {
        routes = routes.merge(graphiql::router());
    }
    routes
        .merge(web::router())
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::track,
        ))
        .layer(axum::middleware::from_fn_with_state(
            limits.body_timeout,
            body_timeout::read_body,
        ))
        .layer(RequestBodyLimitLayer::new(limits.body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.timeout,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.cors.clone(),
            cors::apply,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A GraphQL request over GET (from `subscriptions::get_graphql`): a query
/// in the query string; mutations are refused.
async fn graphql_handler(state: AppState, headers: HeaderMap, query: Option<&str>) -> Response {
    let answer = match protocol::answer_type(&headers) {
        Ok(answer) => answer,
        Err(refusal) => return refusal.into_response(),
    };
    let caller = match authenticate(&state, &headers) {
        Ok(caller) => caller,
        Err(refusal) => return refusal.into_response(),
    };
    let request = match protocol::from_query_string(query) {
        Ok(request) => request,
        Err(refusal) => return refusal.into_response(),
    };
    if is_mutation(&request) {
        return mutation_over_get();
    }
    protocol::render(answer, execute(&state, caller, request).await)
}

/// What a POST must pass before anything is read: its answer type, a JSON
/// body, and the caller's credentials.
fn admit_post(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(protocol::Answer, Option<Caller>), Box<Response>> {
    let refuse = |refusal: protocol::Refusal| Box::new(refusal.into_response());
    let answer = protocol::answer_type(headers).map_err(refuse)?;
    protocol::require_json(headers).map_err(refuse)?;
    let caller = authenticate(state, headers).map_err(|e| Box::new(e.into_response()))?;
    Ok((answer, caller))
}

/// A GraphQL request over POST: the kept answer when the response cache has
/// a current one for this body, else executed (and kept when it may be).
async fn post_graphql(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (answer, caller) = match admit_post(&state, &headers) {
        Ok(admitted) => admitted,
        Err(refusal) => return *refusal,
    };
    let key = state
        .responses
        .as_ref()
        .map(|_| responses::ResponseKey::new(&headers, &body, answer));
    if let (Some(cache), Some(key)) = (&state.responses, &key)
        && let Some(kept) = cache.get(key, caller.as_ref(), &state.runbooks).await
    {
        return kept;
    }
    let request = match protocol::from_body(&body) {
        Ok(request) => request,
        Err(refusal) => return refusal.into_response(),
    };
    if origin::is_foreign(&state.cors, &headers) && is_mutation(&request) {
        return origin::forbidden("mutations");
    }
    let (Some(cache), Some(key)) = (&state.responses, key) else {
        return protocol::render(answer, execute(&state, caller, request).await);
    };
    if !graphql::is_cacheable(&request) {
        return protocol::render(answer, execute(&state, caller, request).await);
    }
    let read = Arc::new(graphql::ReadGenerations::default());
    let response = execute(&state, caller, request.data(read.clone())).await;
    let generations = read.take();
    if !response.is_ok() || generations.is_empty() {
        return protocol::render(answer, response);
    }
    cache
        .keep(key, generations, protocol::render(answer, response))
        .await
}

/// The caller the request's token names (none without authentication), or
/// the refusal to send.
fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Option<Caller>, AuthRejection> {
    match state.auth.as_deref().map(|a| a.authenticate(headers)) {
        Some(Err(e)) => Err(AuthRejection(e)),
        Some(Ok(caller)) => Ok(caller),
        None => Ok(None),
    }
}

async fn execute(
    state: &AppState,
    caller: Option<Caller>,
    request: async_graphql::Request,
) -> async_graphql::Response {
    let request = graphql::with_loaders(request, &state.runbooks).data(caller);
    state.schema.execute(request).await
}

/// Whether the operation a request would run is a mutation. A request that
/// does not parse is not one; the schema reports its syntax error.
fn is_mutation(request: &async_graphql::Request) -> bool {
    let Ok(doc) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    graphql::selected_operations(request, &doc)
        .any(|op| op.node.ty == async_graphql::parser::types::OperationType::Mutation)
}

/// Mutations over GET would be a cross-site request forgery route.
fn mutation_over_get() -> Response {
    let body = serde_json::json!({
        "errors": [{
            "message": "mutations are accepted over POST only",
            "extensions": { "code": "BAD_USER_INPUT" }
        }]
    });
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(header::ALLOW, "POST")],
        axum::Json(body),
    )
        .into_response()
}

async fn health() -> &'static str {
    "ok"
}

async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    match state.runbooks.ping().await {
        Ok(()) => (StatusCode::OK, "ready".to_owned()),
        Err(e) => {
            tracing::warn!(error = %e, "store not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("store {} unavailable", state.runbooks.backend()),
            )
        }
    }
}
