//! The HTTP exchange with ArangoDB: reqwest over rustls (webpki roots plus
//! any CA the options add), HTTP basic authentication, and answers read
//! into JSON or an [`ApiError`].
//!
//! The store speaks ArangoDB's HTTP API itself and reads only the answer
//! attributes it needs, every one of which exists in 3.11, 3.12 and 4.x:
//! 4.x removed attributes that general-purpose drivers require (a
//! database's `path`, a collection's `status`), and the `PUT` form of
//! reading a cursor's next batch.

use std::{fmt, time::Duration};

use http::{HeaderValue, Method, StatusCode};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::url::ArangoTarget;

/// The header that puts a request inside a stream transaction.
pub const TRANSACTION_HEADER: &str = "x-arango-trx-id";

/// Bytes of a database name kept as they are in a URL path.
const NAME_IN_PATH: &AsciiSet = &NON_ALPHANUMERIC.remove(b'_').remove(b'-');

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

/// What went wrong in one exchange with ArangoDB.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server answered with an error (an error object, or an error
    /// status whose body is none, e.g. a proxy's page: then `num` is 0).
    #[error("errorNum {num} (HTTP {code}): {message}")]
    Arango {
        /// The HTTP status.
        code: u16,
        /// ArangoDB's `errorNum`.
        num: u16,
        /// ArangoDB's `errorMessage`.
        message: String,
    },
    /// No answer: could not connect, timed out, connection lost.
    #[error("{0}")]
    Transport(String),
    /// The answer is not what ArangoDB answers.
    #[error("unreadable answer: {0}")]
    Decode(String),
}

impl ApiError {
    /// ArangoDB's `errorNum`, when the server gave one.
    pub fn num(&self) -> Option<u16> {
        match self {
            Self::Arango { num, .. } => Some(*num),
            _ => None,
        }
    }
}

/// A client bound to one database (and possibly one stream transaction).
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    server: Url,
    database: String,
    user: String,
    password: String,
    transaction: Option<HeaderValue>,
}

/// Never prints the password.
impl fmt::Debug for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Api")
            .field("server", &self.server.as_str())
            .field("database", &self.database)
            .field("user", &self.user)
            .field("transaction", &self.transaction)
            .finish_non_exhaustive()
    }
}

impl Api {
    /// A client for the target's server and database.
    pub fn new(target: &ArangoTarget, settings: &ClientSettings) -> Result<Self, String> {
        let server = Url::parse(&target.base_url()).map_err(|e| format!("server URL: {e}"))?;
        Ok(Self {
            http: build(settings)?,
            server,
            database: target.database.clone(),
            user: target.user.clone(),
            password: target.password.clone(),
            transaction: None,
        })
    }

    /// The name of the database the client speaks to.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// The same client, speaking to another database of the server.
    pub fn in_database(&self, name: &str) -> Self {
        Self {
            database: name.to_owned(),
            transaction: None,
            ..self.clone()
        }
    }

    /// The same client, with every request inside the stream transaction `id`.
    pub fn in_transaction(&self, id: &str) -> Result<Self, ApiError> {
        let header = HeaderValue::from_str(id)
            .map_err(|_| ApiError::Decode("an unusable transaction id".to_owned()))?;
        Ok(Self {
            transaction: Some(header),
            ..self.clone()
        })
    }

    /// `path` (e.g. `_api/cursor`) under the database's URL.
    fn url(&self, path: &str) -> Result<Url, ApiError> {
        let db = utf8_percent_encode(&self.database, NAME_IN_PATH);
        (self.server.join(&format!("/_db/{db}/{path}")))
            .map_err(|e| ApiError::Decode(format!("URL for {path}: {e}")))
    }

    /// Sends one request and reads the answer as `T`.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T, ApiError> {
        let mut request = (self.http.request(method, self.url(path)?))
            .basic_auth(&self.user, Some(&self.password));
        if let Some(trx) = &self.transaction {
            request = request.header(TRANSACTION_HEADER, trx.clone());
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(transport)?;
        let status = response.status();
        let text = response.text().await.map_err(transport)?;
        read_answer(status, &text)
    }
}

/// Reads an answer: an error object or an error status becomes
/// [`ApiError::Arango`]; anything else must read as `T`.
pub fn read_answer<T: DeserializeOwned>(status: StatusCode, body: &str) -> Result<T, ApiError> {
    let value = serde_json::from_str::<Value>(body).ok();
    if let Some(e) = value.as_ref().and_then(arango_error) {
        return Err(e);
    }
    if !status.is_success() {
        let excerpt: String = body.chars().take(200).collect();
        let reason = status.canonical_reason().unwrap_or("");
        return Err(ApiError::Arango {
            code: status.as_u16(),
            num: 0,
            message: format!("HTTP {} {reason}: {}", status.as_u16(), excerpt.trim()),
        });
    }
    let value = value.ok_or_else(|| ApiError::Decode("the answer is not JSON".to_owned()))?;
    serde_json::from_value(value).map_err(|e| ApiError::Decode(e.to_string()))
}

fn arango_error(v: &Value) -> Option<ApiError> {
    if v.get("error").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    let num = v.get("errorNum").and_then(Value::as_u64)?;
    let code = v.get("code").and_then(Value::as_u64).unwrap_or(0);
    Some(ApiError::Arango {
        code: u16::try_from(code).unwrap_or(0),
        num: u16::try_from(num).unwrap_or(u16::MAX),
        message: (v.get("errorMessage").and_then(Value::as_str))
            .unwrap_or("")
            .to_owned(),
    })
}

/// A transport failure in words, without the request's headers.
fn transport(e: reqwest::Error) -> ApiError {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "HTTP failure"
    };
    let mut message = format!("{kind}: {e}");
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    ApiError::Transport(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_status_without_an_arango_body_becomes_an_arango_error() {
        let e = read_answer::<Value>(StatusCode::UNAUTHORIZED, "").unwrap_err();
        assert!(
            matches!(&e, ApiError::Arango { code: 401, num: 0, message } if message.contains("401 Unauthorized")),
            "{e:?}"
        );
        let html = read_answer::<Value>(StatusCode::BAD_GATEWAY, "<html>bad</html>").unwrap_err();
        assert!(
            html.to_string()
                .contains("502 Bad Gateway: <html>bad</html>"),
            "{html}"
        );
    }

    #[test]
    fn arango_errors_and_successes_are_read_as_such() {
        let arango = r#"{"error":true,"code":404,"errorNum":1202,"errorMessage":"not found"}"#;
        assert_eq!(
            read_answer::<Value>(StatusCode::NOT_FOUND, arango),
            Err(ApiError::Arango {
                code: 404,
                num: 1202,
                message: "not found".to_owned()
            })
        );
        assert_eq!(read_answer::<Vec<u8>>(StatusCode::OK, "[1]"), Ok(vec![1u8]));
        let odd = read_answer::<Vec<u8>>(StatusCode::OK, "{}").unwrap_err();
        assert!(matches!(odd, ApiError::Decode(_)), "{odd:?}");
    }

    #[test]
    fn the_client_hides_its_password_when_printed() {
        let target = ArangoTarget::parse("arangodb://root:s3cret@db:8529/runbook").unwrap();
        let api = Api::new(&target, &ClientSettings::default()).unwrap();
        let shown = format!("{api:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("runbook"), "{shown}");
    }

    #[test]
    fn requests_go_under_the_databases_path() {
        let target = ArangoTarget::parse("arangodb://db:8530/run_book-1").unwrap();
        let api = Api::new(&target, &ClientSettings::default()).unwrap();
        let url = api.url("_api/index?collection=history").unwrap();
        assert_eq!(
            url.as_str(),
            "http://db:8530/_db/run_book-1/_api/index?collection=history"
        );
        let system = api.in_database("_system").url("_api/version").unwrap();
        assert_eq!(system.path(), "/_db/_system/_api/version");
    }
}
