//! Scopes: the vertices that own runbook content, and their kinds and contacts.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ids::{Host, ScopeId};

/// What a scope stands for. The order is from the most general to the most specific.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScopeKind {
    /// The light-4j framework itself.
    Framework,
    /// A whole organization.
    Organization,
    /// A line of business inside an organization.
    LineOfBusiness,
    /// A reusable template, e.g. every Kafka consumer.
    Template,
    /// One service; its scope id is the light-4j `serviceId`.
    Service,
}

impl ScopeKind {
    /// Every kind, most general first.
    pub const ALL: [ScopeKind; 5] = [
        Self::Framework,
        Self::Organization,
        Self::LineOfBusiness,
        Self::Template,
        Self::Service,
    ];

    /// The API's name, upper case (`LINE_OF_BUSINESS`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Framework => "FRAMEWORK",
            Self::Organization => "ORGANIZATION",
            Self::LineOfBusiness => "LINE_OF_BUSINESS",
            Self::Template => "TEMPLATE",
            Self::Service => "SERVICE",
        }
    }

    /// Parses the API's name in any letter case.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(value))
    }
}

impl fmt::Display for ScopeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Someone to escalate to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Who: a person, a team or a rota.
    pub name: String,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Chat channel or handle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<String>,
}

/// A scope vertex with its ordered parent edges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The tenant the scope belongs to; parents resolve within it.
    pub host: Host,
    /// Unique within the host.
    pub id: ScopeId,
    /// Human-readable name.
    pub name: String,
    /// What the scope stands for.
    pub kind: ScopeKind,
    /// Ordered parents; the lineage is their C3 linearization.
    pub parents: Vec<ScopeId>,
    /// Who owns the scope (may write it): `role:NAME` entries name roles,
    /// the others user ids (see [`super::Owner`]).
    pub owners: Vec<String>,
    /// Escalation contacts; a service uses the nearest scope's that has any.
    pub contacts: Vec<Contact>,
}
