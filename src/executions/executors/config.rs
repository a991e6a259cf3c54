//! The executors file (`--executors executors.yml`): named HTTP executors with
//! their base URL, headers (values may read environment variables as
//! `${NAME}`) and defaults, and what automation may reach.
//!
//! ```yaml
//! executors:
//!   light-workflow:
//!     baseUrl: http://10.0.3.7:8080/api/
//!     headers:
//!       Authorization: "Bearer ${LIGHT_WORKFLOW_TOKEN}"
//!     timeoutSeconds: 60
//!     retries: 2
//!     allowNetworks: [10.0.3.0/24]    # this executor may reach these private addresses
//! allowHttp: true                     # the built-in `http` executor; default false
//! allowHosts: [automation.example.com, "*.ops.example.com"]   # ... to these hosts only
//! allowPrivateNetworks: false         # every executor may reach any private address
//! allowNetworks: []                   # every executor may reach these networks
//! notifiers:                          # where escalations are announced (see `notify`)
//!   oncall-chat: {format: slack, executor: chat, path: hooks/T0/B0/XYZ}
//!   incident-bus: {format: json, executor: http, url: "https://events.example.com/escalations"}
//!   oncall-mail: {format: email, to: [incidents@example.com]}   # and every contact's e-mail
//! smtp:                               # the relay e-mail notifiers send through
//!   host: smtp.example.com
//!   port: 587                         # default: 587 with starttls, 465 with tls, 25 with none
//!   tls: starttls                     # starttls (default) | tls | none
//!   username: runbooks
//!   password: ${SMTP_PASSWORD}
//!   from: "Runbooks <runbooks@example.com>"
//! ```

use std::{collections::BTreeMap, path::Path};

use ipnet::IpNet;
use serde::Deserialize;

use super::{
    network::{NetworkPolicy, parse_network},
    notifiers::{NotifierConfig, SmtpConfig, SmtpTls, check_notifier},
};

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
    /// Whether this executor may reach private, loopback and link-local addresses.
    #[serde(default)]
    pub allow_private_networks: bool,
    /// Networks (CIDR) this executor may reach even though they are not public.
    #[serde(default, deserialize_with = "networks")]
    pub allow_networks: Vec<IpNet>,
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecutorsConfig {
    #[serde(default)]
    pub executors: BTreeMap<String, ExecutorConfig>,
    /// Whether automations may use the built-in `http` executor with an absolute `url`.
    #[serde(default)]
    pub allow_http: bool,
    /// The hosts the built-in `http` executor may call: names (`*.example.com`
    /// for its subdomains) or literal addresses. Needed with `allowHttp: true`.
    #[serde(default)]
    pub allow_hosts: Vec<String>,
    /// Whether every executor may reach private, loopback and link-local addresses.
    #[serde(default)]
    pub allow_private_networks: bool,
    /// Networks (CIDR) every executor may reach even though they are not public.
    #[serde(default, deserialize_with = "networks")]
    pub allow_networks: Vec<IpNet>,
    /// Where escalations are announced, by name.
    #[serde(default)]
    pub notifiers: BTreeMap<String, NotifierConfig>,
    /// The relay of the `email` notifiers.
    #[serde(default)]
    pub smtp: Option<SmtpConfig>,
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

/// A list of networks, each CIDR or a single address.
fn networks<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<IpNet>, D::Error> {
    Vec::<String>::deserialize(d)?
        .iter()
        .map(|text| parse_network(text).map_err(serde::de::Error::custom))
        .collect()
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
        if config.allow_http && config.allow_hosts.is_empty() {
            return Err(
                "allowHttp: true needs allowHosts, the hosts the http executor may call".into(),
            );
        }
        let file_policy = config.policy();
        for (name, executor) in &mut config.executors {
            if name == "http" {
                return Err("`http` is the built-in executor; name yours otherwise".into());
            }
            file_policy
                .with(&executor.policy())
                .check_host(&executor.base_url)
                .map_err(|why| format!("executor {name}: baseUrl {why}"))?;
            for (header, value) in &mut executor.headers {
                *value = expand(value, &env)
                    .map_err(|var| format!("executor {name}, header {header}: {var}"))?;
            }
        }
        for (name, notifier) in &config.notifiers {
            check_notifier(&config, notifier).map_err(|why| format!("notifier {name}: {why}"))?;
        }
        if let Some(smtp) = &mut config.smtp {
            for (field, value) in [
                ("username", &mut smtp.username),
                ("password", &mut smtp.password),
            ] {
                if let Some(value) = value {
                    *value = expand(value, &env).map_err(|var| format!("smtp, {field}: {var}"))?;
                }
            }
            if smtp.tls == SmtpTls::None && (smtp.username.is_some() || smtp.password.is_some()) {
                return Err("smtp: a username or password needs tls: starttls or tls \
                            (with none it would cross the network in clear)"
                    .into());
            }
        }
        Ok(config)
    }

    /// What the file lets every executor reach, and the built-in `http` one.
    pub fn policy(&self) -> NetworkPolicy {
        NetworkPolicy {
            allow_private: self.allow_private_networks,
            networks: self.allow_networks.clone(),
        }
    }
}

impl ExecutorConfig {
    /// What this executor's own settings let it reach (besides the file's).
    pub fn policy(&self) -> NetworkPolicy {
        NetworkPolicy {
            allow_private: self.allow_private_networks,
            networks: self.allow_networks.clone(),
        }
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
    allowNetworks: [127.0.0.1]
"#;

    #[test]
    fn headers_read_the_environment_and_unknown_fields_are_refused() {
        let config = ExecutorsConfig::parse(FILE, |n| (n == "WF_TOKEN").then(|| "t0k".into()))
            .expect("parses");
        let wf = &config.executors["light-workflow"];
        assert_eq!(wf.headers["Authorization"], "Bearer t0k");
        assert_eq!(wf.timeout_seconds, Some(60));
        assert!(!config.allow_http, "the http executor is off by default");
        let missing = ExecutorsConfig::parse(FILE, |_| None).unwrap_err();
        assert!(missing.contains("WF_TOKEN is not set"), "{missing}");
        let typo =
            ExecutorsConfig::parse("executors: {a: {baseUrl: 'http://x/', retry: 1}}", |_| None)
                .unwrap_err();
        assert!(typo.contains("retry"), "{typo}");
    }

    #[test]
    fn the_http_executor_needs_hosts_and_private_base_urls_need_an_opt_in() {
        let no_hosts = ExecutorsConfig::parse("allowHttp: true", |_| None).unwrap_err();
        assert!(no_hosts.contains("allowHosts"), "{no_hosts}");
        let on = ExecutorsConfig::parse("allowHttp: true\nallowHosts: [a.example]", |_| None)
            .expect("parses");
        assert_eq!(on.allow_hosts, ["a.example"]);
        for base in [
            "http://127.0.0.1:1/",
            "http://[::1]:1/",
            "http://169.254.169.254/",
            "http://10.0.0.1/",
        ] {
            let file = format!("executors: {{a: {{baseUrl: '{base}'}}}}");
            let refused = ExecutorsConfig::parse(&file, |_| None).unwrap_err();
            assert!(refused.contains("executor a: baseUrl"), "{refused}");
            let own =
                format!("executors: {{a: {{baseUrl: '{base}', allowPrivateNetworks: true}}}}");
            assert!(ExecutorsConfig::parse(&own, |_| None).is_ok(), "{own}");
            let file_wide = format!("{file}\nallowPrivateNetworks: true");
            assert!(ExecutorsConfig::parse(&file_wide, |_| None).is_ok());
        }
        let cidr = "executors: {a: {baseUrl: 'http://10.0.0.1/'}}\nallowNetworks: [10.0.0.0/8]";
        assert!(ExecutorsConfig::parse(cidr, |_| None).is_ok());
        let bad = ExecutorsConfig::parse("allowNetworks: [10.0.0.0/40]", |_| None).unwrap_err();
        assert!(bad.contains("10.0.0.0/40"), "{bad}");
    }
}
