//! `lint(serviceId)`: what in a service's effective runbook will hurt whoever
//! follows it (see `resolve::lint`), each finding with a stable code, a
//! severity and the scope that can fix it.

use async_graphql::{Context, Enum, Object, SimpleObject};

use super::{errors::arg, errors::gql, query::read_host};
use crate::{domain::ScopeId, resolve, runbooks::Runbooks};

/// How much a lint finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum LintSeverity {
    /// Worth knowing; nothing breaks.
    Info,
    /// Someone following it will be stuck or surprised.
    Warning,
    /// An execution cannot end well.
    Error,
}

impl From<resolve::Severity> for LintSeverity {
    fn from(s: resolve::Severity) -> Self {
        match s {
            resolve::Severity::Info => Self::Info,
            resolve::Severity::Warning => Self::Warning,
            resolve::Severity::Error => Self::Error,
        }
    }
}

/// One thing lint found in a service's effective runbook.
#[derive(SimpleObject)]
pub struct LintFinding {
    /// Stable: `NO_WAY_OUT`, `UNREACHABLE`, `DECISION_WITHOUT_CHOICE`,
    /// `AUTOMATION_WITHOUT_FAILURE`, `UNKNOWN_PLACEHOLDER`,
    /// `ESCALATION_WITHOUT_CONTACT`, `ENTRY_IS_RESOLUTION`, `NO_OWNER`.
    pub code: String,
    pub severity: LintSeverity,
    /// The scope whose document can fix it.
    pub scope_id: String,
    /// The procedure key or entry code it is about, when there is one.
    pub key: Option<String>,
    pub message: String,
}

/// Lint queries.
#[derive(Default)]
pub struct LintQuery;

#[Object]
impl LintQuery {
    /// What in a service's effective runbook (every entry) will hurt the
    /// person or the automation that follows it, most severe first.
    async fn lint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Tenant; the service's default host when omitted.")] host: Option<String>,
        #[graphql(desc = "The service's scope id.")] service_id: String,
    ) -> async_graphql::Result<Vec<LintFinding>> {
        let runbooks = ctx.data::<Runbooks>()?;
        let host = read_host(ctx, host.as_deref())?;
        let service = arg::<ScopeId>("serviceId", &service_id)?;
        let runbook = runbooks.runbook(&host, &service, None).await.map_err(gql)?;
        Ok(resolve::lint(&runbook)
            .into_iter()
            .map(|f| LintFinding {
                code: f.code.to_owned(),
                severity: f.severity.into(),
                scope_id: f.scope.to_string(),
                key: f.key,
                message: f.message,
            })
            .collect())
    }
}
