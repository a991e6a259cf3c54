//! The HTTP client arangors runs on: reqwest with rustls (no OpenSSL).
//!
//! arangors 0.6 lets a program bring its own client through its `ClientExt`
//! trait; its built-in reqwest client enables reqwest's default features,
//! which link OpenSSL through native-tls. This one uses rustls with the
//! webpki root certificates, plus any CA the options add.
//!
//! arangors builds its clients itself (`ClientExt::new` takes only headers),
//! so [`with_client`] hands it the configured reqwest client through a task
//! local while a connection is established; outside that scope `new` builds
//! a client with default settings.

use std::{fmt, time::Duration};

use arangors::{ClientError, client::ClientExt};
use http::{HeaderMap, HeaderValue, header::AUTHORIZATION};

tokio::task_local! {
    static CONFIGURED: reqwest::Client;
}

/// Settings of the HTTP client.
#[derive(Clone)]
pub struct ClientSettings {
    /// Bound on each HTTP request, from sending to the last byte of the answer.
    pub request_timeout: Duration,
    /// Bound on opening a connection.
    pub connect_timeout: Duration,
    /// Extra root certificates (PEM) to trust for `arangodbs://`.
    pub ca_pem: Option<Vec<u8>>,
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            ca_pem: None,
        }
    }
}

/// Builds the reqwest client for `settings`.
pub fn build(settings: &ClientSettings) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .timeout(settings.request_timeout)
        .connect_timeout(settings.connect_timeout);
    if let Some(pem) = &settings.ca_pem {
        for cert in reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| format!("CA certificate is not PEM: {e}"))?
        {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder.build().map_err(|e| format!("HTTP client: {e}"))
}

/// Runs `fut` (which establishes an arangors connection) with `client` as the
/// client every `RustlsClient::new` in it uses.
pub async fn with_client<F: Future>(client: reqwest::Client, fut: F) -> F::Output {
    CONFIGURED.scope(client, fut).await
}

/// An arangors HTTP client over reqwest and rustls.
#[derive(Clone)]
pub struct RustlsClient {
    client: reqwest::Client,
    headers: HeaderMap,
}

/// Shows header names only: the session holds the credentials.
impl fmt::Debug for RustlsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("RustlsClient")
            .field("headers", &names)
            .finish()
    }
}

#[async_trait::async_trait]
impl ClientExt for RustlsClient {
    fn new<U: Into<Option<HeaderMap>>>(headers: U) -> Result<Self, ClientError> {
        let client = match CONFIGURED.try_with(Clone::clone) {
            Ok(client) => client,
            Err(_) => build(&ClientSettings::default()).map_err(ClientError::HttpClient)?,
        };
        let mut headers = headers.into().unwrap_or_default();
        if let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) {
            let mut fixed = HeaderValue::from_str(&padded_basic(value))
                .map_err(|_| ClientError::HttpClient("unusable credentials".to_owned()))?;
            fixed.set_sensitive(true);
            headers.insert(AUTHORIZATION, fixed);
        }
        Ok(Self { client, headers })
    }

    fn headers(&mut self) -> &mut HeaderMap {
        &mut self.headers
    }

    async fn request(
        &self,
        mut request: http::Request<String>,
    ) -> Result<http::Response<String>, ClientError> {
        let headers = request.headers_mut();
        for (name, value) in &self.headers {
            if !headers.contains_key(name) {
                headers.insert(name, value.clone());
            }
        }
        let request = reqwest::Request::try_from(request)
            .map_err(|e| ClientError::HttpClient(format!("request: {e}")))?;
        let response = self
            .client
            .execute(request)
            .await
            .map_err(|e| ClientError::HttpClient(transport_message(&e)))?;
        let status = response.status();
        let version = response.version();
        let headers = response.headers().clone();
        let body = response
            .text()
            .await
            .map_err(|e| ClientError::HttpClient(transport_message(&e)))?;
        let mut built = http::Response::builder().status(status).version(version);
        for (name, value) in &headers {
            built = built.header(name, value);
        }
        built
            .body(error_body(status, body))
            .map_err(|e| ClientError::HttpClient(format!("response: {e}")))
    }
}

/// A transport failure in words, without the request's headers.
fn transport_message(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "HTTP failure"
    };
    let mut message = format!("{kind}: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    message
}

/// arangors 0.6 encodes the basic-auth credentials without base64 padding;
/// RFC 7617 uses standard base64, so the padding is put back.
pub fn padded_basic(value: &str) -> String {
    match value.strip_prefix("Basic ") {
        Some(token) if token.len() % 4 != 0 => {
            let pad = 4 - token.len() % 4;
            format!("Basic {token}{}", "=".repeat(pad))
        }
        _ => value.to_owned(),
    }
}

/// An error status whose body is not an ArangoDB error object (a proxy's
/// page, an empty 401) becomes one, so arangors reports the HTTP status
/// instead of a JSON parse failure.
pub fn error_body(status: http::StatusCode, body: String) -> String {
    if status.is_success() || is_arango_error(&body) {
        return body;
    }
    let excerpt: String = body.chars().take(200).collect();
    let reason = status.canonical_reason().unwrap_or("");
    serde_json::json!({
        "error": true,
        "code": status.as_u16(),
        "errorNum": 0,
        "errorMessage": format!("HTTP {} {reason}: {}", status.as_u16(), excerpt.trim()),
    })
    .to_string()
}

fn is_arango_error(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body).is_ok_and(|v| {
        v.get("error").and_then(serde_json::Value::as_bool) == Some(true)
            && v.get("errorNum").is_some_and(serde_json::Value::is_u64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpadded_basic_credentials_get_their_padding_back() {
        // "root:" is cm9vdDo= in standard base64, "root:pw" is cm9vdDpwdw==.
        assert_eq!(padded_basic("Basic cm9vdDo"), "Basic cm9vdDo=");
        assert_eq!(padded_basic("Basic cm9vdDpwdw"), "Basic cm9vdDpwdw==");
        assert_eq!(padded_basic("Basic cm9vdDpwdw=="), "Basic cm9vdDpwdw==");
        assert_eq!(padded_basic("Bearer abc"), "Bearer abc");
    }

    #[test]
    fn an_error_status_without_an_arango_body_becomes_an_arango_error() {
        let body = error_body(http::StatusCode::UNAUTHORIZED, String::new());
        let e: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(e["error"], true);
        assert_eq!(e["code"], 401);
        assert!(
            e["errorMessage"]
                .as_str()
                .unwrap()
                .contains("401 Unauthorized")
        );
        let html = error_body(http::StatusCode::BAD_GATEWAY, "<html>bad</html>".to_owned());
        assert!(html.contains("502 Bad Gateway: <html>bad</html>"), "{html}");
    }

    #[test]
    fn arango_errors_and_successes_pass_through() {
        let arango = r#"{"error":true,"code":404,"errorNum":1202,"errorMessage":"not found"}"#;
        assert_eq!(
            error_body(http::StatusCode::NOT_FOUND, arango.to_owned()),
            arango
        );
        assert_eq!(error_body(http::StatusCode::OK, "[1]".to_owned()), "[1]");
    }

    #[test]
    fn the_client_hides_its_credentials_when_printed() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Basic c2VjcmV0"));
        let client = RustlsClient::new(headers).unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("c2VjcmV0"), "{shown}");
        assert!(client.headers[AUTHORIZATION].is_sensitive());
    }
}
