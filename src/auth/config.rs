//! Authentication settings: where the verification keys are and which claims
//! to insist on, plus the errors of loading them.

use std::{fmt, path::PathBuf};

use serde::Deserialize;

/// The leeway applied to `exp` and `nbf` unless configured otherwise.
pub const DEFAULT_LEEWAY_SECONDS: u64 = 60;

/// The largest leeway accepted; clock skew beyond this is a misconfiguration.
pub const MAX_LEEWAY_SECONDS: u64 = 300;

/// The shortest HS256 secret accepted, in bytes: as long as the SHA-256
/// output, so the key is not the weak part (RFC 7518, section 3.2).
pub const MIN_HS256_SECRET_BYTES: usize = 32;

/// A secret value whose `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself; only for handing to the verifier.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Where the verification keys come from and which claims are checked.
///
/// At least one key source (`hs256_secret`, `rsa_pem_file`, `ec_pem_file`,
/// `jwks_file`) must be set for authentication to be enabled.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// Shared secret for HS256 tokens.
    #[serde(default)]
    pub hs256_secret: Option<Secret>,
    /// PEM file with the RSA public key for RS256 tokens (`PUBLIC KEY` or `RSA PUBLIC KEY`).
    #[serde(default)]
    pub rsa_pem_file: Option<PathBuf>,
    /// PEM file with the P-256 public key for ES256 tokens (`PUBLIC KEY`).
    #[serde(default)]
    pub ec_pem_file: Option<PathBuf>,
    /// JSON Web Key Set file with RS256/ES256 public keys, chosen by the token's `kid`.
    #[serde(default)]
    pub jwks_file: Option<PathBuf>,
    /// Required `iss`, e.g. `urn:com:networknt:oauth2:v1`; unchecked when unset.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Required member of `aud`, e.g. `urn:com.networknt`; unchecked when unset.
    #[serde(default)]
    pub audience: Option<String>,
    /// Clock skew allowed on `exp` and `nbf`, in seconds (default 60, at most 300).
    #[serde(default = "default_leeway")]
    pub leeway_seconds: u64,
}

fn default_leeway() -> u64 {
    DEFAULT_LEEWAY_SECONDS
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            hs256_secret: None,
            rsa_pem_file: None,
            ec_pem_file: None,
            jwks_file: None,
            issuer: None,
            audience: None,
            leeway_seconds: DEFAULT_LEEWAY_SECONDS,
        }
    }
}

impl AuthConfig {
    /// An empty configuration (no key source, default leeway); add to it with the `with_*` methods.
    pub fn new() -> Self {
        Self::default()
    }

    /// Accepts HS256 tokens signed with `secret`.
    pub fn with_hs256_secret(mut self, secret: impl Into<String>) -> Self {
        self.hs256_secret = Some(Secret::new(secret));
        self
    }

    /// Accepts RS256 tokens verified with the RSA public key in this PEM file.
    pub fn with_rsa_pem_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.rsa_pem_file = Some(path.into());
        self
    }

    /// Accepts ES256 tokens verified with the P-256 public key in this PEM file.
    pub fn with_ec_pem_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ec_pem_file = Some(path.into());
        self
    }

    /// Accepts RS256/ES256 tokens verified with the keys of this JWKS file.
    pub fn with_jwks_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.jwks_file = Some(path.into());
        self
    }

    /// Requires `iss` to equal `issuer`.
    pub fn with_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Requires `aud` to contain `audience`.
    pub fn with_audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// Sets the clock skew allowed on `exp` and `nbf`.
    pub fn with_leeway_seconds(mut self, seconds: u64) -> Self {
        self.leeway_seconds = seconds;
        self
    }

    /// Whether any key source is configured, i.e. whether auth can be enabled.
    pub fn has_key_source(&self) -> bool {
        self.hs256_secret.is_some()
            || self.rsa_pem_file.is_some()
            || self.ec_pem_file.is_some()
            || self.jwks_file.is_some()
    }
}

/// Why an [`AuthConfig`] could not be turned into an authenticator.
#[derive(Debug, thiserror::Error)]
pub enum AuthConfigError {
    /// No key source at all.
    #[error(
        "authentication needs at least one key source: hs256_secret, rsa_pem_file, ec_pem_file or jwks_file"
    )]
    NoKeySource,
    /// The HS256 secret is shorter than [`MIN_HS256_SECRET_BYTES`].
    #[error(
        "the HS256 secret has {0} bytes; at least {MIN_HS256_SECRET_BYTES} are required \
         (for example the output of `openssl rand -base64 48`)"
    )]
    ShortSecret(usize),
    /// The leeway is larger than [`MAX_LEEWAY_SECONDS`].
    #[error("leeway_seconds is {0}; at most {MAX_LEEWAY_SECONDS} is allowed")]
    LeewayTooLarge(u64),
    /// A key file could not be read.
    #[error("cannot read key file {path}: {source}", path = .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O failure.
        source: std::io::Error,
    },
    /// A key file was read but does not hold what it should.
    #[error("invalid key file {path}: {problem}", path = .path.display())]
    InvalidKey {
        /// The file.
        path: PathBuf,
        /// What is wrong, in words.
        problem: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_shows_its_value_in_debug_or_display() {
        let secret = Secret::new("hunter2-very-secret");
        assert!(!format!("{secret:?}").contains("hunter2"));
        assert!(!format!("{secret}").contains("hunter2"));
        let config = AuthConfig::new().with_hs256_secret("hunter2-very-secret");
        assert!(!format!("{config:?}").contains("hunter2"));
        assert_eq!(secret.expose(), "hunter2-very-secret");
    }

    #[test]
    fn the_config_deserializes_with_a_default_leeway() {
        let config: AuthConfig = serde_json::from_value(serde_json::json!({
            "hs256_secret": "s3cret",
            "jwks_file": "/etc/keys/jwks.json",
            "issuer": "urn:com:networknt:oauth2:v1",
            "audience": "urn:com.networknt"
        }))
        .unwrap();
        let expected = AuthConfig::new()
            .with_hs256_secret("s3cret")
            .with_jwks_file("/etc/keys/jwks.json")
            .with_issuer("urn:com:networknt:oauth2:v1")
            .with_audience("urn:com.networknt");
        assert_eq!(config, expected);
        assert_eq!(config.leeway_seconds, 60);
        assert!(config.has_key_source());
        assert!(!AuthConfig::new().has_key_source());
    }

    #[test]
    fn an_unknown_config_field_is_refused() {
        let err = serde_json::from_value::<AuthConfig>(serde_json::json!({
            "hs256_secret": "s3cret",
            "audiences": ["x"]
        }))
        .unwrap_err();
        assert!(err.to_string().contains("audiences"), "{err}");
    }
}
