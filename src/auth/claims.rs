//! The claims of a light platform token and the caller they describe.

use serde::{Deserialize, Deserializer, de};

use super::AuthError;
use crate::domain::Host;

/// The claims of a light platform (light-oauth2 / light-portal) access token.
///
/// Every claim is optional here; [`Caller::from_claims`] and the verifier
/// decide which are required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Claims {
    /// The user id.
    #[serde(default)]
    pub uid: Option<String>,
    /// The tenant (host) the token acts for.
    #[serde(default)]
    pub host: Option<String>,
    /// Roles, space-separated, e.g. `"user admin"`.
    #[serde(default)]
    pub role: Option<String>,
    /// Scopes; the token may carry a JSON array or a space-separated string.
    #[serde(default, deserialize_with = "string_or_list")]
    pub scp: Vec<String>,
    /// The user's e-mail address.
    #[serde(default)]
    pub eml: Option<String>,
    /// The CSRF token the portal's SPA must echo in `X-CSRF-TOKEN` with a cookie token.
    #[serde(default)]
    pub csrf: Option<String>,
    /// The issuer.
    #[serde(default)]
    pub iss: Option<String>,
    /// The audiences; the token may carry one string or an array.
    #[serde(default, deserialize_with = "string_or_list")]
    pub aud: Vec<String>,
    /// Expiry, seconds since the epoch.
    #[serde(default, deserialize_with = "numeric_date")]
    pub exp: Option<u64>,
    /// Not valid before, seconds since the epoch.
    #[serde(default, deserialize_with = "numeric_date")]
    pub nbf: Option<u64>,
    /// Issued at, seconds since the epoch.
    #[serde(default, deserialize_with = "numeric_date")]
    pub iat: Option<u64>,
}

/// Who is calling: the verified identity handlers and authorization work with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The user id (`uid`).
    pub uid: String,
    /// The tenant the token acts for (`host`).
    pub host: Host,
    /// The roles (`role`, split on whitespace).
    pub roles: Vec<String>,
    /// The scopes (`scp`).
    pub scopes: Vec<String>,
    /// The e-mail address (`eml`), when the token has one.
    pub email: Option<String>,
}

impl Caller {
    /// The caller described by verified claims; refuses a token without `uid`
    /// or `host`, or whose `host` is malformed.
    pub fn from_claims(claims: &Claims) -> Result<Self, AuthError> {
        let uid = claims
            .uid
            .as_deref()
            .filter(|uid| !uid.trim().is_empty())
            .ok_or(AuthError::MissingClaim { claim: "uid" })?;
        let host = claims
            .host
            .as_deref()
            .ok_or(AuthError::MissingClaim { claim: "host" })?;
        let host = Host::parse(host).map_err(|e| AuthError::InvalidClaim {
            claim: "host",
            reason: e.rule.to_owned(),
        })?;
        let roles = claims
            .role
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        Ok(Self {
            uid: uid.to_owned(),
            host,
            roles,
            scopes: claims.scp.clone(),
            email: claims.eml.clone().filter(|e| !e.is_empty()),
        })
    }

    /// Whether the caller has `role`.
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    /// Whether the caller has `scope` in `scp`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// Accepts a space-separated string or an array of strings; `null` is empty.
fn string_or_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => s.split_whitespace().map(str::to_owned).collect(),
        Some(OneOrMany::Many(v)) => v,
    })
}

/// A JWT NumericDate: whole or fractional non-negative seconds (fractions dropped).
fn numeric_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match Option::<serde_json::Number>::deserialize(d)? {
        None => Ok(None),
        Some(n) => match (n.as_u64(), n.as_f64()) {
            (Some(secs), _) => Ok(Some(secs)),
            (None, Some(f)) if f.is_finite() && f >= 0.0 && f < u64::MAX as f64 => {
                // Truncation is the intent: NumericDate fractions are below our resolution.
                Ok(Some(f as u64))
            }
            _ => Err(de::Error::custom(
                "a date must be non-negative seconds since the epoch",
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: serde_json::Value) -> Claims {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn scopes_are_read_from_an_array_or_a_space_separated_string() {
        let from_array = claims(json!({"scp": ["portal.r", "portal.w"]}));
        let from_string = claims(json!({"scp": "portal.r  portal.w"}));
        assert_eq!(from_array.scp, ["portal.r", "portal.w"]);
        assert_eq!(from_string.scp, ["portal.r", "portal.w"]);
        assert!(claims(json!({"scp": null})).scp.is_empty());
    }

    #[test]
    fn the_audience_is_read_from_a_string_or_an_array() {
        assert_eq!(
            claims(json!({"aud": "urn:com.networknt"})).aud,
            ["urn:com.networknt"]
        );
        assert_eq!(claims(json!({"aud": ["a", "b"]})).aud, ["a", "b"]);
    }

    #[test]
    fn dates_accept_whole_and_fractional_seconds_but_not_text() {
        assert_eq!(claims(json!({"exp": 1700000000})).exp, Some(1_700_000_000));
        assert_eq!(
            claims(json!({"exp": 1700000000.9})).exp,
            Some(1_700_000_000)
        );
        assert!(serde_json::from_value::<Claims>(json!({"exp": "soon"})).is_err());
        assert!(serde_json::from_value::<Claims>(json!({"exp": -5})).is_err());
    }

    #[test]
    fn a_caller_is_built_from_the_light_platform_claims() {
        let caller = Caller::from_claims(&claims(json!({
            "uid": "steve", "host": "lightapi.net", "role": "user admin",
            "scp": "portal.r portal.w", "eml": "steve@lightapi.net"
        })))
        .unwrap();
        assert_eq!(caller.uid, "steve");
        assert_eq!(caller.host.as_str(), "lightapi.net");
        assert!(caller.has_role("admin") && caller.has_role("user"));
        assert!(!caller.has_role("adm"));
        assert!(caller.has_scope("portal.w") && !caller.has_scope("portal"));
        assert_eq!(caller.email.as_deref(), Some("steve@lightapi.net"));
    }

    #[test]
    fn a_caller_needs_a_uid_and_a_well_formed_host() {
        let no_uid = claims(json!({"host": "lightapi.net"}));
        assert_eq!(
            Caller::from_claims(&no_uid),
            Err(AuthError::MissingClaim { claim: "uid" })
        );
        let blank_uid = claims(json!({"uid": " ", "host": "lightapi.net"}));
        assert_eq!(
            Caller::from_claims(&blank_uid),
            Err(AuthError::MissingClaim { claim: "uid" })
        );
        let no_host = claims(json!({"uid": "steve"}));
        assert_eq!(
            Caller::from_claims(&no_host),
            Err(AuthError::MissingClaim { claim: "host" })
        );
        let bad_host = claims(json!({"uid": "steve", "host": "light api/net"}));
        assert!(matches!(
            Caller::from_claims(&bad_host),
            Err(AuthError::InvalidClaim { claim: "host", .. })
        ));
    }
}
