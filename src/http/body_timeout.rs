//! The request body timeout: a request's whole body is read before its
//! handler runs, and a client that does not finish sending it within the
//! body timeout is answered 408 and its connection closed.
//!
//! Every handler of the service reads its body whole anyway (GraphQL
//! requests, alerts), so reading it here first changes nothing for them; a
//! body past the size limit is still answered 413.

use std::time::Duration;

use axum::{
    body::Body,
    extract::{Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http_body_util::BodyExt;

/// Reads the body within `timeout`, then hands the request on.
pub async fn read_body(State(timeout): State<Duration>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    match tokio::time::timeout(timeout, body.collect()).await {
        Ok(Ok(collected)) => {
            let body = Body::from(collected.to_bytes());
            next.run(Request::from_parts(parts, body)).await
        }
        Ok(Err(e)) if is_too_large(&e) => refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the request body is larger than the limit\n".to_owned(),
        ),
        Ok(Err(_)) => refuse(
            StatusCode::BAD_REQUEST,
            "the request body could not be read\n".to_owned(),
        ),
        Err(_) => refuse(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the request body was not received within {} s\n",
                timeout.as_secs_f64()
            ),
        ),
    }
}

/// Whether reading failed on the body size limit (`RequestBodyLimitLayer`).
fn is_too_large(e: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(error) = cause {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

/// A refusal that also closes the connection: the rest of the body may
/// still be on its way, and the connection cannot be reused.
fn refuse(status: StatusCode, message: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CONNECTION, "close"),
        ],
        message,
    )
        .into_response()
}
