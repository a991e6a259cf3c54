//! `POST /alerts`: alert intake over HTTP (see [`crate::alerts`]).

use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use super::AppState;
use crate::{
    alerts::{self, AlertAuth, Taken},
    error::ApiErrorCode,
    executions::Executions,
};

/// When a sender answered 503 may send the same payload again.
const RETRY_AFTER_SECONDS: &str = "1";

/// What alert intake needs besides the rest of the service.
#[derive(Clone, Default)]
pub struct AlertsState {
    /// None when the service runs without executions (`Services::open`, as
    /// in tests of the read API only).
    pub executions: Option<Executions>,
    pub auth: AlertAuth,
}

/// Receives a light-4j status payload or an Alertmanager webhook, as
/// `application/json` (else 415) from no page of a foreign origin (else 403).
pub(super) async fn post_alerts(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if super::origin::is_foreign(&state.cors, &headers) {
        return super::origin::forbidden("alerts");
    }
    if let Err(refusal) = super::protocol::require_json(&headers) {
        return refusal.into_response();
    }
    let Some(executions) = &state.alerts.executions else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "INTERNAL",
            "alerts and executions are not enabled on this server",
        );
    };
    let sender = match super::alert_auth::authenticate(
        &headers,
        &state.alerts.auth,
        state.auth.as_deref(),
    ) {
        Ok(sender) => sender,
        Err((status, e)) => return error(status, e.code.as_str(), &e.message),
    };
    let body: Value = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(e) => {
            let rejected = json!({
                "index": null, "field": "body", "code": "BAD_USER_INPUT",
                "message": format!("the payload is not JSON: {e}"),
            });
            let body = json!({ "accepted": [], "rejected": [rejected] });
            return (StatusCode::BAD_REQUEST, Json(body)).into_response();
        }
    };
    let receipt = alerts::receive(executions, &sender, &body).await;
    let status = match receipt.taken {
        Taken::All => StatusCode::OK,
        Taken::Some => StatusCode::MULTI_STATUS,
        Taken::None(code) => status_of(code),
    };
    if status == StatusCode::SERVICE_UNAVAILABLE {
        // Nothing was taken and the same payload may be taken in a moment.
        let retry = [(header::RETRY_AFTER, RETRY_AFTER_SECONDS)];
        return (status, retry, Json(receipt.body)).into_response();
    }
    (status, Json(receipt.body)).into_response()
}

/// The HTTP status of a payload none of whose alerts was taken, by the
/// first rejection's code.
fn status_of(code: ApiErrorCode) -> StatusCode {
    match code {
        ApiErrorCode::NotFound => StatusCode::NOT_FOUND,
        ApiErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ApiErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ApiErrorCode::Conflict => StatusCode::CONFLICT,
        ApiErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        ApiErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ApiErrorCode::InvalidRunbook => StatusCode::UNPROCESSABLE_ENTITY,
        ApiErrorCode::BadUserInput | ApiErrorCode::LimitExceeded => StatusCode::BAD_REQUEST,
    }
}

/// An error in the service's usual shape: `{"errors":[{message, extensions:{code}}]}`.
fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, Json(body)).into_response()
}
