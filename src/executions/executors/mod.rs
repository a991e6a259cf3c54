//! Running `AUTOMATED` procedures. A procedure's `automation` object names an
//! executor and its input:
//!
//! ```yaml
//! automation:
//!   executor: light-workflow          # a named executor from the executors file
//!   method: POST                      # default POST
//!   path: /workflows/restart/run      # relative to the executor's baseUrl
//!   body: {serviceId: "{{serviceId}}"}
//!   headers: {X-Team: "{{labels.team}}"}
//!   timeoutSeconds: 60                # per attempt; default: the executor's, else 30
//!   retries: 2                        # after a failed attempt; default: the executor's, else 0
//!   backoffSeconds: 1                 # first wait, doubling; default 1
//!   onRestart: retry                  # or `attention`: see docs/executions.md
//! ```
//!
//! `executor: http` is the built-in executor for an absolute `url`, off
//! unless the executors file sets `allowHttp: true` and lists the hosts it
//! may call in `allowHosts`. What automation may reach is bounded
//! ([`network`], [`target`]): no private, loopback or link-local address
//! without an opt-in, no path out of an executor's base URL, no redirect
//! followed, no proxy from the environment. Every attempt sends
//! `Idempotency-Key`, the same for every attempt of one visit of a procedure.

mod config;
mod http;
mod mail;
pub mod network;
mod notifiers;
mod sleep;
mod target;

use std::{collections::BTreeMap, collections::BTreeSet, sync::Arc, time::Duration};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use config::{ExecutorConfig, ExecutorsConfig};
pub use http::Attempt;
pub use mail::{Mailer, recipients};
pub use notifiers::{NotifierConfig, NotifyFormat, SmtpConfig, SmtpTls};
pub use sleep::{Sleeper, TokioSleeper};

use super::{
    model::AlertContext,
    template::{render, render_json},
};

const DEFAULT_TIMEOUT_SECONDS: u64 = 30;
const MAX_TIMEOUT_SECONDS: u64 = 3_600;
const MAX_RETRIES: u32 = 10;
const MAX_BACKOFF_SECONDS: u64 = 300;

/// What to do with an attempt that was in flight when the service stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnRestart {
    /// Run it again (recorded as a retry after restart, same `Idempotency-Key`).
    #[default]
    Retry,
    /// Stop and mark the execution NEEDS_ATTENTION for a person to check.
    Attention,
}

/// An `automation` object as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AutomationSpec {
    executor: String,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    body: Option<Value>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    timeout_seconds: Option<u64>,
    #[serde(default)]
    retries: Option<u32>,
    #[serde(default)]
    backoff_seconds: Option<u64>,
    #[serde(default)]
    on_restart: Option<OnRestart>,
}

/// A call ready to make: placeholders filled, executor settings applied.
#[derive(Debug, Clone)]
pub struct Call {
    pub executor: String,
    pub method: reqwest::Method,
    pub url: url::Url,
    pub headers: Vec<(String, String)>,
    /// Names (lower case) of the headers that come from the executor's own
    /// configuration (credentials): never recorded.
    pub secret_headers: BTreeSet<String>,
    pub body: Option<Value>,
    pub timeout: Duration,
    pub retries: u32,
    pub backoff: Duration,
    pub on_restart: OnRestart,
}

impl Call {
    /// The wait before retry number `retry` (1-based): the backoff, doubling, capped.
    pub fn backoff_before(&self, retry: u32) -> Duration {
        let factor = 1u32 << retry.saturating_sub(1).min(16);
        (self.backoff * factor).min(Duration::from_secs(MAX_BACKOFF_SECONDS))
    }

    /// The URL as an execution records it: without user or password.
    pub fn shown_url(&self) -> String {
        let mut url = self.url.clone();
        // Fails only for URLs that cannot carry them: nothing to remove.
        let _ = url.set_password(None);
        let _ = url.set_username("");
        url.into()
    }

    /// The request as an execution records it: method, URL without user
    /// or password, headers with the executor's own values replaced by
    /// `[redacted]`, and the body.
    pub fn redacted(&self) -> Value {
        let headers: Map<String, Value> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if self.secret_headers.contains(&name.to_ascii_lowercase()) {
                    "[redacted]"
                } else {
                    value.as_str()
                };
                (name.clone(), Value::from(shown))
            })
            .collect();
        serde_json::json!({
            "method": self.method.as_str(),
            "url": self.shown_url(),
            "headers": headers,
            "body": self.body,
        })
    }
}

/// The configured executors and the HTTP clients that reach them, one per
/// executor (and one for the built-in `http`), each resolving names only to
/// the addresses that executor may reach.
#[derive(Clone)]
pub struct Executors {
    config: Arc<ExecutorsConfig>,
    clients: Arc<BTreeMap<String, reqwest::Client>>,
    mailer: Option<Mailer>,
    sleeper: Arc<dyn Sleeper>,
}

impl Executors {
    /// Executors from a configuration, waiting with `sleeper`.
    pub fn new(config: ExecutorsConfig, sleeper: Arc<dyn Sleeper>) -> anyhow::Result<Self> {
        let file = config.policy();
        let mut clients = BTreeMap::new();
        clients.insert("http".to_owned(), client(&file)?);
        for (name, executor) in &config.executors {
            clients.insert(name.clone(), client(&file.with(&executor.policy()))?);
        }
        let mailer = (config.smtp.as_ref())
            .map(Mailer::new)
            .transpose()
            .map_err(anyhow::Error::msg)?;
        Ok(Self {
            config: Arc::new(config),
            clients: Arc::new(clients),
            mailer,
            sleeper,
        })
    }

    /// The SMTP relay of the e-mail notifiers, when the file has one.
    pub fn mailer(&self) -> Option<&Mailer> {
        self.mailer.as_ref()
    }

    /// The notifiers escalations are announced to, by name.
    pub fn notifiers(&self) -> &BTreeMap<String, NotifierConfig> {
        &self.config.notifiers
    }

    /// The sleeper timeouts and backoff read.
    pub fn sleeper(&self) -> &Arc<dyn Sleeper> {
        &self.sleeper
    }

    /// Reads a procedure's `automation` object and fills its placeholders.
    /// Unfilled placeholders are added to `unresolved`; an unusable object is
    /// an error saying why.
    pub fn prepare(
        &self,
        automation: &Map<String, Value>,
        ctx: &AlertContext,
        unresolved: &mut BTreeSet<String>,
    ) -> Result<Call, String> {
        let spec: AutomationSpec = serde_json::from_value(Value::Object(automation.clone()))
            .map_err(|e| format!("invalid automation: {e}"))?;
        let (url, named) = self.target(&spec, ctx, unresolved)?;
        let method = spec
            .method
            .as_deref()
            .unwrap_or("POST")
            .to_ascii_uppercase();
        let method = match method.as_str() {
            "GET" | "POST" | "PUT" | "PATCH" | "DELETE" => {
                reqwest::Method::from_bytes(method.as_bytes())
                    .map_err(|e| format!("invalid method: {e}"))?
            }
            other => return Err(format!("unsupported method {other}")),
        };
        let mut headers: Vec<(String, String)> = spec
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), render(v, ctx, unresolved)))
            .collect();
        let mut secret_headers = BTreeSet::new();
        if let Some(executor) = named {
            // The executor's own headers (credentials) win over the automation's.
            headers.retain(|(k, _)| !executor.headers.keys().any(|e| e.eq_ignore_ascii_case(k)));
            headers.extend(executor.headers.iter().map(|(k, v)| (k.clone(), v.clone())));
            secret_headers.extend(executor.headers.keys().map(|k| k.to_ascii_lowercase()));
        }
        let timeout = spec
            .timeout_seconds
            .or(named.and_then(|e| e.timeout_seconds))
            .unwrap_or(DEFAULT_TIMEOUT_SECONDS);
        if timeout == 0 || timeout > MAX_TIMEOUT_SECONDS {
            return Err(format!("timeoutSeconds must be 1 to {MAX_TIMEOUT_SECONDS}"));
        }
        let retries = spec.retries.or(named.and_then(|e| e.retries)).unwrap_or(0);
        let backoff = spec
            .backoff_seconds
            .or(named.and_then(|e| e.backoff_seconds))
            .unwrap_or(1);
        Ok(Call {
            executor: spec.executor.clone(),
            method,
            url,
            headers,
            secret_headers,
            body: spec.body.as_ref().map(|b| render_json(b, ctx, unresolved)),
            timeout: Duration::from_secs(timeout),
            retries: retries.min(MAX_RETRIES),
            backoff: Duration::from_secs(backoff.min(MAX_BACKOFF_SECONDS)),
            on_restart: spec.on_restart.unwrap_or_default(),
        })
    }
}

/// An HTTP client that follows no redirect, uses no proxy (a proxy would
/// resolve the name instead of the guarded resolver) and resolves names only
/// to addresses `policy` allows.
fn client(policy: &network::NetworkPolicy) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .dns_resolver(policy.resolver())
        .build()?)
}
