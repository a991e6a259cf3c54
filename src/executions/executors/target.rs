//! Where an automation's call goes, checked before anything is sent: a
//! named executor's `path` stays under its `baseUrl` (no `..` or `.`
//! segment, also percent-encoded or inside a placeholder's value; no
//! backslash; no `//host` or absolute URL), and the built-in `http`
//! executor's `url` is on a host of `allowHosts`. A literal address in either
//! must be one the executor may reach (see [`super::network`]).

use std::{borrow::Cow, collections::BTreeSet};

use percent_encoding::percent_decode_str;
use url::Url;

use super::{AutomationSpec, ExecutorConfig, Executors};
use crate::executions::{model::AlertContext, template::render_url};

impl Executors {
    /// The URL to call, and the named executor when there is one.
    pub(super) fn target<'a>(
        &'a self,
        spec: &AutomationSpec,
        ctx: &AlertContext,
        unresolved: &mut BTreeSet<String>,
    ) -> Result<(Url, Option<&'a ExecutorConfig>), String> {
        if spec.executor == "http" {
            return self
                .http_target(spec, ctx, unresolved)
                .map(|url| (url, None));
        }
        let Some(executor) = self.config.executors.get(&spec.executor) else {
            return Err(format!("no executor named {} is configured", spec.executor));
        };
        let (None, Some(path)) = (&spec.url, &spec.path) else {
            return Err(format!(
                "executor {} needs `path` (relative to its baseUrl) and no `url`",
                spec.executor
            ));
        };
        let url = under_base(&executor.base_url, &render_url(path, ctx, unresolved))?;
        self.config
            .policy()
            .with(&executor.policy())
            .check_host(&url)?;
        Ok((url, Some(executor)))
    }

    fn http_target(
        &self,
        spec: &AutomationSpec,
        ctx: &AlertContext,
        unresolved: &mut BTreeSet<String>,
    ) -> Result<Url, String> {
        if !self.config.allow_http {
            return Err("the built-in http executor is off (allowHttp: false); \
                        name an executor of the executors file"
                .into());
        }
        let (Some(url), None) = (&spec.url, &spec.path) else {
            return Err("executor http needs `url` (absolute) and no `path`".into());
        };
        let url = Url::parse(&render_url(url, ctx, unresolved))
            .map_err(|e| format!("invalid url: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("unsupported URL scheme {}", url.scheme()));
        }
        let host = url.host_str().map(bare).unwrap_or_default();
        if !self
            .config
            .allow_hosts
            .iter()
            .any(|a| host_matches(a, &host))
        {
            return Err(format!(
                "host {host} is not in allowHosts, the hosts the http executor may call"
            ));
        }
        self.config.policy().check_host(&url)?;
        Ok(url)
    }
}

/// A host without IPv6 brackets, lowercased.
fn bare(host: &str) -> String {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase()
}

/// Whether an `allowHosts` entry (a name, `*.domain` or an address) admits `host`.
fn host_matches(allowed: &str, host: &str) -> bool {
    let allowed = bare(allowed.trim());
    match allowed.strip_prefix("*.") {
        Some(domain) => host
            .strip_suffix(domain)
            .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
        None => match (
            allowed.parse::<std::net::IpAddr>(),
            host.parse::<std::net::IpAddr>(),
        ) {
            (Ok(a), Ok(h)) => a == h,
            _ => allowed == host,
        },
    }
}

/// The URL of `path` under `base`, refused when the path could leave it.
pub(super) fn under_base(base: &Url, path: &str) -> Result<Url, String> {
    let end = path.find(['?', '#']).unwrap_or(path.len());
    let (path_part, rest) = path.split_at(end);
    if path_part.contains('\\') {
        return Err(format!("the path {path} may not contain a backslash"));
    }
    if path_part.starts_with("//") || path_part.contains("://") {
        return Err(format!(
            "the path {path} must be relative to the executor's baseUrl, not a URL"
        ));
    }
    if path_part.split('/').any(climbs) {
        return Err(format!(
            "the path {path} may not climb out of the executor's baseUrl \
             (a `.` or `..` segment, also percent-encoded or from a placeholder)"
        ));
    }
    let prefix = base.as_str().trim_end_matches('/');
    let joined = format!("{prefix}/{}{rest}", path_part.trim_start_matches('/'));
    let url = Url::parse(&joined).map_err(|e| format!("invalid path {path}: {e}"))?;
    let base_path = format!("{}/", base.path().trim_end_matches('/'));
    let same_origin = url.origin() == base.origin()
        && url.username() == base.username()
        && url.password() == base.password();
    if !same_origin || !(url.path().starts_with(&base_path) || url.path() == base.path()) {
        return Err(format!("the path {path} leaves the executor's baseUrl"));
    }
    Ok(url)
}

/// Whether a path segment is, or decodes (once or more) to, a dot segment,
/// or hides one behind an encoded `/` or `\`.
fn climbs(segment: &str) -> bool {
    let mut text: Cow<str> = Cow::Borrowed(segment);
    loop {
        if text
            .split(['/', '\\'])
            .any(|piece| piece == "." || piece == "..")
        {
            return true;
        }
        let decoded = percent_decode_str(&text).decode_utf8_lossy().into_owned();
        if decoded == text {
            return false;
        }
        text = Cow::Owned(decoded);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("http://ops.internal:8080/api/v1/").expect("url")
    }

    #[test]
    fn paths_under_the_base_are_joined() {
        for (path, want) in [
            ("/run", "http://ops.internal:8080/api/v1/run"),
            (
                "run/now?x=a%2Fb&y=..",
                "http://ops.internal:8080/api/v1/run/now?x=a%2Fb&y=..",
            ),
            ("/a%2Fb/c", "http://ops.internal:8080/api/v1/a%2Fb/c"),
            ("/..x/x..", "http://ops.internal:8080/api/v1/..x/x.."),
            ("", "http://ops.internal:8080/api/v1/"),
        ] {
            assert_eq!(under_base(&base(), path).expect(path).as_str(), want);
        }
    }

    #[test]
    fn paths_that_could_leave_the_base_are_refused() {
        for path in [
            "../admin",
            "/run/../../admin",
            "/./run",
            "/%2e%2e/admin",
            "/%2E%2e/admin",
            "/.%2e/admin",
            "/%252e%252e/admin",
            "/..%2F..%2Fadmin",
            "/..%5c..%5cadmin",
            "\\..\\admin",
            "/run\\x",
            "//evil.example/x",
            "http://evil.example/x",
            "/x/https://evil.example",
        ] {
            let refused = under_base(&base(), path);
            assert!(refused.is_err(), "{path} gave {refused:?}");
        }
    }

    #[test]
    fn allowed_hosts_match_names_subdomains_and_addresses() {
        assert!(host_matches(
            "Automation.Example.com",
            "automation.example.com"
        ));
        assert!(host_matches("*.example.com", "a.b.example.com"));
        assert!(!host_matches("*.example.com", "example.com"));
        assert!(!host_matches("*.example.com", "evilexample.com"));
        assert!(!host_matches("example.com", "example.com.evil.net"));
        assert!(host_matches("[::1]", "::1"));
        assert!(host_matches("::1", "0:0:0:0:0:0:0:1"));
    }
}
