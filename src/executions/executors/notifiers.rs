//! The notifiers of the executors file (`notifiers:`) and the SMTP relay
//! of its e-mail ones (`smtp:`), with the rules their fields obey.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{config::ExecutorsConfig, mail::check_addresses};

/// The shape of a notifier's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotifyFormat {
    /// `{"text": …}` with Slack's mrkdwn (also read by Mattermost, Rocket.Chat
    /// and others' incoming webhooks).
    Slack,
    /// The escalation as a JSON object of named fields.
    Json,
    /// A plain-text e-mail through the file's `smtp` relay.
    Email,
}

impl NotifyFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Slack => "slack",
            Self::Json => "json",
            Self::Email => "email",
        }
    }
}

/// Where an escalation is announced: a call through an executor (its base
/// URL, credentials and reach), as an automation makes one, or an e-mail
/// through the file's `smtp` relay.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NotifierConfig {
    pub format: NotifyFormat,
    /// A named executor, or `http` with an absolute `url` (webhooks only).
    #[serde(default)]
    pub executor: Option<String>,
    /// Addresses an e-mail goes to besides the contacts' (e-mail only).
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub timeout_seconds: Option<u64>,
}

impl NotifierConfig {
    /// The call, written as an automation object (without a body).
    pub fn automation(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut call = serde_json::Map::new();
        call.insert("executor".into(), self.executor.clone().into());
        // (`executor` is always set on a webhook: `ExecutorsConfig::parse` checks it.)
        if let Some(path) = &self.path {
            call.insert("path".into(), path.clone().into());
        }
        if let Some(url) = &self.url {
            call.insert("url".into(), url.clone().into());
        }
        if !self.headers.is_empty() {
            let headers = self
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::from(v.clone())))
                .collect();
            call.insert("headers".into(), serde_json::Value::Object(headers));
        }
        if let Some(seconds) = self.timeout_seconds {
            call.insert("timeoutSeconds".into(), seconds.into());
        }
        call
    }
}

/// How the connection to the relay is secured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS, which the relay must offer.
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
    /// No encryption: for a relay on the same host or network only.
    None,
}

/// The SMTP relay e-mail notifiers send through. The relay is the
/// operator's choice, so it is not held to the network rules of
/// automation; the recipients come from the runbook's contacts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub tls: SmtpTls,
    /// `${NAME}` is replaced by the environment variable NAME.
    #[serde(default)]
    pub username: Option<String>,
    /// `${NAME}` is replaced by the environment variable NAME.
    #[serde(default)]
    pub password: Option<String>,
    /// The sender, `Name <address>` or an address.
    pub from: String,
    /// The time one delivery may take; default 30 s.
    #[serde(default)]
    pub timeout_seconds: Option<u64>,
}

impl SmtpConfig {
    /// The port, by default the one of the TLS mode.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.tls {
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
            SmtpTls::None => 25,
        })
    }
}

/// Refuses a notifier whose fields do not fit its format.
pub(super) fn check_notifier(
    config: &ExecutorsConfig,
    notifier: &NotifierConfig,
) -> Result<(), String> {
    if notifier.format == NotifyFormat::Email {
        if config.smtp.is_none() {
            return Err("format: email needs the file's `smtp` relay".into());
        }
        let webhook_fields = notifier.executor.is_some()
            || notifier.path.is_some()
            || notifier.url.is_some()
            || !notifier.headers.is_empty();
        if webhook_fields {
            return Err("an email notifier takes `to`, not executor, path, url or headers".into());
        }
        return check_addresses(&notifier.to);
    }
    if !notifier.to.is_empty() {
        return Err(
            "`to` is for format: email; a webhook is addressed by executor and path".into(),
        );
    }
    let Some(executor) = &notifier.executor else {
        return Err("a webhook needs an executor (a named one, or `http` with a url)".into());
    };
    let known = if executor == "http" {
        config.allow_http
    } else {
        config.executors.contains_key(executor)
    };
    if known {
        Ok(())
    } else {
        Err(format!(
            "no executor named {executor} (the built-in `http` needs allowHttp: true)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ExecutorsConfig, String> {
        ExecutorsConfig::parse(text, |name| {
            (name == "SMTP_PASSWORD").then(|| "s3cret".into())
        })
    }

    #[test]
    fn an_email_notifier_needs_a_relay_and_takes_no_webhook_fields() {
        let no_relay = parse("notifiers:\n  mail: {format: email, to: [a@example.com]}\n");
        assert_eq!(
            no_relay.err().as_deref(),
            Some("notifier mail: format: email needs the file's `smtp` relay")
        );
        let relay = "smtp: {host: smtp.example.com, from: runbooks@example.com}\n";
        let with_path = parse(&format!(
            "{relay}notifiers:\n  mail: {{format: email, path: hooks/x}}\n"
        ));
        assert!(
            with_path
                .err()
                .is_some_and(|e| e.contains("an email notifier takes `to`")),
        );
        let webhook_to = parse(&format!(
            "{relay}allowHttp: true\nallowHosts: [x.example.com]\nnotifiers:\n  \
             chat: {{format: slack, executor: http, url: \"https://x.example.com/\", to: [a@example.com]}}\n"
        ));
        assert!(
            webhook_to
                .err()
                .is_some_and(|e| e.starts_with("notifier chat: `to` is for format: email"))
        );
        let no_executor = parse("notifiers:\n  chat: {format: json}\n");
        assert!(
            no_executor
                .err()
                .is_some_and(|e| e.contains("a webhook needs an executor"))
        );
    }

    #[test]
    fn an_email_notifiers_own_addresses_are_checked_with_the_file() {
        let relay = "smtp: {host: smtp.example.com, from: runbooks@example.com}\n";
        let bad = parse(&format!(
            "{relay}notifiers:\n  mail: {{format: email, to: [ops at example]}}\n"
        ));
        assert_eq!(
            bad.err().as_deref(),
            Some("notifier mail: to `ops at example` is not an e-mail address")
        );
    }

    #[test]
    fn relay_credentials_read_the_environment_and_never_travel_in_clear() {
        let config = parse(
            "smtp: {host: smtp.example.com, username: rb, password: \"${SMTP_PASSWORD}\", from: rb@example.com}\n",
        )
        .expect("parses");
        let smtp = config.smtp.expect("a relay");
        assert_eq!(smtp.password.as_deref(), Some("s3cret"));
        assert_eq!((smtp.tls, smtp.port()), (SmtpTls::Starttls, 587));
        let clear = parse(
            "smtp: {host: smtp.example.com, tls: none, username: rb, password: x, from: rb@example.com}\n",
        );
        assert!(clear.err().is_some_and(|e| e.contains("in clear")));
        let missing = parse("smtp: {host: h, password: \"${NOPE}\", from: rb@example.com}\n");
        assert!(
            missing
                .err()
                .is_some_and(|e| e.starts_with("smtp, password:"))
        );
    }
}
