//! GraphQL enums mirroring the domain's, so the domain stays free of GraphQL.

use async_graphql::Enum;

use crate::{domain, resolve};

/// What a scope stands for, most general first.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "ScopeKind", remote = "domain::ScopeKind")]
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

/// What a procedure is.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "ProcedureKind", remote = "domain::ProcedureKind")]
pub enum ProcedureKind {
    /// A manual action.
    Step,
    /// A question whose answers are the labelled branches.
    Decision,
    /// Carried out by automation (see `automation`).
    Automated,
    /// Terminal: the problem is resolved.
    Resolution,
    /// Terminal: hand over to people.
    Escalation,
}

/// How a part of an effective runbook relates to the service asked about.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "Provenance", remote = "resolve::Provenance")]
pub enum Provenance {
    /// Only ancestors define it.
    Inherited,
    /// The service and at least one ancestor define it.
    Overridden,
    /// Only the service defines it.
    Local,
}
