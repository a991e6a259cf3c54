//! Identifiers as parsed newtypes: a value that exists has passed its rule.
//!
//! Every identifier that crosses the edge of the service (YAML, GraphQL, CLI,
//! store rows) is parsed into one of these types first, so the rest of the code
//! never sees a malformed key, code or id.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why an identifier was refused: which kind of identifier, the value, and the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} {value:?}: {rule}")]
pub struct InvalidId {
    /// The kind of identifier, e.g. "procedure key".
    pub what: &'static str,
    /// The refused value.
    pub value: String,
    /// The rule it breaks, in words.
    pub rule: &'static str,
}

fn scope_like(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn key_like(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn code_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 8
        && b[..3].iter().all(u8::is_ascii_uppercase)
        && b[3..].iter().all(u8::is_ascii_digit)
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $what:literal, $rule:literal, $max:literal, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Parses a value, refusing one that breaks the rule.
            pub fn parse(value: impl Into<String>) -> Result<Self, InvalidId> {
                let value = value.into();
                let check: fn(&str) -> bool = $check;
                if value.len() <= $max && check(&value) {
                    Ok(Self(value))
                } else {
                    Err(InvalidId { what: $what, value, rule: $rule })
                }
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(s).map_err(serde::de::Error::custom)
            }
        }
    };
}

string_id!(
    /// A tenant. Every stored object belongs to one host, e.g. `lightapi.net`.
    Host,
    "host",
    "must match ^[A-Za-z0-9][A-Za-z0-9._-]*$ (at most 253 characters)",
    253,
    scope_like
);

string_id!(
    /// A scope's id, unique within its host, e.g. `light-4j` or `com.acme.ledger-1.0.0`.
    ScopeId,
    "scope id",
    "must match ^[A-Za-z0-9][A-Za-z0-9._-]*$ (at most 200 characters)",
    200,
    scope_like
);

string_id!(
    /// A procedure's key within a scope, e.g. `token-expired`.
    ProcedureKey,
    "procedure key",
    "must match ^[a-z0-9][a-z0-9-]*$ (at most 100 characters)",
    100,
    key_like
);

string_id!(
    /// A light-4j error code, e.g. `ERR10001`.
    ErrorCode,
    "error code",
    "must match ^[A-Z]{3}[0-9]{5}$",
    8,
    code_like
);

string_id!(
    /// The label of a decision branch, e.g. `yes` or `token expired`.
    BranchLabel,
    "branch label",
    "must be 1 to 200 characters, not blank, without line breaks",
    200,
    |s: &str| !s.trim().is_empty() && !s.contains(['\n', '\r'])
);

/// The code an entry is for: one error code, or `*`, the default for codes without their own.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EntryCode {
    /// A specific error code.
    Code(ErrorCode),
    /// `*`: the entry for codes that have none of their own.
    Default,
}

impl EntryCode {
    /// Parses `*` or an error code.
    pub fn parse(value: &str) -> Result<Self, InvalidId> {
        if value == "*" {
            Ok(Self::Default)
        } else {
            ErrorCode::parse(value)
                .map(Self::Code)
                .map_err(|e| InvalidId {
                    what: "entry code",
                    rule: "must be \"*\" or match ^[A-Z]{3}[0-9]{5}$",
                    ..e
                })
        }
    }

    /// The code as text (`*` for the default).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Code(c) => c.as_str(),
            Self::Default => "*",
        }
    }
}

/// Entries sort by code with `*` last.
impl Ord for EntryCode {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            (Self::Code(a), Self::Code(b)) => a.cmp(b),
            (Self::Code(_), Self::Default) => std::cmp::Ordering::Less,
            (Self::Default, Self::Code(_)) => std::cmp::Ordering::Greater,
            (Self::Default, Self::Default) => std::cmp::Ordering::Equal,
        }
    }
}

impl PartialOrd for EntryCode {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for EntryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EntryCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EntryCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_ids_follow_the_light_4j_service_id_shape() {
        for ok in ["light-4j", "acme-payments", "com.acme.ledger-1.0.0", "A_b"] {
            assert!(ScopeId::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-x", ".x", "a b", "a/b", "é"] {
            assert!(ScopeId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn procedure_keys_are_lower_case_kebab() {
        assert!(ProcedureKey::parse("token-expired").is_ok());
        assert!(ProcedureKey::parse("9lives").is_ok());
        for bad in ["", "Token", "-x", "a_b", "a.b"] {
            assert!(ProcedureKey::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn error_codes_are_three_capitals_and_five_digits() {
        assert!(ErrorCode::parse("ERR10001").is_ok());
        for bad in ["ERR1000", "err10001", "ERR100011", "E1R10001", "*"] {
            assert!(ErrorCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_entry_sorts_after_every_code() {
        let mut codes = [
            EntryCode::Default,
            EntryCode::parse("ERR20000").unwrap(),
            EntryCode::parse("ERR10000").unwrap(),
        ];
        codes.sort();
        let texts: Vec<_> = codes.iter().map(EntryCode::as_str).collect();
        assert_eq!(texts, ["ERR10000", "ERR20000", "*"]);
    }

    #[test]
    fn an_invalid_id_says_what_and_why() {
        let err = ProcedureKey::parse("Bad Key").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid procedure key \"Bad Key\": must match ^[a-z0-9][a-z0-9-]*$ (at most 100 characters)"
        );
    }
}
