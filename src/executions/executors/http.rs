//! One attempt of an HTTP call, bounded by the injected sleeper's timeout.

use serde_json::Value;

use super::{Call, Executors, network::AddressRefused};

/// Largest response body kept as output, in bytes; the rest is cut off.
const MAX_BODY: usize = 1 << 20;

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    /// A 2xx answer; `output` is its body (JSON, else text, else null).
    Success { status: u16, output: Value },
    /// Any other answer, or no answer. Retryable: connection failures, 429 and 5xx.
    Failure {
        status: Option<u16>,
        output: Value,
        error: String,
        retryable: bool,
    },
    /// No answer within the timeout (retryable).
    Timeout,
}

impl Executors {
    /// Makes one attempt of a call.
    pub async fn attempt(&self, call: &Call, idempotency_key: &str) -> Attempt {
        let Some(client) = self.clients.get(&call.executor) else {
            return Attempt::Failure {
                status: None,
                output: Value::Null,
                error: format!("no executor named {} is configured", call.executor),
                retryable: false,
            };
        };
        let mut request = client
            .request(call.method.clone(), call.url.clone())
            .header("Idempotency-Key", idempotency_key);
        for (name, value) in &call.headers {
            request = request.header(name, value);
        }
        if let Some(body) = &call.body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.to_string());
        }
        let exchange = async {
            let response = request.send().await?;
            let status = response.status();
            let body = read_body(response).await?;
            Ok::<_, reqwest::Error>((status, body))
        };
        tokio::select! {
            result = exchange => match result {
                Ok((status, output)) if status.is_success() => Attempt::Success {
                    status: status.as_u16(),
                    output,
                },
                Ok((status, output)) => Attempt::Failure {
                    status: Some(status.as_u16()),
                    output,
                    error: if status.is_redirection() {
                        format!("answered {status}; redirects are not followed")
                    } else {
                        format!("answered {status}")
                    },
                    retryable: status.is_server_error() || status.as_u16() == 429,
                },
                Err(e) => Attempt::Failure {
                    status: None,
                    output: Value::Null,
                    error: describe(&e),
                    retryable: !refused(&e),
                },
            },
            () = self.sleeper.sleep(call.timeout) => Attempt::Timeout,
        }
    }
}

async fn read_body(mut response: reqwest::Response) -> Result<Value, reqwest::Error> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_BODY.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if bytes.len() >= MAX_BODY {
            break;
        }
    }
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    Ok(serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned())))
}

/// Whether the error is an address the executor may not reach (not worth a retry).
fn refused(e: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        if cause.downcast_ref::<AddressRefused>().is_some() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// An error's text with its causes (reqwest's own text alone is often vague).
fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
