//! `GET /graphql` with a WebSocket upgrade: GraphQL subscriptions
//! (graphql-transport-ws, or the older graphql-ws). The caller comes from
//! the upgrade request's credentials, else from the `connection_init`
//! payload (`{"Authorization": "Bearer …"}`). An upgrade from a page of
//! another origin is refused (see [`super::origin`]). A plain GET is a query.

use async_graphql::{Data, http::ALL_WEBSOCKET_PROTOCOLS};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::{
    extract::{FromRequestParts, Request, State, ws::WebSocketUpgrade},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};

use super::AppState;
use crate::auth::{AuthRejection, Caller};

/// Serves a WebSocket upgrade as subscriptions, anything else as a query.
pub(super) async fn get_graphql(State(state): State<AppState>, request: Request) -> Response {
    if !is_upgrade(request.headers()) {
        let (parts, _body) = request.into_parts();
        return super::graphql_handler(state, parts.headers, parts.uri.query()).await;
    }
    let (mut parts, _body) = request.into_parts();
    if super::origin::is_foreign(&state.cors, &parts.headers) {
        return super::origin::forbidden("subscriptions");
    }
    let protocol = match GraphQLProtocol::from_request_parts(&mut parts, &state).await {
        Ok(protocol) => protocol,
        Err(status) => return status.into_response(),
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let from_headers = match state
        .auth
        .as_deref()
        .map(|a| a.authenticate(&parts.headers))
    {
        Some(Err(e)) => return AuthRejection(e).into_response(),
        Some(Ok(caller)) => caller,
        None => None,
    };
    let schema = state.schema.clone();
    let auth = state.auth.clone();
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| {
            GraphQLWebSocket::new(stream, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let caller = match (from_headers, auth) {
                        (Some(caller), _) => Some(caller),
                        (None, Some(auth)) => init_caller(&auth, &payload)?,
                        (None, None) => None,
                    };
                    let mut data = Data::default();
                    data.insert::<Option<Caller>>(caller);
                    Ok(data)
                })
                .serve()
        })
}

fn is_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// The caller named by a `connection_init` payload's `Authorization` (or `authorization`).
fn init_caller(
    auth: &crate::auth::Authenticator,
    payload: &serde_json::Value,
) -> async_graphql::Result<Option<Caller>> {
    let token = ["Authorization", "authorization"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(serde_json::Value::as_str));
    let Some(token) = token else {
        return Ok(None);
    };
    let mut headers = HeaderMap::new();
    let value = HeaderValue::from_str(token)
        .map_err(|_| async_graphql::Error::new("the Authorization value is not a valid header"))?;
    headers.insert(header::AUTHORIZATION, value);
    auth.authenticate(&headers)
        .map_err(|e| async_graphql::Error::new(e.to_string()))
}
