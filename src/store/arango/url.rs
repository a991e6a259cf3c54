//! The store URL: `arangodb://user:password@host:8529/database`, or
//! `arangodbs://` for TLS. Parsing never echoes the password: every error
//! names the part that is wrong, not the URL.

use std::fmt;

use percent_encoding::percent_decode_str;
use url::Url;

use crate::store::StoreError;

/// The port ArangoDB listens on when the URL gives none.
pub const DEFAULT_PORT: u16 = 8529;

/// The database used when the URL has no path.
pub const DEFAULT_DATABASE: &str = "_system";

/// The user used when the URL names none (ArangoDB's own default).
pub const DEFAULT_USER: &str = "root";

/// Where and as whom to connect, read from a store URL.
#[derive(Clone, PartialEq, Eq)]
pub struct ArangoTarget {
    /// True for `arangodbs://` (HTTPS).
    pub tls: bool,
    /// Host name or address; IPv6 addresses keep their brackets.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// The database the store lives in.
    pub database: String,
    /// The user for HTTP basic authentication.
    pub user: String,
    /// The password; empty when the URL gives none.
    pub password: String,
}

impl ArangoTarget {
    /// Parses a store URL. A bad URL is a [`StoreError::Config`] that says what is wrong.
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        let url = Url::parse(text).map_err(|e| config(format!("not a URL ({e})")))?;
        let tls = match url.scheme() {
            "arangodb" => false,
            "arangodbs" => true,
            other => {
                return Err(config(format!(
                    "scheme {other:?} is not arangodb:// or arangodbs://"
                )));
            }
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| config("the URL names no host".to_owned()))?
            .to_owned();
        if url.query().is_some() || url.fragment().is_some() {
            return Err(config(
                "the URL takes no query or fragment; options are given in ArangoOptions".to_owned(),
            ));
        }
        Ok(Self {
            tls,
            host,
            port: url.port().unwrap_or(DEFAULT_PORT),
            database: database_of(&url)?,
            user: decoded(url.username(), "user")?.unwrap_or_else(|| DEFAULT_USER.to_owned()),
            password: decoded(url.password().unwrap_or(""), "password")?.unwrap_or_default(),
        })
    }

    /// The server's base URL for HTTP, without credentials or database.
    pub fn base_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}:{}", self.host, self.port)
    }
}

/// Never prints the password.
impl fmt::Debug for ArangoTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArangoTarget")
            .field("tls", &self.tls)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

fn config(message: String) -> StoreError {
    StoreError::Config(format!("ArangoDB URL: {message}"))
}

/// Percent-decodes a user or password; `None` when empty.
fn decoded(raw: &str, what: &str) -> Result<Option<String>, StoreError> {
    if raw.is_empty() {
        return Ok(None);
    }
    percent_decode_str(raw)
        .decode_utf8()
        .map(|s| Some(s.into_owned()))
        .map_err(|_| config(format!("the {what} is not valid UTF-8 once decoded")))
}

/// The single path segment, or `_system`; a name ArangoDB accepts in the
/// traditional naming scheme (letters, digits, `_`, `-`; starts with a letter
/// or `_`; at most 64 bytes).
fn database_of(url: &Url) -> Result<String, StoreError> {
    let path = url.path().trim_start_matches('/');
    let path = path.strip_suffix('/').unwrap_or(path);
    if path.is_empty() {
        return Ok(DEFAULT_DATABASE.to_owned());
    }
    let name = decoded(path, "database name")?.unwrap_or_default();
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if name.len() <= 64 && first_ok && rest_ok {
        Ok(name)
    } else {
        Err(config(format!(
            "database name {name:?} must be one path segment of letters, digits, '_' or '-', \
             starting with a letter or '_', at most 64 bytes"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ArangoTarget {
        ArangoTarget::parse(text).unwrap()
    }

    fn error(text: &str) -> String {
        ArangoTarget::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn a_full_url_gives_every_part() {
        let t = parse("arangodb://runbook:s3cret@db.example.com:9000/runbooks");
        assert!(!t.tls);
        assert_eq!(t.host, "db.example.com");
        assert_eq!(t.port, 9000);
        assert_eq!(t.database, "runbooks");
        assert_eq!(t.user, "runbook");
        assert_eq!(t.password, "s3cret");
        assert_eq!(t.base_url(), "http://db.example.com:9000");
    }

    #[test]
    fn the_tls_scheme_selects_https() {
        let t = parse("arangodbs://u:p@db.example.com/x");
        assert!(t.tls);
        assert_eq!(t.base_url(), "https://db.example.com:8529");
    }

    #[test]
    fn a_missing_port_is_8529_and_a_missing_path_is_the_system_database() {
        let t = parse("arangodb://u:p@localhost");
        assert_eq!(t.port, 8529);
        assert_eq!(t.database, "_system");
        assert_eq!(parse("arangodb://u:p@localhost/").database, "_system");
    }

    #[test]
    fn a_url_without_password_has_an_empty_one_and_without_user_is_root() {
        let t = parse("arangodb://admin@127.0.0.1:8529/db");
        assert_eq!((t.user.as_str(), t.password.as_str()), ("admin", ""));
        let t = parse("arangodb://127.0.0.1/db");
        assert_eq!((t.user.as_str(), t.password.as_str()), ("root", ""));
    }

    #[test]
    fn percent_encoded_credentials_are_decoded() {
        let t = parse("arangodb://r%C3%A9my:p%40ss%3Aw%2Fd@h/db");
        assert_eq!(t.user, "rémy");
        assert_eq!(t.password, "p@ss:w/d");
    }

    #[test]
    fn an_ipv6_host_keeps_its_brackets() {
        let t = parse("arangodb://u:p@[::1]:8530/db");
        assert_eq!(t.base_url(), "http://[::1]:8530");
    }

    #[test]
    fn bad_urls_say_what_is_wrong_without_the_password() {
        for (url, says) in [
            (
                "postgres://u:hunter2@h/db",
                "is not arangodb:// or arangodbs://",
            ),
            ("arangodb://u:hunter2@h/a/b", "must be one path segment"),
            ("arangodb://u:hunter2@h/1db", "starting with a letter"),
            ("arangodb://u:hunter2@h/db?x=1", "takes no query"),
            ("arangodb://u:hunter2@h:99999/db", "not a URL"),
            ("arangodb:///db", "names no host"),
            ("not a url hunter2", "not a URL"),
        ] {
            let message = error(url);
            assert!(message.contains(says), "{url}: {message}");
            assert!(
                message.starts_with("store configuration: ArangoDB URL:"),
                "{message}"
            );
            assert!(!message.contains("hunter2"), "{url} leaked: {message}");
        }
    }

    #[test]
    fn debug_output_hides_the_password() {
        let shown = format!("{:?}", parse("arangodb://u:hunter2@h/db"));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}
