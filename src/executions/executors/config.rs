//! The executors file (`--executors executors.yml`): named HTTP executors with
//! their base URL, headers (values may read environment variables as
//! `${NAME}`) and defaults.
//!
//! ```yaml
//! executors:
//!   light-workflow:
//!     baseUrl: http://light-workflow.internal:8080/api/
//!     headers:
//!       Authorization: "Bearer ${LIGHT_WORKFLOW_TOKEN}"
//!     timeoutSeconds: 60
//!     retries: 2
//! allowHttp: true
//! ```

use std::{collections::BTreeMap, path::Path};

use serde::Deserialize;

/// One named executor.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecutorConfig {
    /// What an automation's `path` is relative to.
    #[serde(deserialize_with = "http_url")]
    pub base_url: url::Url,
    /// Sent with every call; `${NAME}` is replaced by the environment variable NAME.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Default time one attempt may take (an automation's `timeoutSeconds` wins).
    #[serde(default)]
    pub timeout_seconds: Option<u64>,
    /// Default retries after a failed attempt (an automation's `retries` wins).
    #[serde(default)]
    pub retries: Option<u32>,
    /// Default first backoff (doubling per retry; an automation's `backoffSeconds` wins).
    #[serde(default)]
    pub backoff_seconds: Option<u64>,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecutorsConfig {
    #[serde(default)]
    pub executors: BTreeMap<String, ExecutorConfig>,
    /// Whether automations may use the built-in `http` executor with an absolute `url`.
    #[serde(default = "yes")]
    pub allow_http: bool,
}

/// An absolute http(s) URL.
fn http_url<'de, D: serde::Deserializer<'de>>(d: D) -> Result<url::Url, D::Error> {
    let text = String::deserialize(d)?;
    let url = url::Url::parse(&text).map_err(serde::de::Error::custom)?;
    if matches!(url.scheme(), "http" | "https") {
        Ok(url)
    } else {
        Err(serde::de::Error::custom(
            "baseUrl must be an http or https URL",
        ))
    }
}

fn yes() -> bool {
    true
}

impl Default for ExecutorsConfig {
    fn default() -> Self {
        Self {
            executors: BTreeMap::new(),
            allow_http: true,
        }
    }
}

impl ExecutorsConfig {
    /// Reads the file, replacing `${NAME}` in header values by the environment.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        Self::parse(&text, |name| std::env::var(name).ok())
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    /// Parses the file's text, reading variables with `env`.
    pub fn parse(text: &str, env: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let mut config: Self = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        for (name, executor) in &mut config.executors {
            if name == "http" {
                return Err("`http` is the built-in executor; name yours otherwise".into());
            }
            for (header, value) in &mut executor.headers {
                *value = expand(value, &env)
                    .map_err(|var| format!("executor {name}, header {header}: {var}"))?;
            }
        }
        Ok(config)
    }
}

/// Replaces each `${NAME}` by the variable's value; an unset variable is an error.
fn expand(value: &str, env: &impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start + 2..].find('}') else {
            return Err("`${` without a closing `}`".into());
        };
        let name = &rest[start + 2..start + 2 + len];
        let var = env(name).ok_or_else(|| format!("environment variable {name} is not set"))?;
        out.push_str(&rest[..start]);
        out.push_str(&var);
        rest = &rest[start + 2 + len + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
executors:
  light-workflow:
    baseUrl: http://127.0.0.1:8438/api/
    headers: {Authorization: "Bearer ${WF_TOKEN}"}
    timeoutSeconds: 60
"#;

    #[test]
    fn headers_read_the_environment_and_unknown_fields_are_refused() {
        let config = ExecutorsConfig::parse(FILE, |n| (n == "WF_TOKEN").then(|| "t0k".into()))
            .expect("parses");
        let wf = &config.executors["light-workflow"];
        assert_eq!(wf.headers["Authorization"], "Bearer t0k");
        assert_eq!(wf.timeout_seconds, Some(60));
        assert!(config.allow_http);
        let missing = ExecutorsConfig::parse(FILE, |_| None).unwrap_err();
        assert!(missing.contains("WF_TOKEN is not set"), "{missing}");
        let typo =
            ExecutorsConfig::parse("executors: {a: {baseUrl: 'http://x/', retry: 1}}", |_| None)
                .unwrap_err();
        assert!(typo.contains("retry"), "{typo}");
    }
}
